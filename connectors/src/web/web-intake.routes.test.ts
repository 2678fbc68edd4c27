// The public web intake form through Kontor's HTTP server: no sign-in, a real database, the
// content store under a temporary data directory. One describe per endpoint.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startKontorHarness,
  type KontorHarness,
} from '../../../engine/src/testing/kontor-harness.js';
import { ContentStore } from '../inbound/content-store.js';
import { InboundItemRepository } from '../inbound/inbound-item.repository.js';
import { RecipientsRepository } from '../inbound/recipients.repository.js';
import { RECIPIENTS } from '../testing/intake-harness.js';

let kontor: KontorHarness;
let dataDir: string;

async function startWith(env: Record<string, string>): Promise<KontorHarness> {
  const harness = await startKontorHarness({ KONTOR_DATA_DIR: dataDir, ...env });
  const recipients = new RecipientsRepository(harness.database.pool);
  for (const recipient of RECIPIENTS) await recipients.save(recipient);
  return harness;
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-web-intake-'));
  kontor = await startWith({
    KONTOR_WEB_INTAKE_RATE_LIMIT: '1000',
    KONTOR_INBOUND_MAX_ATTACHMENT_SIZE: '1000',
  });
});
afterAll(async () => {
  await kontor?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

/** A valid submission of the standard form; override what the test is about. */
const aSubmission = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Jörg',
  lastName: 'Weißmüller',
  birthDate: '2016-03-14',
  email: 'joerg@example.de',
  street: 'Hauptstraße 12',
  postalCode: '80331',
  city: 'München',
  wishes: ['Lego Feuerwehr', 'Fußball'],
  message: 'Liebes Christkind, ich war das ganze Jahr brav.',
  ...overrides,
});

const submit = (body: unknown, recipient = 'christkind', headers: Record<string, string> = {}) =>
  fetch(`${kontor.url}/api/intake/recipients/${recipient}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const itemCount = async () =>
  (await kontor.database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_item'))
    .rows[0].n;

describe('GET /api/openapi.json', () => {
  it("describes the intake's routes", async () => {
    const res = await fetch(`${kontor.url}/api/openapi.json`);
    const { paths } = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/intake/recipients',
        '/api/intake/recipients/{id}/form',
        '/api/intake/recipients/{id}/submissions',
        '/api/intake/scans',
        '/api/intake/status/{reference}',
        '/api/intake/items/{reference}/status',
      ]),
    );
  });
});

describe('GET /api/intake/recipients', () => {
  it('lists the recipients without sign-in', async () => {
    // when
    const res = await fetch(`${kontor.url}/api/intake/recipients`);

    // then
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { id: 'christkind', name: 'Christkind' },
      { id: 'santa-claus', name: 'Santa Claus' },
      { id: 'sinterklaas', name: 'Sinterklaas' },
    ]);
  });
});

describe('GET /api/intake/recipients/:id/form', () => {
  it("gives the recipient's form schema", async () => {
    // when
    const res = await fetch(`${kontor.url}/api/intake/recipients/santa-claus/form`);

    // then
    expect(res.status).toBe(200);
    const body = (await res.json()) as { recipient: unknown; schema: { required: string[] } };
    expect(body.recipient).toEqual({ id: 'santa-claus', name: 'Santa Claus' });
    expect(body.schema.required).toEqual([
      'firstName',
      'lastName',
      'street',
      'postalCode',
      'city',
      'wishes',
    ]);
  });

  it('answers 404 for an unknown recipient', async () => {
    // when
    const res = await fetch(`${kontor.url}/api/intake/recipients/osterhase/form`);

    // then
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      message: "No recipient 'osterhase' takes web submissions",
    });
  });
});

describe('POST /api/intake/recipients/:id/submissions', () => {
  it('stores a valid submission as an inbound item of the web channel', async () => {
    // given
    const drawing = Buffer.from('a drawing of a fire engine');
    const dataUrl = `data:image/png;name=feuerwehr.png;base64,${drawing.toString('base64')}`;

    // when
    const res = await submit(aSubmission({ attachments: [dataUrl] }));

    // then
    expect(res.status).toBe(201);
    const { reference, statusToken } = (await res.json()) as {
      reference: string;
      statusToken: string;
    };
    const status = await fetch(`${kontor.url}/api/intake/status/${reference}?token=${statusToken}`);
    expect(await status.json()).toMatchObject({
      reference,
      recipientId: 'christkind',
      channel: 'web',
      events: [{ status: 'received', detail: 'web for christkind' }],
    });
    const item = await new InboundItemRepository(kontor.database.pool).byReference(reference);
    expect(item).toMatchObject({
      channel: 'web',
      recipientId: 'christkind',
      sender: {
        name: 'Jörg Weißmüller',
        email: 'joerg@example.de',
        address: 'Hauptstraße 12\n80331 München',
      },
      language: 'de',
      attachments: [{ filename: 'feuerwehr.png', contentType: 'image/png', size: drawing.length }],
    });
    expect(item?.bodyText).toBe(
      'Birth date: 2016-03-14\nWishes:\n- Lego Feuerwehr\n- Fußball\n\nLiebes Christkind, ich war das ganze Jahr brav.',
    );
    const store = new ContentStore(path.join(dataDir, 'inbound'));
    expect(await store.get(item!.attachments[0].sha256)).toEqual(drawing);
    expect(JSON.parse((await store.get(item!.raw.sha256)).toString())).toMatchObject({
      firstName: 'Jörg',
      wishes: ['Lego Feuerwehr', 'Fußball'],
    });
  });

  it('stores a retried submission with the same Idempotency-Key once', async () => {
    // given
    const first = await submit(aSubmission(), 'santa-claus', { 'idempotency-key': 'abc-123' });
    const before = await itemCount();

    // when
    const again = await submit(aSubmission(), 'santa-claus', { 'idempotency-key': 'abc-123' });

    // then
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { reference: string }).reference).toBe(
      ((await first.json()) as { reference: string }).reference,
    );
    expect(await itemCount()).toBe(before);
  });

  it('answers 400 naming each problem and stores nothing', async () => {
    // given
    const before = await itemCount();

    // when
    const res = await submit(aSubmission({ lastName: undefined, wishes: [], shoeSize: 31 }));

    // then
    expect(res.status).toBe(400);
    const body = (await res.json()) as { problems: { path: string; message: string }[] };
    expect(body.problems).toEqual(
      expect.arrayContaining([
        { path: '/', message: "needs 'lastName'" },
        { path: '/', message: "has no field 'shoeSize'" },
        { path: '/wishes', message: 'must NOT have fewer than 1 items' },
      ]),
    );
    expect(await itemCount()).toBe(before);
  });

  it('answers 413 for an attachment over the limit and stores nothing', async () => {
    // given
    const before = await itemCount();
    const big = Buffer.alloc(1001, 1);

    // when
    const res = await submit(
      aSubmission({ attachments: [`data:application/pdf;base64,${big.toString('base64')}`] }),
    );

    // then
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'attachment_too_large' });
    expect(await itemCount()).toBe(before);
    const sha = createHash('sha256').update(big).digest('hex');
    expect(await new ContentStore(path.join(dataDir, 'inbound')).has(sha)).toBe(false);
  });

  it('answers 404 for an unknown recipient', async () => {
    // when
    const res = await submit(aSubmission(), 'osterhase');

    // then
    expect(res.status).toBe(404);
  });

  it('answers 429 with Retry-After once an address sent more than the limit', async () => {
    // given a Kontor that takes 2 submissions per minute from one address
    const limited = await startWith({ KONTOR_WEB_INTAKE_RATE_LIMIT: '2' });
    try {
      const post = () =>
        fetch(`${limited.url}/api/intake/recipients/christkind/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(aSubmission()),
        });

      // when
      const statuses = [(await post()).status, (await post()).status];
      const third = await post();

      // then
      expect(statuses).toEqual([201, 201]);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const { rows } = await limited.database.pool.query(
        'SELECT count(*)::int AS n FROM inbound_item',
      );
      expect(rows[0].n).toBe(2);
    } finally {
      await limited.close();
    }
  });
});
