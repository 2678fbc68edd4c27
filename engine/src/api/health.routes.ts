/**
 * Liveness and readiness, for load balancers and orchestrators.
 *
 * - `GET /health/live`: 200 while the process serves HTTP at all.
 * - `GET /health/ready`: 200 when the database answers and every migration is applied; 503 with
 *   the failing checks otherwise, and from the moment a shutdown begins.
 */
import { Router } from 'express';
import type { Pool } from '../state/database.js';
import type { Migrator } from '../state/migrator.js';

export interface ReadinessSource {
  readonly pool: Pool;
  readonly migrator: Migrator;
  /** False once shutdown has begun. */
  isAccepting(): boolean;
}

interface Check {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

export function healthRoutes(source: ReadinessSource): Router {
  const router = Router();
  router.get('/health/live', (_req, res) => {
    res.json({ status: 'live' });
  });
  router.get('/health/ready', async (_req, res) => {
    const checks = await readinessChecks(source);
    const ready = checks.every((c) => c.ok);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return router;
}

async function readinessChecks(source: ReadinessSource): Promise<Check[]> {
  if (!source.isAccepting()) return [{ name: 'accepting', ok: false, detail: 'shutting down' }];
  try {
    await withTimeout(source.pool.query('SELECT 1'), 2000, 'no answer within 2 s');
  } catch (error) {
    return [{ name: 'database', ok: false, detail: (error as Error).message }];
  }
  const status = await source.migrator.status();
  const unapplied = [...status.pending, ...status.changed, ...status.missing].map((m) => m.name);
  return [
    { name: 'database', ok: true },
    unapplied.length === 0
      ? { name: 'migrations', ok: true }
      : {
          name: 'migrations',
          ok: false,
          detail: `not applied or inconsistent: ${unapplied.join(', ')}`,
        },
  ];
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
