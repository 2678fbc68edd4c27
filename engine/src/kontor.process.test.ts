/**
 * Kontor as an operator runs it: `main.ts` as a real child process with the embedded PostgreSQL,
 * signals, a second process on the same data directory, kill -9 and restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './testing/free-port.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function startKontorProcess(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, KONTOR_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

async function waitForReady(kontor: Started, port: number, timeoutMs = 20_000): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const status = await fetch(`http://127.0.0.1:${port}/health/ready`)
      .then((r) => r.status)
      .catch(() => 0);
    if (status === 200) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `Kontor on port ${port} was not ready within ${timeoutMs} ms:\n${kontor.output()}`,
  );
}

function postgresProcessesFor(dataDir: string): Promise<string[]> {
  return new Promise((resolve) => {
    const ps = spawn('ps', ['-eo', 'pid,args'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    ps.stdout.on('data', (c) => (out += c));
    ps.once('exit', () =>
      resolve(out.split('\n').filter((l) => l.includes('postgres') && l.includes(dataDir))),
    );
  });
}

describe('Kontor process with the embedded PostgreSQL', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let httpPort: number;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-process-'));
    // As root, the embedded server runs as the OS user 'postgres', which must reach the directory.
    await fs.chmod(dataDir, 0o755);
    httpPort = await freePort();
    env = {
      KONTOR_DATA_DIR: dataDir,
      KONTOR_HTTP_PORT: String(httpPort),
      KONTOR_GATEWAY_PORT: String(await freePort()),
      KONTOR_EMBEDDED_POSTGRES_PORT: String(await freePort()),
    };
  });
  afterAll(async () => {
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  async function connectToEmbedded(): Promise<pg.Client> {
    const password = (await fs.readFile(path.join(dataDir, 'postgres', 'password'), 'utf8')).trim();
    const client = new pg.Client({
      host: '127.0.0.1',
      port: Number(env.KONTOR_EMBEDDED_POSTGRES_PORT),
      user: 'kontor',
      password,
      database: 'kontor',
    });
    await client.connect();
    return client;
  }

  it('starts cold, is ready, refuses a second process, and stops cleanly on SIGTERM', async () => {
    // given a fresh data directory
    const kontor = startKontorProcess(env);
    await waitForReady(kontor, httpPort);
    expect(kontor.output()).toMatch(/first start created the user 'admin' with the password: [\w-]{24}\n/);
    const live = await fetch(`http://127.0.0.1:${httpPort}/health/live`);
    expect(live.status).toBe(200);
    const ready = await (await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).json();
    expect(ready).toEqual({
      status: 'ready',
      checks: [
        { name: 'database', ok: true },
        { name: 'migrations', ok: true },
      ],
    });

    // when a second process starts on the same data directory
    const second = startKontorProcess({ ...env, KONTOR_HTTP_PORT: String(await freePort()) });

    // then it refuses with a clear error and a non-zero exit, and the first keeps serving
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(
      `kontor: Another Kontor process (pid ${kontor.child.pid}) is using the data directory ${dataDir}`,
    );
    expect((await fetch(`http://127.0.0.1:${httpPort}/health/ready`)).status).toBe(200);

    // when SIGTERM
    kontor.child.kill('SIGTERM');

    // then exit code 0 and no postgres process left behind
    expect(await kontor.exited).toBe(0);
    expect(await postgresProcessesFor(dataDir)).toEqual([]);
    await expect(fs.access(path.join(dataDir, 'kontor.pid'))).rejects.toThrow();
  });

  it('comes back with its data after kill -9', async () => {
    // given a running Kontor with data written
    const first = startKontorProcess(env);
    await waitForReady(first, httpPort);
    const client = await connectToEmbedded();
    await client.query('CREATE TABLE crash_probe (id int PRIMARY KEY)');
    await client.query('INSERT INTO crash_probe VALUES (42)');
    await client.end();

    // when it is killed without warning and started again
    first.child.kill('SIGKILL');
    await first.exited;
    const second = startKontorProcess(env);
    const restartMs = await waitForReady(second, httpPort);

    // then the data is intact, no second admin was made, and the restart was quick
    expect(second.output()).not.toContain("created the user 'admin'");
    const again = await connectToEmbedded();
    expect((await again.query('SELECT id FROM crash_probe')).rows).toEqual([{ id: 42 }]);
    await again.end();
    expect(restartMs).toBeLessThan(10_000);

    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(await postgresProcessesFor(dataDir)).toEqual([]);
  });

  it('exits with one clear line when DATABASE_URL points to a server that is down', async () => {
    const down = await freePort();
    const kontor = startKontorProcess({
      ...env,
      DATABASE_URL: `postgres://kontor:secret@127.0.0.1:${down}/kontor`,
    });
    expect(await kontor.exited).toBe(1);
    const stderrLine = kontor
      .output()
      .split('\n')
      .filter((l) => l.startsWith('kontor: '));
    expect(stderrLine).toEqual([
      `kontor: Cannot connect to PostgreSQL at postgres://kontor@127.0.0.1:${down}/kontor (DATABASE_URL): connection refused: is the server running and listening on that host and port?`,
    ]);
    expect(kontor.output()).not.toContain('    at ');
    expect(kontor.output()).not.toContain('secret');
  });

  it('names the variable when a setting is invalid', async () => {
    const kontor = startKontorProcess({ ...env, KONTOR_HTTP_PORT: 'eighty' });
    expect(await kontor.exited).toBe(1);
    expect(kontor.output()).toContain(
      'KONTOR_HTTP_PORT="eighty" is invalid: expected a TCP port number from 0 to 65535',
    );
  });
});
