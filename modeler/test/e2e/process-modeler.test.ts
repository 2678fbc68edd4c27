/**
 * An analyst models a process in the real bpmn-js modeler in Chromium: new draft, a service
 * task with a job type set in the Zeebe properties panel, saved as a new revision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { ANALYST, startWebApp, type WebAppFixture } from './web-app-fixture.js';

describe('web app: process modeler', () => {
  let app: WebAppFixture;

  beforeAll(async () => {
    app = await startWebApp([ANALYST]);
  });
  afterAll(() => app?.close());

  it('creates a draft, adds a service task with a job type, and saves it', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(8_000);
    await page.goto(`${app.harness.url}/#/processes`);
    await app.signIn(page, ANALYST.username, ANALYST.password);

    // a new process opens in the modeler with its start event
    await page.getByLabel('New process name').fill('Claim intake');
    await page.getByRole('button', { name: 'New process' }).click();
    await page.waitForSelector('[data-element-id="start"]');

    // a task from the palette, turned into a service task through the context pad
    await page.click('.djs-palette [data-action="create.task"]');
    const canvas = (await page.getByTestId('bpmn-canvas').boundingBox())!;
    await page.mouse.click(canvas.x + 450, canvas.y + 250);
    await page.click('.djs-context-pad [data-action="replace"]');
    await page.click('[data-id="replace-with-service-task"]');

    // its job type set in the Zeebe properties panel
    await page.click('.bio-properties-panel-group-header:has-text("Task definition")');
    await page.fill('#bio-properties-panel-taskDefinitionType', 'check-claim');
    await page.keyboard.press('Tab');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved revision 2');
    await saveScreenshot(page, 'process-modeler');

    // the saved BPMN carries the service task and its Zeebe job type
    const { rows } = await app.harness.database.pool.query<{ bpmn_xml: string; revision: number }>(
      'SELECT bpmn_xml, revision FROM process_draft',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].revision).toBe(2);
    expect(rows[0].bpmn_xml).toMatch(/<bpmn:serviceTask id="[^"]+"/);
    expect(rows[0].bpmn_xml).toContain('<zeebe:taskDefinition type="check-claim" />');
    expect(rows[0].bpmn_xml).toContain(
      '<bpmn:process id="claim-intake" name="Claim intake" isExecutable="true">',
    );
    await page.close();
  });
});
