/**
 * The tasklist's user tasks in PostgreSQL (`user_task`): what the intake took from the Zeebe
 * gateway, who holds each task, and how it was completed.
 *
 * Promises: taking the same job twice (its lease ran out and it was taken again) updates the
 * task instead of duplicating it, and never undoes a claim or a completion. Lists are filtered,
 * sorted and paged in SQL; a list never carries variables.
 * Never: completes or changes anything in the engine — that is the tasklist service's job.
 *
 *   const tasks = new UserTaskRepository(pool);
 *   await tasks.upsertTaken([job]);
 *   const page = await tasks.list({ filters: ['my-groups'], user, sort: 'due', order: 'asc', page });
 */
import type { Pool, PoolClient } from '../state/database.js';

export type UserTaskState = 'open' | 'completed' | 'canceled';

/** The filters people expect in a tasklist; several are combined with AND. */
export const TASK_FILTERS = [
  'assigned-to-me',
  'my-groups',
  'unassigned',
  'due-soon',
  'overdue',
  'completed',
] as const;
export type TaskFilter = (typeof TASK_FILTERS)[number];

export const TASK_SORTS = ['created', 'due', 'name'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

/** "Due soon" means due within this many hours from now. */
export const DUE_SOON_HOURS = 24;

/** A job of type `io.camunda.zeebe:userTask` as the intake took it. */
export interface TakenUserTask {
  readonly jobKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly processVersion: number;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly tenantId: string;
  readonly name: string;
  readonly formKey: string | null;
  readonly assignee: string | null;
  readonly candidateGroups: string[];
  readonly candidateUsers: string[];
  readonly dueDate: string | null;
  readonly followUpDate: string | null;
  /** ms since the epoch */
  readonly jobDeadline: number | null;
  readonly variables: Record<string, unknown>;
}

export interface UserTaskSummary {
  readonly key: string;
  readonly name: string;
  readonly elementId: string;
  readonly bpmnProcessId: string;
  readonly processVersion: number;
  readonly processInstanceKey: string;
  readonly formKey: string | null;
  readonly assignee: string | null;
  readonly candidateGroups: string[];
  readonly candidateUsers: string[];
  readonly dueDate: string | null;
  readonly followUpDate: string | null;
  readonly state: UserTaskState;
  readonly createdAt: string;
  readonly completedAt: string | null;
  readonly completedBy: string | null;
}

export interface UserTask extends UserTaskSummary {
  readonly processDefinitionKey: string;
  readonly elementInstanceKey: string;
  readonly tenantId: string;
  readonly variables: Record<string, unknown>;
  readonly completionVariables: Record<string, unknown> | null;
}

/** Who is asking: their name and their candidate groups (from the user record). */
export interface TaskViewer {
  readonly username: string;
  readonly candidateGroups: readonly string[];
}

export interface TaskQuery {
  readonly viewer: TaskViewer;
  readonly filters: readonly TaskFilter[];
  readonly bpmnProcessId?: string;
  /** name=value pairs that the task's variables must contain */
  readonly variables?: readonly { name: string; value: unknown }[];
  readonly sort: TaskSort;
  readonly order: 'asc' | 'desc';
  readonly page: { limit: number; offset: number };
}

interface UserTaskRow {
  job_key: string;
  process_instance_key: string;
  process_definition_key: string;
  bpmn_process_id: string;
  process_version: number;
  element_id: string;
  element_instance_key: string;
  tenant_id: string;
  name: string;
  form_key: string | null;
  assignee: string | null;
  candidate_groups: string[];
  candidate_users: string[];
  due_at: Date | null;
  follow_up_at: Date | null;
  state: UserTaskState;
  created_at: Date;
  completed_at: Date | null;
  completed_by: string | null;
  variables?: Record<string, unknown>;
  completion_variables?: Record<string, unknown> | null;
}

const SUMMARY_COLUMNS = `job_key, process_instance_key, process_definition_key, bpmn_process_id,
  process_version, element_id, element_instance_key, tenant_id, name, form_key, assignee,
  candidate_groups, candidate_users, due_at, follow_up_at, state, created_at, completed_at,
  completed_by`;
const ALL_COLUMNS = `${SUMMARY_COLUMNS}, variables, completion_variables`;

const toSummary = (row: UserTaskRow): UserTaskSummary => ({
  key: row.job_key,
  name: row.name,
  elementId: row.element_id,
  bpmnProcessId: row.bpmn_process_id,
  processVersion: row.process_version,
  processInstanceKey: row.process_instance_key,
  formKey: row.form_key,
  assignee: row.assignee,
  candidateGroups: row.candidate_groups,
  candidateUsers: row.candidate_users,
  dueDate: row.due_at?.toISOString() ?? null,
  followUpDate: row.follow_up_at?.toISOString() ?? null,
  state: row.state,
  createdAt: row.created_at.toISOString(),
  completedAt: row.completed_at?.toISOString() ?? null,
  completedBy: row.completed_by,
});

const toTask = (row: UserTaskRow): UserTask => ({
  ...toSummary(row),
  processDefinitionKey: row.process_definition_key,
  elementInstanceKey: row.element_instance_key,
  tenantId: row.tenant_id,
  variables: row.variables ?? {},
  completionVariables: row.completion_variables ?? null,
});

/** A date header as a timestamp, or null when it is missing or not a date. */
function timestampOrNull(value: string | null): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export class UserTaskRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Stores taken jobs in one statement. A job taken again refreshes its variables and lease;
   * its claim and, for a finished task, its state stay as they are.
   */
  async upsertTaken(tasks: readonly TakenUserTask[]): Promise<void> {
    if (tasks.length === 0) return;
    const rows = tasks.map((t) => ({
      job_key: t.jobKey,
      process_instance_key: t.processInstanceKey,
      process_definition_key: t.processDefinitionKey,
      bpmn_process_id: t.bpmnProcessId,
      process_version: t.processVersion,
      element_id: t.elementId,
      element_instance_key: t.elementInstanceKey,
      tenant_id: t.tenantId,
      name: t.name,
      form_key: t.formKey,
      assignee: t.assignee,
      candidate_groups: t.candidateGroups,
      candidate_users: t.candidateUsers,
      due_at: timestampOrNull(t.dueDate),
      follow_up_at: timestampOrNull(t.followUpDate),
      job_deadline: t.jobDeadline === null ? null : new Date(t.jobDeadline).toISOString(),
      variables: t.variables,
    }));
    await this.pool.query(
      `INSERT INTO user_task (job_key, process_instance_key, process_definition_key,
              bpmn_process_id, process_version, element_id, element_instance_key, tenant_id, name,
              form_key, assignee, candidate_groups, candidate_users, due_at, follow_up_at,
              job_deadline, variables)
       SELECT t.job_key, t.process_instance_key, t.process_definition_key, t.bpmn_process_id,
              t.process_version, t.element_id, t.element_instance_key, t.tenant_id, t.name,
              t.form_key, t.assignee,
              ARRAY(SELECT jsonb_array_elements_text(t.candidate_groups)),
              ARRAY(SELECT jsonb_array_elements_text(t.candidate_users)),
              t.due_at, t.follow_up_at, t.job_deadline, t.variables
         FROM jsonb_to_recordset($1::jsonb) AS t(
              job_key bigint, process_instance_key bigint, process_definition_key bigint,
              bpmn_process_id text, process_version integer, element_id text,
              element_instance_key bigint, tenant_id text, name text, form_key text,
              assignee text, candidate_groups jsonb, candidate_users jsonb, due_at timestamptz,
              follow_up_at timestamptz, job_deadline timestamptz, variables jsonb)
       ON CONFLICT (job_key) DO UPDATE
          SET variables = EXCLUDED.variables, job_deadline = EXCLUDED.job_deadline
        WHERE user_task.state = 'open'`,
      [JSON.stringify(rows)],
    );
  }

  async list(query: TaskQuery): Promise<{ items: UserTaskSummary[]; total: number }> {
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where: string[] = [
      query.filters.includes('completed') ? `state = 'completed'` : `state = 'open'`,
    ];
    for (const filter of query.filters) {
      switch (filter) {
        case 'assigned-to-me':
          where.push(`assignee = ${param(query.viewer.username)}`);
          break;
        case 'my-groups':
          // a task for no group and no user in particular is anyone's (as isCandidate says)
          where.push(
            `(candidate_groups && ${param(query.viewer.candidateGroups)}::text[]
              OR candidate_users @> ARRAY[${param(query.viewer.username)}]::text[]
              OR (cardinality(candidate_groups) = 0 AND cardinality(candidate_users) = 0))`,
          );
          break;
        case 'unassigned':
          where.push('assignee IS NULL');
          break;
        case 'due-soon':
          where.push(
            `due_at >= now() AND due_at < now() + make_interval(hours => ${DUE_SOON_HOURS})`,
          );
          break;
        case 'overdue':
          where.push('due_at < now()');
          break;
        case 'completed':
          break;
      }
    }
    if (query.bpmnProcessId) where.push(`bpmn_process_id = ${param(query.bpmnProcessId)}`);
    for (const { name, value } of query.variables ?? []) {
      where.push(`variables @> ${param(JSON.stringify({ [name]: value }))}::jsonb`);
    }
    const direction = query.order === 'desc' ? 'DESC' : 'ASC';
    const orderBy = {
      created: `created_at ${direction}, job_key ${direction}`,
      due: `due_at ${direction} NULLS LAST, job_key ${direction}`,
      name: `name ${direction}, job_key ${direction}`,
    }[query.sort];
    const whereSql = where.join(' AND ');
    const countParams = [...params];
    const [items, total] = await Promise.all([
      this.pool.query<UserTaskRow>(
        `SELECT ${SUMMARY_COLUMNS} FROM user_task WHERE ${whereSql}
          ORDER BY ${orderBy} LIMIT ${param(query.page.limit)} OFFSET ${param(query.page.offset)}`,
        params,
      ),
      this.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM user_task WHERE ${whereSql}`,
        countParams,
      ),
    ]);
    return { items: items.rows.map(toSummary), total: Number(total.rows[0].n) };
  }

  /** The BPMN process ids that have tasks, for the "by process" filter. */
  async processIds(): Promise<string[]> {
    const { rows } = await this.pool.query<{ bpmn_process_id: string }>(
      'SELECT DISTINCT bpmn_process_id FROM user_task ORDER BY bpmn_process_id',
    );
    return rows.map((r) => r.bpmn_process_id);
  }

  async get(jobKey: string): Promise<UserTask | undefined> {
    const { rows } = await this.pool.query<UserTaskRow>(
      `SELECT ${ALL_COLUMNS} FROM user_task WHERE job_key = $1`,
      [jobKey],
    );
    return rows[0] && toTask(rows[0]);
  }

  /** Sets the assignee if the task is open and free or already theirs; the task, or undefined. */
  async claim(jobKey: string, username: string): Promise<UserTask | undefined> {
    const { rows } = await this.pool.query<UserTaskRow>(
      `UPDATE user_task SET assignee = $2
        WHERE job_key = $1 AND state = 'open' AND (assignee IS NULL OR assignee = $2)
        RETURNING ${ALL_COLUMNS}`,
      [jobKey, username],
    );
    return rows[0] && toTask(rows[0]);
  }

  /** Clears the assignee if the task is open and held by `heldBy` (any holder when null). */
  async unclaim(jobKey: string, heldBy: string | null): Promise<UserTask | undefined> {
    const { rows } = await this.pool.query<UserTaskRow>(
      `UPDATE user_task SET assignee = NULL
        WHERE job_key = $1 AND state = 'open' AND ($2::text IS NULL OR assignee = $2)
        RETURNING ${ALL_COLUMNS}`,
      [jobKey, heldBy],
    );
    return rows[0] && toTask(rows[0]);
  }

  /**
   * Open tasks whose job lease was last renewed before `renewedBefore` (ms), given that a
   * renewal sets the deadline `leaseMs` ahead: the longest unchecked first, at most `limit`.
   */
  async unrenewedSince(renewedBefore: number, leaseMs: number, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ job_key: string }>(
      `SELECT job_key FROM user_task
        WHERE state = 'open' AND (job_deadline IS NULL OR job_deadline < $1)
        ORDER BY job_deadline NULLS FIRST, job_key LIMIT $2`,
      [new Date(renewedBefore + leaseMs).toISOString(), limit],
    );
    return rows.map((r) => r.job_key);
  }

  /**
   * How the embedded engine ended a task's job, from its records in this database: completed
   * (by any client, with the variables it completed with) or canceled; undefined when it has
   * no record of the end (a remote cluster, or not ended).
   */
  async jobEnd(
    jobKey: string,
  ): Promise<
    { intent: 'COMPLETED'; variables: Record<string, unknown> } | { intent: 'CANCELED' } | undefined
  > {
    const { rows } = await this.pool.query<{
      intent: string;
      value: { variables?: Record<string, unknown> };
    }>(
      `SELECT r.intent, r.value FROM user_task t
         JOIN engine_record r ON r.process_instance_key = t.process_instance_key
        WHERE t.job_key = $1 AND r.record_key = t.job_key AND r.value_type = 'JOB'
          AND r.intent IN ('COMPLETED', 'CANCELED')
        ORDER BY r.position DESC LIMIT 1`,
      [jobKey],
    );
    const row = rows[0];
    if (!row) return undefined;
    return row.intent === 'COMPLETED'
      ? { intent: 'COMPLETED', variables: row.value.variables ?? {} }
      : { intent: 'CANCELED' };
  }

  async renewLease(jobKey: string, deadline: number): Promise<void> {
    await this.pool.query('UPDATE user_task SET job_deadline = $2 WHERE job_key = $1', [
      jobKey,
      new Date(deadline).toISOString(),
    ]);
  }

  /**
   * Runs `work` while holding the task's row lock, so that two completions of one task never
   * reach the engine both; `work` sees the task as it is under the lock.
   */
  async withLockedTask<T>(
    jobKey: string,
    work: (task: UserTask | undefined, finish: TaskFinisher) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<UserTaskRow>(
        `SELECT ${ALL_COLUMNS} FROM user_task WHERE job_key = $1 FOR UPDATE`,
        [jobKey],
      );
      const result = await work(rows[0] && toTask(rows[0]), finisher(client, jobKey));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Marks a locked task completed or canceled, inside the lock's transaction. */
export interface TaskFinisher {
  /** `by` null: completed outside the tasklist (another Zeebe client) */
  completed(by: string | null, variables: Record<string, unknown>): Promise<void>;
  canceled(): Promise<void>;
}

function finisher(client: PoolClient, jobKey: string): TaskFinisher {
  return {
    async completed(by, variables) {
      await client.query(
        `UPDATE user_task SET state = 'completed', completed_at = now(), completed_by = $2,
                completion_variables = $3
          WHERE job_key = $1`,
        [jobKey, by, JSON.stringify(variables)],
      );
    },
    async canceled() {
      await client.query(
        `UPDATE user_task SET state = 'canceled', completed_at = now() WHERE job_key = $1`,
        [jobKey],
      );
    },
  };
}
