/**
 * `kontor user add --groups a,b`: a caseworker's candidate groups come from the user record,
 * and the command line is where an operator sets them.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsersRepository } from '../api/auth/users.repository.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('kontor user add --groups', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('stores the comma-separated candidate groups on the user', async () => {
    const { stdout } = await run(
      `${root}node_modules/.bin/tsx`,
      [
        'engine/src/cli.ts',
        'user',
        'add',
        'carla',
        '--role',
        'caseworker',
        '--groups',
        'north, claims-b',
        '--password',
        'a long password',
      ],
      { cwd: root, env: { ...process.env, DATABASE_URL: database.url } },
    );
    expect(stdout).toContain("Created user 'carla' with roles caseworker.");
    const [carla] = await new UsersRepository(database.pool).list();
    expect(carla.candidateGroups).toEqual(['north', 'claims-b']);
  });
});
