/**
 * FEEL values at the edges of the DMN library: checking a value against a DMN type, turning the
 * JSON values of process variables into FEEL values (an ISO string for a `date` input becomes a
 * date) and FEEL results back into JSON (dates, times and durations as ISO strings, as Camunda 8
 * stores them in variables). Evaluation of FEEL text (compiled once per text, in compiled-feel)
 * is re-exported here; a failure is always a value, never an exception.
 */
import {
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelFunction,
  FeelTime,
  date,
  dateAndTime,
  duration,
  evaluate,
  time,
  toFeel,
} from 'feelin';
import { testFeel } from './compiled-feel.js';
import type { BaseTypeName, DmnType } from './dmn-model.js';

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export { evaluateFeel, testFeel } from './compiled-feel.js';

/** FEEL equality (so that dates, durations and contexts compare by value). */
export function feelEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  // numbers, strings and booleans that are not identical are different (or of different types)
  if (isPrimitive(a) && isPrimitive(b)) return false;
  try {
    return evaluate('a = b', { a, b }).value === true;
  } catch {
    return false;
  }
}

function isPrimitive(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

/** The FEEL type name of a value, for messages. */
export function feelTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof FeelDate) return 'date';
  if (value instanceof FeelTime) return 'time';
  if (value instanceof FeelDateTime) return 'date and time';
  if (value instanceof FeelDuration) {
    return value.yearsMonths ? 'years and months duration' : 'days and time duration';
  }
  if (Array.isArray(value)) return 'list';
  if (value instanceof FeelFunction || typeof value === 'function') return 'function';
  if (isContext(value)) return 'context';
  return 'unknown';
}

function isContext(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** Whether a value conforms to a DMN type; null conforms to every type. */
export function conforms(value: unknown, type: DmnType): boolean {
  if (value === null || value === undefined) return true;
  switch (type.kind) {
    case 'any':
      return true;
    case 'base':
      return feelTypeOf(value) === type.name && allowed(value, type.allowedValues);
    case 'collection':
      return (
        Array.isArray(value) &&
        value.every((item) => conforms(item, type.item)) &&
        allowed(value, type.allowedValues)
      );
    case 'structure':
      return (
        isContext(value) &&
        type.components.every(
          (component) => component.name in value && conforms(value[component.name], component.type),
        )
      );
  }
}

function allowed(value: unknown, allowedValues: string | undefined): boolean {
  if (allowedValues === undefined) return true;
  const result = testFeel(allowedValues, value, {});
  return result.ok && result.value;
}

/**
 * DMN's coercion of a value to a declared type: a singleton list becomes its element, an
 * element becomes a singleton list where a collection is expected, and a value that still does
 * not conform becomes null.
 */
export function coerceToType(value: unknown, type: DmnType): unknown {
  if (value === null || value === undefined) return null;
  if (type.kind === 'any') return value;
  if (type.kind !== 'collection' && Array.isArray(value) && value.length === 1) {
    const [element] = value as unknown[];
    if (conforms(element, type)) return element;
  }
  if (type.kind === 'collection' && !Array.isArray(value) && conforms(value, type.item)) {
    return [value];
  }
  return conforms(value, type) ? value : null;
}

/**
 * Turns a JSON value (a process variable) into the FEEL value its type asks for: ISO strings
 * become dates, times and durations; JavaScript Dates become date-times. Values that cannot be
 * converted are returned unchanged, for `conforms` to reject.
 */
export function fromJson(value: unknown, type: DmnType): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return toFeel(value);
  switch (type.kind) {
    case 'base':
      return typeof value === 'string' ? parseTemporal(value, type.name) : value;
    case 'collection':
      return Array.isArray(value) ? value.map((item) => fromJson(item, type.item)) : value;
    case 'structure':
      if (!isContext(value)) return value;
      return {
        ...value,
        ...Object.fromEntries(
          type.components
            .filter((component) => component.name in value)
            .map((component) => [component.name, fromJson(value[component.name], component.type)]),
        ),
      };
    default:
      return value;
  }
}

/**
 * Parsed temporal values by type and text: the same dates arrive again and again in process
 * variables, and feelin's values are immutable, so one parse serves them all.
 */
const TEMPORAL_CACHE_LIMIT = 10_000;
const temporals = new Map<BaseTypeName, Map<string, unknown>>(
  (
    [
      'date',
      'time',
      'date and time',
      'days and time duration',
      'years and months duration',
    ] as const
  ).map((name) => [name, new Map<string, unknown>()]),
);

function parseTemporal(text: string, name: BaseTypeName): unknown {
  const cache = temporals.get(name);
  if (!cache) return text;
  let parsed = cache.get(text);
  if (parsed === undefined) {
    if (cache.size >= TEMPORAL_CACHE_LIMIT) cache.clear();
    parsed = parseTemporalUncached(text, name);
    cache.set(text, parsed);
  }
  return parsed;
}

function parseTemporalUncached(text: string, name: BaseTypeName): unknown {
  const parsed = (() => {
    switch (name) {
      case 'date':
        return date(text);
      case 'time':
        return time(text);
      case 'date and time':
        return dateAndTime(text);
      case 'days and time duration':
      case 'years and months duration':
        return duration(text);
      default:
        return text;
    }
  })();
  return parsed ?? text;
}

/** A FEEL value as JSON: temporal values as ISO strings, functions as null. */
export function toJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index++) items[index] = toJson(value[index]);
    return items;
  }
  if (typeof value === 'function' || value instanceof FeelFunction) return null;
  if (isContext(value)) {
    // a loop, not Object.fromEntries: this runs for every record of every evaluation
    const json: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const item = toJson(value[key]);
      if (key === '__proto__') {
        Object.defineProperty(json, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else {
        json[key] = item;
      }
    }
    return json;
  }
  return String(value);
}

/** A short rendering of a value for error messages. */
export function describe(value: unknown): string {
  const text = JSON.stringify(toJson(value));
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
