/**
 * The "Knecht Ruprecht" escalation in a real Chromium against a real Kontor: the same wish list
 * mailed (nodemailer to Kontor's SMTP server) to one recipient and sent through the web form to
 * another starts the duplicate-claim escalation process twice; Kontor's own workers extract,
 * register and check the claims; the escalation case worker sees both claims side by side in the
 * decision form and rejects the second; the child gets the answer by e-mail through the relay
 * (an SMTP sink the test runs); the case file shows both claims. A third copy, uploaded as a
 * scanned letter (PDF), is escalated as well.
 */
import fs from 'node:fs/promises';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecipientsRepository } from '../../../connectors/src/inbound/recipients.repository.js';
import { RECIPIENTS } from '../../../connectors/src/testing/intake-harness.js';
import { pdfWithText } from '../../../connectors/src/testing/scans.js';
import { startSmtpSink, type SmtpSink } from '../../../connectors/src/testing/smtp-sink.js';
import type { NewUser } from '../../../engine/src/api/auth/users.repository.js';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { startWebApp, type WebAppFixture } from './web-app-fixture.js';

const RUPRECHT: NewUser = {
  username: 'ruprecht',
  displayName: 'Knecht Ruprecht',
  password: 'naughty or nice',
  roles: ['caseworker', 'analyst'],
  candidateGroups: ['escalation'],
};

const WORKFLOW = new URL('../../../workflows/duplicate-claim-escalation/', import.meta.url);

/** The wish list as the child writes it, by mail or on paper. */
const LETTER = [
  'Lieve Sinterklaas,',
  'ik heet Lotte de Vries, geboren 01-06-2015.',
  'Kerkstraat 5',
  '1017 GC Amsterdam',
  'Ik wil graag een fiets en Lego brandweer.',
].join('\n');

/** The same list in the web form, with small differences. */
const SUBMISSION = {
  firstName: 'Lotte',
  lastName: 'De Vries',
  birthDate: '2015-06-01',
  email: 'lotte@example.nl',
  street: 'Kerkstr. 5',
  postalCode: '1017 GC',
  city: 'Amsterdam',
  wishes: ['fiets', 'Lego brandweer'],
};

/** Reloads the tasklist and counts its rows once the list (fetched after the page) is there. */
async function taskRowsAfterReload(page: Page): Promise<number> {
  await page.reload();
  await page
    .getByTestId('task-row')
    .first()
    .waitFor({ timeout: 2_000 })
    .catch(() => undefined);
  return page.getByTestId('task-row').count();
}

describe('web app: duplicate-claim escalation', () => {
  let app: WebAppFixture;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await startWebApp([RUPRECHT], {
      KONTOR_SMTP_PORT: '0',
      KONTOR_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`,
    });
    const recipients = new RecipientsRepository(app.harness.database.pool);
    for (const recipient of RECIPIENTS) await recipients.save(recipient);
    await app.harness.kontor.engine.deployResources([
      {
        name: 'duplicate-claim-escalation.bpmn',
        content: await fs.readFile(new URL('duplicate-claim-escalation.bpmn', WORKFLOW), 'utf8'),
      },
    ]);
  });
  afterAll(async () => {
    await app?.close();
    await sink?.close();
  });

  it('shows both claims side by side and takes the decision', async () => {
    // given the decision form deployed, as an analyst does in the form editor
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.harness.url}/#/tasks`);
    await app.signIn(page, RUPRECHT.username, RUPRECHT.password);
    await expect.poll(() => page.getByTestId('signed-in-user').count()).toBe(1);
    const jsonSchema = JSON.parse(
      await fs.readFile(new URL('forms/duplicate-decision.schema.json', WORKFLOW), 'utf8'),
    );
    const uiSchema = JSON.parse(
      await fs.readFile(new URL('forms/duplicate-decision.ui-schema.json', WORKFLOW), 'utf8'),
    );
    const draft = await page.request.post(`${app.harness.url}/api/form-drafts`, {
      data: { formKey: 'duplicate-decision', name: 'Duplicate decision', jsonSchema, uiSchema },
    });
    expect(draft.status()).toBe(201);
    const { id, revision } = (await draft.json()) as { id: string; revision: number };
    const deployed = await page.request.post(`${app.harness.url}/api/form-drafts/${id}/deploy`, {
      data: { basedOnRevision: revision },
    });
    expect(deployed.ok()).toBe(true);

    // when the same child mails the list to Sinterklaas and sends it to Santa Claus by web form
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: app.harness.kontor.smtpPort,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'Lotte de Vries <lotte@example.nl>',
      to: 'sinterklaas@intake.example',
      subject: 'Verlanglijstje',
      text: LETTER,
    });
    transport.close();
    const res = await fetch(`${app.harness.url}/api/intake/recipients/santa-claus/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SUBMISSION),
    });
    expect(res.status).toBe(201);
    const { reference: webReference } = (await res.json()) as { reference: string };

    // then Knecht Ruprecht has the escalation in his tasklist
    await expect.poll(() => taskRowsAfterReload(page), { timeout: 20_000 }).toBe(1);
    await page.getByRole('button', { name: 'Decide on the duplicate claim' }).click();
    await page.waitForSelector('#root_earlierClaimSummary');
    await page.waitForSelector('[data-element-id="decide-duplicate"].current-step');
    expect(await page.inputValue('#root_earlierClaimSummary')).toContain(
      'Lotte de Vries; born 2015-06-01; Kerkstraat 5, 1017 GC Amsterdam',
    );
    expect(await page.inputValue('#root_earlierClaimSummary')).toContain('to sinterklaas by email');
    expect(await page.inputValue('#root_claimSummary')).toContain('to santa-claus by web');
    expect(await page.inputValue('#root_similarityReasons')).toContain(
      'same birth date 2015-06-01',
    );
    await saveScreenshot(page, 'duplicate-escalation-task');

    // when he claims it and rejects the second claim
    await page.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => page.getByTestId('task-assignee').textContent()).toBe('ruprecht');
    await page.selectOption('#root_decision', { label: 'Reject: the earlier claim stands' });
    await page.fill('#root_decisionNote', 'Already with Sinterklaas');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => page.getByTestId('task-state').textContent()).toBe('completed');
    await saveScreenshot(page, 'duplicate-escalation-decided');

    // then the instance took the decision and ended
    const { rows } = await app.harness.database.pool.query<{ process_instance_key: string }>(
      `SELECT process_instance_key::text FROM user_task WHERE element_id = 'decide-duplicate'`,
    );
    const instanceKey = rows[0].process_instance_key;
    await expect
      .poll(
        async () =>
          (
            await app.harness.kontor.engine.readRecords({
              processInstanceKey: instanceKey,
              limit: 1000,
            })
          ).some((r) => r.intent === 'ELEMENT_COMPLETED' && r.elementId === 'claim-handled'),
        { timeout: 15_000 },
      )
      .toBe(true);
    const records = await app.harness.kontor.engine.readRecords({
      processInstanceKey: instanceKey,
      limit: 1000,
    });
    const outcome = records.find((r) => r.valueType === 'VARIABLE' && r.value.name === 'outcome');
    expect(outcome?.value.value).toBe('"reject"');
    // and the child got the answer by e-mail, through the relay
    const [answer] = await sink.mailsTo('lotte@example.nl', 1);
    expect(answer.subject).toContain(`[${webReference}]`);
    expect(answer.text).toContain('schon an eine andere Stelle geschickt');

    // and the case file shows the claimant's two claims, the second marked as the duplicate
    await page.goto(`${app.harness.url}/#/cases`);
    await expect.poll(() => page.getByTestId('case-row').count()).toBe(2);
    const { rows: claims } = await app.harness.database.pool.query<{ reference: string }>(
      `SELECT reference FROM claim WHERE recipient_id = 'santa-claus'`,
    );
    await page.getByRole('button', { name: claims[0].reference }).click();
    await expect.poll(() => page.getByTestId('case-claim').count()).toBe(2);
    expect(await page.getByTestId('case-claim').nth(1).textContent()).toContain('duplicate claim');
    expect(await page.getByTestId('case-claim').nth(0).textContent()).toContain('decided (reject)');
    // with its tasks: the escalation decided by Knecht Ruprecht
    expect(await page.getByTestId('claim-tasks').nth(0).textContent()).toContain(
      'Decide on the duplicate claim (escalation) — done by ruprecht',
    );
    await saveScreenshot(page, 'duplicate-escalation-case-file');

    // when the mail room uploads the same list, scanned, for the Christkind
    const upload = await page.request.post(
      `${app.harness.url}/api/intake/scans?recipient=christkind&channel=post&filename=brief.pdf`,
      { headers: { 'content-type': 'application/pdf' }, data: await pdfWithText(LETTER) },
    );
    expect(upload.status()).toBe(201);

    // then it is escalated too, against the mailed claim
    await page.goto(`${app.harness.url}/#/tasks`);
    await expect.poll(() => taskRowsAfterReload(page), { timeout: 20_000 }).toBe(1);
    await page.getByRole('button', { name: 'Decide on the duplicate claim' }).click();
    await page.waitForSelector('#root_claimSummary');
    expect(await page.inputValue('#root_claimSummary')).toContain('to christkind by post');
    expect(await page.inputValue('#root_earlierClaimSummary')).toContain('Lotte de Vries');
    await page.close();
  }, 90_000);
});
