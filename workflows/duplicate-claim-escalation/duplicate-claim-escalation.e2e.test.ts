// The duplicate-claim escalation end to end with real parts: a wish list mailed with nodemailer
// to Kontor's SMTP server for the Christkind, the same child's list through the web form to
// Santa Claus, the process started for each through Kontor's Zeebe gateway, the claim extracted
// and registered, the similarity check finding the first claim across recipients and
// channels, the escalation decided, and the answers received by an SMTP sink this test runs.
// Then the same child by post and by fax: a merge into the first claim with the answer letter
// in the letter outbox, a rejection faxed through the fax gateway (after the incident of a
// missing gateway), and a fax nobody can answer, handed to the office.
// User tasks are taken as Zeebe user-task jobs (io.camunda.zeebe:userTask), as a tasklist does.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Zeebe } from '@camunda8/sdk';
import nodemailer from 'nodemailer';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startSmtpConnector,
  type SmtpConnector,
} from '../../connectors/src/email/smtp.connector.js';
import {
  eventually,
  startIntakeHarness,
  type IntakeHarness,
} from '../../connectors/src/testing/intake-harness.js';
import { itemVariables } from '../../connectors/src/inbound/inbound-item.js';
import { ItemStatus } from '../../connectors/src/inbound/item-status.js';
import { ScanIntake } from '../../connectors/src/post/scan-intake.js';
import { pdfWithText } from '../../connectors/src/testing/scans.js';
import { startSmtpSink, type SmtpSink } from '../../connectors/src/testing/smtp-sink.js';
import { submissionToItem } from '../../connectors/src/web/web-intake-form.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { ClaimsRepository } from './similarity/claims.repository.js';
import {
  startDuplicateClaimWorkers,
  type DuplicateClaimWorkersOptions,
} from './workers/duplicate-claim.workers.js';

const BPMN = new URL('./duplicate-claim-escalation.bpmn', import.meta.url);

type ActivatedJob = Awaited<ReturnType<Zeebe.ZeebeGrpcClient['activateJobs']>>[number];
type UserTaskJob = Omit<ActivatedJob, 'variables'> & { variables: Record<string, unknown> };

let intake: IntakeHarness;
let smtp: SmtpConnector;
let sink: SmtpSink;
let workers: { close(): Promise<void> };
let outbox: string;
const taken: UserTaskJob[] = [];

const startWorkers = (options: Partial<DuplicateClaimWorkersOptions> = {}) =>
  startDuplicateClaimWorkers({
    zeebe: intake.zeebe,
    pool: intake.gateway.database.pool,
    smtpRelay: { host: '127.0.0.1', port: sink.port, from: 'intake@kontor.example' },
    faxGatewayDomain: 'fax.example',
    letterOutbox: outbox,
    contentStore: intake.store,
    ...options,
  });

beforeAll(async () => {
  intake = await startIntakeHarness({ bpmnProcessId: 'duplicate-claim-escalation' });
  await intake.zeebe.deployResource({
    process: await fs.readFile(BPMN),
    name: 'duplicate-claim-escalation.bpmn',
  });
  smtp = await startSmtpConnector({
    intake: intake.service,
    recipients: intake.recipients,
    host: '127.0.0.1',
    port: 0,
    logger: silentLogger(),
  });
  sink = await startSmtpSink();
  outbox = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-letter-outbox-'));
  workers = startWorkers();
}, 60_000);
afterAll(async () => {
  await workers?.close();
  await smtp?.close();
  await sink?.close();
  await intake?.stop();
  if (outbox) await fs.rm(outbox, { recursive: true, force: true });
});

/** The user task of `elementId` in the instance, taken as a job (the others stay taken too). */
async function userTask(processInstanceKey: string, elementId: string): Promise<UserTaskJob> {
  return eventually(async () => {
    const found = taken.find(
      (j) => j.processInstanceKey === processInstanceKey && j.elementId === elementId,
    );
    if (found) return found;
    const jobs = await intake.zeebe.activateJobs({
      type: 'io.camunda.zeebe:userTask',
      maxJobsToActivate: 20,
      timeout: 600_000,
      worker: 'e2e-tasklist',
      requestTimeout: 200,
    });
    taken.push(...(jobs as UserTaskJob[]));
    return undefined;
  }, 15_000);
}

async function instanceOf(reference: string): Promise<string> {
  const item = await eventually(async () => {
    const now = await intake.items.byReference(reference);
    return now?.dispatch.processInstanceKey ? now : undefined;
  });
  return item.dispatch.processInstanceKey!;
}

const pdfText = async (pdf: Buffer) => {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
};

/** The steps of an item's status history, as `status (detail)`. */
const history = async (reference: string) =>
  (await new ItemStatus(intake.gateway.database.pool).history(reference))!.events.map((e) =>
    e.detail === null ? e.status : `${e.status} (${e.detail})`,
  );

const claimOf = async (itemReference: string) => {
  const item = await intake.items.byReference(itemReference);
  const { rows } = await intake.gateway.database.pool.query<{ id: string }>(
    'SELECT id FROM claim WHERE inbound_item_id = $1',
    [item!.id],
  );
  return (await new ClaimsRepository(intake.gateway.database.pool).get(rows[0].id))!;
};

/** Waits for the instance's first incident and returns it. */
const incidentOf = (processInstanceKey: string) =>
  eventually(async () => {
    const records = await intake.gateway.records(processInstanceKey);
    return records.find((r) => r.valueType === 'INCIDENT' && r.intent === 'CREATED');
  }, 15_000);

const ended = (processInstanceKey: string) =>
  eventually(async () => {
    const records = await intake.gateway.records(processInstanceKey);
    return records.some((r) => r.intent === 'ELEMENT_COMPLETED' && r.elementId === 'claim-handled');
  }, 15_000);

const mailTo = (address: string, count: number) => sink.mailsTo(address, count);

describe('duplicate-claim escalation', () => {
  let firstReference: string;
  let firstClaimReference: string;

  it('routes a first wish list to the office of its recipient and answers the child', async () => {
    // given
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtp.port,
      ignoreTLS: true,
    });

    // when the child mails the Christkind
    const sent = await transport.sendMail({
      from: 'Anna Müller <anna@example.org>',
      to: 'christkind@intake.example',
      subject: 'Mein Wunschzettel',
      text: [
        'Liebes Christkind,',
        'ich heiße Anna Müller und bin am 04.05.2017 geboren.',
        'Ich wohne in der Hauptstraße 12, 80331 München.',
        'Ich wünsche mir:',
        '- ein rotes Fahrrad',
        '- einen Malkasten',
        '- ein Puppenhaus',
        'Deine Anna',
      ].join('\n'),
    });
    transport.close();
    firstReference = /IN-[2-9A-Z]{4}-[2-9A-Z]{4}/.exec(sent.response)![0];
    const instance = await instanceOf(firstReference);

    // then the Christkind's office gets the task, with the claim as extracted
    const task = await userTask(instance, 'work-claim');
    expect(JSON.stringify(task.customHeaders)).toContain('office-christkind');
    expect(task.variables).toMatchObject({
      claimantName: 'Anna Müller',
      birthDate: '2017-05-04',
      street: 'Hauptstraße 12',
      postalCode: '80331',
      items: ['ein rotes Fahrrad', 'einen Malkasten', 'ein Puppenhaus'],
      similarity: { duplicate: false, matches: [] },
    });
    firstClaimReference = task.variables.claimReference as string;
    expect(firstClaimReference).toMatch(/^CL-/);

    // when the office has handled it
    await intake.zeebe.completeJob({ jobKey: task.key, variables: { handled: true } });

    // then the child gets an answer by e-mail, with the reference
    const [answer] = await mailTo('anna@example.org', 1);
    expect(answer.subject).toBe(`Re: Mein Wunschzettel [${firstReference}]`);
    expect(answer.inReplyTo).toBe(sent.messageId);
    expect(answer.references).toBe(sent.messageId);
    expect(answer.text).toContain('wir haben deinen Wunschzettel erhalten');
    expect(answer.from?.text).toBe('intake@kontor.example');
  });

  it('escalates the same wish list sent to another recipient through the web form, and tells the child the decision', async () => {
    // when the same child sends (nearly) the same list to Santa Claus through the web form
    const { item } = await intake.service.receive(
      submissionToItem(
        'santa-claus',
        {
          firstName: 'Anna',
          lastName: 'Mueller',
          birthDate: '2017-05-04',
          email: 'anna@example.org',
          street: 'Hauptstr. 12',
          postalCode: '80331',
          city: 'München',
          wishes: ['Fahrrad', 'Malkasten', 'Teddy'],
        },
        new Date(),
      ),
    );
    const instance = await instanceOf(item.reference);

    // then the escalation group gets the decision, with both claims side by side
    const task = await userTask(instance, 'decide-duplicate');
    expect(JSON.stringify(task.customHeaders)).toContain('escalation');
    const similarity = task.variables.similarity as {
      duplicate: boolean;
      matches: {
        reference: string;
        recipientId: string;
        channel: string;
        reasons: string[];
        score: number;
      }[];
    };
    expect(similarity.duplicate).toBe(true);
    expect(similarity.matches[0]).toMatchObject({
      reference: firstClaimReference,
      recipientId: 'christkind',
      channel: 'email',
    });
    expect(similarity.matches[0].reasons).toContain('same birth date 2017-05-04');
    expect(task.variables.claim).toMatchObject({ recipientId: 'santa-claus', channel: 'web' });
    expect(task.variables.claimSummary).toContain('to santa-claus by web');
    expect(task.variables.earlierClaimSummary).toBe(
      `Anna Müller; born 2017-05-04; Hauptstraße 12, 80331 München (${firstClaimReference}, to christkind by email): ein rotes Fahrrad, einen Malkasten, ein Puppenhaus`,
    );
    expect(task.variables.similarityReasons).toBe(
      "87 %: same name written differently ('Anna Mueller' / 'Anna Müller'); same birth date 2017-05-04; same address written differently ('Hauptstr. 12' / 'Hauptstraße 12'); 2 of 3 wishes recur",
    );

    // when the case worker rejects the second claim
    await intake.zeebe.completeJob({
      jobKey: task.key,
      variables: { decision: 'reject', decisionNote: 'Already with the Christkind' },
    });

    // then the child is told, on the channel the claim came from
    const mails = await mailTo('anna@example.org', 2);
    const answer = mails[1];
    expect(answer.subject).toBe(`Re: Web form: Anna Mueller [${item.reference}]`);
    expect(answer.text).toContain('schon an eine andere Stelle geschickt');
    expect(answer.inReplyTo).toBeUndefined();
    expect(await ended(instance)).toBe(true);

    // and the claim is rejected, which its status history tells
    expect((await claimOf(item.reference)).status).toBe('rejected');
    expect((await history(item.reference)).slice(-2)).toEqual([
      'decided (reject)',
      'answered (reject (e-mail to anna@example.org))',
    ]);
  });

  let letterReference: string;

  it('merges a posted duplicate into the first claim and answers with a letter in the outbox', async () => {
    // given the first claim, as the office handled it
    const first = await new ClaimsRepository(intake.gateway.database.pool).byReference(
      firstClaimReference,
    );

    // when the same child posts the list again, with roller skates on it, to Sinterklaas
    const scans = new ScanIntake({ intake: intake.service });
    const { item } = await scans.receive({
      recipientId: 'sinterklaas',
      channel: 'post',
      filename: 'brief.pdf',
      content: await pdfWithText(
        [
          'Anna Müller',
          'Hauptstraße 12',
          '80331 München',
          '',
          'Lieber Sinterklaas,',
          'ich heiße Anna Müller und bin am 04.05.2017 geboren.',
          'Ich wünsche mir:',
          '- ein rotes Fahrrad',
          '- Rollschuhe',
          '- ein Puppenhaus',
        ].join('\n'),
      ),
    });
    letterReference = item.reference;
    const instance = await instanceOf(item.reference);

    // then the escalation decides to merge it into the first claim
    const task = await userTask(instance, 'decide-duplicate');
    const similarity = task.variables.similarity as { matches: { reference: string }[] };
    expect(similarity.matches[0].reference).toBe(firstClaimReference);
    await intake.zeebe.completeJob({ jobKey: task.key, variables: { decision: 'merge' } });
    expect(await ended(instance)).toBe(true);

    // then the first claim keeps its reference and gains the new wish, and the posted claim is merged into it
    const posted = await claimOf(item.reference);
    expect(posted).toMatchObject({ status: 'merged', mergedIntoId: first!.id });
    expect((await claimOf(firstReference)).items).toEqual([
      'ein rotes Fahrrad',
      'einen Malkasten',
      'ein Puppenhaus',
      'Rollschuhe',
    ]);
    const { rows: merges } = await intake.gateway.database.pool.query(
      'SELECT surviving_claim_id, items_added, process_instance_key::text FROM claim_merge WHERE merged_claim_id = $1',
      [posted.id],
    );
    expect(merges).toEqual([
      {
        surviving_claim_id: first!.id,
        items_added: ['Rollschuhe'],
        process_instance_key: instance,
      },
    ]);

    // and the answer letter lies in the outbox, addressed to the child, with reference and decision
    const [file] = await fs.readdir(outbox);
    expect(file).toMatch(new RegExp(`^${item.reference}-letter-[0-9a-f]{12}\\.pdf$`));
    const letter = await fs.readFile(path.join(outbox, file));
    const text = await pdfText(letter);
    expect(text).toContain('Anna Müller Hauptstraße 12 80331 München');
    expect(text).toContain(`Deine Vorgangsnummer: ${item.reference}`);
    expect(text).toContain('wir haben beide zusammengeführt');
    expect(text).toContain(`Beide findest du jetzt unter ${firstClaimReference}`);
    const token = await new ItemStatus(intake.gateway.database.pool).tokenFor(item.reference);
    expect(text).toContain(token);
    // stored content-addressed as the item's outbound document
    const { rows: documents } = await intake.gateway.database.pool.query(
      `SELECT kind, sha256, state, handed_to FROM outbound_document
        WHERE inbound_item_id = (SELECT id FROM inbound_item WHERE reference = $1)`,
      [item.reference],
    );
    expect(documents).toEqual([
      {
        kind: 'letter',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        state: 'handed-over',
        handed_to: path.join(outbox, file),
      },
    ]);
    expect((await intake.store.get(documents[0].sha256)).equals(letter)).toBe(true);

    // and both items' histories tell what happened
    expect((await history(item.reference)).slice(-3)).toEqual([
      'decided (merge)',
      `merged (into ${firstClaimReference} (christkind); wishes added: Rollschuhe)`,
      `letter prepared for dispatch (merge; to Anna Müller, Hauptstraße 12, 80331 München; ${file})`,
    ]);
    expect((await history(firstReference)).at(-1)).toBe(
      `later claim merged in (${posted.reference} (sinterklaas by post); wishes added: Rollschuhe)`,
    );
  });

  it('faxes the answer to a fax claim through the fax gateway, once the missing gateway is configured', async () => {
    // given workers that know no fax gateway
    await workers.close();
    workers = startWorkers({ faxGatewayDomain: undefined });

    // when the child faxes the list to Santa Claus
    const scans = new ScanIntake({ intake: intake.service });
    const { item } = await scans.receive({
      recipientId: 'santa-claus',
      channel: 'fax',
      filename: 'fax-0001.pdf',
      content: await pdfWithText(
        [
          'Fax von: +49 89 7654321',
          'Lieber Weihnachtsmann,',
          'ich heiße Anna Müller und bin am 04.05.2017 geboren.',
          'Ich wünsche mir:',
          '- Rollschuhe',
          '- ein Puppenhaus',
        ].join('\n'),
      ),
    });
    const instance = await instanceOf(item.reference);

    // then the similarity check points to the first claim, and not to the merged posted one
    const task = await userTask(instance, 'decide-duplicate');
    const similarity = task.variables.similarity as {
      matches: { reference: string; viaReference: string | null }[];
    };
    const posted = await claimOf(letterReference);
    expect(similarity.matches[0].reference).toBe(firstClaimReference);
    expect(similarity.matches.map((m) => m.reference)).not.toContain(posted.reference);

    // when the escalation rejects it
    await intake.zeebe.completeJob({ jobKey: task.key, variables: { decision: 'reject' } });

    // then the answer fails with an incident that names the missing setting
    const incident = await incidentOf(instance);
    expect(incident.value.errorMessage).toBe(
      'Cannot fax the answer to +49 89 7654321: no fax gateway is configured (KONTOR_FAX_GATEWAY_DOMAIN)',
    );

    // when the gateway is configured and the incident resolved
    await workers.close();
    workers = startWorkers();
    await intake.zeebe.updateJobRetries({ jobKey: String(incident.value.jobKey), retries: 1 });
    await intake.zeebe.resolveIncident({ incidentKey: String(incident.key) });

    // then the gateway gets a mail for the fax number with the answer as PDF
    const [fax] = await mailTo('49897654321@fax.example', 1);
    expect(fax.attachments).toHaveLength(1);
    expect(fax.attachments[0].contentType).toBe('application/pdf');
    const text = await pdfText(fax.attachments[0].content);
    expect(text).toContain(`Deine Vorgangsnummer: ${item.reference}`);
    expect(text).toContain('diesen Wunschzettel hast du schon an eine andere Stelle geschickt');
    expect(await ended(instance)).toBe(true);
    expect((await history(item.reference)).at(-1)).toBe(
      'answered (reject (fax to +49 89 7654321))',
    );
  });

  it('hands a fax with neither fax number nor address to the office to answer by hand', async () => {
    // when another child faxes a list without number or address
    const scans = new ScanIntake({ intake: intake.service });
    const { item } = await scans.receive({
      recipientId: 'christkind',
      channel: 'fax',
      filename: 'fax-0002.pdf',
      content: await pdfWithText(
        [
          'Liebes Christkind,',
          'ich heiße Max Schulz und bin am 01.02.2016 geboren.',
          'Ich wünsche mir:',
          '- einen Kran',
          '- einen Bagger',
        ].join('\n'),
      ),
    });
    const instance = await instanceOf(item.reference);
    const work = await userTask(instance, 'work-claim');
    await intake.zeebe.completeJob({ jobKey: work.key, variables: { handled: true } });

    // then no answer is pretended: the history says so and the office gets the task
    const byHand = await userTask(instance, 'answer-by-hand');
    expect(JSON.stringify(byHand.customHeaders)).toContain('office-christkind');
    expect(byHand.variables).toMatchObject({
      answerProblem: 'neither a fax number nor a postal address is known',
      answerText: expect.stringContaining('Hallo Max Schulz'),
    });
    expect((await history(item.reference)).at(-1)).toBe(
      'not answered (accepted: neither a fax number nor a postal address is known; the office answers by hand)',
    );

    // when the office has called the parents
    await intake.zeebe.completeJob({
      jobKey: byHand.key,
      variables: { answeredHow: 'Eltern angerufen' },
    });

    // then
    expect(await ended(instance)).toBe(true);
    expect((await history(item.reference)).at(-1)).toBe(
      'answered (accepted (by hand: Eltern angerufen))',
    );
  });

  it('lets one instance work on an item started twice, as after a crash between start and bookkeeping', async () => {
    // given an item whose process was started, and started again by a retry
    const { item } = await intake.service.receive(
      submissionToItem(
        'santa-claus',
        {
          firstName: 'Oskar',
          lastName: 'Lindqvist',
          birthDate: '2015-02-11',
          street: 'Sveavägen 3',
          postalCode: '11157',
          city: 'Stockholm',
          wishes: ['ein Schlitten'],
        },
        new Date(),
      ),
    );
    const first = await instanceOf(item.reference);
    const { processInstanceKey: second } = await intake.zeebe.createProcessInstance({
      bpmnProcessId: 'duplicate-claim-escalation',
      variables: itemVariables(item) as never,
    });

    // then the second instance is canceled by its first step, the first one goes on alone
    const canceled = await eventually(async () => {
      const records = await intake.gateway.records(second);
      return records.some(
        (r) => r.intent === 'ELEMENT_TERMINATED' && r.elementId === 'duplicate-claim-escalation',
      );
    }, 15_000);
    expect(canceled).toBe(true);
    expect((await userTask(first, 'work-claim')).variables.claimantName).toBe('Oskar Lindqvist');
    const { rows } = await intake.gateway.database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM claim WHERE inbound_item_id = $1',
      [item.id],
    );
    expect(rows[0].n).toBe(1);
    expect(await history(item.reference)).toContain(
      `second start stopped (instance ${second} canceled; instance ${first} handles the item)`,
    );
  });

  it('hands an escalation nobody decided within its SLA to the next level', async () => {
    // given workers that give the escalation group one second
    await workers.close();
    workers = startWorkers({ escalationSla: 'PT1S' });

    // when the child sends the list a third time, to Sinterklaas
    const { item } = await intake.service.receive(
      submissionToItem(
        'sinterklaas',
        {
          firstName: 'Anna',
          lastName: 'Müller',
          birthDate: '2017-05-04',
          street: 'Hauptstraße 12',
          postalCode: '80331',
          city: 'München',
          wishes: ['rotes Fahrrad', 'Puppenhaus'],
        },
        new Date(),
      ),
    );
    const instance = await instanceOf(item.reference);

    // then after the SLA the escalation lead has the task
    const overdue = await userTask(instance, 'decide-duplicate-lead');
    expect(JSON.stringify(overdue.customHeaders)).toContain('escalation-lead');
    const records = await intake.gateway.records(instance);
    expect(records.some((r) => r.valueType === 'TIMER' && r.intent === 'TRIGGERED')).toBe(true);
  });
});
