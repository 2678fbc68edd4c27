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
import type { EngineRecord } from '../runtime/records.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface EngineHarness {
  readonly engine: Engine;
  readonly database: TestDatabase;
  /** current time of the harness clock, ms since the epoch */
  now(): number;
  advance(ms: number): void;
  deploy(...xml: string[]): ReturnType<Engine['deployResources']>;
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
