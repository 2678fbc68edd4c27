/**
 * `npm run bench:zeebe`: the embedded engine as Zeebe clients see it. The engine and its Zeebe
 * gateway run in this process on a durable PostgreSQL (default settings, fsync on); everything
 * else talks gRPC over loopback from processes of its own, as real applications do:
 * `@camunda8/sdk` job workers (worker.ts) and an `@camunda8/sdk` client that starts instances
 * (starter.ts).
 *
 * Latency is start-to-end: from the createProcessInstanceWithResult call until its answer,
 * which the engine gives once the batch that completed the instance committed. So every figure
 * includes the gRPC round trips to the starter and the worker and the PostgreSQL commits.
 *
 * Runs: (1) 20,000 instances of start → one service task → end with at most CONCURRENCY in
 * flight: completed instances/s, p50/p99; (2) the same process started at a fixed 500/s for
 * RATE_SECONDS: p99 at 500/s; (3) start → three service tasks → end, like (1).
 * Targets (issue 6): ≥ 1,000 instances/s, p99 < 100 ms at 500/s.
 *
 * Settings (environment): BENCH_INSTANCES (20000), BENCH_CONCURRENCY (300), BENCH_RATE (500),
 * BENCH_RATE_SECONDS (10), BENCH_WORKER_MODE (stream | poll, default stream),
 * BENCH_CHILD_NODE_ARGS (Node options for the client processes, e.g. `--cpu-prof`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processBuilder } from '../../engine/src/bpmn/process-builder.js';
import { startGateway } from '../../engine/src/gateway/gateway-server.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { Engine } from '../../engine/src/runtime/engine.js';
import { freePort } from '../../engine/src/testing/free-port.js';
import { startDurablePostgres } from '../support/durable-postgres.js';
import { peakRssMb, percentile, printFigures, printTable, round } from '../support/report.js';
import type { StarterResult, StarterRun } from './starter.js';

const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 300);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 10);
const WORKER_MODE = process.env.BENCH_WORKER_MODE === 'poll' ? 'poll' : 'stream';
/** extra Node options for the worker and starter processes, e.g. `--cpu-prof` */
const CHILD_NODE_ARGS = (process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean);
const WARM_UP_INSTANCES = 1_000;

const ONE_TASK = ['work'];
const THREE_TASKS = ['step-1', 'step-2', 'step-3'];

function processWithTasks(bpmnProcessId: string, types: readonly string[]): string {
  return types
    .reduce(
      (builder, type) => builder.serviceTask(type, { type }),
      processBuilder(bpmnProcessId).startEvent(),
    )
    .endEvent()
    .toXml();
}

/** Forks a TypeScript child (through tsx) and waits for its 'ready' message. */
async function startChild(file: string, args: string[]): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL(file, import.meta.url)), args, {
    execArgv: ['--import', 'tsx', ...CHILD_NODE_ARGS],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', (message) =>
      message === 'ready' ? resolve() : reject(new Error(`${file} said ${String(message)}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`${file} exited with ${code} before it was ready`)),
    );
  });
  return child;
}

function ask(starter: ChildProcess, run: StarterRun): Promise<StarterResult> {
  return new Promise((resolve) => {
    starter.once('message', (result) => resolve(result as StarterResult));
    starter.send(run);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send('stop');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

interface Figures {
  readonly instances: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly errors: number;
}

function figuresOf(result: StarterResult): Figures {
  if (result.errors > 0) {
    console.error(`${result.errors} starts failed; the first: ${result.firstError}`);
  }
  return {
    instances: result.latenciesMs.length,
    perSecond: round((result.latenciesMs.length / result.elapsedMs) * 1000, 0),
    p50: round(percentile(result.latenciesMs, 50)),
    p99: round(percentile(result.latenciesMs, 99)),
    max: round(Math.max(...result.latenciesMs)),
    errors: result.errors,
  };
}

const describeRun = (figures: Figures): string =>
  `${figures.instances} completed, ${figures.perSecond}/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms, max ${figures.max} ms, ${figures.errors} errors`;

async function main(): Promise<void> {
  const postgres = await startDurablePostgres(4);
  postgres.pool.on('error', () => undefined); // connections end when the server stops
  const logger = silentLogger();
  const engine = await Engine.start({ pool: postgres.pool, logger });
  const gateway = await startGateway({ engine, host: '127.0.0.1', port: await freePort(), logger });
  const address = `127.0.0.1:${gateway.port}`;
  const children: ChildProcess[] = [];
  try {
    await engine.deployResources([
      { name: 'one-task.bpmn', content: processWithTasks('one-task', ONE_TASK) },
      { name: 'three-tasks.bpmn', content: processWithTasks('three-tasks', THREE_TASKS) },
    ]);
    children.push(
      await startChild('./worker.ts', [address, WORKER_MODE, ...ONE_TASK, ...THREE_TASKS]),
    );
    const starter = await startChild('./starter.ts', [address]);
    children.push(starter);
    const closed = (bpmnProcessId: string, total: number) =>
      ask(starter, { kind: 'closed', bpmnProcessId, total, concurrency: CONCURRENCY }).then(
        figuresOf,
      );

    console.log(`warming up with ${WARM_UP_INSTANCES} instances …`);
    await closed('one-task', WARM_UP_INSTANCES);

    console.log(`run 1: ${INSTANCES} instances, one service task, ${CONCURRENCY} in flight …`);
    const throughput = await closed('one-task', INSTANCES);
    console.log(`  ${describeRun(throughput)}`);

    console.log(`run 2: ${RATE} instances/s for ${RATE_SECONDS} s …`);
    const atRate = figuresOf(
      await ask(starter, {
        kind: 'rate',
        bpmnProcessId: 'one-task',
        perSecond: RATE,
        seconds: RATE_SECONDS,
      }),
    );
    console.log(`  ${describeRun(atRate)}`);

    console.log(`run 3: ${INSTANCES} instances, three service tasks, ${CONCURRENCY} in flight …`);
    const threeTasks = await closed('three-tasks', INSTANCES);
    console.log(`  ${describeRun(threeTasks)}`);

    const chain = await engine.verifyRecordChain();
    printTable(
      `Zeebe gateway throughput (durable PostgreSQL, @camunda8/sdk over gRPC, ${WORKER_MODE} workers)`,
      [
        ['one task: completed instances/s', throughput.perSecond],
        ['one task: p50 start-to-end, ms', throughput.p50],
        ['one task: p99 start-to-end, ms', throughput.p99],
        ['one task: max start-to-end, ms', throughput.max],
        [`at ${RATE}/s: achieved instances/s`, atRate.perSecond],
        [`at ${RATE}/s: p50 start-to-end, ms`, atRate.p50],
        [`at ${RATE}/s: p99 start-to-end, ms`, atRate.p99],
        ['three tasks: completed instances/s', threeTasks.perSecond],
        ['three tasks: p99 start-to-end, ms', threeTasks.p99],
        ['failed starts (all runs)', throughput.errors + atRate.errors + threeTasks.errors],
        ['record chain intact', JSON.stringify(chain)],
        ['peak RSS of the engine process, MiB', peakRssMb()],
      ],
    );
    printFigures({
      instancesPerSecond: throughput.perSecond,
      p50Ms: throughput.p50,
      p99Ms: throughput.p99,
      p99MsAt500: atRate.p99,
      instancesPerSecond3Tasks: threeTasks.perSecond,
    });
  } finally {
    await Promise.all(children.map(stopChild));
    await gateway.close(2_000);
    await engine.stop();
    await postgres.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
