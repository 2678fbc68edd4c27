/**
 * A database of its own for each test file, on the one server that the global setup started.
 *
 *   const db = await createTestDatabase();            // every migration applied
 *   afterAll(() => db.drop());
 *   await db.pool.query('SELECT ...');
 *   await db.truncate();                               // between tests: empty every table
 *
 * `createTestDatabase({ migrated: false })` gives an empty database (for migration tests).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export const TEMPLATE_DATABASE = 'kontor_test_template';

declare module 'vitest' {
  export interface ProvidedContext {
    kontorTestServerUrl: string;
  }
}

export interface TestDatabase {
  readonly name: string;
  /** Connection URL of this database. */
  readonly url: string;
  readonly pool: pg.Pool;
  /** Empties every table except the migration history. */
  truncate(): Promise<void>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

export async function createTestDatabase(
  options: { migrated?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const serverUrl = inject('kontorTestServerUrl');
  const name = `kontor_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, (client) =>
    client.query(
      options.migrated === false
        ? `CREATE DATABASE ${name}`
        : `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`,
    ),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: options.poolSize ?? 10 });
  pool.on('error', () => undefined);
  return {
    name,
    url: url.toString(),
    pool,
    async truncate() {
      const { rows } = await pool.query<{ name: string }>(
        `SELECT quote_ident(tablename) AS name FROM pg_tables
          WHERE schemaname = 'public' AND tablename <> 'kontor_migration'`,
      );
      if (rows.length > 0) {
        await pool.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
      }
    },
    async drop() {
      await pool.end();
      await admin(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      );
    },
  };
}

async function admin(
  serverUrl: string,
  work: (client: pg.Client) => Promise<unknown>,
): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
