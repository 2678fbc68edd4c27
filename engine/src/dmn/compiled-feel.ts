/**
 * FEEL text turned into JavaScript closures once, so that a decision table's cells are not
 * parsed again on every evaluation. It promises exactly feelin's results: the common shapes of
 * a cell (`-`, literals, comparisons and ranges with literal end points, lists of these, `not(...)`
 * of them, simple variable names and dotted paths) become direct predicates and lookups that
 * reuse feelin's own range and value types; anything else is handed to feelin as before.
 *
 *   const isAdult = compileUnaryTests('>= 18');
 *   isAdult(21, {}); // { ok: true, value: true }
 *   compileExpression('customer.age')({ customer: { age: 21 } }); // { ok: true, value: 21 }
 *
 * feelin (8.x) has no public way to evaluate a tree parsed earlier, so the text that takes the
 * fallback is still parsed by feelin on each call; compiled closures are kept per text. The one
 * departure from feelin's results: where a feelin built-in differs from FEEL, the fallback puts
 * its correction (`builtinCorrections`) beneath the scope, and feelin calls that instead.
 */
import {
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelRange,
  FeelTime,
  evaluate,
  toFeel,
  unaryTest,
} from 'feelin';
import { builtinCorrections } from '../feel/builtin-corrections.js';
import type { Outcome } from './feel-values.js';

type Scope = Record<string, unknown>;

/** A compiled FEEL expression: its value in a scope, or a failure. */
export type FeelExpressionFn = (scope: Scope) => Outcome<unknown>;
/** Compiled unary tests: whether `value` (FEEL's `?`) passes them in a scope. */
export type FeelUnaryTestsFn = (value: unknown, scope: Scope) => Outcome<boolean>;

const MATCH: Outcome<boolean> = { ok: true, value: true };
const NO_MATCH: Outcome<boolean> = { ok: true, value: false };
const NULL_VALUE: Outcome<unknown> = { ok: true, value: null };

/** Warnings that mean the expression could not be evaluated, not that a value was null. */
const FAILURES = new Set(['NO_FUNCTION_FOUND']);

/** Evaluates FEEL text with feelin, parsing it; the fallback for shapes compiled below. */
function interpretExpression(text: string, context: Scope): Outcome<unknown> {
  try {
    // feelin copies the whole context on every call, so one more shallow copy costs little
    const { value, warnings } = evaluate(text, { ...builtinCorrections, ...context });
    const failure = warnings.find((warning) => FAILURES.has(warning.type));
    if (failure) return { ok: false, message: `'${text}' failed: ${failure.message}` };
    // FEEL numbers have no NaN or infinity: arithmetic that yields them has no value
    if (typeof value === 'number' && !Number.isFinite(value)) return NULL_VALUE;
    return { ok: true, value: value ?? null };
  } catch (error) {
    return { ok: false, message: `'${text}' failed: ${(error as Error).message}` };
  }
}

/** Runs unary tests with feelin, parsing them; the fallback for shapes compiled below. */
function interpretUnaryTests(text: string, value: unknown, context: Scope): Outcome<boolean> {
  try {
    const { value: matched, warnings } = unaryTest(text, {
      ...builtinCorrections,
      ...context,
      '?': value,
    });
    const failure = warnings.find((warning) => FAILURES.has(warning.type));
    if (failure) return { ok: false, message: `'${text}' failed: ${failure.message}` };
    return matched === true ? MATCH : NO_MATCH;
  } catch (error) {
    return { ok: false, message: `'${text}' failed: ${(error as Error).message}` };
  }
}

// Compiled closures per text. Bounded so that a stream of generated texts cannot grow it forever.
const CACHE_LIMIT = 20_000;
const expressions = new Map<string, FeelExpressionFn>();
const unaryTests = new Map<string, FeelUnaryTestsFn>();

function cached<T>(cache: Map<string, T>, text: string, build: (text: string) => T): T {
  let compiled = cache.get(text);
  if (compiled === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    compiled = build(text);
    cache.set(text, compiled);
  }
  return compiled;
}

/** The expression compiled once; later calls with the same text reuse it. */
export function compileExpression(text: string): FeelExpressionFn {
  return cached(expressions, text, buildExpression);
}

/** The unary tests compiled once; later calls with the same text reuse them. */
export function compileUnaryTests(text: string): FeelUnaryTestsFn {
  return cached(unaryTests, text, buildUnaryTests);
}

/** Compiled unary tests that answer without feelin, and so never fail. */
const infallible = new WeakSet<FeelUnaryTestsFn>();

/** Whether compiled unary tests always answer true or false, never with a failure. */
export function cannotFail(tests: FeelUnaryTestsFn): boolean {
  return infallible.has(tests);
}

function neverFailing(tests: FeelUnaryTestsFn): FeelUnaryTestsFn {
  infallible.add(tests);
  return tests;
}

/** Evaluates FEEL text; a failure is a value, never an exception. */
export function evaluateFeel(text: string, context: Scope): Outcome<unknown> {
  return compileExpression(text)(context);
}

/** Runs unary tests against `value`, which they see as `?`. */
export function testFeel(text: string, value: unknown, context: Scope): Outcome<boolean> {
  return compileUnaryTests(text)(value, context);
}

// ---------------------------------------------------------------------------------------------
// constants

/** Literals whose value does not depend on the scope: feelin folds temporal constructors too. */
const CONSTANT_SOURCE = String.raw`-?\d+(?:\.\d+)?|"[^"\\]*"|true|false|null|(?:date and time|date|time|duration)\(\s*"[^"\\]*"\s*\)|@"[^"\\]*"`;
const CONSTANT = new RegExp(`^(?:${CONSTANT_SOURCE})$`);
const COMPARISON = new RegExp(`^(<=|>=|!=|<|>|=)\\s*(${CONSTANT_SOURCE})$`);
const INTERVAL = new RegExp(
  `^([\\[\\]\\(])\\s*(${CONSTANT_SOURCE})\\s*\\.\\.\\s*(${CONSTANT_SOURCE})\\s*([\\[\\]\\)])$`,
);

/** The value of a constant literal, evaluated by feelin once; undefined when it has none. */
function constantValue(text: string): { value: unknown } | undefined {
  try {
    const { value, warnings } = evaluate(text, {});
    if (warnings.length > 0 || value === undefined) return undefined;
    return { value };
  } catch {
    return undefined;
  }
}

/** feelin's name for the type of a range end point; undefined for values that cannot be one. */
function rangeType(value: unknown): string | undefined {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof FeelDateTime) return 'date time';
  if (value instanceof FeelDuration) return 'duration';
  return undefined;
}

function range(
  start: unknown,
  end: unknown,
  startIncluded: boolean,
  endIncluded: boolean,
): FeelRange | undefined {
  const startType = start === null ? undefined : rangeType(start);
  const endType = end === null ? undefined : rangeType(end);
  const valueType = startType ?? endType;
  if (valueType === undefined) return undefined;
  if (start !== null && startType !== valueType) return undefined;
  if (end !== null && endType !== valueType) return undefined;
  return new FeelRange({
    start,
    end,
    'start included': startIncluded,
    'end included': endIncluded,
    valueType,
  });
}

/**
 * feelin coerces the context it is given (JavaScript Dates and Temporal values become FEEL
 * values, contexts and lists are copied); values read directly get the same treatment.
 */
function coerce(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(coerce);
  if (Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Scope).map(([key, entry]) => [key, coerce(entry)]),
    );
  }
  return toFeel(value);
}

// ---------------------------------------------------------------------------------------------
// expressions

const KEYWORDS = new Set([
  'true',
  'false',
  'null',
  'not',
  'and',
  'or',
  'in',
  'between',
  'instance',
  'of',
  'some',
  'every',
  'satisfies',
  'for',
  'return',
  'if',
  'then',
  'else',
  'function',
  'external',
  'date',
  'time',
  'duration',
]);
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function isPlainContext(value: unknown): value is Scope {
  return (
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
  );
}

function buildExpression(text: string): FeelExpressionFn {
  const trimmed = text.trim();
  if (CONSTANT.test(trimmed)) {
    const constant = constantValue(trimmed);
    if (constant && constant.value !== null) {
      const outcome: Outcome<unknown> = { ok: true, value: constant.value };
      return () => outcome;
    }
    if (constant) return () => NULL_VALUE;
  }
  if (PATH.test(trimmed)) {
    const names = trimmed.split('.');
    if (!names.some((name) => KEYWORDS.has(name))) return pathLookup(names, text);
  }
  return (scope) => interpretExpression(text, scope);
}

/**
 * A variable or a path into contexts, read directly when every step is an entry of a context;
 * anything else (a list on the way, a missing entry, a built-in function) goes to feelin.
 */
function pathLookup(names: readonly string[], text: string): FeelExpressionFn {
  // a variable may itself be called 'a.b'; feelin then reads it, not a path
  const dotted = names.length > 1;
  return (scope) => {
    if (dotted && Object.prototype.hasOwnProperty.call(scope, text.trim())) {
      return interpretExpression(text, scope);
    }
    let current: unknown = scope;
    for (const name of names) {
      if (!isPlainContext(current) || !Object.prototype.hasOwnProperty.call(current, name)) {
        return interpretExpression(text, scope);
      }
      current = current[name];
      if (current === undefined) return interpretExpression(text, scope);
    }
    if (current === null) return NULL_VALUE;
    if (typeof current === 'number' && !Number.isFinite(current)) return NULL_VALUE;
    return { ok: true, value: coerce(current) };
  };
}

// ---------------------------------------------------------------------------------------------
// unary tests

/** One positive test; true only where feelin's test gives true. */
type Test = (value: unknown) => boolean;

function buildUnaryTests(text: string): FeelUnaryTestsFn {
  const fallback: FeelUnaryTestsFn = (value, scope) => interpretUnaryTests(text, value, scope);
  const trimmed = text.trim();
  if (trimmed === '-') return neverFailing(() => MATCH);
  let negate = false;
  let body = trimmed;
  const not = /^not\s*\(([\s\S]*)\)$/.exec(trimmed);
  if (not) {
    negate = true;
    body = not[1];
  }
  const items = splitTests(body);
  if (!items) return fallback;
  const tests: Test[] = [];
  for (const item of items) {
    const test = compileTest(item.trim());
    if (!test) return fallback;
    tests.push(test);
  }
  const matches =
    tests.length === 1
      ? tests[0]
      : (value: unknown) => {
          for (const test of tests) if (test(value)) return true;
          return false;
        };
  return neverFailing((value) => {
    const probe = typeof value === 'object' && value !== null ? coerce(value) : value;
    return matches(probe) !== negate ? MATCH : NO_MATCH;
  });
}

/** Splits at top-level commas; undefined when the text has escapes or unbalanced parentheses. */
function splitTests(text: string): string[] | undefined {
  if (text.includes('\\')) return undefined;
  const items: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') inString = !inString;
    else if (inString) continue;
    else if (char === '(') depth++;
    else if (char === ')') {
      depth--;
      if (depth < 0) return undefined;
    } else if (char === ',' && depth === 0) {
      items.push(text.slice(start, index));
      start = index + 1;
    }
  }
  if (inString || depth !== 0) return undefined;
  items.push(text.slice(start));
  return items;
}

function compileTest(item: string): Test | undefined {
  if (CONSTANT.test(item)) {
    const constant = constantValue(item);
    if (!constant) return undefined;
    const { value } = constant;
    // a boolean literal test compares strictly with `?` (no singleton-list unwrapping)
    if (typeof value === 'boolean' || value === null) return (probe) => probe === value;
    return equalityTest(value);
  }
  const comparison = COMPARISON.exec(item);
  if (comparison) {
    const [, operator, operand] = comparison;
    const constant = constantValue(operand);
    if (!constant) return undefined;
    const { value } = constant;
    switch (operator) {
      case '=':
        return value === null ? (probe) => probe === null : equalityTest(value);
      case '!=':
        return inequalityTest(value);
      default: {
        if (value === null) return undefined;
        const bounds =
          operator === '<'
            ? range(null, value, false, false)
            : operator === '<='
              ? range(null, value, false, true)
              : operator === '>'
                ? range(value, null, false, false)
                : range(value, null, true, false);
        return bounds && rangeTest(bounds);
      }
    }
  }
  const interval = INTERVAL.exec(item);
  if (interval) {
    const [, open, startText, endText, close] = interval;
    const start = constantValue(startText);
    const end = constantValue(endText);
    if (!start || !end || start.value === null || end.value === null) return undefined;
    const bounds = range(start.value, end.value, open === '[', close === ']');
    return bounds && rangeTest(bounds);
  }
  return undefined;
}

/**
 * Membership in a range, as `FeelRange.includes` decides it. For a range of dates and a date,
 * which feelin compares through Temporal on every call, the days are compared as numbers.
 */
function rangeTest(bounds: FeelRange): Test {
  const generic: Test = (probe) => bounds.includes(probe) === true;
  switch (bounds.valueType) {
    case 'number':
      return orderedRangeTest(
        bounds,
        (value) => value as number,
        generic,
        (probe) => (typeof probe === 'number' ? probe : undefined),
      );
    case 'string':
      return orderedRangeTest(
        bounds,
        (value) => value as string,
        generic,
        (probe) => (typeof probe === 'string' ? probe : undefined),
      );
    case 'date':
      return orderedRangeTest(
        bounds,
        (value) => dayOf(value as FeelDate),
        generic,
        (probe) => (probe instanceof FeelDate ? dayOf(probe) : undefined),
      );
    default:
      return generic;
  }
}

/**
 * A range whose end points and probe compare as plain numbers or strings (what feelin's `cmp`
 * does with them); a probe of another type goes to `FeelRange.includes`.
 */
function orderedRangeTest<K extends number | string>(
  bounds: FeelRange,
  key: (value: unknown) => K,
  generic: Test,
  probeKey: (probe: unknown) => K | undefined,
): Test {
  let start = bounds.start === null ? null : key(bounds.start);
  let end = bounds.end === null ? null : key(bounds.end);
  let startIncluded = bounds['start included'];
  let endIncluded = bounds['end included'];
  // a descending range (`[10..1]`) is read in order, as feelin reads it
  if (start !== null && end !== null && start > end) {
    [start, end] = [end, start];
    [startIncluded, endIncluded] = [endIncluded, startIncluded];
  }
  return (probe) => {
    const value = probeKey(probe);
    if (value === undefined) return generic(probe);
    // the same three-way comparison as feelin's, so that NaN compares as feelin compares it
    if (start !== null) {
      const c = value < start ? -1 : value > start ? 1 : 0;
      if (startIncluded ? c < 0 : c <= 0) return false;
    }
    if (end !== null) {
      const c = value < end ? -1 : value > end ? 1 : 0;
      if (endIncluded ? c > 0 : c >= 0) return false;
    }
    return true;
  };
}

/** A date as feelin compares it (milliseconds of its midnight in UTC), worked out once per date. */
const days = new WeakMap<FeelDate, number>();
function dayOf(date: FeelDate): number {
  let day = days.get(date);
  if (day === undefined) {
    day = date.value.toZonedDateTime('UTC').epochMilliseconds;
    days.set(date, day);
  }
  return day;
}

/** FEEL `=` against a number, string or date, as feelin's `equals` decides it. */
function equalityTest(value: unknown): Test | undefined {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    return (probe) =>
      probe === value ||
      (Array.isArray(probe) && probe.length === 1 && (probe[0] as unknown) === value);
  }
  if (value instanceof FeelDate) {
    const day = dayOf(value);
    return (probe) => {
      const single = Array.isArray(probe) && probe.length === 1 ? (probe[0] as unknown) : probe;
      return single instanceof FeelDate && dayOf(single) === day;
    };
  }
  return undefined;
}

/** FEEL `!=`: true where `=` is false, neither where it is null (values of different types). */
function inequalityTest(value: unknown): Test | undefined {
  if (value === null) return (probe) => probe !== null;
  if (typeof value !== 'number' && typeof value !== 'string' && typeof value !== 'boolean') {
    return undefined;
  }
  const type = typeof value;
  return (probe) => {
    if (probe === null) return true;
    const single = Array.isArray(probe) && probe.length === 1 ? (probe[0] as unknown) : probe;
    if (Array.isArray(probe) && probe.length !== 1) return false;
    return typeof single === type && single !== value;
  };
}
