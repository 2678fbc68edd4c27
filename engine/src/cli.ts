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
import { ConfigError, configurationTable, loadConfig } from './config/config.js';
import { silentLogger } from './logging/logger.js';
import { MigrationError, Migrator } from './state/migrator.js';
import { openSystemDatabase } from './state/system-database.js';

const USAGE = `usage: kontor <command>

  db migrate   apply pending database migrations
  db status    list applied and pending migrations
  config       print the configuration settings`;

async function withMigrator<T>(work: (migrator: Migrator) => Promise<T>): Promise<T> {
  const database = await openSystemDatabase(loadConfig(), silentLogger());
  try {
    return await work(new Migrator(database.pool));
  } finally {
    await database.close();
  }
}

async function run(args: string[]): Promise<number> {
  const command = args.join(' ');
  switch (command) {
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
  const known =
    error instanceof ConfigError || error instanceof MigrationError || error instanceof Error;
  console.error(`kontor: ${known ? (error as Error).message : String(error)}`);
  process.exitCode = 1;
}
