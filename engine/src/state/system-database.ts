/**
 * Kontor's system of record: the PostgreSQL server named by DATABASE_URL, or else the embedded
 * server in the data directory (guarded by the data-directory lock, with database `kontor`).
 *
 *   const db = await openSystemDatabase(config, logger);
 *   await db.pool.query('SELECT 1');
 *   await db.close(); // pool, then the embedded server, then the lock
 */
import path from 'node:path';
import pg from 'pg';
import type { KontorConfig } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { connectDatabase, type Pool } from './database.js';
import { EmbeddedPostgres } from './embedded-postgres.js';

export const EMBEDDED_DATABASE_NAME = 'kontor';

export interface SystemDatabase {
  readonly pool: Pool;
  /** True when Kontor started the embedded server. */
  readonly embedded: boolean;
  close(): Promise<void>;
}

export async function openSystemDatabase(
  config: KontorConfig,
  logger: Logger,
): Promise<SystemDatabase> {
  if (config.databaseUrl) {
    const pool = await connectDatabase({
      url: config.databaseUrl,
      poolSize: config.databasePoolSize,
      source: 'DATABASE_URL',
    });
    return { pool, embedded: false, close: () => pool.end() };
  }

  const lock = await acquireDataDirLock(config.dataDirAbsolute);
  let server: EmbeddedPostgres | undefined;
  try {
    server = new EmbeddedPostgres({
      dir: path.join(config.dataDirAbsolute, 'postgres'),
      port: config.embeddedPostgresPort,
      logger,
    });
    const serverUrl = await server.start();
    await ensureDatabase(serverUrl, EMBEDDED_DATABASE_NAME);
    const url = new URL(serverUrl);
    url.pathname = `/${EMBEDDED_DATABASE_NAME}`;
    const pool = await connectDatabase({ url: url.toString(), poolSize: config.databasePoolSize });
    const running = server;
    return {
      pool,
      embedded: true,
      async close() {
        await pool.end();
        await running.stop();
        await lock.release();
      },
    };
  } catch (error) {
    await server?.stop().catch(() => undefined);
    await releaseQuietly(lock);
    throw error;
  }
}

/** Creates `name` on the server at `serverUrl` unless it exists. */
export async function ensureDatabase(
  serverUrl: string,
  name: string,
  template?: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      const escapedTemplate = template ? ` TEMPLATE ${client.escapeIdentifier(template)}` : '';
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}${escapedTemplate}`);
    }
  } finally {
    await client.end();
  }
}

async function releaseQuietly(lock: DataDirLock): Promise<void> {
  await lock.release().catch(() => undefined);
}
