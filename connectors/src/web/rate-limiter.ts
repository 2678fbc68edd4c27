/**
 * A token bucket per client key (the caller's IP address): `limit` requests per `windowMs`, refilled
 * continuously, so a burst of `limit` is allowed and then one request per `windowMs / limit`.
 * In memory, per process: enough for one Kontor; buckets that are full again are forgotten.
 *
 *   const limiter = new RateLimiter({ limit: 10, windowMs: 60_000 });
 *   const verdict = limiter.take(req.ip);
 *   if (!verdict.ok) res.set('Retry-After', String(verdict.retryAfterSeconds)).status(429);
 */
export interface RateLimit {
  /** requests allowed per window */
  readonly limit: number;
  /** @default 60000 (ms) */
  readonly windowMs?: number;
}

export type RateVerdict =
  | { readonly ok: true; readonly remaining: number }
  | { readonly ok: false; readonly retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly windowMs: number;

  constructor(
    private readonly options: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
  }

  take(key: string): RateVerdict {
    const now = this.now();
    const perMs = this.options.limit / this.windowMs;
    const bucket = this.buckets.get(key) ?? { tokens: this.options.limit, at: now };
    bucket.tokens = Math.min(this.options.limit, bucket.tokens + (now - bucket.at) * perMs);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.buckets.set(key, bucket);
      return { ok: false, retryAfterSeconds: Math.ceil((1 - bucket.tokens) / perMs / 1000) };
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.forgetFull(now);
    return { ok: true, remaining: Math.floor(bucket.tokens) };
  }

  private forgetFull(now: number): void {
    const perMs = this.options.limit / this.windowMs;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.options.limit) this.buckets.delete(key);
    }
  }
}
