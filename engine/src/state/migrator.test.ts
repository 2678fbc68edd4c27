import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { MigrationError, Migrator, defaultMigrationsDir } from './migrator.js';

describe('Migrator', () => {
  let db: TestDatabase;
  let dir: string;

  beforeEach(async () => {
    db = await createTestDatabase({ migrated: false, poolSize: 2 });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kontor-migrations-'));
  });
  afterEach(async () => {
    await db.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const write = (name: string, sql: string) => fs.writeFile(path.join(dir, name), sql);
  const tables = async () =>
    (
      await db.pool.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      )
    ).rows.map((r) => r.tablename);

  it('applies pending migrations in version order and records their checksums', async () => {
    // given
    await write('0002_b.sql', 'CREATE TABLE b (id int REFERENCES a (id));');
    await write('0001_a.sql', 'CREATE TABLE a (id int PRIMARY KEY);');
    const migrator = new Migrator(db.pool, dir);

    // when
    const applied = await migrator.migrate();

    // then
    expect(applied.map((m) => m.name)).toEqual(['0001_a.sql', '0002_b.sql']);
    expect(await tables()).toEqual(['a', 'b', 'kontor_migration']);
    const status = await migrator.status();
    expect(status.pending).toEqual([]);
    expect(status.applied.map((m) => m.checksum)).toEqual(applied.map((m) => m.checksum));
    expect(status.applied[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies nothing the second time', async () => {
    await write('0001_a.sql', 'CREATE TABLE a (id int);');
    const migrator = new Migrator(db.pool, dir);
    await migrator.migrate();
    expect(await migrator.migrate()).toEqual([]);
  });

  it('stops with a clear error when an applied migration was changed', async () => {
    await write('0001_a.sql', 'CREATE TABLE a (id int);');
    const migrator = new Migrator(db.pool, dir);
    await migrator.migrate();
    await write('0001_a.sql', 'CREATE TABLE a (id bigint);');
    await write('0002_b.sql', 'CREATE TABLE b (id int);');

    await expect(migrator.migrate()).rejects.toThrow(
      /0001_a\.sql was applied with checksum [0-9a-f]{12}… but its file has changed since/,
    );
    expect(await tables()).not.toContain('b');
    expect((await migrator.status()).changed.map((m) => m.name)).toEqual(['0001_a.sql']);
  });

  it('stops with a clear error when an applied migration is missing', async () => {
    await write('0001_a.sql', 'CREATE TABLE a (id int);');
    const migrator = new Migrator(db.pool, dir);
    await migrator.migrate();
    await fs.rm(path.join(dir, '0001_a.sql'));
    await expect(migrator.migrate()).rejects.toThrow(
      /0001_a\.sql was applied but its file is missing/,
    );
  });

  it('refuses a new migration older than the newest applied one', async () => {
    await write('0002_b.sql', 'CREATE TABLE b (id int);');
    const migrator = new Migrator(db.pool, dir);
    await migrator.migrate();
    await write('0001_a.sql', 'CREATE TABLE a (id int);');
    await expect(migrator.migrate()).rejects.toThrow(
      /0001_a\.sql is older than the newest applied/,
    );
  });

  it('rolls a failing migration back completely and names it', async () => {
    await write('0001_a.sql', 'CREATE TABLE a (id int); INSERT INTO nowhere VALUES (1);');
    const migrator = new Migrator(db.pool, dir);
    const error = await migrator.migrate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(
      /Migration 0001_a\.sql failed and was rolled back: .*nowhere/,
    );
    expect(await tables()).toEqual(['kontor_migration']);
    expect((await migrator.status()).pending.map((m) => m.name)).toEqual(['0001_a.sql']);
  });

  it('rejects misnamed migration files', async () => {
    await write('1_a.sql', 'SELECT 1;');
    await expect(new Migrator(db.pool, dir).migrate()).rejects.toThrow(
      /'1_a\.sql' .* is misnamed: expected NNNN_description\.sql/,
    );
  });

  it('serialises concurrent migrators: each migration runs once', async () => {
    await write('0001_a.sql', 'CREATE TABLE a (id int);');
    const [first, second] = await Promise.all([
      new Migrator(db.pool, dir).migrate(),
      new Migrator(db.pool, dir).migrate(),
    ]);
    expect(first.length + second.length).toBe(1);
  });

  it("applies Kontor's own migrations to an empty database", async () => {
    const migrator = new Migrator(db.pool, defaultMigrationsDir);
    await migrator.migrate();
    const status = await migrator.status();
    expect(status.pending).toEqual([]);
    expect(status.applied.length).toBe((await migrator.files()).length);
  });
});
