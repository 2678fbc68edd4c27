#!/usr/bin/env node
/**
 * `npm start`: runs Kontor until SIGTERM or SIGINT, then shuts down gracefully (exit code 0).
 * A start that fails prints one clear line and exits with 1; no stack trace loops, no retries.
 */
import { ConfigError, loadConfig } from './config/config.js';
import { PortInUseError } from './config/port-in-use.error.js';
import { createLogger } from './logging/logger.js';
import { startKontor } from './kontor.js';
import { DataDirLockedError } from './state/data-dir-lock.js';
import { DatabaseConnectionError } from './state/database.js';
import { EmbeddedPostgresError } from './state/embedded-postgres.js';
import { MigrationError } from './state/migrator.js';

/** Failures an operator fixes (a setting, a server, a file): their message is the whole story. */
const OPERATOR_ERRORS = [
  PortInUseError,
  DataDirLockedError,
  DatabaseConnectionError,
  EmbeddedPostgresError,
  MigrationError,
];

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`kontor: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  let kontor;
  try {
    kontor = await startKontor(config, logger);
  } catch (error) {
    const operatorError = OPERATOR_ERRORS.some((type) => error instanceof type);
    logger.fatal(
      operatorError ? { reason: (error as Error).message } : { err: error },
      'Kontor could not start',
    );
    process.stderr.write(`kontor: ${(error as Error).message}\n`);
    process.exit(1);
  }
  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'shutdown already in progress');
      return;
    }
    logger.info({ signal }, 'shutting down');
    kontor.stop().then(
      () => {
        logger.info('Kontor stopped');
        process.exit(0);
      },
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

await main();
