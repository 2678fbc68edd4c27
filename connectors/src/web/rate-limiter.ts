/**
 * A token bucket per client key (e.g. the caller's IP address): `limit` requests per `windowMs`,
 * refilled continuously, so a burst of `limit` is allowed and then one request per
 * `windowMs / limit`. The buckets live in PostgreSQL (`rate_limit_bucket`), so every Kontor
 * process on one database counts against the same limit and a restart forgets nothing; one
 * statement refills and takes a token atomically. Idle buckets are deleted now and then.
 *
 *   const limiter = new RateLimiter(pool, 'web-intake', { limit: 10, windowMs: 60_000 });
 *   const verdict = await limiter.take(req.ip);
 *   if (!verdict.ok) res.set('Retry-After', String(verdict.retryAfterSeconds)).status(429);
 */
import type pg from 'pg';

export interface RateLimit {
  /** requests allowed per window */
  readonly limit: number;
  /** @default 60000 (ms) */
  readonly windowMs?: number;
}

export type RateVerdict =
  | { readonly ok: true; readonly remaining: number }
  | { readonly ok: false; readonly retryAfterSeconds: number };

/** Sweep idle buckets after this many takes. */
const SWEEP_EVERY = 1_000;

/** The bucket's tokens now: $2 = limit, $3 = tokens per ms. */
const REFILLED = `LEAST($2::float8, b.tokens + EXTRACT(EPOCH FROM clock_timestamp() - b.at) * 1000 * $3::float8)`;

const TAKE = `
  INSERT INTO rate_limit_bucket AS b (key, tokens, at, granted)
  VALUES ($1, $2::float8 - 1, clock_timestamp(), true)
  ON CONFLICT (key) DO UPDATE SET
    tokens  = ${REFILLED} - CASE WHEN ${REFILLED} >= 1 THEN 1 ELSE 0 END,
    granted = ${REFILLED} >= 1,
    at      = clock_timestamp()
  RETURNING tokens, granted`;

export class RateLimiter {
  private readonly windowMs: number;
  private takes = 0;

  constructor(
    private readonly pool: Pick<pg.Pool, 'query'>,
    /** separates limits that share the table, e.g. 'web-intake' */
    private readonly scope: string,
    private readonly options: RateLimit,
  ) {
    if (!(options.limit >= 1)) {
      throw new RangeError(
        `A rate limit needs at least 1 request per window, got ${options.limit}`,
      );
    }
    this.windowMs = options.windowMs ?? 60_000;
  }

  async take(key: string): Promise<RateVerdict> {
    const perMs = this.options.limit / this.windowMs;
    const { rows } = await this.pool.query<{ tokens: number; granted: boolean }>(TAKE, [
      `${this.scope}:${key}`,
      this.options.limit,
      perMs,
    ]);
    if (++this.takes % SWEEP_EVERY === 0) await this.sweep();
    const { tokens, granted } = rows[0];
    return granted
      ? { ok: true, remaining: Math.floor(tokens) }
      : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
  }

  /** Deletes this scope's buckets untouched for a window: they are full again. */
  async sweep(): Promise<void> {
    await this.pool.query(
      `DELETE FROM rate_limit_bucket
        WHERE at < clock_timestamp() - make_interval(secs => $1) AND key LIKE $2`,
      [this.windowMs / 1000, `${this.scope.replace(/[\\%_]/g, '\\$&')}:%`],
    );
  }
}
