/**
 * Structured JSON logs (pino) for every part of Kontor. One root logger per process; parts take
 * a child logger with their `component` name so a log line says where it came from.
 *
 *   const log = createLogger({ level: 'info' }).child({ component: 'http' });
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    name: options.name ?? 'kontor',
    level: options.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A logger that writes nothing, for tests and embedding. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
