// The duplicate-claim escalation end to end with real parts: a wish list mailed with nodemailer
// to Kontor's SMTP server for the Christkind, the same child's list through the web form to
// Santa Claus, the process started for each through Kontor's Zeebe gateway, the claim extracted
// and registered, the similarity check finding the first claim across recipients and
// channels, the escalation decided, and the answers received by an SMTP sink this test runs.
// User tasks are taken as Zeebe user-task jobs (io.camunda.zeebe:userTask), as a tasklist does.
import fs from 'node:fs/promises';
import type { Zeebe } from '@camunda8/sdk';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
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
import { submissionToItem } from '../../connectors/src/web/web-intake-form.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { startDuplicateClaimWorkers } from './workers/duplicate-claim.workers.js';

const BPMN = new URL('./duplicate-claim-escalation.bpmn', import.meta.url);

type ActivatedJob = Awaited<ReturnType<Zeebe.ZeebeGrpcClient['activateJobs']>>[number];
type UserTaskJob = Omit<ActivatedJob, 'variables'> & { variables: Record<string, unknown> };

let intake: IntakeHarness;
let smtp: SmtpConnector;
let sink: { server: SMTPServer; port: number; mails: ParsedMail[] };
let workers: { close(): Promise<void> };
const taken: UserTaskJob[] = [];

async function startSink(): Promise<typeof sink> {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.server.address() as { port: number }).port, mails };
}

const startWorkers = (escalationSla?: string) =>
  startDuplicateClaimWorkers({
    zeebe: intake.zeebe,
    pool: intake.gateway.database.pool,
    smtpRelay: { host: '127.0.0.1', port: sink.port, from: 'intake@kontor.example' },
    escalationSla,
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
  sink = await startSink();
  workers = startWorkers();
}, 60_000);
afterAll(async () => {
  await workers?.close();
  await smtp?.close();
  await new Promise<void>((resolve) => (sink ? sink.server.close(() => resolve()) : resolve()));
  await intake?.stop();
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

const mailTo = (address: string, count: number) =>
  eventually(async () => {
    const mails = sink.mails.filter((m) =>
      (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(address)),
    );
    return mails.length >= count && mails;
  }, 15_000);

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
    const records = await intake.gateway.records(instance);
    expect(
      records.some((r) => r.intent === 'ELEMENT_COMPLETED' && r.elementId === 'claim-handled'),
    ).toBe(true);
  });

  it('hands an escalation nobody decided within its SLA to the next level', async () => {
    // given workers that give the escalation group one second
    await workers.close();
    workers = startWorkers('PT1S');

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
