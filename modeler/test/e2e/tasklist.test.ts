/**
 * A caseworker works a user task in a real Chromium against a real Kontor: the process is
 * deployed and started through the engine (as the analyst's deploy would), the tasklist takes
 * the user task through the Zeebe client, and the caseworker claims it, fails the form's
 * validation once, then completes it — and the engine's records show the job completed with
 * the form's values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUser } from '../../../engine/src/api/auth/users.repository.js';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import {
  reviewProcessWithDiagramXml,
  startInstances,
  waitForTasks,
} from '../../../engine/src/tasklist/testing/user-task-fixtures.js';
import { startWebApp, type WebAppFixture } from './web-app-fixture.js';

const CASEWORKER: NewUser = {
  username: 'cas',
  displayName: 'Cas Caseworker',
  password: 'claims all day',
  roles: ['caseworker'],
  candidateGroups: ['claims-north'],
};

describe('web app: tasklist', () => {
  let app: WebAppFixture;

  beforeAll(async () => {
    app = await startWebApp([CASEWORKER]);
  });
  afterAll(() => app?.close());

  it('claims a task, refuses invalid form values, completes it, and the instance goes on', async () => {
    // given: a claim-review process with one started instance, its task taken by the tasklist
    const engine = app.harness.kontor.engine;
    await engine.deployResources([
      { name: 'claim-handling.bpmn', content: reviewProcessWithDiagramXml('claim-handling') },
    ]);
    const [instanceKey] = await startInstances(engine, 'claim-handling', [
      { claimNo: 'C-42', approvedAmount: 1200 },
    ]);
    const [jobKey] = await waitForTasks(app.harness.database.pool, [instanceKey]);

    // the caseworker sees it in "my groups"
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${app.harness.url}/#/tasks`);
    await app.signIn(page, CASEWORKER.username, CASEWORKER.password);
    await expect.poll(() => page.getByTestId('task-row').count()).toBe(1);
    await expect.poll(() => page.getByTestId('task-count').textContent()).toBe('1–1 of 1');
    await saveScreenshot(page, 'tasklist');

    // the task page: form prefilled from the instance, diagram with the current step
    await page.getByRole('button', { name: 'Review the claim' }).click();
    await page.waitForSelector('[data-element-id="review"].current-step');
    expect(await page.inputValue('#root_approvedAmount')).toBe('1200');

    // claim
    await page.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => page.getByTestId('task-assignee').textContent()).toBe('cas');

    // a validation error first: the comment is too short, the amount negative
    await page.selectOption('#root_decision', 'approve');
    await page.fill('#root_approvedAmount', '-5');
    await page.fill('#root_comment', 'ok');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.waitForSelector('.errors');
    const errors = await page.locator('.errors').textContent();
    expect(errors).toContain('must NOT have fewer than 5 characters');
    expect(errors).toContain('must be >= 0');
    await saveScreenshot(page, 'task-form-invalid');
    expect(
      (
        await app.harness.database.pool.query('SELECT state FROM user_task WHERE job_key = $1', [
          jobKey,
        ])
      ).rows[0].state,
    ).toBe('open');

    // then valid values
    await page.fill('#root_approvedAmount', '950.5');
    await page.fill('#root_comment', 'Receipts checked, one item not covered');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Task completed');
    await expect.poll(() => page.getByTestId('task-state').textContent()).toBe('completed');
    await saveScreenshot(page, 'task-completed');

    // the task is gone from the open tasks
    await page.getByRole('button', { name: '← Back to tasks' }).click();
    await expect
      .poll(() => page.locator('.task-list .empty').textContent())
      .toBe('No tasks match.');
    await saveScreenshot(page, 'tasklist-after-completion');

    // and the engine completed the job with the form's values, and the instance its end event
    const records = await engine.readRecords({ processInstanceKey: instanceKey, limit: 1000 });
    const completed = records.find((r) => r.valueType === 'JOB' && r.intent === 'COMPLETED');
    expect(completed?.key).toBe(jobKey);
    expect(completed?.value.variables).toEqual({
      decision: 'approve',
      approvedAmount: 950.5,
      comment: 'Receipts checked, one item not covered',
    });
    expect(
      records.some(
        (r) =>
          r.valueType === 'PROCESS_INSTANCE' &&
          r.intent === 'ELEMENT_COMPLETED' &&
          r.elementId === 'claim-handling',
      ),
    ).toBe(true);
    await page.close();
  }, 60_000);
});
