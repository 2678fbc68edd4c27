#!/usr/bin/env node
/**
 * The `kontor` command line.
 *
 *   kontor db migrate   apply pending database migrations
 *   kontor db status    list applied and pending migrations (exit 1 if inconsistent)
 *   kontor config       print every setting with its variable, default and description
 *
 * It uses the same database as `npm start` (DATABASE_URL, else the embedded server in the data
 * directory; that one only while no Kontor process is running on it).
 */
import { parseArgs } from 'node:util';
import { generatePassword } from './api/auth/password.js';
import { UsersRepository, type Role } from './api/auth/users.repository.js';
import { configurationTable, loadConfig } from './config/config.js';
import { silentLogger } from './logging/logger.js';
import type { Pool } from './state/database.js';
import { Migrator } from './state/migrator.js';
import { openSystemDatabase } from './state/system-database.js';

const USAGE = `usage: kontor <command>

  db migrate   apply pending database migrations
  db status    list applied and pending migrations
  user add <username> --role <role>[,<role>] [--groups <group>[,<group>]] [--name <display name>] [--password <password>]
               create a user (roles: analyst, caseworker, auditor, admin); --groups are the
               candidate groups whose user tasks a caseworker may take; without --password
               a password is generated and printed
  user list    list the users
  config       print the configuration settings`;

async function withDatabase<T>(work: (pool: Pool) => Promise<T>): Promise<T> {
  const database = await openSystemDatabase(loadConfig(), silentLogger());
  try {
    return await work(database.pool);
  } finally {
    await database.close();
  }
}

const withMigrator = <T>(work: (migrator: Migrator) => Promise<T>) =>
  withDatabase((pool) => work(new Migrator(pool)));

/** Users live in migrated tables: bring the schema up to date first, as `npm start` would. */
const withUsers = <T>(work: (users: UsersRepository) => Promise<T>) =>
  withDatabase(async (pool) => {
    await new Migrator(pool).migrate();
    return work(new UsersRepository(pool));
  });

async function addUser(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string', multiple: true },
      group: { type: 'string', multiple: true },
      groups: { type: 'string', multiple: true },
      name: { type: 'string' },
      password: { type: 'string' },
    },
  });
  if (positionals.length !== 1) {
    console.error(`kontor: expected exactly one username after 'user add'\n\n${USAGE}`);
    return 2;
  }
  const password = values.password ?? generatePassword();
  const user = await withUsers((users) =>
    users.create({
      username: positionals[0],
      displayName: values.name,
      password,
      roles: (values.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim() as Role),
      // --groups a,b and --group a --group b both give candidate groups for user tasks
      candidateGroups: [...(values.group ?? []), ...(values.groups ?? [])]
        .flatMap((g) => g.split(','))
        .map((g) => g.trim())
        .filter(Boolean),
    }),
  );
  console.log(`Created user '${user.username}' with roles ${user.roles.join(', ')}.`);
  if (!values.password) console.log(`Password: ${password}`);
  return 0;
}

async function run(args: string[]): Promise<number> {
  if (args[0] === 'user' && args[1] === 'add') return addUser(args.slice(2));
  const command = args.join(' ');
  switch (command) {
    case 'user list': {
      for (const u of await withUsers((users) => users.list())) {
        console.log(
          `${u.username.padEnd(20)} ${u.roles.join(',').padEnd(30)} ${u.candidateGroups.join(',')}`,
        );
      }
      return 0;
    }
    case 'db migrate': {
      const applied = await withMigrator((m) => m.migrate());
      console.log(
        applied.length === 0
          ? 'Database is up to date.'
          : `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m.name}`).join('\n')}`,
      );
      return 0;
    }
    case 'db status': {
      const status = await withMigrator((m) => m.status());
      for (const m of status.applied) {
        const state = status.changed.includes(m)
          ? 'CHANGED'
          : status.missing.includes(m)
            ? 'MISSING'
            : 'applied';
        console.log(`${state.padEnd(8)} ${m.name}  ${m.appliedAt.toISOString()}`);
      }
      for (const m of status.pending) console.log(`pending  ${m.name}`);
      if (status.applied.length + status.pending.length === 0) console.log('No migrations.');
      return status.changed.length + status.missing.length > 0 ? 1 : 0;
    }
    case 'config':
      console.log(configurationTable());
      return 0;
    default:
      console.error(command ? `kontor: unknown command '${command}'\n\n${USAGE}` : USAGE);
      return 2;
  }
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  console.error(`kontor: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
