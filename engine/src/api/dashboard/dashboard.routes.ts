/**
 * The dashboard's numbers (role auditor; admin too), counted in the database from the engine's
 * tables, never from a loaded list:
 * - `GET /api/dashboard?days=14` → `{ runningInstances, openIncidents, openTasks,
 *   completedPerDay: [{ day, bpmnProcessId, count }] }` for the last `days` days (1–90, UTC days)
 *
 * Open tasks are the live jobs of type `io.camunda.zeebe:userTask`, the jobs that the tasklist
 * takes: the count is the same whether or not a tasklist has picked them up yet.
 */
import { Router } from 'express';
import { USER_TASK_JOB_TYPE } from '../../bpmn/compile-bpmn.js';
import type { Pool } from '../../state/database.js';
import { requireRole } from '../auth/auth.middleware.js';
import { errorResponses, jsonResponse, type OpenApiContribution } from '../openapi.js';

export interface Dashboard {
  readonly runningInstances: number;
  readonly openIncidents: number;
  readonly openTasks: number;
  readonly days: number;
  readonly completedPerDay: { day: string; bpmnProcessId: string; count: number }[];
}

export async function readDashboard(
  pool: Pool,
  days: number,
  now = new Date(),
): Promise<Dashboard> {
  const since = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)),
  );
  const [counts, completed] = await Promise.all([
    pool.query<{ running: number; incidents: number; tasks: number }>(
      `SELECT (SELECT count(*)::int FROM engine_process_instance WHERE state = 'ACTIVE') AS running,
              (SELECT count(*)::int FROM engine_state WHERE kind = 'incident') AS incidents,
              (SELECT count(*)::int FROM engine_state
                WHERE kind = 'job' AND data->>'type' = $1) AS tasks`,
      [USER_TASK_JOB_TYPE],
    ),
    pool.query<{ day: string; bpmn_process_id: string; count: number }>(
      `SELECT to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, bpmn_process_id,
              count(*)::int AS count
         FROM engine_process_instance
        WHERE state = 'COMPLETED' AND ended_at >= $1
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [since],
    ),
  ]);
  const row = counts.rows[0];
  return {
    runningInstances: row.running,
    openIncidents: row.incidents,
    openTasks: row.tasks,
    days,
    completedPerDay: completed.rows.map((r) => ({
      day: r.day,
      bpmnProcessId: r.bpmn_process_id,
      count: r.count,
    })),
  };
}

export function dashboardRoutes(pool: Pool): Router {
  const router = Router();
  router.get('/api/dashboard', requireRole('auditor'), async (req, res) => {
    const days = req.query.days === undefined ? 14 : Number(req.query.days);
    if (!Number.isInteger(days) || days < 1 || days > 90) {
      res.status(400).json({
        error: 'bad_request',
        message: `Query parameter 'days' must be a whole number from 1 to 90, but was '${req.query.days}'`,
      });
      return;
    }
    res.json(await readDashboard(pool, days));
  });
  return router;
}

export const dashboardOpenApi: OpenApiContribution = {
  paths: {
    '/api/dashboard': {
      get: {
        summary: 'Running instances, open incidents, open user tasks, completions per day',
        'x-roles': ['auditor'],
        parameters: [
          {
            name: 'days',
            in: 'query',
            description: 'How many days back completions are counted (UTC days, today included)',
            schema: { type: 'integer', minimum: 1, maximum: 90, default: 14 },
          },
        ],
        responses: {
          200: jsonResponse('The numbers', {
            type: 'object',
            properties: {
              runningInstances: { type: 'integer' },
              openIncidents: { type: 'integer' },
              openTasks: { type: 'integer' },
              days: { type: 'integer' },
              completedPerDay: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    day: { type: 'string', format: 'date' },
                    bpmnProcessId: { type: 'string' },
                    count: { type: 'integer' },
                  },
                },
              },
            },
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
  },
};
