/**
 * One process instance through the hands of all three kinds of users, in Chromium: the analyst
 * models a process with a user task in the modeler and deploys and starts it; the caseworker
 * claims the task and completes it through its form (a validation error first); the auditor
 * sees the instance completed, its path highlighted, the form values in the variable history
 * and who did what in the record timeline.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUser } from '../../../engine/src/api/auth/users.repository.js';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { ANALYST, startWebApp, type WebAppFixture } from './web-app-fixture.js';

const CASEWORKER: NewUser = {
  username: 'carl',
  displayName: 'Carl Caseworker',
  password: 'works the claims',
  roles: ['caseworker'],
};

const AUDITOR: NewUser = {
  username: 'aud',
  displayName: 'Audrey Auditor',
  password: 'checks every step',
  roles: ['auditor'],
};

describe('web app: one instance, three roles', () => {
  let app: WebAppFixture;
  let page: Page;
  let instanceKey: string;

  beforeAll(async () => {
    app = await startWebApp([ANALYST, CASEWORKER, AUDITOR]);
    page = await app.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(15_000);
  });
  afterAll(() => app?.close());

  const status = () => page.getByRole('status').first().textContent();

  it('analyst: models a process with a user task and its form, deploys and starts it', async () => {
    await page.goto(`${app.harness.url}/#/processes`);
    await app.signIn(page, ANALYST.username, ANALYST.password);
    await page.getByLabel('New process name').fill('Claim check');
    await page.getByRole('button', { name: 'New process' }).click();
    await page.click('[data-element-id="start"]');
    await page.click('.djs-context-pad [data-action="append.append-task"]');
    await page.click('.djs-context-pad [data-action="replace"]');
    await page.click('[data-id="replace-with-user-task"]');
    const task = page.locator('.djs-shape[data-element-id^="Activity_"]');
    const taskId = (await task.getAttribute('data-element-id'))!;

    // the form: an external form reference, which the tasklist resolves to schemas/forms
    await page.waitForSelector('.djs-popup', { state: 'detached' });
    const box = (await task.boundingBox())!;
    // (the first click after the replace menu closes does not select; select another element first)
    await page.click('[data-element-id="start"]');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.inputValue('#bio-properties-panel-id')).toBe(taskId);
    const formGroup = page.locator('.bio-properties-panel-group-header:has-text("Form")').first();
    if (!(await page.locator('#bio-properties-panel-formType').isVisible()))
      await formGroup.click();
    await page.selectOption('#bio-properties-panel-formType', { label: 'External form reference' });
    await page.fill('#bio-properties-panel-externalReference', 'claim-review');
    await page.keyboard.press('Tab');

    await page.click('[data-element-id="start"]');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.click('.djs-context-pad [data-action="append.end-event"]');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect.poll(status).toBe('Deployed claim-check version 1');
    await saveScreenshot(page, 'three-roles-modeled');

    await page.goto(`${app.harness.url}/#/definitions`);
    await page.getByRole('button', { name: 'Start instance' }).first().click();
    await page
      .getByLabel('Variables (JSON)')
      .fill('{ "businessKey": "K-7", "approvedAmount": 300 }');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(status).toMatch(/^Started instance \d+$/);
    instanceKey = (await status())!.replace('Started instance ', '');
  });

  it('caseworker: claims the task and completes it through its form, after a validation error', async () => {
    // the tasklist takes the user task from the engine through its Zeebe client
    const taken = async () =>
      (
        await app.harness.database.pool.query(
          'SELECT 1 FROM user_task WHERE process_instance_key = $1',
          [instanceKey],
        )
      ).rowCount;
    await expect.poll(taken, { timeout: 20_000 }).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${app.harness.url}/#/tasks`);
    await app.signIn(page, CASEWORKER.username, CASEWORKER.password);
    // the task names no candidate groups: it is open to every caseworker, so in "my groups"
    expect(await page.getByLabel('My groups').isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('task-row').count()).toBe(1);
    await page.getByTestId('task-row').first().getByRole('button').first().click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => page.getByTestId('task-assignee').textContent()).toBe('carl');

    await page.selectOption('#root_decision', 'approve');
    await page.fill('#root_approvedAmount', '280');
    await page.fill('#root_comment', 'no');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await page.waitForSelector('.errors');
    expect(await page.locator('.errors').textContent()).toContain(
      'must NOT have fewer than 5 characters',
    );
    await saveScreenshot(page, 'three-roles-form-invalid');

    await page.fill('#root_comment', 'Invoice matches the claim');
    await page.getByRole('button', { name: 'Complete task' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Task completed');
  });

  it('auditor: sees the instance completed, its path, the form values and who did what', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${app.harness.url}/#/instances`);
    await app.signIn(page, AUDITOR.username, AUDITOR.password);
    await page.getByLabel('Business key').fill('K-7');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.locator('.instance-list tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    await rows.first().getByRole('button').click();

    await page.waitForSelector('[data-testid="instance-diagram"][data-ready="true"]');
    await expect.poll(() => page.getByTestId('instance-state').textContent()).toBe('COMPLETED');
    expect(
      await page.locator('[data-testid="instance-diagram"] .djs-connection.path-taken').count(),
    ).toBe(2);
    const history = page.getByRole('region', { name: 'Variable history' });
    await expect.poll(() => history.textContent()).toContain('Invoice matches the claim');
    expect(await history.textContent()).toContain('280');
    const timeline = page.getByRole('region', { name: 'Record timeline' });
    await expect.poll(() => timeline.textContent()).toContain('USER_ACTION');
    await saveScreenshot(page, 'three-roles-audit');

    // who did what, in the record chain
    const actions = (
      await app.harness.kontor.engine.readRecords({ processInstanceKey: instanceKey })
    )
      .filter((r) => r.valueType === 'USER_ACTION')
      .map((r) => `${String(r.value.user)} ${String(r.value.action)}`);
    expect(actions).toEqual([
      `${ANALYST.username} START_INSTANCE`,
      'carl CLAIM_TASK',
      'carl COMPLETE_TASK',
    ]);
  });
});
