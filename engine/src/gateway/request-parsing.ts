/**
 * Checks and converts the fields of gateway requests. Every failure is an
 * `InvalidRequestError` whose message names the field and what was expected, e.g.
 * "Expected argument 'timeout' to be at least 1 (ms), but was -5".
 */
import { InvalidRequestError } from './gateway-errors.js';
import type { Int64 } from './protocol.js';

/** Zeebe's document rule: variables are a JSON object (the empty string means none). */
export function parseVariables(field: string, json: string): Record<string, unknown> | undefined {
  if (json === undefined || json.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new InvalidRequestError(
      `Expected argument '${field}' to be a JSON document, but it could not be parsed: ${(error as Error).message}`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw new InvalidRequestError(
      `Expected argument '${field}' to be a JSON object (a root level document), but was ${kind}`,
    );
  }
  return value as Record<string, unknown>;
}

export function requireText(field: string, value: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidRequestError(
      `Expected argument '${field}' to be a non-empty string, but it was empty`,
    );
  }
  return value;
}

/** A key field: a positive 64-bit integer. */
export function requireKey(field: string, value: Int64): string {
  if (!/^[1-9]\d{0,18}$/.test(String(value))) {
    throw new InvalidRequestError(
      `Expected argument '${field}' to be a positive key, but was '${value}'`,
    );
  }
  return String(value);
}

/** An int64 or int32 field that must be at least `min`; returns a JS number (ms, counts). */
export function requireAtLeast(
  field: string,
  value: Int64 | number,
  min: number,
  unit = '',
): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new InvalidRequestError(
      `Expected argument '${field}' to be at least ${min}${unit ? ` (${unit})` : ''}, but was ${value}`,
    );
  }
  return n;
}

/** '' → undefined, so that the engine applies `<default>`. */
export function optionalTenant(tenantId: string | undefined): string | undefined {
  return tenantId === undefined || tenantId === '' ? undefined : tenantId;
}

export function optionalKey(value: Int64 | undefined): string | undefined {
  // 0 and -1 are how clients say "none" (the SDK's examples use -1 for "no ancestor")
  return value === undefined || value === '0' || value === '' || String(value) === '-1'
    ? undefined
    : String(value);
}
