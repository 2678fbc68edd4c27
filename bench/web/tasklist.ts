/**
 * The tasklist with 10,000 open tasks (issue 7: a filtered page in < 200 ms), measured in
 * Chromium against a Kontor as `npm start` runs it: embedded PostgreSQL with default settings
 * (fsync on) in a fresh data directory, the built web app.
 *
 * The tasks are real: 10,000 process instances started through the engine, each waiting in a
 * user task, taken by the tasklist through the Zeebe client — never rows inserted by hand.
 *
 * Figures:
 * - `tasklistPageMs`: p95 of a filtered page as the web app asks for it (`fetch` in Chromium of
 *   `GET /api/tasks?filter=…&sort=…&limit=20`), over several filter combinations;
 * - `tasklistUiMs`: median from a click on a filter in the tasklist page until its answer is
 *   in and the next frame drawn.
 *
 * Part of `npm run bench:web` (`benchTasklist()`); alone: `npx tsx bench/web/tasklist.ts`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { UsersRepository } from '../../engine/src/api/auth/users.repository.js';
import { loadConfig } from '../../engine/src/config/config.js';
import { startKontor, type RunningKontor } from '../../engine/src/kontor.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { launchBrowser } from '../../engine/src/testing/browser.js';
import { freePort } from '../../engine/src/testing/free-port.js';
import { reviewProcessXml } from '../../engine/src/tasklist/testing/user-task-fixtures.js';
import { percentile, printFigures, printTable, round } from '../support/report.js';

export interface TasklistFigures {
  /** p95 of a filtered page request from Chromium, ms */
  readonly tasklistPageMs: number;
  /** median of filter click → rows on screen, ms */
  readonly tasklistUiMs: number;
  /** instances started per second while preparing */
  readonly instancesPerSecond: number;
  /** seconds until the tasklist had taken every task */
  readonly intakeSeconds: number;
}

const USER = { username: 'bench-cas', password: 'bench password 1' };
const GROUPS = ['north', 'south', 'east', 'west'];
const HOUR = 3600_000;

/** Starts `count` instances, `concurrency` at a time; instances per second. */
async function startInstances(kontor: RunningKontor, count: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const now = Date.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await kontor.engine.createProcessInstance({
        bpmnProcessId: 'bench-review',
        variables: {
          claimNo: `C-${i}`,
          amount: (i % 50) * 100,
          region: GROUPS[i % GROUPS.length],
          group: GROUPS[i % GROUPS.length],
          // due dates from 2 days ago to 3 days ahead, so that due-soon and overdue both match
          due: new Date(now + ((i % 120) - 48) * HOUR).toISOString(),
        },
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  return count / ((performance.now() - started) / 1000);
}

async function waitForIntake(kontor: RunningKontor, count: number): Promise<void> {
  for (;;) {
    const { rows } = await kontor.database.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM user_task WHERE state = 'open'",
    );
    if (rows[0].n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function benchTasklist(
  options: { tasks?: number; browser?: Browser } = {},
): Promise<TasklistFigures> {
  const taskCount = options.tasks ?? 10_000;
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-bench-tasklist-'));
  // the embedded server runs as OS user postgres, which must reach the data directory
  await fs.chmod(dataDir, 0o755);
  const env = {
    KONTOR_DATA_DIR: dataDir,
    KONTOR_HOST: '127.0.0.1',
    KONTOR_HTTP_PORT: String(await freePort()),
    KONTOR_GATEWAY_PORT: String(await freePort()),
    KONTOR_EMBEDDED_POSTGRES_PORT: String(await freePort()),
  };
  const kontor = await startKontor(loadConfig(env), silentLogger());
  const browser = options.browser ?? (await launchBrowser());
  try {
    await new UsersRepository(kontor.database.pool).create({
      ...USER,
      roles: ['caseworker'],
      candidateGroups: ['north'],
    });
    await kontor.engine.deployResources([
      {
        name: 'bench-review.bpmn',
        content: reviewProcessXml('bench-review', { candidateGroups: '=group', dueDate: '=due' }),
      },
    ]);
    const intakeStarted = performance.now();
    const instancesPerSecond = await startInstances(kontor, taskCount);
    await waitForIntake(kontor, taskCount);
    const intakeSeconds = (performance.now() - intakeStarted) / 1000;
    await kontor.database.pool.query('ANALYZE user_task');

    const url = `http://127.0.0.1:${kontor.httpPort}`;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${url}/#/tasks`);
    await page.getByLabel('Username').fill(USER.username);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('task-count').waitFor();

    // the REST page as the web app asks for it, timed inside Chromium
    const queries = [
      'filter=my-groups&sort=created',
      'filter=my-groups,unassigned&sort=due',
      'filter=due-soon&sort=due',
      'filter=overdue,my-groups&sort=name&order=desc',
      'process=bench-review&variable=region=north&sort=created&offset=100',
      'variable=amount=1200&sort=due',
    ];
    const pageTimes: number[] = [];
    for (let pass = 0; pass < 10; pass += 1) {
      for (const q of queries) {
        pageTimes.push(
          await page.evaluate(async (path) => {
            const started = performance.now();
            const res = await fetch(path);
            const body = (await res.json()) as { items: unknown[] };
            if (!res.ok || body.items.length === 0) throw new Error(`${path}: ${res.status}`);
            return performance.now() - started;
          }, `/api/tasks?${q}&limit=20`),
        );
      }
    }

    // the page itself: click a filter, wait for its answer and the next frame with the new rows
    const uiTimes: number[] = [];
    for (const label of [
      'Due soon',
      'Due soon',
      'Overdue',
      'Overdue',
      'Unassigned',
      'Unassigned',
    ]) {
      const started = performance.now();
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/tasks?')),
        page.getByLabel(label).click(),
      ]);
      await page.evaluate('new Promise((resolve) => requestAnimationFrame(resolve))');
      uiTimes.push(performance.now() - started);
    }
    await page.close();

    return {
      tasklistPageMs: round(percentile(pageTimes, 95)),
      tasklistUiMs: round(percentile(uiTimes, 50)),
      instancesPerSecond: Math.round(instancesPerSecond),
      intakeSeconds: round(intakeSeconds),
    };
  } finally {
    if (!options.browser) await browser.close();
    await kontor.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchTasklist();
  printTable('Tasklist with 10,000 open tasks', [
    ['filtered page, p95 (Chromium fetch)', `${figures.tasklistPageMs} ms (target < 200 ms)`],
    ['filter click → rows, median', `${figures.tasklistUiMs} ms`],
    ['instances started', `${figures.instancesPerSecond} / s`],
    ['all tasks taken after', `${figures.intakeSeconds} s`],
  ]);
  printFigures({ tasklistPageMs: figures.tasklistPageMs });
}
