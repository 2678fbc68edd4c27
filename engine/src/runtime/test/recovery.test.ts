// Recovery after kill -9: the engine restarts from PostgreSQL alone. Everything acknowledged is
// there, nothing is applied twice, and jobs that were activated when the process died time out
// and are worked again (Camunda 8 "Job workers": a job whose timeout passes can be activated
// again).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { Engine } from '../engine.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-under-load.ts');

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

it('an engine killed under load restarts from PostgreSQL; every instance completes, each job once', async () => {
  // given: an engine process creating and completing instances
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, DATABASE_URL: database.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const created = new Set<string>();
  const completedJobs = new Set<string>();
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, key] = line.split(' ');
      if (kind === 'created' && key) created.add(key);
      if (kind === 'completed' && key) completedJobs.add(key);
    }
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));

  // when: it is killed in the middle of the load
  await expect
    .poll(() => completedJobs.size, { timeout: 30_000, interval: 50 })
    .toBeGreaterThan(1500);
  child.kill('SIGKILL');
  await exited;
  const acknowledgedInstances = [...created];
  const acknowledgedCompletions = [...completedJobs];

  // then: a new engine on the same database finishes everything
  const engine = await Engine.start({
    pool: database.pool,
    logger: silentLogger(),
    dueWorkIntervalMs: 50,
  });
  try {
    const streams = ['step-1', 'step-2', 'step-3'].map((type) =>
      engine.streamJobs({ type, worker: 'after-restart', timeoutMs: 10_000 }, (job) => {
        void engine.completeJob(job.key, { [type.replace('-', '')]: true }).catch(() => undefined);
      }),
    );
    const open = async () =>
      Number(
        (
          await database.pool.query<{ n: string }>(
            `SELECT count(*) AS n FROM engine_process_instance WHERE state <> 'COMPLETED'`,
          )
        ).rows[0]?.n,
      );
    await expect.poll(open, { timeout: 30_000, interval: 200 }).toBe(0);
    for (const stream of streams) stream.close();

    const { rows: instances } = await database.pool.query<{ key: string; state: string }>(
      'SELECT process_instance_key::text AS key, state FROM engine_process_instance WHERE process_instance_key = ANY($1::bigint[])',
      [acknowledgedInstances],
    );
    expect(instances).toHaveLength(acknowledgedInstances.length);
    expect(instances.every((row) => row.state === 'COMPLETED')).toBe(true);

    const { rows: twice } = await database.pool.query(
      `SELECT record_key FROM engine_record WHERE value_type = 'JOB' AND intent = 'COMPLETED'
        GROUP BY record_key HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
    const { rows: perInstance } = await database.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM engine_record WHERE value_type = 'JOB' AND intent = 'COMPLETED'
        GROUP BY process_instance_key HAVING count(*) <> 3`,
    );
    expect(perInstance).toEqual([]);
    const { rows: acknowledged } = await database.pool.query<{ n: string }>(
      `SELECT count(DISTINCT record_key) AS n FROM engine_record
        WHERE value_type = 'JOB' AND intent = 'COMPLETED' AND record_key = ANY($1::bigint[])`,
      [acknowledgedCompletions],
    );
    expect(Number(acknowledged[0]?.n)).toBe(acknowledgedCompletions.length);
    expect(await engine.verifyRecordChain()).toMatchObject({ ok: true });
  } finally {
    await engine.stop();
  }
}, 90_000);
