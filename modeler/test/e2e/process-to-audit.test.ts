/**
 * From model to audit in Chromium: an analyst models a process in the modeler, deploys it
 * (first with a problem that the modeler marks on the element, then fixed), deploys a second
 * version and compares the two, starts an instance; a job worker completes its job; an auditor
 * finds the instance by its business key and sees its completed path on the diagram, the
 * variable history and the dashboard; an admin retries a failed job from its incident.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewUser } from '../../../engine/src/api/auth/users.repository.js';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { ANALYST, startWebApp, type WebAppFixture } from './web-app-fixture.js';

const AUDITOR: NewUser = {
  username: 'otto',
  displayName: 'Otto Auditor',
  password: 'audit all the things',
  roles: ['auditor'],
};

const ADMIN: NewUser = {
  username: 'ada',
  displayName: 'Ada Admin',
  password: 'keeps things running',
  roles: ['admin'],
};

describe('web app: from model to audit', () => {
  let app: WebAppFixture;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp([ANALYST, AUDITOR, ADMIN]);
    page = await app.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
  });
  afterAll(() => app?.close());

  const status = () => page.getByRole('status').first().textContent();
  const setJobType = async (type: string) => {
    const header = page.locator('.bio-properties-panel-group-header:has-text("Task definition")');
    if (!(await page.locator('#bio-properties-panel-taskDefinitionType').isVisible()))
      await header.click();
    await page.fill('#bio-properties-panel-taskDefinitionType', type);
    await page.keyboard.press('Tab');
  };

  it('analyst: models, sees a deploy problem on its element, deploys two versions', async () => {
    await page.goto(`${app.harness.url}/#/processes`);
    await app.signIn(page, ANALYST.username, ANALYST.password);
    await page.getByLabel('New process name').fill('Claim review');
    await page.getByRole('button', { name: 'New process' }).click();
    await page.click('[data-element-id="start"]');

    // a task appended to the start event, made a service task, but without a job type yet
    await page.click('.djs-context-pad [data-action="append.append-task"]');
    await page.click('.djs-context-pad [data-action="replace"]');
    await page.click('[data-id="replace-with-service-task"]');
    const task = page.locator('.djs-shape[data-element-id^="Activity_"]');
    const taskId = (await task.getAttribute('data-element-id'))!;

    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForSelector(`.djs-element.deploy-error[data-element-id="${taskId}"]`);
    const problems = page.getByRole('list', { name: 'Deploy problems' });
    await expect.poll(() => problems.textContent()).toContain(taskId);
    expect(await page.getByRole('alert').textContent()).toMatch(/Not deployed/);
    await saveScreenshot(page, 'deploy-problem-on-element');

    // fixed: a job type, and an end event after the task
    await page.click(`[data-element-id="${taskId}"]`);
    await setJobType('check-claim');
    await page.click(`[data-element-id="${taskId}"]`);
    await page.click('.djs-context-pad [data-action="append.end-event"]');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect.poll(status).toBe('Deployed claim-review version 1');
    expect(await page.locator('.djs-element.deploy-error').count()).toBe(0);

    // version 2 changes the job type
    await page.click(`[data-element-id="${taskId}"]`);
    await setJobType('check-claim-v2');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect.poll(status).toBe('Deployed claim-review version 2');

    // the diff of the two versions marks the changed task
    await page.goto(`${app.harness.url}/#/definitions`);
    await page.getByRole('button', { name: 'Compare with version 1' }).click();
    await page.waitForSelector('[data-testid="diff-to"][data-ready="true"]');
    expect(
      await page
        .locator(`[data-testid="diff-to"] .djs-element.diff-changed[data-element-id="${taskId}"]`)
        .count(),
    ).toBe(1);
    expect(await page.getByRole('list', { name: 'Differences' }).textContent()).toContain(
      `changed ${taskId} (extensionElements)`,
    );
    await saveScreenshot(page, 'process-version-diff');

    // an instance of version 2 with a business key
    await page.goto(`${app.harness.url}/#/definitions`);
    await page.getByRole('button', { name: 'Start instance' }).first().click();
    await page.getByLabel('Variables (JSON)').fill('{ "businessKey": "C-42", "amount": 120 }');
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect.poll(status).toMatch(/^Started instance \d+$/);
    await saveScreenshot(page, 'process-definitions');
  });

  it('a job worker completes the service task', async () => {
    const engine = app.harness.kontor.engine;
    const [job] = await engine.activateJobs({
      type: 'check-claim-v2',
      worker: 'e2e-worker',
      timeoutMs: 30_000,
      maxJobsToActivate: 1,
    });
    expect(job?.variables).toMatchObject({ businessKey: 'C-42', amount: 120 });
    await engine.completeJob(job!.key, { approved: true });
  });

  it('auditor: finds the instance and sees its completed path and variable history', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${app.harness.url}/#/instances`);
    await app.signIn(page, AUDITOR.username, AUDITOR.password);
    await page.getByLabel('Business key').fill('C-42');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.locator('.instance-list tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('claim-review v2');
    await rows.first().getByRole('button').click();

    await page.waitForSelector('[data-testid="instance-diagram"][data-ready="true"]');
    expect(await page.getByTestId('instance-state').textContent()).toBe('COMPLETED');
    const completed = await page
      .locator('[data-testid="instance-diagram"] .djs-element.path-completed')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-element-id')));
    expect(completed).toContain('start');
    expect(completed.some((id) => id?.startsWith('Activity_'))).toBe(true);
    expect(completed.some((id) => id?.startsWith('Event_'))).toBe(true);
    expect(
      await page.locator('[data-testid="instance-diagram"] .djs-connection.path-taken').count(),
    ).toBe(2);

    const history = page.getByRole('region', { name: 'Variable history' });
    await expect.poll(() => history.textContent()).toContain('approved');
    expect(await history.textContent()).toContain('"C-42"');
    const timeline = page.getByRole('region', { name: 'Record timeline' });
    await expect.poll(() => timeline.textContent()).toContain('JOB COMPLETED');
    await saveScreenshot(page, 'instance-completed-path');

    await page.goto(`${app.harness.url}/#/dashboard`);
    await page.waitForSelector('[data-testid="completed-chart"] rect[data-process="claim-review"]');
    expect(await page.getByTestId('running-instances').textContent()).toContain('0');
    await saveScreenshot(page, 'dashboard');
  });

  it('admin: sees the incident on its element and retries the job', async () => {
    const engine = app.harness.kontor.engine;
    const { processInstanceKey } = await engine.createProcessInstance({
      bpmnProcessId: 'claim-review',
      variables: { businessKey: 'C-43' },
    });
    const [job] = await engine.activateJobs({
      type: 'check-claim-v2',
      worker: 'e2e-worker',
      timeoutMs: 30_000,
      maxJobsToActivate: 1,
    });
    await engine.failJob(job!.key, { retries: 0, errorMessage: 'claims service unreachable' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${app.harness.url}/#/instances/${processInstanceKey}`);
    await app.signIn(page, ADMIN.username, ADMIN.password);
    await page.waitForSelector('[data-testid="instance-diagram"][data-ready="true"]');
    const incidentMarker = page.locator(
      '[data-testid="instance-diagram"] .djs-element.has-incident',
    );
    expect(await incidentMarker.getAttribute('data-element-id')).toMatch(/^Activity_/);
    const incidents = page.getByRole('region', { name: 'Incidents' });
    expect(await incidents.textContent()).toContain('claims service unreachable');
    await saveScreenshot(page, 'instance-incident');

    await incidents.getByRole('button', { name: 'Retry job and resolve' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/resolved$/);
    await expect.poll(() => incidents.textContent()).toContain('Open incidents (0)');
    await expect.poll(() => incidentMarker.count()).toBe(0);
    const [again] = await engine.activateJobs({
      type: 'check-claim-v2',
      worker: 'e2e-worker',
      timeoutMs: 30_000,
      maxJobsToActivate: 1,
    });
    expect(again?.processInstanceKey).toBe(processInstanceKey);
  });
});
