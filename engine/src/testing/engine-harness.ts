/**
 * An engine on its own test database, for scenario tests of processes:
 *
 *   const harness = await startEngineHarness();
 *   await harness.deploy(processBuilder('p').startEvent().endEvent().toXml());
 *   const { processInstanceKey } = await harness.engine.createProcessInstance({ bpmnProcessId: 'p' });
 *   expect(await harness.intents(processInstanceKey)).toContain('PROCESS_INSTANCE ELEMENT_COMPLETED p');
 *
 * The clock is controllable (`advance`), due work runs only when `runDueWork` is called, so
 * timeouts and back-offs are tested without waiting.
 */
import { silentLogger } from '../logging/logger.js';
import { Engine, type EngineOptions } from '../runtime/engine.js';
import type { ActivatedJob } from '../gateway/gateway-engine.js';
import type { EngineRecord } from '../runtime/records.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface EngineHarness {
  readonly engine: Engine;
  readonly database: TestDatabase;
  /** current time of the harness clock, ms since the epoch */
  now(): number;
  advance(ms: number): void;
  deploy(...xml: string[]): ReturnType<Engine['deployResources']>;
  /** deploys a process and starts an instance of it */
  start(
    xml: string,
    variables?: Record<string, unknown>,
  ): ReturnType<Engine['createProcessInstance']>;
  /** activates every job of a type and completes each with the variables; returns the jobs */
  completeJobs(type: string, variables?: Record<string, unknown>): Promise<ActivatedJob[]>;
  /** whether the element (or the process, by its id) completed in an instance */
  completed(processInstanceKey: string, elementId: string): Promise<boolean>;
  records(processInstanceKey?: string): Promise<EngineRecord[]>;
  /** "VALUE_TYPE INTENT elementId" per record of an instance, in order */
  intents(processInstanceKey: string): Promise<string[]>;
  /** a fresh engine on the same database, as after a restart */
  restart(): Promise<Engine>;
  stop(): Promise<void>;
}

export async function startEngineHarness(
  options: Partial<EngineOptions> = {},
): Promise<EngineHarness> {
  const database = await createTestDatabase();
  let time = Date.parse('2026-01-05T09:00:00Z');
  const start = () =>
    Engine.start({
      pool: database.pool,
      logger: silentLogger(),
      clock: { now: () => time },
      dueWorkIntervalMs: 0,
      ...options,
    });
  let engine = await start();
  const harness: EngineHarness = {
    get engine() {
      return engine;
    },
    database,
    now: () => time,
    advance(ms) {
      time += ms;
    },
    deploy: (...xml) =>
      engine.deployResources(
        xml.map((content, index) => ({ name: `process-${index}.bpmn`, content })),
      ),
    async start(xml, variables = {}) {
      const deployed = await harness.deploy(xml);
      const bpmnProcessId = deployed.processes[0]?.bpmnProcessId ?? '';
      return engine.createProcessInstance({ bpmnProcessId, variables });
    },
    async completeJobs(type, variables = {}) {
      const jobs = await engine.activateJobs({
        type,
        worker: 'test',
        timeoutMs: 60_000,
        maxJobsToActivate: 100,
      });
      for (const job of jobs) await engine.completeJob(job.key, variables);
      return jobs;
    },
    async completed(processInstanceKey, elementId) {
      return (await harness.intents(processInstanceKey)).includes(
        `PROCESS_INSTANCE ELEMENT_COMPLETED ${elementId}`,
      );
    },
    records: (processInstanceKey) => engine.readRecords({ processInstanceKey, limit: 10_000 }),
    async intents(processInstanceKey) {
      const records = await engine.readRecords({ processInstanceKey, limit: 10_000 });
      return records.map(
        (r) => `${r.valueType} ${r.intent}${r.elementId ? ` ${r.elementId}` : ''}`,
      );
    },
    async restart() {
      await engine.stop();
      engine = await start();
      return engine;
    },
    async stop() {
      await engine.stop();
      await database.drop();
    },
  };
  return harness;
}
