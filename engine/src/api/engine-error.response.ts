/**
 * Routes that send commands to the engine answer its refusals with the fitting HTTP status and
 * the engine's own message, which names the input and what was expected. Anything that is not
 * an `EngineError` is a bug and goes on to the server's error handler (500).
 *
 *   try { await engine.resolveIncident(key) } catch (e) { sendEngineError(res, e) }
 */
import type { RequestHandler, Response } from 'express';
import { EngineError, type EngineErrorCode } from '../runtime/engine-error.js';
import type { Engine } from '../runtime/engine.js';
import { currentUser } from './auth/auth.middleware.js';

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

/**
 * The handler of a REST deletion of one kind of engine resource (a process definition, a
 * decision requirements graph): the key is looked up in that kind first — 404 otherwise, so a
 * key of another kind is never deleted through the route, and the user action can name what
 * was deleted — then the engine deletes it (its refusals mapped as above) and the deletion is
 * recorded as the signed-in user's action. 204 when done.
 *
 *   router.delete('/api/process-definitions/:key', analyst, deleteResourceHandler(engine, { ... }));
 */
export function deleteResourceHandler<T>(
  engine: Pick<Engine, 'deleteResource' | 'recordUserAction'>,
  kind: {
    /** what the key names, for the 404: 'process definition' */
    readonly what: string;
    readonly find: (key: string) => Promise<T | undefined>;
    readonly action: string;
    readonly details: (key: string, found: T | undefined) => Record<string, unknown>;
  },
): RequestHandler {
  return async (req, res) => {
    const key = String(req.params.key);
    const found = isEngineKey(key) ? await kind.find(key) : undefined;
    if (isEngineKey(key) && !found) {
      res.status(404).json({ error: 'not_found', message: `No ${kind.what} with key '${key}'` });
      return;
    }
    try {
      await engine.deleteResource(key);
      await engine.recordUserAction({
        user: currentUser(res)?.username ?? '?',
        action: kind.action,
        details: kind.details(key, found),
      });
      res.status(204).end();
    } catch (error) {
      sendEngineError(res, error);
    }
  };
}
