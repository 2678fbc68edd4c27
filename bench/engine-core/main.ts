/**
 * bench:engine-core — the embedded engine on its own, durable (default PostgreSQL settings,
 * fsync on): process start → three service tasks → end, in-process workers on job streams.
 *
 * Run 1 (throughput): 20,000 instances, at most WINDOW of them in flight.
 * Run 2 (latency at half rate): instances started at 50% of run 1's rate for 10 s.
 * Latency is create call → completion (createProcessInstanceWithResult answers after the
 * batch that completed the instance committed).
 */
import { processBuilder } from '../../engine/src/bpmn/process-builder.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { Engine } from '../../engine/src/runtime/engine.js';
import { startDurablePostgres } from '../support/durable-postgres.js';
import { peakRssMb, percentile, printFigures, printTable, round } from '../support/report.js';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 20_000);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 1_000);
const HALF_RATE_SECONDS = Number(process.env.BENCH_HALF_RATE_SECONDS ?? 10);
const TYPES = ['step-1', 'step-2', 'step-3'];

async function main(): Promise<void> {
  const postgres = await startDurablePostgres(4);
  postgres.pool.on('error', () => undefined); // connections end when the server stops
  const engine = await Engine.start({ pool: postgres.pool, logger: silentLogger() });
  try {
    await engine.deployResources([
      {
        name: 'bench.bpmn',
        content: TYPES.reduce(
          (builder, type) => builder.serviceTask(type, { type }),
          processBuilder('bench').startEvent(),
        )
          .endEvent()
          .toXml(),
      },
    ]);
    let jobsCompleted = 0;
    for (const type of TYPES) {
      engine.streamJobs({ type, worker: 'bench', timeoutMs: 60_000 }, (job) => {
        engine.completeJob(job.key).then(
          () => (jobsCompleted += 1),
          (error: unknown) => console.error('completing a job failed', error),
        );
      });
    }
    const runOne = async (): Promise<number> => {
      const started = performance.now();
      await engine.createProcessInstanceWithResult({ bpmnProcessId: 'bench' });
      return performance.now() - started;
    };

    // warm-up
    await Promise.all(Array.from({ length: 500 }, runOne));

    // run 1: throughput
    const positionBefore = await lastPosition(postgres.pool);
    const jobsBefore = jobsCompleted;
    const latencies: number[] = [];
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WINDOW }, async () => {
        while (next < INSTANCES) {
          next += 1;
          latencies.push(await runOne());
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const jobsInRun = jobsCompleted - jobsBefore;
    const records = (await lastPosition(postgres.pool)) - positionBefore;
    const instancesPerSecond = INSTANCES / seconds;

    // run 2: fixed rate at half the measured throughput
    const rate = instancesPerSecond / 2;
    const halfRate: Promise<number>[] = [];
    const total = Math.round(rate * HALF_RATE_SECONDS);
    const t1 = performance.now();
    for (let i = 0; i < total; i++) {
      const due = t1 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      halfRate.push(runOne());
    }
    const halfRateLatencies = await Promise.all(halfRate);

    const figures = {
      instancesPerSecond: round(instancesPerSecond),
      jobsPerSecond: round(jobsInRun / seconds),
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      p99MsAtHalfRate: round(percentile(halfRateLatencies, 99)),
      recordsPerSecond: round(records / seconds),
      peakRssMb: peakRssMb(),
    };
    printTable(`engine core: ${INSTANCES} instances, 3 service tasks, durable PostgreSQL`, [
      ['completed instances/s', figures.instancesPerSecond],
      ['job completions/s', figures.jobsPerSecond],
      ['p50 start-to-end (ms)', figures.p50Ms],
      ['p99 start-to-end (ms)', figures.p99Ms],
      [`p99 at ${round(rate, 0)}/s (50%) (ms)`, figures.p99MsAtHalfRate],
      ['records written/s', figures.recordsPerSecond],
      ['peak RSS (MiB)', figures.peakRssMb],
    ]);
    printFigures(figures);
  } finally {
    await engine.stop();
    await postgres.close();
  }
}

async function lastPosition(pool: import('pg').Pool): Promise<number> {
  const { rows } = await pool.query<{ p: string | null }>(
    'SELECT max(position)::text AS p FROM engine_record',
  );
  return Number(rows[0]?.p ?? 0);
}

await main();
