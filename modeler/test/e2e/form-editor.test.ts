/**
 * An analyst builds a user-task form in the form editor of a real Chromium against a real
 * Kontor — a required text field, a number with a minimum, and a text field shown only for large
 * amounts — sees it in the live preview, saves and deploys it; a process whose user task names
 * the form key is deployed and started; a caseworker completes the task with the deployed form,
 * failing its validation first. The engine's records show the job completed with the form's
 * values, and the analyst sees which process version uses the form.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUser } from '../../../engine/src/api/auth/users.repository.js';
import { processBuilder } from '../../../engine/src/bpmn/process-builder.js';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import {
  startInstances,
  waitForTasks,
} from '../../../engine/src/tasklist/testing/user-task-fixtures.js';
import { ANALYST, startWebApp, type WebAppFixture } from './web-app-fixture.js';

const CASEWORKER: NewUser = {
  username: 'cas',
  displayName: 'Cas Caseworker',
  password: 'claims all day',
  roles: ['caseworker'],
  candidateGroups: ['expenses'],
};

/** Fills the selected field's properties panel. */
async function setProperty(page: Page, label: string, value: string) {
  await page.locator('.field-properties').getByLabel(label, { exact: true }).fill(value);
}

describe('web app: form editor', () => {
  let app: WebAppFixture;

  beforeAll(async () => {
    app = await startWebApp([ANALYST, CASEWORKER]);
  });
  afterAll(() => app?.close());

  it('builds a form, deploys it, and a caseworker completes a user task with it', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.setDefaultTimeout(15_000);

    // given: the analyst starts a new form
    await page.goto(`${app.harness.url}/#/forms`);
    await app.signIn(page, ANALYST.username, ANALYST.password);
    await page.getByLabel('Form key').fill('expense-claim');
    await page.getByLabel('Form title').fill('Expense claim');
    await page.getByRole('button', { name: 'New form' }).click();
    await page.waitForSelector('.form-editor');

    // when: a required text field, a number with a minimum, and a conditional text field
    await page.getByRole('button', { name: 'Add Text' }).click();
    await setProperty(page, 'Label', 'Claim number');
    await setProperty(page, 'Variable name', 'claimNo');
    await page.locator('.field-properties').getByLabel('Required').check();

    await page.getByRole('button', { name: 'Add Number' }).click();
    await setProperty(page, 'Label', 'Amount');
    await setProperty(page, 'Variable name', 'amount');
    await setProperty(page, 'Minimum', '1');

    await page.getByRole('button', { name: 'Add Text' }).click();
    await setProperty(page, 'Label', 'Reason for a large amount');
    await setProperty(page, 'Variable name', 'reason');
    await page.locator('.field-properties').getByLabel('Required').check();
    await page.getByLabel('Show only when').selectOption('amount');
    await page.getByLabel('Condition').selectOption('atLeast');
    await setProperty(page, 'Value', '1000');

    // then the preview shows the reason only for large amounts
    const preview = page.locator('.form-preview');
    await preview.locator('#root_claimNo').waitFor();
    expect(await preview.locator('#root_reason').count()).toBe(0);
    await preview.locator('#root_amount').fill('1500');
    await preview.locator('#root_reason').waitFor();
    await saveScreenshot(page, 'form-editor');
    await preview.locator('#root_amount').fill('20');
    await expect.poll(() => preview.locator('#root_reason').count()).toBe(0);

    // moving a field and back, deleting one: the editor keeps the order it shows
    await page.getByRole('button', { name: 'Add Checkbox' }).click();
    await page.getByRole('button', { name: 'Move Checkbox up' }).click();
    await expect
      .poll(() => page.locator('.field-tree .field-select strong').allTextContents())
      .toEqual(['Claim number', 'Amount', 'Checkbox', 'Reason for a large amount']);
    await page.getByRole('button', { name: 'Delete Checkbox' }).click();
    await expect
      .poll(() => page.locator('.field-tree .field-select strong').allTextContents())
      .toEqual(['Claim number', 'Amount', 'Reason for a large amount']);

    // saved and deployed
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved (revision 2)');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe('Deployed expense-claim version 1');
    await saveScreenshot(page, 'form-editor-deployed');

    // given: a process whose user task names the form key, with one instance
    const engine = app.harness.kontor.engine;
    await engine.deployResources([
      {
        name: 'expense-handling.bpmn',
        content: processBuilder('expense-handling')
          .startEvent()
          .userTask('check', {
            name: 'Check the expense claim',
            formKey: 'expense-claim',
            candidateGroups: 'expenses',
          })
          .endEvent()
          .toXml(),
      },
    ]);
    const [instanceKey] = await startInstances(engine, 'expense-handling', [{}]);
    const [jobKey] = await waitForTasks(app.harness.database.pool, [instanceKey]);

    // the analyst sees the process version that uses the form
    await page.goto(`${app.harness.url}/#/forms/usage`);
    const usage = page.locator(
      '[data-form-key="expense-claim"] [data-testid="form-usage-process"]',
    );
    await expect.poll(() => usage.count()).toBe(1);
    expect(await usage.textContent()).toContain('expense-handling');
    expect(await usage.textContent()).toContain('Check the expense claim');
    await saveScreenshot(page, 'form-usage');
    await page.getByRole('button', { name: 'Sign out' }).click();

    // when: the caseworker opens and claims the task
    await page.goto(`${app.harness.url}/#/tasks/${jobKey}`);
    await app.signIn(page, CASEWORKER.username, CASEWORKER.password);
    await page.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => page.getByTestId('task-assignee').textContent()).toBe('cas');

    // a validation error first: the amount below the minimum
    await page.fill('#root_claimNo', 'EX-7');
    await page.fill('#root_amount', '0');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.waitForSelector('.errors');
    expect(await page.locator('.errors').textContent()).toContain('must be >= 1');

    // a large amount asks for the reason, which is required
    await page.fill('#root_amount', '2500');
    await page.locator('#root_reason').waitFor();
    await page.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => page.locator('.errors').textContent()).toMatch(/required property/);
    await saveScreenshot(page, 'form-task-invalid');
    expect(
      (
        await app.harness.database.pool.query('SELECT state FROM user_task WHERE job_key = $1', [
          jobKey,
        ])
      ).rows[0].state,
    ).toBe('open');

    // then with the reason the task completes
    await page.fill('#root_reason', 'Conference travel, approved by the team lead');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Task completed');
    await saveScreenshot(page, 'form-task-completed');

    const records = await engine.readRecords({ processInstanceKey: instanceKey, limit: 1000 });
    const completed = records.find((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED');
    expect(completed?.key).toBe(jobKey);
    expect(completed?.value.variables).toEqual({
      claimNo: 'EX-7',
      amount: 2500,
      reason: 'Conference travel, approved by the team lead',
    });
    await page.close();
  }, 90_000);

  it('every kind of the palette shows in the preview, and a saved draft opens again as it was built', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1200 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.harness.url}/#/forms`);
    await app.signIn(page, ANALYST.username, ANALYST.password);
    await page.getByLabel('Form key').fill('all-kinds');
    await page.getByRole('button', { name: 'New form' }).click();
    await page.waitForSelector('.form-editor');

    // given: one field of each kind; the palette adds into the selected section or group, so
    // the repeating group goes into the section and a text field into the group
    for (const kind of ['Text', 'Number', 'Date', 'Select', 'Checkbox', 'File', 'Section']) {
      await page.getByRole('button', { name: `Add ${kind}` }).click();
    }
    await page.getByRole('button', { name: 'Add Repeating group' }).click();
    await page.getByRole('button', { name: 'Add Text' }).click();
    await setProperty(page, 'Label', 'Item');
    const preview = page.locator('.form-preview');
    for (const id of ['text1', 'number2', 'date3', 'select4', 'checkbox5', 'file6']) {
      await preview.locator(`#root_${id}`).waitFor();
    }
    expect(await preview.locator('input[type="file"]').count()).toBe(1);
    await preview.locator('button.btn-add').click();
    await preview.locator('#root_section7_group1_0_text1').fill('Hotel');
    expect(await preview.locator('.error').count()).toBe(0);
    await saveScreenshot(page, 'form-editor-all-kinds');

    // when: saved and opened again
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved (revision 2)');
    const before = await page.locator('.field-tree .field-select').allTextContents();
    await page.reload();
    await page.waitForSelector('.form-editor');

    // then
    expect(await page.locator('.field-tree .field-select').allTextContents()).toEqual(before);
    expect(before).toHaveLength(9);
    await page.close();
  }, 60_000);
});
