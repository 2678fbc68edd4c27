/**
 * An analyst builds a small decision in the rule editor in Chromium: typed cells (a list of
 * strings as chips, a number range), the hit policy guard rails, undo and redo, a CSV run in the
 * test bench that shows UNIQUE overlaps and a row that differs from what it expected; then saves
 * and deploys it, and a process's business rule task calls the deployed decision.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScreenshot } from '../../../engine/src/testing/browser.js';
import { PARTNER_ASSIGNMENT } from '../../src/rules/__fixtures__/camunda-modeler-files.js';
import { ANALYST, startWebApp, type WebAppFixture } from './web-app-fixture.js';

const CASES = [
  'region,amount,partner',
  'north,500,Nordhaus',
  'south,20000,Expert Partners',
  'west,100,Allround AG',
  'north,50000,Nordhaus',
  'east,50,Nordhaus',
].join('\n');

const ASSIGN_PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="assign-defs" targetNamespace="http://kontor.dev/test">
  <bpmn:process id="assign-partner" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:businessRuleTask id="decide" name="Assign partner">
      <bpmn:extensionElements>
        <zeebe:calledDecision decisionId="partnerAssignment" resultVariable="partner" />
      </bpmn:extensionElements>
    </bpmn:businessRuleTask>
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe('web app: rule editor', () => {
  let app: WebAppFixture;

  beforeAll(async () => {
    app = await startWebApp([ANALYST]);
  });
  afterAll(() => app?.close());

  it('builds a decision with typed cells, runs it on a CSV, saves and deploys it for a business rule task', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    page.setDefaultTimeout(8_000);
    await page.goto(`${app.harness.url}/#/rules`);
    await app.signIn(page, ANALYST.username, ANALYST.password);

    // a new decision opens in the editor, on the graph and as a table
    await page.getByLabel('New decision name').fill('Partner assignment');
    await page.getByRole('button', { name: 'New decision' }).click();
    await page.waitForSelector('.drg-decision');
    await expect
      .poll(() => page.locator('.drg-decision').textContent())
      .toContain('Partner assignment');

    // columns: Region (string), Amount (number) → Partner (string)
    await page.getByLabel('Input 1 label').fill('Region');
    await page.getByLabel('Input 1 expression').fill('region');
    await page.getByRole('button', { name: 'Add input column' }).click();
    await page.getByLabel('Input 2 label').fill('Amount');
    await page.getByLabel('Input 2 expression').fill('amount');
    await page.getByLabel('Input 2 type').selectOption('number');
    await page.getByLabel('Output 1 label').fill('Partner');
    await page.getByLabel('Output 1 name').fill('partner');

    // rule 1: region is one of the chips "north" → Nordhaus
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('button', { name: 'Rule 1 Region' }).click();
    await page.getByRole('radio', { name: 'Values' }).check();
    await page.getByLabel('Add value').fill('north');
    await page.getByLabel('Add value').press('Enter');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Rule 1 Partner', { exact: true }).fill('Nordhaus');

    // rule 2: amount from 10000 (included) → Expert Partners
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('button', { name: 'Rule 2 Amount' }).click();
    await page.getByRole('radio', { name: 'Range' }).check();
    await page.getByLabel('From', { exact: true }).fill('10000');
    await page.getByLabel('Include from').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Rule 2 Partner', { exact: true }).fill('Expert Partners');

    // rule 3 duplicates rule 2, undo takes it back, redo brings it again; then it becomes the
    // catch-all rule: any region, any amount → Allround AG
    await page.getByRole('button', { name: 'Duplicate rule 2' }).click();
    await expect.poll(() => page.locator('.rules-grid tbody tr').count()).toBe(3);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator('.rules-grid tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => page.locator('.rules-grid tbody tr').count()).toBe(3);
    await page.getByRole('button', { name: 'Rule 3 Amount' }).click();
    await page.getByRole('radio', { name: 'Any (-)' }).check();
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByLabel('Rule 3 Partner', { exact: true }).fill('Allround AG');
    expect(await page.getByRole('button', { name: 'Rule 2 Amount' }).textContent()).toBe('≥ 10000');
    expect(await page.getByRole('button', { name: 'Rule 1 Region' }).textContent()).toBe('north');

    // a deleted rule comes back with Ctrl+Z
    await page.getByRole('button', { name: 'Delete rule 1' }).click();
    await expect.poll(() => page.locator('.rules-grid tbody tr').count()).toBe(2);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.rules-grid tbody tr').count()).toBe(3);
    expect(await page.getByRole('button', { name: 'Rule 1 Region' }).textContent()).toBe('north');

    // guard rail: PRIORITY needs output values
    await page.getByLabel('Hit policy').selectOption('PRIORITY');
    await expect
      .poll(() => page.locator('.guard').first().textContent())
      .toContain("PRIORITY ranks results by the outputs' values");
    expect(await page.getByLabel('Hit policy').inputValue()).toBe('UNIQUE');
    expect(await page.getByLabel('Aggregation').isDisabled()).toBe(true);

    // the CSV under UNIQUE: the overlapping rules are flagged
    const csvFile = { name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(CASES) };
    await page.setInputFiles('input[aria-label="CSV file"]', csvFile);
    await expect
      .poll(() => page.getByLabel('Overlapping rules').textContent())
      .toContain('row 1: rules 1 and 3');

    // under FIRST every row but the last is as expected; the last differs
    await page.getByLabel('Hit policy').selectOption('FIRST');
    await page.setInputFiles('input[aria-label="CSV file"]', csvFile);
    await expect
      .poll(() => page.getByLabel('CSV summary').textContent())
      .toBe('4 of 5 rows as expected');
    const rows = page.getByLabel('CSV results').locator('tbody tr');
    expect(await rows.nth(1).locator('td').nth(5).textContent()).toBe('2'); // rules fired
    expect(await rows.nth(4).getAttribute('class')).toBe('differs');
    expect(await rows.nth(4).locator('td').last().textContent()).toBe('differs: partner');
    await saveScreenshot(page, 'rule-editor-test-bench');

    // the sample form runs one case
    await page.getByLabel('region', { exact: true }).fill('south');
    await page.getByLabel('amount', { exact: true }).fill('12000');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect
      .poll(() => page.getByLabel('Sample result').textContent())
      .toBe('Result: Expert Partners — rules fired: 2');

    // saved as standard DMN 1.3 with DMNDI
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved revision 2');
    const { rows: drafts } = await app.harness.database.pool.query<{ dmn_xml: string }>(
      'SELECT dmn_xml FROM decision_draft',
    );
    const xml = drafts[0].dmn_xml;
    expect(xml).toContain('xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"');
    expect(xml).toContain('<decisionTable id="');
    expect(xml).toContain('hitPolicy="FIRST"');
    expect(xml).toContain('<text>"north"</text>');
    expect(xml).toContain('<text>&gt;= 10000</text>');
    expect(xml).toMatch(/<dmndi:DMNShape id="\w+" dmnElementRef="partnerAssignment">/);

    // deployed, and listed with its version
    await page.getByRole('button', { name: 'Deploy' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe('Deployed partnerAssignment version 1');
    await saveScreenshot(page, 'rule-editor');
    await page.getByRole('button', { name: '← Rules' }).click();
    await expect
      .poll(() => page.getByLabel('Deployed decisions').locator('tbody tr').first().textContent())
      .toMatch(/^partnerAssignmentPartner assignment1v1/);

    // a business rule task of a process calls the deployed decision
    const engine = app.harness.kontor.engine;
    await engine.deployResources([{ name: 'assign-partner.bpmn', content: ASSIGN_PROCESS }]);
    const done = await engine.createProcessInstanceWithResult({
      bpmnProcessId: 'assign-partner',
      variables: { region: 'east', amount: 25_000 },
    });
    expect(done.variables).toMatchObject({ partner: 'Expert Partners' });
    await page.close();
  });

  it('opens a file from Camunda Modeler, edits one rule and saves it without losing the rest', async () => {
    const page = await app.browser.newPage({ viewport: { width: 1500, height: 1100 } });
    page.setDefaultTimeout(8_000);
    await page.goto(`${app.harness.url}/#/rules`);
    await app.signIn(page, ANALYST.username, ANALYST.password);

    // imported as a new draft: the graph shows both decisions and both input data
    await page.setInputFiles('input[aria-label="DMN file"]', {
      name: 'partner-assignment.dmn',
      mimeType: 'application/xml',
      buffer: Buffer.from(PARTNER_ASSIGNMENT),
    });
    await expect.poll(() => page.locator('.drg-decision').count()).toBe(2);
    expect(await page.locator('.drg-input').count()).toBe(2);
    // three information requirements, and the knowledge requirement of the read-only BKM (the
    // edges are drawn once the nodes are measured, a frame after the nodes)
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
    expect(await page.locator('.drg-other').textContent()).toBe(
      'business knowledge modelRisk policy',
    );

    // the required decision is chosen on the canvas and one of its rules edited
    await page.locator('.drg-decision', { hasText: 'Claim risk' }).click();
    expect(await page.getByRole('button', { name: 'Rule 1 Amount' }).textContent()).toBe('< 10000');
    await page.getByRole('button', { name: 'Rule 1 Amount' }).click();
    await page.getByLabel('To', { exact: true }).fill('5000');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved revision 2');
    await saveScreenshot(page, 'rule-editor-camunda-file');

    const { rows } = await app.harness.database.pool.query<{ dmn_xml: string }>(
      "SELECT dmn_xml FROM decision_draft WHERE name = 'Partner assignment' AND revision = 2",
    );
    const xml = rows[0].dmn_xml;
    expect(xml).toContain('<text>&lt; 5000</text>');
    for (const kept of [
      '<description>Nordhaus takes every northern claim</description>',
      '<businessKnowledgeModel id="riskPolicy" name="Risk policy">',
      'kontor:owner="claims-team"',
      '<association id="Association_0s1">',
      'modeler:executionPlatform="Camunda Cloud"',
    ]) {
      expect(xml).toContain(kept);
    }
    expect(xml.match(/<rule id=/g)).toHaveLength(5);
    await page.close();
  });
});
