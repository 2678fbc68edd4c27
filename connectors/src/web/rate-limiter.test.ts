// The web intake's rate limit on the real database: buckets shared by limiters (as by two
// Kontor processes), refilled over time, swept when idle.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  type TestDatabase,
} from '../../../engine/src/testing/test-database.js';
import { RateLimiter } from './rate-limiter.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());
beforeEach(() => db.truncate());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RateLimiter', () => {
  it('allows a burst of the limit, then refuses with the seconds until the next token', async () => {
    // given 3 requests per minute
    const limiter = new RateLimiter(db.pool, 'web-intake', { limit: 3, windowMs: 60_000 });

    // when
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await limiter.take('198.51.100.7'));

    // then
    expect(verdicts.slice(0, 3)).toEqual([
      { ok: true, remaining: 2 },
      { ok: true, remaining: 1 },
      { ok: true, remaining: 0 },
    ]);
    expect(verdicts[3].ok).toBe(false);
    // one token per 20 s
    const retry = (verdicts[3] as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(retry).toBeGreaterThanOrEqual(19);
    expect(retry).toBeLessThanOrEqual(20);
  });

  it('counts every process on the database against one limit, per client and scope', async () => {
    // given two limiters, as in two Kontor processes
    const first = new RateLimiter(db.pool, 'web-intake', { limit: 2 });
    const second = new RateLimiter(db.pool, 'web-intake', { limit: 2 });
    const otherScope = new RateLimiter(db.pool, 'status', { limit: 2 });

    // when
    const a = await first.take('198.51.100.7');
    const b = await second.take('198.51.100.7');
    const c = await first.take('198.51.100.7');

    // then
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, false]);
    expect((await second.take('203.0.113.9')).ok).toBe(true);
    expect((await otherScope.take('198.51.100.7')).ok).toBe(true);
  });

  it('takes one token per request under concurrent requests', async () => {
    // given
    const limiter = new RateLimiter(db.pool, 'web-intake', { limit: 5 });

    // when 20 requests at once
    const verdicts = await Promise.all(
      Array.from({ length: 20 }, () => limiter.take('198.51.100.7')),
    );

    // then
    expect(verdicts.filter((v) => v.ok)).toHaveLength(5);
  });

  it('refills continuously', async () => {
    // given 2 requests per 400 ms, both taken
    const limiter = new RateLimiter(db.pool, 'web-intake', { limit: 2, windowMs: 400 });
    await limiter.take('198.51.100.7');
    await limiter.take('198.51.100.7');
    expect((await limiter.take('198.51.100.7')).ok).toBe(false);

    // when one token's time (200 ms) passed
    await sleep(250);

    // then
    expect((await limiter.take('198.51.100.7')).ok).toBe(true);
    expect((await limiter.take('198.51.100.7')).ok).toBe(false);
  });

  it('sweeps its idle buckets only', async () => {
    // given
    const limiter = new RateLimiter(db.pool, 'web-intake', { limit: 2, windowMs: 100 });
    const other = new RateLimiter(db.pool, 'web_intake2', { limit: 2, windowMs: 100 });
    await limiter.take('198.51.100.7');
    await other.take('198.51.100.7');
    await sleep(150);

    // when
    await limiter.sweep();

    // then
    const { rows } = await db.pool.query<{ key: string }>('SELECT key FROM rate_limit_bucket');
    expect(rows.map((r) => r.key)).toEqual(['web_intake2:198.51.100.7']);
  });

  it('refuses a limit below one request', () => {
    expect(() => new RateLimiter(db.pool, 'web-intake', { limit: 0 })).toThrow(/at least 1/);
  });
});
