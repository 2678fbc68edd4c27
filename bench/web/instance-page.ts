/**
 * The instance page of an instance with 5,000 records (issue 7: opens in < 1 s), measured in
 * Chromium against a Kontor as `npm start` runs it: embedded PostgreSQL with default settings
 * (fsync on) in a fresh data directory, the built web app.
 *
 * The records are real: one instance of a loop process (an exclusive gateway, a service task
 * back to the gateway) whose job a worker completes until the instance has 5,000 records, next
 * to 2,000 other instances so that the tables are not empty around it.
 *
 * Figure:
 * - `instancePageMs`: median from navigating to `#/instances/<key>` until the diagram is drawn
 *   with its markers and the first page of the record timeline is on screen.
 *
 * Part of `npm run bench:web` (`benchInstancePage()`); alone: `npx tsx bench/web/instance-page.ts`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { UsersRepository } from '../../engine/src/api/auth/users.repository.js';
import { processBuilder } from '../../engine/src/bpmn/process-builder.js';
import { loadConfig } from '../../engine/src/config/config.js';
import { startKontor, type RunningKontor } from '../../engine/src/kontor.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { launchBrowser } from '../../engine/src/testing/browser.js';
import { freePort } from '../../engine/src/testing/free-port.js';
import { percentile, printFigures, printTable, round } from '../support/report.js';

export interface InstancePageFigures {
  /** median of navigation → diagram with markers and record timeline on screen, ms */
  readonly instancePageMs: number;
  /** records of the measured instance */
  readonly records: number;
}

const USER = { username: 'bench-aud', password: 'bench password 1' };

/** The loop, with a diagram (BPMNDI) so that the page draws it. */
const LOOP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench-loop-definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="bench-loop" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:exclusiveGateway id="more" default="more-done" />
    <bpmn:serviceTask id="work">
      <bpmn:extensionElements><zeebe:taskDefinition type="bench-loop-work" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:endEvent id="done" />
    <bpmn:sequenceFlow id="start-more" sourceRef="start" targetRef="more" />
    <bpmn:sequenceFlow id="more-work" sourceRef="more" targetRef="work">
      <bpmn:conditionExpression>=n &lt; 100000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="work-more" sourceRef="work" targetRef="more" />
    <bpmn:sequenceFlow id="more-done" sourceRef="more" targetRef="done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram">
    <bpmndi:BPMNPlane id="plane" bpmnElement="bench-loop">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="more_di" bpmnElement="more"><dc:Bounds x="200" y="93" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="work_di" bpmnElement="work"><dc:Bounds x="175" y="200" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="done_di" bpmnElement="done"><dc:Bounds x="320" y="100" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="start-more_di" bpmnElement="start-more"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="more-work_di" bpmnElement="more-work"><di:waypoint x="215" y="143" /><di:waypoint x="215" y="200" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="work-more_di" bpmnElement="work-more"><di:waypoint x="235" y="200" /><di:waypoint x="235" y="143" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="more-done_di" bpmnElement="more-done"><di:waypoint x="250" y="118" /><di:waypoint x="320" y="118" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

/** Works the loop until the instance has `records` records, then lets it end. */
async function growInstance(kontor: RunningKontor, records: number): Promise<string> {
  const { processInstanceKey } = await kontor.engine.createProcessInstance({
    bpmnProcessId: 'bench-loop',
    variables: { n: 0, businessKey: 'BENCH-1' },
  });
  const count = async () =>
    (
      await kontor.database.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM engine_record WHERE process_instance_key = $1',
        [processInstanceKey],
      )
    ).rows[0].n;
  for (let n = 1; ; n += 1) {
    const [job] = await kontor.engine.activateJobs({
      type: 'bench-loop-work',
      worker: 'bench',
      timeoutMs: 60_000,
      maxJobsToActivate: 1,
    });
    if (!job) throw new Error('the loop has no job to work');
    const done = n % 10 === 0 && (await count()) >= records - 12;
    await kontor.engine.completeJob(job.key, { n: done ? 100_000 : n });
    if (done) return processInstanceKey;
  }
}

export async function benchInstancePage(
  options: { records?: number; browser?: Browser } = {},
): Promise<InstancePageFigures> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-bench-instance-'));
  // the embedded server runs as OS user postgres, which must reach the data directory
  await fs.chmod(dataDir, 0o755);
  const kontor = await startKontor(
    loadConfig({
      KONTOR_DATA_DIR: dataDir,
      KONTOR_HOST: '127.0.0.1',
      KONTOR_HTTP_PORT: String(await freePort()),
      KONTOR_GATEWAY_PORT: String(await freePort()),
      KONTOR_EMBEDDED_POSTGRES_PORT: String(await freePort()),
    }),
    silentLogger(),
  );
  const browser = options.browser ?? (await launchBrowser());
  try {
    await new UsersRepository(kontor.database.pool).create({ ...USER, roles: ['auditor'] });
    await kontor.engine.deployResources([
      { name: 'bench-loop.bpmn', content: LOOP_XML },
      {
        name: 'bench-other.bpmn',
        content: processBuilder('bench-other')
          .startEvent()
          .serviceTask('wait', { type: 'bench-other' })
          .endEvent()
          .toXml(),
      },
    ]);
    for (let i = 0; i < 2_000; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          kontor.engine.createProcessInstance({
            bpmnProcessId: 'bench-other',
            variables: { businessKey: `OTHER-${i + j}` },
          }),
        ),
      );
    }
    const key = await growInstance(kontor, options.records ?? 5_000);
    const { rows } = await kontor.database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM engine_record WHERE process_instance_key = $1',
      [key],
    );
    await kontor.database.pool.query('ANALYZE');

    const url = `http://127.0.0.1:${kontor.httpPort}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/#/dashboard`);
    await page.getByLabel('Username').fill(USER.username);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('running-instances').waitFor();

    const times: number[] = [];
    for (let run = 0; run < 7; run += 1) {
      await page.goto(`${url}/#/dashboard`);
      await page.getByTestId('running-instances').waitFor();
      const started = performance.now();
      await page.goto(`${url}/#/instances/${key}`);
      await page.locator('[data-testid="instance-diagram"][data-ready="true"]').waitFor();
      await page.locator('section[aria-label="Record timeline"] tbody tr').first().waitFor();
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
      times.push(performance.now() - started);
    }
    await page.close();
    return { instancePageMs: round(percentile(times, 50)), records: rows[0].n };
  } finally {
    if (!options.browser) await browser.close();
    await kontor.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchInstancePage();
  printTable(`Instance page of an instance with ${figures.records} records`, [
    ['navigation → diagram and timeline, median', `${figures.instancePageMs} ms (target < 1 s)`],
  ]);
  printFigures({ instancePageMs: figures.instancePageMs });
}
