/**
 * Deleting a deployed process version in Chromium: the analyst deletes the latest of two
 * versions after confirming, and the list shows version 1 as the latest again; a version with a
 * running instance stays, and the server's reason is shown.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processBuilder } from '../../../engine/src/bpmn/process-builder.js';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { ANALYST, startWebApp, type WebAppFixture } from './web-app-fixture.js';

const claimProcess = (id: string, type: string) =>
  processBuilder(id).startEvent().serviceTask('check', { type }).endEvent().toXml();

describe('web app: deleting a process version', () => {
  let app: WebAppFixture;
  let page: Page;

  beforeAll(async () => {
    app = await startWebApp([ANALYST]);
    const engine = app.harness.kontor.engine;
    // given two versions of one process, and one version of another with an instance running
    await engine.deployResources([{ name: 'claim.bpmn', content: claimProcess('claim', 'v1') }]);
    await engine.deployResources([{ name: 'claim.bpmn', content: claimProcess('claim', 'v2') }]);
    await engine.deployResources([
      { name: 'refund.bpmn', content: claimProcess('refund', 'refund') },
    ]);
    await engine.createProcessInstance({ bpmnProcessId: 'refund' });
    page = await app.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(10_000);
    await page.goto(`${app.harness.url}/#/definitions`);
    await app.signIn(page, ANALYST.username, ANALYST.password);
  });
  afterAll(() => app?.close());

  const rowsOf = (process: string) => page.locator(`tbody tr[data-process="${process}"]`);
  const row = (process: string, version: number) =>
    page.locator(`tbody tr[data-process="${process}"][data-version="${version}"]`);

  it('deletes the latest version after confirming; version 1 is the latest again', async () => {
    await expect.poll(() => rowsOf('claim').count()).toBe(2);
    expect(await row('claim', 2).textContent()).toContain('(latest)');

    // when
    await row('claim', 2).getByRole('button', { name: 'Delete version 2' }).click();
    // one click only asks; keeping leaves the version alone
    await row('claim', 2).getByRole('button', { name: 'Keep' }).click();
    expect(await rowsOf('claim').count()).toBe(2);
    await row('claim', 2).getByRole('button', { name: 'Delete version 2' }).click();
    await row('claim', 2).getByRole('button', { name: 'Really delete version 2?' }).click();

    // then
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Deleted claim version 2');
    await expect.poll(() => rowsOf('claim').count()).toBe(1);
    expect(await row('claim', 1).textContent()).toContain('(latest)');
    await saveScreenshot(page, 'process-version-deleted');
  });

  it('keeps a version with a running instance and shows why', async () => {
    // when
    await row('refund', 1).getByRole('button', { name: 'Delete version 1' }).click();
    await row('refund', 1).getByRole('button', { name: 'Really delete version 1?' }).click();

    // then
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/has 1 running process instance; cancel or complete it first/);
    expect(await rowsOf('refund').count()).toBe(1);
    expect(await row('refund', 1).getByRole('button', { name: 'Delete version 1' }).count()).toBe(
      1,
    );
    await saveScreenshot(page, 'process-version-delete-refused');
  });
});
