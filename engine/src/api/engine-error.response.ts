/**
 * Routes that send commands to the engine answer its refusals with the fitting HTTP status and
 * the engine's own message, which names the input and what was expected. Anything that is not
 * an `EngineError` is a bug and goes on to the server's error handler (500).
 *
 *   try { await engine.resolveIncident(key) } catch (e) { sendEngineError(res, e) }
 */
import type { Response } from 'express';
import { EngineError, type EngineErrorCode } from '../runtime/engine-error.js';

const STATUS: Record<EngineErrorCode, [number, string]> = {
  NOT_FOUND: [404, 'not_found'],
  INVALID_ARGUMENT: [400, 'bad_request'],
  FAILED_PRECONDITION: [409, 'conflict'],
  ALREADY_EXISTS: [409, 'conflict'],
  RESOURCE_EXHAUSTED: [503, 'unavailable'],
  DEADLINE_EXCEEDED: [504, 'timeout'],
  UNAVAILABLE: [503, 'unavailable'],
};

export function sendEngineError(res: Response, error: unknown): void {
  if (!(error instanceof EngineError)) throw error;
  const [status, name] = STATUS[error.code];
  res.status(status).json({ error: name, message: error.message });
}

/** Keys of the engine (process definitions, instances, incidents, jobs): positive 64-bit numbers. */
export const isEngineKey = (value: string): boolean => /^[1-9]\d{0,18}$/.test(value);
