/**
 * Vitest global setup: one PostgreSQL server for the whole test run.
 *
 * Without TEST_DATABASE_URL it starts a throw-away embedded server (fsync off: test data need
 * not survive a power cut) in a temporary directory on a free port, and removes it afterwards.
 * With TEST_DATABASE_URL (a role allowed to CREATE DATABASE) it uses that server.
 * Either way it prepares a template database with every migration applied, from which
 * `createTestDatabase()` clones each test file's own database in milliseconds.
 *
 * First it brings the builds up to date (`scripts/build.mjs`, quick when nothing changed): the
 * browser tests load the built web app, so they test the current sources, never a stale bundle.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../logging/logger.js';
import { EmbeddedPostgres } from '../state/embedded-postgres.js';
import { Migrator } from '../state/migrator.js';
import { freePort } from './free-port.js';
import { TEMPLATE_DATABASE } from './test-database.js';

const buildScript = fileURLToPath(new URL('../../../scripts/build.mjs', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = spawnSync(process.execPath, [buildScript], { stdio: 'inherit' });
  if (build.status !== 0) {
    throw new Error(
      `Building before the tests failed (node scripts/build.mjs, exit ${build.status})`,
    );
  }
  let serverUrl = process.env.TEST_DATABASE_URL;
  let server: EmbeddedPostgres | undefined;
  let dir: string | undefined;
  if (!serverUrl) {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-test-'));
    await fs.chmod(dir, 0o711);
    server = new EmbeddedPostgres({
      dir,
      port: await freePort(),
      logger: createLogger({
        level: process.env.KONTOR_TEST_LOG_LEVEL ?? 'warn',
        name: 'test-postgres',
      }),
      serverSettings: {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: '400',
      },
    });
    serverUrl = await server.start();
  }
  await createTemplate(serverUrl);
  project.provide('kontorTestServerUrl', serverUrl);
  return async () => {
    await server?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  };
}

async function createTemplate(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${TEMPLATE_DATABASE}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    await new Migrator(pool).migrate();
  } finally {
    await pool.end();
  }
}
