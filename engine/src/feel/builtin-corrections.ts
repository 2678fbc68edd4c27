/**
 * Corrections of feelin's built-in functions where its result differs from FEEL (DMN 1.3,
 * 10.3.4). feelin looks a function name up in the evaluation context before its built-ins, so a
 * context entry of the built-in's name takes its place; every evaluation Kontor runs puts these
 * entries beneath its own variables, which still win over them (as they win over a built-in):
 *
 *   evaluate(text, { ...builtinCorrections, ...variables });
 *
 * Pure: no I/O; it must change nothing but the functions it lists. Each correction keeps the
 * built-in's parameter names, so named arguments (`from: ..., to: ...`) still bind.
 */
import { FeelDate, FeelDateTime, FeelDuration, FeelFunction, duration } from 'feelin';

/**
 * `years and months duration(from, to)`: the whole years and months from `from` to `to`, the
 * remaining days dropped and the sign kept; a date and time counts by its date. feelin keeps
 * the days (`P1Y8M2D` from 2011-12-22 to 2013-08-24, where FEEL says `P1Y8M`). Months count
 * as java.time's `Period.between` counts them (Drools computes the function so): a month is
 * whole once the day of month of `from` is reached. Null when an argument is not a date or a
 * date and time, as feelin's built-in gives.
 */
export function yearsAndMonthsDuration(from: unknown, to: unknown): FeelDuration | null {
  const start = calendarDate(from);
  const end = calendarDate(to);
  if (start === undefined || end === undefined) return null;
  let months = end.year * 12 + end.month - (start.year * 12 + start.month);
  if (months > 0 && end.day < start.day) months--;
  else if (months < 0 && end.day > start.day) months++;
  return duration(`${months < 0 ? '-' : ''}P${Math.abs(months)}M`);
}

/** The calendar date of a date or date and time (or of a list holding one, as FEEL unwraps it). */
function calendarDate(value: unknown): FeelDate | FeelDateTime | undefined {
  const item = Array.isArray(value) && value.length === 1 ? (value[0] as unknown) : value;
  return item instanceof FeelDate || item instanceof FeelDateTime ? item : undefined;
}

/** Context entries, by built-in name, that replace feelin's built-in of that name. */
export const builtinCorrections: Readonly<Record<string, FeelFunction>> = Object.freeze({
  'years and months duration': new FeelFunction(yearsAndMonthsDuration, ['from', 'to']),
});
