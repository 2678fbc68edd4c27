/**
 * `npm run bench:startup`: how fast `npm start`'s server is ready, as an operator sees it.
 * Runs the built server (engine/dist/main.js) with the embedded PostgreSQL in a fresh data
 * directory and measures, until /health/ready answers 200: the cold first start (cluster
 * created), a restart after SIGTERM, and a restart after kill -9; plus how long SIGTERM takes.
 * Targets (foundation issue): cold < 10 s, restart < 3 s on the 2-core machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../engine/src/testing/free-port.js';
import { printFigures, printTable } from '../support/report.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function timeToReady(
  env: NodeJS.ProcessEnv,
  port: number,
): Promise<{ child: ChildProcess; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'engine/dist/main.js')], {
    env,
    stdio: 'ignore',
  });
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/health/ready`)
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) return { child, ms: Math.round(performance.now() - started) };
    if (performance.now() - started > 60_000) throw new Error('Kontor was not ready within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function main(): Promise<void> {
  spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-bench-startup-'));
  await fs.chmod(dataDir, 0o755);
  const port = await freePort();
  const env = {
    ...process.env,
    KONTOR_DATA_DIR: dataDir,
    KONTOR_HTTP_PORT: String(port),
    KONTOR_GATEWAY_PORT: String(await freePort()),
    KONTOR_EMBEDDED_POSTGRES_PORT: String(await freePort()),
    KONTOR_LOG_LEVEL: 'warn',
  };
  try {
    const cold = await timeToReady(env, port);
    const stopStarted = performance.now();
    cold.child.kill('SIGTERM');
    const exitCode = await exited(cold.child);
    const shutdownMs = Math.round(performance.now() - stopStarted);

    const restart = await timeToReady(env, port);
    restart.child.kill('SIGKILL');
    await exited(restart.child);

    const afterKill = await timeToReady(env, port);
    afterKill.child.kill('SIGTERM');
    await exited(afterKill.child);

    const figures = {
      coldStartMs: cold.ms,
      restartMs: restart.ms,
      restartAfterKillMs: afterKill.ms,
      shutdownMs,
      shutdownExitCode: exitCode ?? -1,
    };
    printTable('Kontor startup (embedded PostgreSQL, time until /health/ready = 200)', [
      ['cold first start (cluster created), ms', figures.coldStartMs],
      ['restart after SIGTERM, ms', figures.restartMs],
      ['restart after kill -9, ms', figures.restartAfterKillMs],
      ['graceful shutdown on SIGTERM, ms', figures.shutdownMs],
      ['exit code after SIGTERM', figures.shutdownExitCode],
    ]);
    printFigures(figures);
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
