/**
 * Connections to PostgreSQL, the system of record.
 *
 * `connectDatabase` opens a pool and proves it works with one round trip, turning the usual
 * failures (server down, wrong password, unknown database) into one `DatabaseConnectionError`
 * whose message names the server and says what to check, instead of a stack trace.
 * 64-bit integers (`int8`) stay strings: Kontor's keys are 64-bit and never JS numbers.
 *
 *   const pool = await connectDatabase({ url: process.env.DATABASE_URL!, poolSize: 10 });
 */
import pg from 'pg';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** Thrown when PostgreSQL cannot be reached or refuses the connection. */
export class DatabaseConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseConnectionError';
  }
}

export interface DatabaseOptions {
  readonly url: string;
  /** @default 10 (connections) */
  readonly poolSize?: number;
  /**
   * How long one connection attempt may take.
   * @default 5000 (ms)
   */
  readonly connectTimeoutMs?: number;
  /** Where the URL came from, for error messages (e.g. 'DATABASE_URL'). */
  readonly source?: string;
}

export async function connectDatabase(options: DatabaseOptions): Promise<Pool> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    application_name: 'kontor',
  });
  // An idle connection that the server drops must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
    return pool;
  } catch (cause) {
    await pool.end().catch(() => undefined);
    throw new DatabaseConnectionError(describeConnectionFailure(options, cause), { cause });
  }
}

/** `postgres://user@host:port/db` without the password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/:@/, '@');
  } catch {
    return '(unparsable URL)';
  }
}

function describeConnectionFailure(options: DatabaseOptions, cause: unknown): string {
  const where = `${redactUrl(options.url)}${options.source ? ` (${options.source})` : ''}`;
  const error = cause as NodeJS.ErrnoException & { code?: string };
  const reason =
    error.code === 'ECONNREFUSED'
      ? 'connection refused: is the server running and listening on that host and port?'
      : error.code === 'ENOTFOUND'
        ? 'unknown host'
        : error.code === '28P01' || error.code === '28000'
          ? 'authentication failed: check the user name and password'
          : error.code === '3D000'
            ? 'the database does not exist'
            : /timeout/i.test(error.message ?? '')
              ? 'no answer within the connection timeout'
              : (error.message ?? String(cause));
  return `Cannot connect to PostgreSQL at ${where}: ${reason}`;
}
