// The process inside a whole Kontor: KONTOR_SMTP_PORT takes the mail, Kontor's own workers
// (started by startKontor) extract, register and check the claim, Kontor's tasklist takes the
// office task, and the answer leaves through KONTOR_SMTP_RELAY_URL to an SMTP sink; an
// escalation decides "merge" in the tasklist, and the merge records who decided.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ItemStatus } from '../../connectors/src/inbound/item-status.js';
import { RecipientsRepository } from '../../connectors/src/inbound/recipients.repository.js';
import { UsersRepository } from '../../engine/src/api/auth/users.repository.js';
import { eventually, RECIPIENTS } from '../../connectors/src/testing/intake-harness.js';
import { startSmtpSink, type SmtpSink } from '../../connectors/src/testing/smtp-sink.js';
import { zeebeClient } from '../../engine/src/testing/gateway-harness.js';
import { startKontorHarness, type KontorHarness } from '../../engine/src/testing/kontor-harness.js';

let kontor: KontorHarness;
let dataDir: string;
let sink: SmtpSink;
let zeebe: ReturnType<typeof zeebeClient>;

beforeAll(async () => {
  sink = await startSmtpSink();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-dce-'));
  kontor = await startKontorHarness({
    KONTOR_DATA_DIR: dataDir,
    KONTOR_SMTP_PORT: '0',
    KONTOR_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`,
    KONTOR_MAIL_FROM: 'christkind-intake@kontor.example',
    KONTOR_PUBLIC_URL: 'https://wishes.example',
  });
  const recipients = new RecipientsRepository(kontor.database.pool);
  for (const recipient of RECIPIENTS) await recipients.save(recipient);
  zeebe = zeebeClient(`127.0.0.1:${kontor.kontor.gatewayPort}`);
  await zeebe.deployResource({
    process: await fs.readFile(new URL('./duplicate-claim-escalation.bpmn', import.meta.url)),
    name: 'duplicate-claim-escalation.bpmn',
  });
}, 60_000);
afterAll(async () => {
  await zeebe?.close();
  await kontor?.close();
  await sink?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('duplicate-claim escalation in Kontor', () => {
  it('takes a mailed wish list to the office in the tasklist and answers through the relay', async () => {
    // when
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: kontor.kontor.smtpPort,
      ignoreTLS: true,
    });
    const sent = await transport.sendMail({
      from: 'Pieter de Vries <pieter@example.nl>',
      to: 'sinterklaas@intake.example',
      subject: 'Verlanglijstje',
      text: 'Lieve Sinterklaas,\nik heet Pieter de Vries, geboren 12-03-2016.\nKerkstraat 5\n1017 GC Amsterdam\nIk wil graag een fiets en een boek.',
    });
    transport.close();
    const reference = /IN-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(sent.response)![0];

    // then the tasklist holds the office task of Sinterklaas
    const task = await eventually(async () => {
      const { rows } = await kontor.database.pool.query<{
        job_key: string;
        candidate_groups: string[];
        variables: Record<string, unknown>;
      }>(
        `SELECT job_key::text, candidate_groups, variables FROM user_task WHERE element_id = 'work-claim'`,
      );
      return rows[0];
    }, 20_000);
    expect(task.candidate_groups).toEqual(['office-sinterklaas']);
    expect(task.variables).toMatchObject({
      claimantName: 'Pieter de Vries',
      postalCode: '1017 GC',
      items: ['een fiets', 'een boek'],
    });

    // when the office completes it (through the Zeebe client, as any tasklist may)
    await zeebe.completeJob({ jobKey: task.job_key, variables: { handled: true } });

    // then the answer went out through the relay
    const answer = await eventually(async () => sink.mails[0], 20_000);
    expect(answer.subject).toBe(`Re: Verlanglijstje [${reference}]`);
    expect(answer.from?.text).toBe('christkind-intake@kontor.example');
    expect(answer.to && !Array.isArray(answer.to) ? answer.to.text : '').toBe('pieter@example.nl');
    const token = await new ItemStatus(kontor.database.pool).tokenFor(reference);
    expect(answer.text).toContain(`https://wishes.example/#/status/${reference}/${token}`);
  });

  it("shows the case's status at a button press: to the claimant with the token, to its office, not to another office", async () => {
    // given the item of the mail above, and two office workers
    const { rows } = await kontor.database.pool.query<{ reference: string }>(
      `SELECT reference FROM inbound_item WHERE recipient_id = 'sinterklaas'`,
    );
    const reference = rows[0].reference;
    const token = await new ItemStatus(kontor.database.pool).tokenFor(reference);
    const users = new UsersRepository(kontor.database.pool);
    const signIn = async (username: string, group: string) => {
      await users.create({
        username,
        password: 'office hours 9-5',
        roles: ['caseworker'],
        candidateGroups: [group],
      });
      const res = await fetch(`${kontor.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'office hours 9-5' }),
      });
      return res.headers.get('set-cookie')!.split(';')[0];
    };
    const sinterklaasOffice = await signIn('piet', 'office-sinterklaas');
    const christkindOffice = await signIn('engel', 'office-christkind');

    // when the claimant asks with the token
    const res = await fetch(`${kontor.url}/api/intake/status/${reference}?token=${token}`);

    // then they see each step, the answer last
    expect(res.status).toBe(200);
    const view = (await res.json()) as {
      status: string;
      events: { status: string; detail: string | null }[];
    };
    expect(view.status).toBe('answered');
    expect(view.events.map((e) => e.status)).toEqual([
      'received',
      'in progress',
      'claim registered',
      'with the office',
      'answered',
    ]);
    expect(view.events[4].detail).toBe('accepted (e-mail to pieter@example.nl)');

    // and a wrong token or another office learns nothing
    expect((await fetch(`${kontor.url}/api/intake/status/${reference}?token=guess`)).status).toBe(
      404,
    );
    const office = (cookie: string) =>
      fetch(`${kontor.url}/api/intake/items/${reference}/status`, { headers: { cookie } });
    expect((await office(sinterklaasOffice)).status).toBe(200);
    expect((await office(christkindOffice)).status).toBe(403);
    expect((await fetch(`${kontor.url}/api/intake/items/${reference}/status`)).status).toBe(401);
  });

  it("opens the claimant's case file across recipients for the central team, and only the own claims for an office", async () => {
    // given the same child's list again, through the web form to the Christkind
    const res = await fetch(`${kontor.url}/api/intake/recipients/christkind/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        firstName: 'Pieter',
        lastName: 'de Vries',
        birthDate: '2016-03-12',
        street: 'Kerkstraat 5',
        postalCode: '1017 GC',
        city: 'Amsterdam',
        wishes: ['fiets', 'boek'],
      }),
    });
    expect(res.status).toBe(201);
    const claims = await eventually(async () => {
      const { rows } = await kontor.database.pool.query<{
        reference: string;
        recipient_id: string;
      }>('SELECT reference, recipient_id FROM claim ORDER BY submitted_at');
      return rows.length === 2 && rows;
    }, 20_000);
    const [sinterklaasClaim, christkindClaim] = claims;
    expect(christkindClaim.recipient_id).toBe('christkind');
    const users = new UsersRepository(kontor.database.pool);
    const signIn = async (
      username: string,
      roles: ('caseworker' | 'auditor')[],
      groups: string[],
    ) => {
      await users.create({
        username,
        password: 'case files all day',
        roles,
        candidateGroups: groups,
      });
      const login = await fetch(`${kontor.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'case files all day' }),
      });
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      return (path: string) => fetch(`${kontor.url}${path}`, { headers: { cookie } });
    };
    const central = await signIn('central', ['auditor'], []);
    const christkindOffice = await signIn('engelchen', ['caseworker'], ['office-christkind']);

    // when the central team opens the case file of the Christkind's claim
    const file = (await (await central(`/api/case-files/${christkindClaim.reference}`)).json()) as {
      claimantName: string;
      claims: {
        claim: { reference: string; recipientId: string };
        match?: { material: boolean };
        item?: { channel: string };
        steps: { status: string }[];
        tasks: { elementId: string; state: string; candidateGroups: string[] }[];
      }[];
      hiddenClaims: number;
    };

    // then it shows both claims, by mail to Sinterklaas and by web form to the Christkind
    expect(file.claimantName).toBe('Pieter de Vries');
    expect(
      file.claims.map((c) => [c.claim.reference, c.claim.recipientId, c.item?.channel]),
    ).toEqual([
      [christkindClaim.reference, 'christkind', 'web'],
      [sinterklaasClaim.reference, 'sinterklaas', 'email'],
    ]);
    expect(file.claims[1].match?.material).toBe(true);
    expect(file.claims[1].steps.map((s) => s.status)).toContain('answered');
    expect(file.hiddenClaims).toBe(0);
    // with the user tasks of each claim's process: the office's, and the open escalation
    expect(file.claims[1].tasks.map((t) => [t.elementId, t.candidateGroups])).toEqual([
      ['work-claim', ['office-sinterklaas']],
    ]);
    const escalation = await eventually(async () => {
      const again = (await (
        await central(`/api/case-files/${christkindClaim.reference}`)
      ).json()) as typeof file;
      return again.claims[0].tasks.find((t) => t.elementId === 'decide-duplicate');
    }, 20_000);
    expect(escalation).toMatchObject({ state: 'open', candidateGroups: ['escalation'] });

    // and the Christkind's office sees its own claim, not Sinterklaas's, and is told one exists
    const own = (await (
      await christkindOffice(`/api/case-files/${christkindClaim.reference}`)
    ).json()) as typeof file;
    expect(own.claims.map((c) => c.claim.reference)).toEqual([christkindClaim.reference]);
    expect(own.hiddenClaims).toBe(1);
    expect((await christkindOffice(`/api/case-files/${sinterklaasClaim.reference}`)).status).toBe(
      403,
    );
    const list = (await (await christkindOffice('/api/case-files')).json()) as {
      reference: string;
    }[];
    expect(list.map((c) => c.reference)).toEqual([christkindClaim.reference]);
  });

  it('merges the escalated web claim through the tasklist, records who decided, and answers on the status page', async () => {
    // given the web claim of the test above, waiting for the escalation, and Knecht Ruprecht
    const task = await eventually(async () => {
      const { rows } = await kontor.database.pool.query<{
        job_key: string;
        process_instance_key: string;
      }>(
        `SELECT job_key::text, process_instance_key::text FROM user_task
          WHERE element_id = 'decide-duplicate' AND state = 'open'`,
      );
      return rows[0];
    }, 20_000);
    const users = new UsersRepository(kontor.database.pool);
    await users.create({
      username: 'ruprecht',
      password: 'naughty or nice',
      roles: ['caseworker'],
      candidateGroups: ['escalation'],
    });
    const login = await fetch(`${kontor.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'ruprecht', password: 'naughty or nice' }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const post = (path: string, body: unknown) =>
      fetch(`${kontor.url}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });

    // when he claims the decision and merges
    expect((await post(`/api/tasks/${task.job_key}/claim`, {})).status).toBe(200);
    const completed = await post(`/api/tasks/${task.job_key}/complete`, {
      variables: { decision: 'merge', decisionNote: 'Same list, same child' },
    });
    expect(completed.status).toBe(200);

    // then the web claim is merged into the mailed one, by him, in this process instance
    const merge = await eventually(async () => {
      const { rows } = await kontor.database.pool.query<{
        merged: string;
        surviving: string;
        merged_by: string;
        process_instance_key: string;
      }>(
        `SELECT merged.reference AS merged, surviving.reference AS surviving, m.merged_by,
                m.process_instance_key::text
           FROM claim_merge m JOIN claim merged ON merged.id = m.merged_claim_id
           JOIN claim surviving ON surviving.id = m.surviving_claim_id`,
      );
      return rows[0];
    }, 20_000);
    expect(merge).toMatchObject({
      merged_by: 'ruprecht',
      process_instance_key: task.process_instance_key,
    });
    const { rows: decided } = await kontor.database.pool.query(
      'SELECT decision, decided_by, note FROM claim_decision',
    );
    expect(decided).toEqual([
      { decision: 'merge', decided_by: 'ruprecht', note: 'Same list, same child' },
    ]);

    // and the case files show it, to the central team
    const central = await fetch(`${kontor.url}/api/case-files/${merge.merged}`, {
      headers: { cookie: await signInCentral() },
    });
    const file = (await central.json()) as {
      claims: {
        claim: { reference: string; status: string };
        mergedInto?: { reference: string; by: string };
        mergedClaims: { reference: string | null; by: string | null }[];
        steps: { status: string; detail: string | null }[];
      }[];
    };
    expect(file.claims.map((c) => [c.claim.reference, c.claim.status])).toEqual([
      [merge.merged, 'merged'],
      [merge.surviving, 'open'],
    ]);
    expect(file.claims[0].mergedInto).toMatchObject({ reference: merge.surviving, by: 'ruprecht' });
    expect(file.claims[1].mergedClaims).toEqual([
      expect.objectContaining({ reference: merge.merged, by: 'ruprecht' }),
    ]);

    // and the child, who gave no e-mail address, finds the answer on the status page
    const steps = await eventually(async () => {
      const { rows } = await kontor.database.pool.query<{ status: string; detail: string }>(
        `SELECT e.status, e.detail FROM inbound_status_event e
           JOIN claim c ON c.inbound_item_id = e.inbound_item_id
          WHERE c.reference = $1 ORDER BY e.id`,
        [merge.merged],
      );
      return rows.at(-1)?.status === 'answered' && rows;
    }, 20_000);
    expect(steps.slice(-4)).toEqual([
      { status: 'with the escalation team', detail: expect.stringContaining(merge.surviving) },
      { status: 'decided', detail: 'merge' },
      { status: 'merged', detail: expect.stringContaining(`into ${merge.surviving}`) },
      { status: 'answered', detail: 'merge (on the status page)' },
    ]);
    expect(sink.mails).toHaveLength(1);
  });
});

async function signInCentral(): Promise<string> {
  await new UsersRepository(kontor.database.pool).create({
    username: 'central-merge',
    password: 'case files all day',
    roles: ['auditor'],
    candidateGroups: [],
  });
  const login = await fetch(`${kontor.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'central-merge', password: 'case files all day' }),
  });
  return login.headers.get('set-cookie')!.split(';')[0];
}
