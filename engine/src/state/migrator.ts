/**
 * Versioned SQL migrations.
 *
 * Migrations are files `NNNN_description.sql` in one directory, applied in version order, each
 * in its own transaction together with its row in `kontor_migration` (version, name, SHA-256
 * checksum, time). Concurrent migrators serialise on an advisory lock.
 *
 * Never: apply a migration twice, or start on a database whose applied migrations no longer
 * match the files. A migration that was applied and has since changed or disappeared stops
 * `migrate()` with a `MigrationError` that names it; the fix is a new migration, not an edit.
 *
 *   const migrator = new Migrator(pool, defaultMigrationsDir);
 *   await migrator.migrate();          // applies pending migrations
 *   (await migrator.status()).pending; // what is not yet applied
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from './database.js';

/** `engine/migrations`, the same from `src/state` (tests) and `dist/state` (built). */
export const defaultMigrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** Arbitrary but fixed: the advisory lock key that serialises migrators ("kontor-m"). */
const MIGRATION_LOCK = 0x6b6f6e746f722d6dn;

export interface MigrationFile {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly sql: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly appliedAt: Date;
}

export interface MigrationStatus {
  readonly applied: AppliedMigration[];
  readonly pending: MigrationFile[];
  /** Applied migrations whose file changed since. */
  readonly changed: AppliedMigration[];
  /** Applied migrations whose file is gone. */
  readonly missing: AppliedMigration[];
}

/** Thrown when the migration files or the database's migration history are inconsistent. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export class Migrator {
  constructor(
    private readonly pool: Pool,
    private readonly dir: string = defaultMigrationsDir,
  ) {}

  /** Reads and checks the migration files: names, order, no duplicate versions. */
  async files(): Promise<MigrationFile[]> {
    const names = (await fs.readdir(this.dir).catch(() => []))
      .filter((n) => n.endsWith('.sql'))
      .sort();
    const files: MigrationFile[] = [];
    for (const fileName of names) {
      const match = FILE_PATTERN.exec(fileName);
      if (!match) {
        throw new MigrationError(
          `Migration file '${fileName}' in ${this.dir} is misnamed: expected NNNN_description.sql (lower case, digits, underscores)`,
        );
      }
      const version = Number(match[1]);
      if (files.some((f) => f.version === version)) {
        throw new MigrationError(`Two migration files in ${this.dir} have version ${match[1]}`);
      }
      const sql = await fs.readFile(path.join(this.dir, fileName), 'utf8');
      files.push({ version, name: fileName, checksum: sha256(sql), sql });
    }
    return files;
  }

  /** Read-only: compares the files with the history (a database never migrated has none). */
  async status(): Promise<MigrationStatus> {
    return this.compare(await this.files(), await this.applied());
  }

  /** Applies every pending migration; returns the ones applied now. */
  async migrate(): Promise<MigrationFile[]> {
    const files = await this.files();
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK.toString()]);
      await this.ensureHistoryTable(client);
      const status = this.compare(files, await this.applied(client));
      assertConsistent(status);
      for (const migration of status.pending) {
        try {
          await client.query('BEGIN');
          await client.query(migration.sql);
          await client.query(
            'INSERT INTO kontor_migration (version, name, checksum) VALUES ($1, $2, $3)',
            [migration.version, migration.name, migration.checksum],
          );
          await client.query('COMMIT');
        } catch (cause) {
          await client.query('ROLLBACK');
          throw new MigrationError(
            `Migration ${migration.name} failed and was rolled back: ${(cause as Error).message}`,
            { cause },
          );
        }
      }
      return status.pending;
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK.toString()])
        .catch(() => undefined);
      client.release();
    }
  }

  private async ensureHistoryTable(db: Pick<Pool, 'query'> = this.pool): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS kontor_migration (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        checksum   text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  private async applied(db: Pick<Pool, 'query'> = this.pool): Promise<AppliedMigration[]> {
    const exists = await db.query("SELECT to_regclass('kontor_migration') IS NOT NULL AS present");
    if (!exists.rows[0].present) return [];
    const { rows } = await db.query<{
      version: number;
      name: string;
      checksum: string;
      applied_at: Date;
    }>('SELECT version, name, checksum, applied_at FROM kontor_migration ORDER BY version');
    return rows.map((r) => ({
      version: r.version,
      name: r.name,
      checksum: r.checksum,
      appliedAt: r.applied_at,
    }));
  }

  private compare(files: MigrationFile[], applied: AppliedMigration[]): MigrationStatus {
    const byVersion = new Map(files.map((f) => [f.version, f]));
    const appliedVersions = new Set(applied.map((a) => a.version));
    return {
      applied,
      pending: files.filter((f) => !appliedVersions.has(f.version)),
      changed: applied.filter((a) => {
        const file = byVersion.get(a.version);
        return file !== undefined && file.checksum !== a.checksum;
      }),
      missing: applied.filter((a) => !byVersion.has(a.version)),
    };
  }
}

/** Throws a `MigrationError` naming every applied migration that changed or disappeared. */
export function assertConsistent(status: MigrationStatus): void {
  const problems = [
    ...status.changed.map(
      (m) =>
        `${m.name} was applied with checksum ${m.checksum.slice(0, 12)}… but its file has changed since`,
    ),
    ...status.missing.map((m) => `${m.name} was applied but its file is missing`),
  ];
  const newest = Math.max(0, ...status.applied.map((m) => m.version));
  for (const m of status.pending.filter((p) => p.version < newest)) {
    problems.push(
      `${m.name} is older than the newest applied migration and would run out of order`,
    );
  }
  if (problems.length > 0) {
    throw new MigrationError(
      `The database's migrations do not match this version of Kontor: ${problems.join('; ')}. ` +
        'Applied migrations must never be edited or removed; add a new migration instead.',
    );
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
