// Intake of inbound items with real parts: PostgreSQL, the content store on disk, and Kontor's
// engine reached through its Zeebe gateway with @camunda8/sdk.
import fs from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  anInboundItem,
  eventually,
  INTAKE_TEST_BPMN,
  startIntakeHarness,
  type IntakeHarness,
} from '../testing/intake-harness.js';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import { InboundRejectedError, InboundService } from './inbound.service.js';
import { ProcessDispatcher } from './process-dispatcher.js';

let intake: IntakeHarness;
beforeAll(async () => {
  intake = await startIntakeHarness({ limits: { maxAttachments: 2, maxAttachmentBytes: 1000 } });
});
afterAll(() => intake?.stop());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function intents(processInstanceKey: string): Promise<string[]> {
  return (await intake.gateway.records(processInstanceKey)).map(
    (r) => `${r.valueType} ${r.intent}${r.elementId ? ` ${r.elementId}` : ''}`,
  );
}

describe('receive', () => {
  beforeAll(async () => {
    await intake.zeebe.deployResource({
      process: Buffer.from(INTAKE_TEST_BPMN),
      name: 'intake-test.bpmn',
    });
  });

  it('stores the item with its attachments and raw original, and starts a process instance', async () => {
    // given
    const scan = Buffer.from('%PDF-1.4 wish list scan');
    const raw = Buffer.from('{"form":"wish list"}');

    // when
    const { item, dispatched } = await intake.service.receive(
      anInboundItem({
        attachments: [
          { filename: 'wunschzettel.pdf', contentType: 'application/pdf', content: scan },
        ],
        raw: { content: raw, contentType: 'application/json' },
      }),
    );
    const outcome = await dispatched;

    // then
    expect(item.reference).toMatch(/^IN-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(item).toMatchObject({
      channel: 'web',
      recipientId: 'christkind',
      sender: { name: 'Anna Müller', email: 'anna.mueller@example.org' },
      language: 'de',
      raw: { sha256: sha256(raw), contentType: 'application/json', size: raw.length },
      attachments: [
        { position: 0, filename: 'wunschzettel.pdf', sha256: sha256(scan), size: scan.length },
      ],
    });
    expect(await intake.store.get(sha256(scan))).toEqual(scan);
    expect(await intake.store.get(sha256(raw))).toEqual(raw);
    expect(outcome).toMatchObject({
      state: 'started',
      processInstanceKey: expect.stringMatching(/^\d+$/),
    });
    const stored = await intake.items.get(item.id);
    expect(stored?.dispatch).toMatchObject({ state: 'started', attempts: 1, error: null });
    const key = outcome!.state === 'started' ? outcome!.processInstanceKey : '';
    expect(stored?.dispatch.processInstanceKey).toBe(key);
    const created = (await intake.gateway.records(key)).find(
      (r) => r.valueType === 'VARIABLE' && r.value.name === 'inboundItem',
    );
    expect(created?.value.value).toContain(item.reference);
  });

  it('correlates a follow-up that quotes an earlier reference to the earlier instance', async () => {
    // given
    const first = await intake.service.receive(anInboundItem());
    const started = await first.dispatched;

    // when
    const followUp = await intake.service.receive(
      anInboundItem({
        channel: 'email',
        subject: `Re: ${first.item.reference} noch ein Wunsch`,
        bodyText: 'Ich wünsche mir auch noch ein Buch.',
      }),
    );

    // then
    expect(await followUp.dispatched).toEqual({
      state: 'correlated',
      correlationKey: first.item.reference,
    });
    const key = started!.state === 'started' ? started!.processInstanceKey : '';
    await eventually(async () =>
      (await intents(key)).includes('PROCESS_INSTANCE ELEMENT_COMPLETED e'),
    );
    expect(await intents(key)).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED follow-up');
  });

  it('stores the same bytes once and never overwrites a stored document', async () => {
    // given
    const content = Buffer.from('same scan twice');
    const first = await intake.service.receive(
      anInboundItem({ attachments: [{ filename: 'a.png', contentType: 'image/png', content }] }),
    );
    const file = intake.store.pathOf(sha256(content));
    const before = await fs.stat(file);

    // when
    const second = await intake.service.receive(
      anInboundItem({ attachments: [{ filename: 'b.png', contentType: 'image/png', content }] }),
    );

    // then
    expect(second.item.attachments[0].sha256).toBe(first.item.attachments[0].sha256);
    const after = await fs.stat(file);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.mode & 0o222).toBe(0); // read-only
  });

  it('keeps one item for a repeated delivery of the same message', async () => {
    // when
    const first = await intake.service.receive(
      anInboundItem({ channelMessageId: '<m1@example.org>' }),
    );
    const again = await intake.service.receive(
      anInboundItem({ channelMessageId: '<m1@example.org>' }),
    );

    // then
    expect(again.duplicate).toBe(true);
    expect(again.item.id).toBe(first.item.id);
    const { rows } = await intake.gateway.database.pool.query(
      `SELECT count(*)::int AS n FROM inbound_item WHERE channel_message_id = '<m1@example.org>'`,
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('rules', () => {
  it.each([
    ['an unknown recipient', anInboundItem({ recipientId: 'easter-bunny' }), 'unknown_recipient'],
    [
      'too many attachments',
      anInboundItem({
        attachments: ['1', '2', '3'].map((n) => ({
          filename: `${n}.txt`,
          contentType: 'text/plain',
          content: Buffer.from(`rule test ${n}`),
        })),
      }),
      'too_many_attachments',
    ],
    [
      'an attachment over the size limit',
      anInboundItem({
        attachments: [
          {
            filename: 'big.bin',
            contentType: 'application/octet-stream',
            content: Buffer.alloc(1001, 7),
          },
        ],
      }),
      'attachment_too_large',
    ],
  ])('rejects %s and stores nothing', async (_case, item, reason) => {
    // given
    const count = async () =>
      (await intake.gateway.database.pool.query('SELECT count(*)::int AS n FROM inbound_item'))
        .rows[0].n;
    const before = await count();

    // when
    const error = await intake.service.receive(item).catch((e: unknown) => e);

    // then
    expect(error).toBeInstanceOf(InboundRejectedError);
    expect((error as InboundRejectedError).reason).toBe(reason);
    expect(await count()).toBe(before);
    for (const a of item.attachments) expect(await intake.store.has(sha256(a.content))).toBe(false);
  });
});

describe('dispatch', () => {
  it('leaves an item pending while its process is not deployed and delivers it once it is', async () => {
    // given an item stored by an intake without a dispatcher, and one for an undeployed process
    const logger = silentLogger();
    const storeOnly = new InboundService({
      items: intake.items,
      recipients: intake.recipients,
      store: intake.store,
      logger,
    });
    const { item } = await storeOnly.receive(anInboundItem({ subject: 'late' }));
    const dispatcher = new ProcessDispatcher({
      zeebe: intake.zeebe,
      items: intake.items,
      logger,
      bpmnProcessId: 'late-process',
    });

    // when
    const failed = await dispatcher.dispatch(item);

    // then
    expect(failed.state).toBe('pending');
    const pending = await intake.items.get(item.id);
    expect(pending?.dispatch).toMatchObject({ state: 'pending', attempts: 1 });
    expect(pending?.dispatch.error).toMatch(/late-process/);

    // when the process is deployed, the retry delivers it
    await intake.zeebe.deployResource({
      process: Buffer.from(INTAKE_TEST_BPMN.replaceAll('intake-test', 'late-process')),
      name: 'late-process.bpmn',
    });
    await dispatcher.retryPending();

    // then
    expect((await intake.items.get(item.id))?.dispatch).toMatchObject({
      state: 'started',
      attempts: 2,
      error: null,
    });
  });

  it('leaves the item with the instance that took it first when a start was repeated', async () => {
    // given an item started twice, as after a crash between the start and its bookkeeping:
    // the first instance's first step took the item before the retry's start was recorded
    const storeOnly = new InboundService({
      items: intake.items,
      recipients: intake.recipients,
      store: intake.store,
      logger: silentLogger(),
    });
    const { item } = await storeOnly.receive(anInboundItem({ subject: 'twice' }));
    expect(await intake.items.takeForInstance(item.id, '2251799813685301')).toBe(
      '2251799813685301',
    );

    // when the retried start is recorded, and the second instance's first step asks
    const dispatcher = new ProcessDispatcher({
      zeebe: intake.zeebe,
      items: intake.items,
      logger: silentLogger(),
      bpmnProcessId: 'intake-test',
    });
    const outcome = await dispatcher.dispatch(item);

    // then the item stays with the first instance, which any other instance's first step is told
    expect(outcome).toEqual({ state: 'started', processInstanceKey: '2251799813685301' });
    expect((await intake.items.get(item.id))?.dispatch.processInstanceKey).toBe('2251799813685301');
    expect(await intake.items.takeForInstance(item.id, '2251799813685999')).toBe(
      '2251799813685301',
    );
  });
});
