// Timer values as Camunda 8's "Timer events" page defines them: ISO 8601 durations, dates with
// offset or zone id, repeating intervals R[n]/[start/]duration, and cron expressions.
import { describe, expect, it } from 'vitest';
import { addDuration, nextCronTime, nextCycle, parseDateTime, scheduleTimer } from './timers.js';

const at = (iso: string) => Date.parse(iso);

describe('durations', () => {
  it.each([
    ['PT15M', '2026-01-05T09:15:00Z'],
    ['P1DT2H', '2026-01-06T11:00:00Z'],
    ['P1W', '2026-01-12T09:00:00Z'],
    ['P1M', '2026-02-05T09:00:00Z'],
    ['PT0.5S', '2026-01-05T09:00:00.500Z'],
  ])('%s after 09:00 is %s', (duration, expected) => {
    expect(addDuration(duration, at('2026-01-05T09:00:00Z'))).toBe(at(expected));
  });

  it('refuses what is not a duration', () => {
    expect(addDuration('15 minutes', 0)).toBeUndefined();
    expect(addDuration('P', 0)).toBeUndefined();
    expect(scheduleTimer('duration', 'PT', 0)).toMatch(/not an ISO 8601 duration/);
  });
});

describe('dates', () => {
  it('reads offsets and zone ids, across daylight saving time', () => {
    expect(parseDateTime('2026-12-24T18:00:00+01:00')).toBe(at('2026-12-24T17:00:00Z'));
    expect(parseDateTime('2026-12-24T18:00:00[Europe/Berlin]')).toBe(at('2026-12-24T17:00:00Z'));
    expect(parseDateTime('2026-07-01T18:00:00[Europe/Berlin]')).toBe(at('2026-07-01T16:00:00Z'));
    expect(parseDateTime('2026-07-01T18:00:00[America/New_York]')).toBe(at('2026-07-01T22:00:00Z'));
  });

  it('refuses a date without offset or zone, and unknown zones', () => {
    expect(parseDateTime('2026-12-24T18:00:00')).toBeUndefined();
    expect(parseDateTime('2026-12-24T18:00:00[Mars/Olympus]')).toBeUndefined();
  });
});

describe('cycles', () => {
  it('R3/PT10M fires three times, ten minutes apart', () => {
    const now = at('2026-01-05T09:00:00Z');
    const first = scheduleTimer('cycle', 'R3/PT10M', now);
    expect(first).toEqual({ dueAt: at('2026-01-05T09:10:00Z'), repetitionsLeft: 2 });
    const second = nextCycle('R3/PT10M', at('2026-01-05T09:10:00Z'), 2, at('2026-01-05T09:10:00Z'));
    expect(second).toEqual({ dueAt: at('2026-01-05T09:20:00Z'), repetitionsLeft: 1 });
    expect(
      nextCycle('R3/PT10M', at('2026-01-05T09:30:00Z'), 0, at('2026-01-05T09:30:00Z')),
    ).toBeUndefined();
  });

  it('a cycle with a start fires first at the start', () => {
    expect(
      scheduleTimer('cycle', 'R/2026-02-01T00:00:00Z/P1D', at('2026-01-05T09:00:00Z')),
    ).toEqual({
      dueAt: at('2026-02-01T00:00:00Z'),
      repetitionsLeft: -1,
    });
  });

  it('an overdue cycle fires once and then keeps its rhythm from now', () => {
    const next = nextCycle('R/PT1H', at('2026-01-05T09:00:00Z'), -1, at('2026-01-05T15:30:00Z'));
    expect(next).toEqual({ dueAt: at('2026-01-05T16:30:00Z'), repetitionsLeft: -1 });
  });

  it('cron: seconds first, names for days and months', () => {
    const monday = at('2026-01-05T09:00:00Z');
    expect(nextCronTime('0 0 9 * * MON-FRI', monday)).toBe(at('2026-01-06T09:00:00Z'));
    expect(nextCronTime('0 30 8 * * SAT', monday)).toBe(at('2026-01-10T08:30:00Z'));
    expect(nextCronTime('0 */15 * * * *', at('2026-01-05T09:07:00Z'))).toBe(
      at('2026-01-05T09:15:00Z'),
    );
    expect(nextCronTime('0 0 0 1 JAN *', monday)).toBe(at('2027-01-01T00:00:00Z'));
    expect(nextCronTime('0 0 9 * *', monday)).toMatch(/six fields/);
    expect(nextCronTime('0 0 25 * * *', monday)).toMatch(/not a valid cron/);
  });
});
