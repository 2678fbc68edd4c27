/**
 * Kontor's tasklist: the intake that takes user-task jobs through the Zeebe client, and what
 * caseworkers do with the tasks — claim, unclaim, complete through the task's form.
 *
 * Promises: a task is completed in the engine (`completeJob` through the same Zeebe client) only
 * after its form values passed the form's JSON Schema and only by the person who holds it; two
 * completions of one task never both reach the engine. A task whose job is gone from the engine
 * (its instance was canceled, a boundary event interrupted it) is marked canceled when someone
 * acts on it, and without anyone acting by the lease check: every few seconds the tasklist
 * renews the job leases of the open tasks checked longest ago (Zeebe's UpdateJobTimeout, which
 * any gateway answers), and a job the engine no longer has cancels its task — or completes it,
 * when the embedded engine's records show that another client completed the job. Outcomes are
 * values (`TaskOutcome`), not exceptions.
 *
 *   const tasklist = startTasklist({ pool, logger, zeebeAddress: 'grpc://127.0.0.1:26500', credentials: {} });
 *   await tasklist.claim('2251799813685290', user);
 *   await tasklist.complete('2251799813685290', user, { decision: 'approve', ... });
 *   await tasklist.stop();
 */
import { Zeebe } from '@camunda8/sdk';
import type { User } from '../api/auth/users.repository.js';
import { FormVersionsRepository } from '../api/forms/form-versions.repository.js';
import type { Logger } from '../logging/logger.js';
import type { Pool } from '../state/database.js';
import { ElementNames } from './element-names.js';
import { FormSchemas, type FormProblem } from './form-schemas.js';
import { TaskIntakeWorker } from './task-intake.worker.js';
import { UserTaskRepository, type UserTask } from './user-task.repository.js';

export interface TasklistOptions {
  readonly pool: Pool;
  readonly logger: Logger;
  /** The Zeebe gateway, `grpc://host:port` (plaintext) or `grpcs://host:port` (TLS). */
  readonly zeebeAddress: string;
  /**
   * How the client authenticates: Kontor's own gateway needs nothing or its bearer token
   * (KONTOR_GATEWAY_BEARER_TOKEN); a remote cluster's credentials come from the SDK's usual
   * CAMUNDA_* environment variables.
   */
  readonly credentials: { readonly bearerToken?: string } | 'environment';
  /** @default 30 days (ms) */
  readonly jobTimeoutMs?: number;
  /** Longest pause between activation requests while idle. @default 500 (ms) */
  readonly pollIntervalMs?: number;
  /** @default `schemas/forms` */
  readonly formsDir?: string;
  /** the lease check of open tasks (see the header); `false`: none */
  readonly leaseCheck?: Partial<LeaseCheck> | false;
  /**
   * The engine keeps its records in the tasklist's database (Kontor's embedded engine): a task
   * whose job is gone is then marked completed when another client completed it, not canceled.
   * @default false
   */
  readonly engineRecordsInDatabase?: boolean;
}

export interface LeaseCheck {
  /** pause between two checks. @default 10000 (ms) */
  readonly intervalMs: number;
  /** a task is checked again once this long passed since its last check. @default 60000 (ms) */
  readonly recheckAfterMs: number;
  /** tasks checked per round at most. @default 50 */
  readonly batch: number;
}

const DEFAULT_LEASE_CHECK: LeaseCheck = { intervalMs: 10_000, recheckAfterMs: 60_000, batch: 50 };

/** What came of a caseworker's action on a task. */
export type TaskOutcome =
  | { readonly ok: true; readonly task: UserTask }
  | {
      readonly ok: false;
      readonly reason: 'not_found' | 'conflict' | 'forbidden' | 'gone' | 'unknown_form';
      readonly message: string;
    }
  | {
      readonly ok: false;
      readonly reason: 'invalid_form';
      readonly message: string;
      readonly problems: FormProblem[];
    };

export interface ProcessContext {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly elementId: string;
  readonly bpmnXml: string;
}

type JobVariables = Parameters<Zeebe.ZeebeGrpcClient['completeJob']>[0]['variables'];

const GRPC_NOT_FOUND = 5;
const isNotFound = (error: unknown) => (error as { code?: number }).code === GRPC_NOT_FOUND;

const isAdmin = (user: User) => user.roles.includes('admin');

/** May `user` take this task: a candidate of it, or nobody in particular is. */
export function isCandidate(task: UserTask, user: User): boolean {
  if (isAdmin(user) || task.assignee === user.username) return true;
  if (task.candidateGroups.length === 0 && task.candidateUsers.length === 0) return true;
  return (
    task.candidateUsers.includes(user.username) ||
    task.candidateGroups.some((group) => user.candidateGroups.includes(group))
  );
}

export class Tasklist {
  readonly tasks: UserTaskRepository;
  readonly forms: FormSchemas;
  private readonly intake: TaskIntakeWorker;
  private readonly leaseCheck: LeaseCheck | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  private leaseChecking: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly pool: Pool,
    private readonly client: Zeebe.ZeebeGrpcClient,
    private readonly logger: Logger,
    private readonly options: Pick<
      TasklistOptions,
      'jobTimeoutMs' | 'pollIntervalMs' | 'formsDir' | 'leaseCheck' | 'engineRecordsInDatabase'
    >,
  ) {
    this.leaseCheck =
      options.leaseCheck === false ? undefined : { ...DEFAULT_LEASE_CHECK, ...options.leaseCheck };
    this.tasks = new UserTaskRepository(pool);
    this.forms = new FormSchemas(options.formsDir, new FormVersionsRepository(pool));
    this.intake = new TaskIntakeWorker({
      client,
      tasks: this.tasks,
      names: new ElementNames(pool),
      logger,
      jobTimeoutMs: options.jobTimeoutMs,
      pollIntervalMs: options.pollIntervalMs,
    });
  }

  start(): void {
    this.intake.start();
    const check = this.leaseCheck;
    if (!check) return;
    const schedule = () => {
      if (this.stopped) return;
      this.leaseTimer = setTimeout(() => {
        this.leaseChecking = this.checkLeases()
          .catch((error: unknown) => this.logger.warn({ err: error }, 'task lease check failed'))
          .finally(schedule);
      }, check.intervalMs);
      this.leaseTimer.unref();
    };
    schedule();
  }

  /**
   * Renews the job leases of the open tasks checked longest ago; a job the engine no longer
   * has cancels its task. Returns the keys of the tasks canceled.
   */
  async checkLeases(options: Partial<LeaseCheck> = {}): Promise<string[]> {
    const { recheckAfterMs, batch } = { ...DEFAULT_LEASE_CHECK, ...this.leaseCheck, ...options };
    const leaseMs = this.intake.leaseMs;
    const canceled: string[] = [];
    for (const jobKey of await this.tasks.unrenewedSince(
      Date.now() - recheckAfterMs,
      leaseMs,
      batch,
    )) {
      if (this.stopped) break;
      if (!(await this.renewJobLease(jobKey)) && (await this.cancelOpen(jobKey))) {
        canceled.push(jobKey);
      }
    }
    if (canceled.length > 0) {
      this.logger.info(
        { tasks: canceled },
        'user tasks canceled: their jobs are gone from the engine',
      );
    }
    return canceled;
  }

  async claim(jobKey: string, user: User): Promise<TaskOutcome> {
    const task = await this.tasks.get(jobKey);
    if (!task) return notFound(jobKey);
    if (task.state !== 'open') return notOpen(task);
    if (task.assignee && task.assignee !== user.username) return heldBy(task);
    if (!isCandidate(task, user)) {
      return {
        ok: false,
        reason: 'forbidden',
        message: `'${user.username}' is not a candidate for task ${jobKey}: it is for the groups ${task.candidateGroups.join(', ') || '(none)'} and the users ${task.candidateUsers.join(', ') || '(none)'}`,
      };
    }
    // Renewing the job's lease both keeps it with the tasklist while someone works on it and
    // tells whether the engine still has it.
    if (!(await this.renewJobLease(jobKey))) return this.gone(jobKey);
    const claimed = await this.tasks.claim(jobKey, user.username);
    if (claimed) return { ok: true, task: claimed };
    const now = await this.tasks.get(jobKey);
    return now && now.state === 'open' ? heldBy(now) : now ? notOpen(now) : notFound(jobKey);
  }

  async unclaim(jobKey: string, user: User): Promise<TaskOutcome> {
    const released = await this.tasks.unclaim(jobKey, isAdmin(user) ? null : user.username);
    if (released) return { ok: true, task: released };
    const task = await this.tasks.get(jobKey);
    if (!task) return notFound(jobKey);
    if (task.state !== 'open') return notOpen(task);
    if (task.assignee === null) return { ok: true, task };
    return heldBy(task);
  }

  async complete(
    jobKey: string,
    user: User,
    values: Record<string, unknown>,
  ): Promise<TaskOutcome> {
    return this.tasks.withLockedTask(jobKey, async (task, finish): Promise<TaskOutcome> => {
      if (!task) return notFound(jobKey);
      if (task.state !== 'open') return notOpen(task);
      if (task.assignee !== user.username) {
        return {
          ok: false,
          reason: 'conflict',
          message: task.assignee
            ? `Task ${jobKey} is held by '${task.assignee}'; only they can complete it`
            : `Task ${jobKey} is not claimed; claim it before completing it`,
        };
      }
      if (task.formKey) {
        const form = await this.forms.load(task.formKey);
        if (!form.ok) return { ok: false, reason: 'unknown_form', message: form.message };
        const problems = this.forms.validate(task.formKey, form.schema, values, form.version);
        if (problems.length > 0) {
          return {
            ok: false,
            reason: 'invalid_form',
            message: `The values do not match the form '${task.formKey}': ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
            problems,
          };
        }
      }
      try {
        await this.client.completeJob({ jobKey, variables: values as JobVariables });
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await finish.canceled();
        return goneOutcome(jobKey);
      }
      await finish.completed(user.username, values);
      this.logger.info({ jobKey, user: user.username }, 'user task completed');
      return {
        ok: true,
        task: {
          ...task,
          state: 'completed',
          completedBy: user.username,
          completedAt: new Date().toISOString(),
          completionVariables: values,
        },
      };
    });
  }

  /** The deployed process of the task and the task's element, for a diagram of where it is. */
  async processContext(task: UserTask): Promise<ProcessContext | undefined> {
    const { rows } = await this.pool.query<{
      process_definition_key: string;
      bpmn_process_id: string;
      version: number;
      resource: string;
    }>(
      `SELECT process_definition_key, bpmn_process_id, version, resource
         FROM engine_process_definition
        WHERE process_definition_key = $1
           OR (bpmn_process_id = $2 AND version = $3 AND tenant_id = $4)
        ORDER BY (process_definition_key = $1) DESC LIMIT 1`,
      [task.processDefinitionKey, task.bpmnProcessId, task.processVersion, task.tenantId],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      processDefinitionKey: row.process_definition_key,
      bpmnProcessId: row.bpmn_process_id,
      version: row.version,
      elementId: task.elementId,
      bpmnXml: row.resource,
    };
  }

  /** Stops taking tasks and closes the client; returns within a few milliseconds when idle. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.leaseTimer);
    await this.leaseChecking;
    await this.intake.stop();
    await this.client.close(1000).catch(() => undefined);
  }

  /** Renews the job's lease in the engine and in the task; false when the engine no longer has the job. */
  private async renewJobLease(jobKey: string): Promise<boolean> {
    const leaseMs = this.intake.leaseMs;
    try {
      await this.client.updateJobTimeout({ jobKey, timeout: leaseMs });
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
    await this.tasks.renewLease(jobKey, Date.now() + leaseMs);
    return true;
  }

  private async gone(jobKey: string): Promise<TaskOutcome> {
    await this.cancelOpen(jobKey);
    return goneOutcome(jobKey);
  }

  /**
   * Closes an open task whose job is gone: completed when the engine's records show another
   * client completed it, else canceled. Returns whether it was canceled.
   */
  private cancelOpen(jobKey: string): Promise<boolean> {
    return this.tasks.withLockedTask(jobKey, async (task, finish) => {
      if (task?.state !== 'open') return false;
      const end = this.options.engineRecordsInDatabase
        ? await this.tasks.jobEnd(jobKey)
        : undefined;
      if (end?.intent === 'COMPLETED') {
        await finish.completed(null, end.variables);
        return false;
      }
      await finish.canceled();
      return true;
    });
  }
}

const notFound = (jobKey: string): TaskOutcome => ({
  ok: false,
  reason: 'not_found',
  message: `No user task with key '${jobKey}'`,
});

const notOpen = (task: UserTask): TaskOutcome => ({
  ok: false,
  reason: 'conflict',
  message:
    task.state === 'completed'
      ? `Task ${task.key} was already completed by '${task.completedBy}'`
      : `Task ${task.key} was canceled in the engine`,
});

const heldBy = (task: UserTask): TaskOutcome => ({
  ok: false,
  reason: 'conflict',
  message: `Task ${task.key} is held by '${task.assignee}'`,
});

const goneOutcome = (jobKey: string): TaskOutcome => ({
  ok: false,
  reason: 'gone',
  message: `Task ${jobKey} no longer exists in the engine (its process instance moved on or was canceled)`,
});

/** Connects to the gateway and starts the intake. */
export function startTasklist(options: TasklistOptions): Tasklist {
  const client = new Zeebe.ZeebeGrpcClient({
    config: {
      ZEEBE_GRPC_ADDRESS: options.zeebeAddress,
      ...(options.credentials === 'environment'
        ? {}
        : options.credentials.bearerToken
          ? {
              CAMUNDA_AUTH_STRATEGY: 'BEARER' as const,
              CAMUNDA_OAUTH_TOKEN: options.credentials.bearerToken,
            }
          : { CAMUNDA_AUTH_STRATEGY: 'NONE' as const }),
      CAMUNDA_LOG_LEVEL: 'none',
      zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' },
    },
  });
  const tasklist = new Tasklist(options.pool, client, options.logger, options);
  tasklist.start();
  return tasklist;
}
