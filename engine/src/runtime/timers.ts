/**
 * Timer values as Zeebe reads them: ISO 8601 durations (`PT15M`, `P1DT2H`, `P1W`), dates with an
 * offset or a zone id (`2026-12-24T18:00:00[Europe/Berlin]`), cycles (`R5/PT10S`,
 * `R/2026-01-01T00:00:00Z/P1D`) and cron expressions (`0 0 9 * * MON-FRI`, seconds first, as in
 * Zeebe). Every function is pure and takes "now" as an argument, so timers are tested with a
 * controllable clock.
 */

export interface TimerSchedule {
  /** ms since the epoch */
  readonly dueAt: number;
  /** firings left after this one: -1 = unbounded, 0 = none */
  readonly repetitionsLeft: number;
}

const DURATION =
  /^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Adds an ISO 8601 duration to a time; undefined when the text is not a duration. */
export function addDuration(text: string, from: number): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === 'P' || text.trim().endsWith('T')) return undefined;
  const [, negative, years, months, weeks, days, hours, minutes, seconds] = match;
  const sign = negative ? -1 : 1;
  const date = new Date(from);
  if (years || months) {
    date.setUTCMonth(date.getUTCMonth() + sign * (Number(years ?? 0) * 12 + Number(months ?? 0)));
  }
  const ms =
    (Number(weeks ?? 0) * 7 * 86_400 +
      Number(days ?? 0) * 86_400 +
      Number(hours ?? 0) * 3_600 +
      Number(minutes ?? 0) * 60 +
      Number(seconds ?? 0)) *
    1000;
  return date.getTime() + sign * ms;
}

/** Parses a date-time with an offset (`Z`, `+01:00`) or a zone id in brackets. */
export function parseDateTime(text: string): number | undefined {
  const trimmed = text.trim();
  const zoned = /^(.*?)(?:\[([^\]]+)\])$/.exec(trimmed);
  if (zoned) {
    const [, local = '', zone = ''] = zoned;
    if (/(Z|[+-]\d\d:\d\d)$/.test(local)) return parseDateTime(local);
    return zonedTime(local, zone);
  }
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(trimmed))
    return undefined;
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? undefined : time;
}

/** The instant of a local date-time in a time zone (IANA id). */
function zonedTime(local: string, zone: string): number | undefined {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(local)) return undefined;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    return undefined;
  }
  const asUtc = Date.parse(`${local}Z`);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      formatter.formatToParts(instant).map((p) => [p.type, p.value]),
    );
    const wall = Date.UTC(
      Number(parts.year),
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return wall - Math.floor(instant / 1000) * 1000;
  };
  // two rounds settle the offset across a daylight-saving change
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return guess + (asUtc % 1000);
}

/** The first firing of a timer; undefined with a reason when the value cannot be read. */
export function scheduleTimer(
  timerType: 'duration' | 'date' | 'cycle',
  value: string,
  now: number,
): TimerSchedule | string {
  const text = value.trim();
  if (timerType === 'duration') {
    const dueAt = addDuration(text, now);
    return dueAt === undefined
      ? `'${text}' is not an ISO 8601 duration (e.g. PT15M)`
      : { dueAt, repetitionsLeft: 0 };
  }
  if (timerType === 'date') {
    const dueAt = parseDateTime(text);
    return dueAt === undefined
      ? `'${text}' is not an ISO 8601 date-time with an offset or a zone id (e.g. 2026-12-24T18:00:00Z)`
      : { dueAt, repetitionsLeft: 0 };
  }
  return firstCycle(text, now);
}

function firstCycle(text: string, now: number): TimerSchedule | string {
  if (!text.startsWith('R')) {
    const next = nextCronTime(text, now);
    return typeof next === 'number' ? { dueAt: next, repetitionsLeft: -1 } : next;
  }
  const parts = text.split('/');
  const repetitions = parts[0] === 'R' ? -1 : Number(parts[0]?.slice(1));
  if (!Number.isInteger(repetitions) || parts.length < 2 || parts.length > 3) {
    return `'${text}' is not a cycle: expected R[n]/[start/]duration or a cron expression`;
  }
  const interval = parts[parts.length - 1] ?? '';
  const start = parts.length === 3 ? parseDateTime(parts[1] ?? '') : now;
  if (start === undefined) return `'${text}': the start '${parts[1]}' is not an ISO 8601 date-time`;
  const dueAt = parts.length === 3 ? start : addDuration(interval, now);
  if (dueAt === undefined || addDuration(interval, 0) === undefined)
    return `'${text}': '${interval}' is not an ISO 8601 duration`;
  if (repetitions === 0) return `'${text}': a cycle needs at least one repetition`;
  return { dueAt, repetitionsLeft: repetitions < 0 ? -1 : repetitions - 1 };
}

/** The next firing of a cycle after one fired at `firedAt`; undefined when it is done. */
export function nextCycle(
  text: string,
  firedAt: number,
  repetitionsLeft: number,
  now: number,
): TimerSchedule | undefined {
  if (repetitionsLeft === 0) return undefined;
  const trimmed = text.trim();
  const remaining = repetitionsLeft < 0 ? -1 : repetitionsLeft - 1;
  if (!trimmed.startsWith('R')) {
    const next = nextCronTime(trimmed, Math.max(firedAt, now));
    return typeof next === 'number' ? { dueAt: next, repetitionsLeft: -1 } : undefined;
  }
  const interval = trimmed.split('/').at(-1) ?? '';
  let dueAt = addDuration(interval, firedAt);
  if (dueAt === undefined) return undefined;
  // an overdue cycle (after a restart) fires once, then keeps its rhythm from now on
  if (dueAt <= now) dueAt = addDuration(interval, now) ?? now;
  return { dueAt, repetitionsLeft: remaining };
}

/** The problem with a static timer value, or undefined. */
export function checkTimer(
  timerType: 'duration' | 'date' | 'cycle',
  value: string,
): string | undefined {
  const result = scheduleTimer(timerType, value, Date.UTC(2026, 0, 1));
  return typeof result === 'string' ? `timer ${timerType} ${result}` : undefined;
}

// --- cron (Spring/Zeebe style: second minute hour day-of-month month day-of-week) -----------------

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];

function cronField(
  text: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = 0,
): Set<number> | undefined {
  const values = new Set<number>();
  for (const part of text.toUpperCase().split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return undefined;
    const value = (token: string) => {
      const named = names.indexOf(token);
      return named >= 0 ? named + nameBase : Number(token);
    };
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = value(a);
      to = value(b);
    } else {
      from = value(range);
      to = stepText === undefined ? from : max;
    }
    if (!Number.isInteger(from) || !Number.isInteger(to) || from < min || to > max || from > to)
      return undefined;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** The next time after `after` that matches a cron expression (UTC), or a reason. */
export function nextCronTime(expression: string, after: number): number | string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `'${expression}' is not a cycle: expected R[n]/[start/]duration or a cron expression with six fields (second minute hour day month weekday)`;
  }
  const [sec, min, hour, dom, month, dow] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const seconds = cronField(sec, 0, 59);
  const minutes = cronField(min, 0, 59);
  const hours = cronField(hour, 0, 23);
  const days = cronField(dom, 1, 31);
  const months = cronField(month, 1, 12, MONTH_NAMES, 1);
  const weekdays = cronField(dow.replace(/\b7\b/, '0'), 0, 6, DAY_NAMES, 0);
  if (!seconds || !minutes || !hours || !days || !months || !weekdays)
    return `'${expression}' is not a valid cron expression`;
  const anyDay = dom === '*' || dom === '?';
  const anyWeekday = dow === '*' || dow === '?';
  const t = new Date(Math.floor(after / 1000) * 1000 + 1000);
  for (let guard = 0; guard < 4 * 366 * 24 * 60; guard++) {
    const dayMatches =
      (anyDay || days.has(t.getUTCDate())) && (anyWeekday || weekdays.has(t.getUTCDay()));
    if (!months.has(t.getUTCMonth() + 1) || !dayMatches) {
      t.setUTCHours(24, 0, 0, 0);
      continue;
    }
    if (!hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    for (let s = t.getUTCSeconds(); s < 60; s++) {
      if (seconds.has(s)) {
        t.setUTCSeconds(s, 0);
        return t.getTime();
      }
    }
    t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
  }
  return `'${expression}' never fires`;
}
