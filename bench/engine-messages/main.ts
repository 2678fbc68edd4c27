/**
 * bench:engine-messages — message correlation and timers in the embedded engine, durable
 * (default PostgreSQL settings, fsync on), `Engine.start` with its default options on the real
 * clock (due work is looked for every 100 ms).
 *
 * Run A (correlations): INSTANCES instances wait at a message catch event, each with its own
 * correlation key; then one message per instance is published, at most WINDOW publishes in
 * flight. Correlations/s = INSTANCES / (first publish → every instance completed), completion
 * taken from `createProcessInstanceWithResult` promises made before publishing and checked
 * against `engine_process_instance`.
 *
 * Run B (timers): INSTANCES instances wait at an intermediate timer whose `timeDate` comes from a
 * variable, so the due times are spread evenly over TIMER_SPREAD_MS and begin after every
 * instance was created (the allowance is taken from run A's creation time). Timer lag is the
 * `TIMER TRIGGERED` record's timestamp minus the timer's `dueAt`; timer firings/s is
 * INSTANCES / (first due time → every instance completed).
 */
import type { Pool } from 'pg';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { Engine } from '../../engine/src/runtime/engine.js';
import { startDurablePostgres } from '../support/durable-postgres.js';
import { peakRssMb, percentile, printFigures, printTable, round } from '../support/report.js';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 10_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 500);
const TIMER_SPREAD_MS = Number(process.env.BENCH_TIMER_SPREAD_MS ?? 2_000);

/** A BPMN file: start → one intermediate catch event → end, with the root elements it needs. */
function waitingProcess(id: string, eventDefinition: string, roots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d-${id}" targetNamespace="bench">
  ${roots}
  <bpmn:process id="${id}" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="wait">${eventDefinition}</bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="start-wait" sourceRef="start" targetRef="wait"/>
    <bpmn:sequenceFlow id="wait-end" sourceRef="wait" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>`;
}

const AWAIT_PAYMENT = waitingProcess(
  'await-payment',
  '<bpmn:messageEventDefinition messageRef="payment"/>',
  `<bpmn:message id="payment" name="payment-received">
    <bpmn:extensionElements><zeebe:subscription correlationKey="=orderId"/></bpmn:extensionElements>
  </bpmn:message>`,
);
const AWAIT_DUE_DATE = waitingProcess(
  'await-due-date',
  '<bpmn:timerEventDefinition><bpmn:timeDate>=dueDate</bpmn:timeDate></bpmn:timerEventDefinition>',
);

async function main(): Promise<void> {
  const postgres = await startDurablePostgres();
  postgres.pool.on('error', () => undefined); // connections end when the server stops
  try {
    const engine = await Engine.start({ pool: postgres.pool, logger: silentLogger() });
    try {
      await engine.deployResources([
        { name: 'await-payment.bpmn', content: AWAIT_PAYMENT },
        { name: 'await-due-date.bpmn', content: AWAIT_DUE_DATE },
      ]);
      const correlations = await runCorrelations(engine, postgres.pool);
      const timers = await runTimers(engine, postgres.pool, correlations.creationMs);

      const figures = {
        correlationsPerSecond: round(correlations.perSecond),
        timerFiringsPerSecond: round(timers.perSecond),
        timerLagP99Ms: round(timers.lagP99Ms),
      };
      printTable(`engine messages: ${INSTANCES} instances per run, durable PostgreSQL`, [
        ['A: instances created, waiting (s)', round(correlations.creationMs / 1000, 2)],
        [`A: publish → all completed (s)`, round(correlations.seconds, 2)],
        ['A: correlations/s (target ≥ 3000)', figures.correlationsPerSecond],
        ['A: publish call p50 (ms)', round(correlations.publishP50Ms)],
        ['A: publish call p99 (ms)', round(correlations.publishP99Ms)],
        [`B: timers due over (ms)`, TIMER_SPREAD_MS],
        ['B: first due → all completed (s)', round(timers.seconds, 2)],
        ['B: timer firings/s', figures.timerFiringsPerSecond],
        ['B: lag due → TRIGGERED p50 (ms)', round(timers.lagP50Ms)],
        ['B: lag due → TRIGGERED p99 (ms, target < 100)', figures.timerLagP99Ms],
        ['B: lag due → TRIGGERED max (ms)', round(timers.lagMaxMs)],
        ['B: due → completion seen p99 (ms)', round(timers.completionLagP99Ms)],
        ['peak RSS (MiB)', peakRssMb()],
      ]);
      printFigures(figures);
    } finally {
      await engine.stop();
    }
  } finally {
    await postgres.close();
  }
}

/** Run A: every instance waits for its message, then the messages are published. */
async function runCorrelations(engine: Engine, pool: Pool) {
  const createdAt = performance.now();
  const completions = Array.from({ length: INSTANCES }, (_, i) =>
    engine.createProcessInstanceWithResult({
      bpmnProcessId: 'await-payment',
      variables: { orderId: `order-${i}` },
    }),
  );
  completions.forEach(settledQuietly);
  await until(async () => (await countByState(pool, 'await-payment', 'ACTIVE')) === INSTANCES);
  const creationMs = performance.now() - createdAt;

  const publishLatencies: number[] = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: WINDOW }, async () => {
      while (next < INSTANCES) {
        const i = next++;
        const sent = performance.now();
        await engine.publishMessage({
          name: 'payment-received',
          correlationKey: `order-${i}`,
          timeToLiveMs: 0,
          variables: { amount: i },
        });
        publishLatencies.push(performance.now() - sent);
      }
    }),
  );
  await Promise.all(completions);
  const seconds = (performance.now() - t0) / 1000;
  const completed = await countByState(pool, 'await-payment', 'COMPLETED');
  if (completed !== INSTANCES) {
    throw new Error(`Expected ${INSTANCES} completed payment instances, but found ${completed}`);
  }
  return {
    creationMs,
    seconds,
    perSecond: INSTANCES / seconds,
    publishP50Ms: percentile(publishLatencies, 50),
    publishP99Ms: percentile(publishLatencies, 99),
  };
}

/** Run B: timers due evenly over TIMER_SPREAD_MS, beginning once every instance exists. */
async function runTimers(engine: Engine, pool: Pool, creationMsOfRunA: number) {
  const positionBefore = await lastPosition(pool);
  const firstDue = Date.now() + Math.ceil(creationMsOfRunA * 2) + 1_000;
  const dueAt = (i: number) => firstDue + Math.floor((i * TIMER_SPREAD_MS) / INSTANCES);
  const completedAt = new Array<number>(INSTANCES);
  const completions = Array.from({ length: INSTANCES }, (_, i) =>
    engine
      .createProcessInstanceWithResult({
        bpmnProcessId: 'await-due-date',
        variables: { dueDate: new Date(dueAt(i)).toISOString() },
      })
      .then(() => (completedAt[i] = Date.now())),
  );
  completions.forEach(settledQuietly);
  await until(async () => (await countByState(pool, 'await-due-date', 'ACTIVE')) === INSTANCES);
  if (Date.now() >= firstDue) {
    throw new Error(
      'creating the timer instances took longer than the allowance; due times overlap',
    );
  }
  await Promise.all(completions);
  const lastCompleted = Math.max(...completedAt);
  const seconds = (lastCompleted - firstDue) / 1000;

  const { rows } = await pool.query<{ timestamp: string; due: string }>(
    `SELECT timestamp_ms::text AS timestamp, value->>'dueAt' AS due FROM engine_record
      WHERE position > $1 AND value_type = 'TIMER' AND intent = 'TRIGGERED'`,
    [positionBefore],
  );
  if (rows.length !== INSTANCES) {
    throw new Error(`Expected ${INSTANCES} TIMER TRIGGERED records, but found ${rows.length}`);
  }
  const lags = rows.map((row) => Number(row.timestamp) - Number(row.due));
  const completionLags = completedAt.map((at, i) => at - dueAt(i));
  return {
    seconds,
    perSecond: INSTANCES / seconds,
    lagP50Ms: percentile(lags, 50),
    lagP99Ms: percentile(lags, 99),
    lagMaxMs: Math.max(...lags),
    completionLagP99Ms: percentile(completionLags, 99),
  };
}

/**
 * Marks a promise that is awaited later as handled, so that a run failing before it awaits
 * does not end the process through an unhandled rejection before PostgreSQL was stopped.
 */
function settledQuietly(promise: Promise<unknown>): void {
  promise.catch(() => undefined);
}

async function countByState(pool: Pool, bpmnProcessId: string, state: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM engine_process_instance WHERE bpmn_process_id = $1 AND state = $2',
    [bpmnProcessId, state],
  );
  return rows[0]?.n ?? 0;
}

async function lastPosition(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ p: string | null }>(
    'SELECT max(position)::text AS p FROM engine_record',
  );
  return rows[0]?.p ?? '0';
}

/** Polls `condition` every 20 ms; fails after a minute. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('a benchmark phase did not finish within a minute');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

await main();
