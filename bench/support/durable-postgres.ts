/**
 * A durable PostgreSQL for benchmarks: the embedded server with its DEFAULT settings (fsync on,
 * synchronous commit), in a temporary directory removed afterwards. Benchmarks measure what a
 * user gets from `npm start`, never the throw-away test server.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { EmbeddedPostgres } from '../../engine/src/state/embedded-postgres.js';
import { Migrator } from '../../engine/src/state/migrator.js';
import { ensureDatabase } from '../../engine/src/state/system-database.js';
import { freePort } from '../../engine/src/testing/free-port.js';

export interface DurablePostgres {
  readonly pool: pg.Pool;
  close(): Promise<void>;
}

export async function startDurablePostgres(poolSize = 10): Promise<DurablePostgres> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-bench-'));
  await fs.chmod(dir, 0o755);
  const server = new EmbeddedPostgres({ dir, port: await freePort(), logger: silentLogger() });
  const serverUrl = await server.start();
  await ensureDatabase(serverUrl, 'kontor');
  const url = new URL(serverUrl);
  url.pathname = '/kontor';
  const pool = new pg.Pool({ connectionString: url.toString(), max: poolSize });
  await new Migrator(pool).migrate();
  return {
    pool,
    async close() {
      await pool.end();
      await server.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
