/**
 * User tasks for caseworkers (role caseworker; admin too):
 * - `GET /api/tasks?filter=&process=&variable=&sort=&order=&limit=&offset=` → `{ items, total }`.
 *   `filter` is a comma-separated list, combined with AND, of assigned-to-me, my-groups (a
 *   candidate group of mine, me a candidate user, or a task for anyone), unassigned, due-soon (within 24 h),
 *   overdue, completed (else open tasks only); `process` a BPMN process id; `variable` (repeatable)
 *   `name=value`, the value read as JSON when it parses (`amount=100`, `vip=true`) else as text;
 *   `sort` created (default), due or name; `order` asc (default) or desc.
 * - `GET /api/tasks/processes` → `{ items: [bpmnProcessId] }`, the processes that have tasks
 * - `GET /api/tasks/:key` → `{ task, form }`, form `{ schema, uiSchema, version }` (version null
 *   for a form from schemas/forms) or `{ error }` (unknown form key)
 * - `GET /api/tasks/:key/process` → `{ bpmnXml, elementId, bpmnProcessId, version, … }`
 * - `POST /api/tasks/:key/claim` → the task; 409 when someone else holds it, 403 when not a
 *   candidate, 410 when the engine no longer has it
 * - `POST /api/tasks/:key/unclaim` → the task; 409 when someone else holds it
 * - `POST /api/tasks/:key/complete` `{ variables }` → the task; 400 with JSON paths when the
 *   values do not match the form, 409 when not claimed by the caller, 422 for an unknown form
 */
import { Router, type Response } from 'express';
import { currentUser, requireRole } from '../api/auth/auth.middleware.js';
import { pageOf } from '../api/pagination.js';
import type { UserAction } from '../runtime/engine.js';
import type { Tasklist, TaskOutcome } from './tasklist.service.js';
import {
  TASK_FILTERS,
  TASK_SORTS,
  type TaskFilter,
  type TaskSort,
} from './user-task.repository.js';

const STATUS: Record<Exclude<TaskOutcome, { ok: true }>['reason'], number> = {
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  gone: 410,
  unknown_form: 422,
  invalid_form: 400,
};

const validKey = (key: string) => /^[1-9]\d{0,18}$/.test(key);

function answer(res: Response, outcome: TaskOutcome): void {
  if (outcome.ok) {
    res.json(outcome.task);
    return;
  }
  res.status(STATUS[outcome.reason]).json({
    error: outcome.reason,
    message: outcome.message,
    ...('problems' in outcome ? { problems: outcome.problems } : {}),
  });
}

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parseListQuery(query: Record<string, unknown>): Parsed<{
  filters: TaskFilter[];
  bpmnProcessId?: string;
  variables: { name: string; value: unknown }[];
  sort: TaskSort;
  order: 'asc' | 'desc';
}> {
  const filters = list(query.filter)
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  const unknown = filters.filter((f) => !(TASK_FILTERS as readonly string[]).includes(f));
  if (unknown.length > 0) {
    return {
      ok: false,
      message: `Query parameter 'filter' has unknown filters '${unknown.join("', '")}': expected a comma-separated list of ${TASK_FILTERS.join(', ')}`,
    };
  }
  const variables: { name: string; value: unknown }[] = [];
  for (const pair of list(query.variable)) {
    const eq = pair.indexOf('=');
    if (eq < 1) {
      return {
        ok: false,
        message: `Query parameter 'variable' must be name=value, but was '${pair}'`,
      };
    }
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // not JSON: compared as text
    }
    variables.push({ name: pair.slice(0, eq), value });
  }
  const sort = query.sort === undefined ? 'created' : String(query.sort);
  if (!(TASK_SORTS as readonly string[]).includes(sort)) {
    return {
      ok: false,
      message: `Query parameter 'sort' must be one of ${TASK_SORTS.join(', ')}, but was '${sort}'`,
    };
  }
  const order = query.order === undefined ? 'asc' : String(query.order);
  if (order !== 'asc' && order !== 'desc') {
    return {
      ok: false,
      message: `Query parameter 'order' must be asc or desc, but was '${order}'`,
    };
  }
  const process = query.process === undefined ? undefined : String(query.process).trim();
  return {
    ok: true,
    value: {
      filters: filters as TaskFilter[],
      bpmnProcessId: process || undefined,
      variables,
      sort: sort as TaskSort,
      order,
    },
  };
}

/**
 * `audit` receives what a caseworker did, for the engine's record chain (given when the tasklist
 * works against Kontor's own engine; a remote cluster keeps its own history).
 */
export function tasksRoutes(
  tasklist: Tasklist,
  audit?: (action: UserAction) => Promise<void>,
): Router {
  /** Answers, and on success writes the caseworker's action into the audit trail. */
  const answerAndRecord = async (
    res: Response,
    action: string,
    outcome: TaskOutcome,
    details?: Record<string, unknown>,
  ) => {
    if (outcome.ok && audit) {
      await audit({
        user: currentUser(res)?.username ?? '?',
        action,
        processInstanceKey: outcome.task.processInstanceKey,
        elementId: outcome.task.elementId,
        details: { taskKey: outcome.task.key, ...details },
      });
    }
    answer(res, outcome);
  };

  const router = Router();
  const caseworker = requireRole('caseworker');
  const notFound = (key: string) => ({
    error: 'not_found',
    message: `No user task with key '${key}'`,
  });

  router.get('/api/tasks', caseworker, async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const page = pageOf(query);
    const parsed = parseListQuery(query);
    if (!page.ok || !parsed.ok) {
      res.status(400).json({
        error: 'bad_request',
        message: !page.ok ? page.message : !parsed.ok ? parsed.message : '',
      });
      return;
    }
    const user = currentUser(res)!;
    res.json(
      await tasklist.tasks.list({
        ...parsed.value,
        viewer: { username: user.username, candidateGroups: user.candidateGroups },
        page: page.value,
      }),
    );
  });

  router.get('/api/tasks/processes', caseworker, async (_req, res) => {
    res.json({ items: await tasklist.tasks.processIds() });
  });

  router.get('/api/tasks/:key', caseworker, async (req, res) => {
    const key = String(req.params.key);
    const task = validKey(key) ? await tasklist.tasks.get(key) : undefined;
    if (!task) {
      res.status(404).json(notFound(key));
      return;
    }
    const form = task.formKey ? await tasklist.forms.load(task.formKey) : undefined;
    res.json({
      task,
      form:
        form === undefined
          ? null
          : form.ok
            ? { schema: form.schema, uiSchema: form.uiSchema, version: form.version ?? null }
            : { error: form.message },
    });
  });

  router.get('/api/tasks/:key/process', caseworker, async (req, res) => {
    const key = String(req.params.key);
    const task = validKey(key) ? await tasklist.tasks.get(key) : undefined;
    const context = task && (await tasklist.processContext(task));
    if (context) res.json(context);
    else if (task)
      res.status(404).json({
        error: 'not_found',
        message: `The process definition ${task.bpmnProcessId} version ${task.processVersion} of task ${key} is not deployed on this Kontor`,
      });
    else res.status(404).json(notFound(key));
  });

  router.post('/api/tasks/:key/claim', caseworker, async (req, res) => {
    const key = String(req.params.key);
    if (!validKey(key)) res.status(404).json(notFound(key));
    else await answerAndRecord(res, 'CLAIM_TASK', await tasklist.claim(key, currentUser(res)!));
  });

  router.post('/api/tasks/:key/unclaim', caseworker, async (req, res) => {
    const key = String(req.params.key);
    if (!validKey(key)) res.status(404).json(notFound(key));
    else await answerAndRecord(res, 'UNCLAIM_TASK', await tasklist.unclaim(key, currentUser(res)!));
  });

  router.post('/api/tasks/:key/complete', caseworker, async (req, res) => {
    const key = String(req.params.key);
    const body = req.body as { variables?: unknown } | undefined;
    const variables = body?.variables ?? {};
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      res.status(400).json({
        error: 'invalid_body',
        message: "The request body must be { variables: { … } }: 'variables' must be an object",
        problems: [{ path: '/variables', message: 'must be object' }],
      });
      return;
    }
    if (!validKey(key)) res.status(404).json(notFound(key));
    else
      await answerAndRecord(
        res,
        'COMPLETE_TASK',
        await tasklist.complete(key, currentUser(res)!, variables as Record<string, unknown>),
        { variables },
      );
  });

  return router;
}
