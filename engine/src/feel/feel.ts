/**
 * FEEL for the engine: expressions as Zeebe reads them. A value that starts with `=` is a FEEL
 * expression; anything else is a static value (a string). Evaluation never throws for a problem
 * in the expression or the data: it returns a failure that the caller turns into an incident.
 *
 *   const result = evaluateExpression('=amount > 100', { amount: 250 });
 *   if (!result.ok) raiseIncident(result.message);
 *
 * feelin provides the FEEL language; the Camunda extension functions it lacks (listed by
 * `@camunda/feel-builtins`) are added here so that expressions written for Camunda 8 evaluate,
 * and the built-ins it gets wrong are replaced by their corrections (builtin-corrections).
 */
import { randomUUID } from 'node:crypto';
import { evaluate, parseExpression } from 'feelin';
import { builtinCorrections } from './builtin-corrections.js';

export type FeelResult =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** Values of a FEEL context: variables and functions by name. */
export type FeelContext = Record<string, unknown>;

const camundaExtensions: FeelContext = {
  'is defined': (value: unknown) => value !== null && value !== undefined,
  'is empty': (list: unknown) => Array.isArray(list) && list.length === 0,
  'is blank': (text: unknown) => typeof text === 'string' && text.trim() === '',
  trim: (text: unknown) => (typeof text === 'string' ? text.trim() : null),
  uuid: () => randomUUID(),
  'random number': () => Math.random(),
  'to json': (value: unknown) => JSON.stringify(value ?? null),
  'from json': (text: unknown) => {
    if (typeof text !== 'string') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  },
  'to base64': (text: unknown) =>
    typeof text === 'string' ? Buffer.from(text, 'utf8').toString('base64') : null,
  'from base64': (text: unknown) =>
    typeof text === 'string' ? Buffer.from(text, 'base64').toString('utf8') : null,
  partition: (list: unknown, size: unknown) => {
    if (!Array.isArray(list) || typeof size !== 'number' || size < 1) return null;
    const parts: unknown[][] = [];
    for (let i = 0; i < list.length; i += size) parts.push(list.slice(i, i + size));
    return parts;
  },
  'duplicate values': (list: unknown) => {
    if (!Array.isArray(list)) return null;
    const seen = new Set<string>();
    const duplicates = new Map<string, unknown>();
    for (const item of list) {
      const id = JSON.stringify(item);
      if (seen.has(id)) duplicates.set(id, item);
      seen.add(id);
    }
    return [...duplicates.values()];
  },
  extract: (text: unknown, pattern: unknown) =>
    typeof text === 'string' && typeof pattern === 'string'
      ? [...text.matchAll(new RegExp(pattern, 'g'))].map((match) => match[0])
      : null,
};

/** What every expression sees beneath its variables, which win over it. */
const functions: FeelContext = { ...builtinCorrections, ...camundaExtensions };

/** True when the value is a FEEL expression in Zeebe's notation (leading `=`). */
export function isExpression(value: string): boolean {
  return value.trimStart().startsWith('=');
}

function expressionBody(value: string): string {
  return value.trimStart().slice(1);
}

/** Checks an expression's syntax at deploy time; returns the problem or undefined. */
export function checkExpression(value: string): string | undefined {
  if (!isExpression(value)) return undefined;
  const body = expressionBody(value);
  if (body.trim() === '') return 'the expression is empty after "="';
  try {
    const tree = parseExpression(body, functions, undefined);
    let problem: string | undefined;
    tree.iterate({
      enter(node) {
        if (node.type.isError && problem === undefined) {
          problem = `unexpected input at position ${node.from + 1}`;
        }
      },
    });
    return problem;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Evaluates a FEEL expression (or returns the static value). A missing variable yields `null`
 * as in Camunda 8; a syntax or invocation error yields a failure.
 */
export function evaluateExpression(value: string, variables: FeelContext): FeelResult {
  if (!isExpression(value)) return { ok: true, value };
  const body = expressionBody(value);
  try {
    const result = evaluate(body, { ...functions, ...variables });
    const failure = result.warnings.find(
      (warning) =>
        warning.type === 'FUNCTION_INVOCATION_FAILURE' || warning.type === 'NO_FUNCTION_FOUND',
    );
    if (failure) {
      return { ok: false, message: `failed to evaluate expression '${body}': ${failure.message}` };
    }
    return { ok: true, value: toJson(result.value) };
  } catch (error) {
    return {
      ok: false,
      message: `failed to evaluate expression '${body}': ${(error as Error).message}`,
    };
  }
}

/** FEEL values (dates, durations, ranges) as the JSON values that variables hold. */
function toJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return String(value);
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJson(v)]),
    );
  }
  if (typeof value === 'function') return null;
  return value;
}
