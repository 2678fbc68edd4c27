/**
 * The tasklist's intake: takes jobs of type `io.camunda.zeebe:userTask` from a Zeebe gateway
 * through `@camunda8/sdk`'s gRPC client — Kontor's own gateway by default, a real Zeebe cluster
 * just as well — and stores each as a user task.
 *
 * Promises:
 * - a job is taken with a long lease (30 days by default), so it stays with the tasklist while
 *   people work on it; a job taken again after its lease ran out updates its task (by job key);
 * - jobs that cannot be stored are handed back to the gateway (fail with unchanged retries), so
 *   they are taken again instead of waiting a whole lease;
 * - no taken job is dropped: activation requests do not long-poll, because `@camunda8/sdk` ends
 *   a long poll on its own clock (request timeout + 1 s) and would drop jobs the gateway
 *   activated just then — for a 30-day lease. Instead an idle intake asks again after a short
 *   pause (100 ms, growing to `pollIntervalMs`), so a new task shows up within half a second;
 * - `stop()` returns at once when idle, otherwise once the request in flight (which the gateway
 *   answers at once) is answered and stored, so shutting Kontor down is not held up.
 * Never: completes jobs (the tasklist service does, when a caseworker submits the form).
 *
 *   const intake = new TaskIntakeWorker({ client, tasks, names, logger });
 *   intake.start();
 *   await intake.stop();
 */
import type { Zeebe } from '@camunda8/sdk';
import type { Logger } from '../logging/logger.js';
import type { ElementNames } from './element-names.js';
import type { TakenUserTask, UserTaskRepository } from './user-task.repository.js';

export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';
const HEADER = 'io.camunda.zeebe:';

export interface TaskIntakeOptions {
  readonly client: Zeebe.ZeebeGrpcClient;
  readonly tasks: UserTaskRepository;
  readonly names: ElementNames;
  readonly logger: Logger;
  /** @default 'kontor-tasklist' */
  readonly workerName?: string;
  /**
   * How long a taken job stays with the tasklist before the gateway may hand it out again.
   * @default 2_592_000_000 (30 days, ms)
   */
  readonly jobTimeoutMs?: number;
  /**
   * Longest pause between activation requests while there are no jobs; the pause starts at
   * 100 ms and doubles up to this.
   * @default 500 (ms)
   */
  readonly pollIntervalMs?: number;
  /** @default 200 (jobs per activation request) */
  readonly batchSize?: number;
  /** Called after each batch of jobs is stored (for tests and metrics). */
  readonly onStored?: (tasks: readonly TakenUserTask[]) => void;
}

export const DEFAULT_JOB_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;

type ActivatedJob = Awaited<ReturnType<Zeebe.ZeebeGrpcClient['activateJobs']>>[number] & {
  readonly processDefinitionKey?: string;
};

/** Candidate lists arrive as JSON array text; anything else is read as a comma-separated list. */
function listHeader(value: unknown): string[] {
  if (typeof value !== 'string' || value.trim() === '') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.map(String).filter(Boolean);
  } catch {
    // not JSON: falls through to the comma-separated reading
  }
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const textHeader = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

export class TaskIntakeWorker {
  private readonly jobTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly workerName: string;
  private running: Promise<void> | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: TaskIntakeOptions) {
    this.jobTimeoutMs = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = options.batchSize ?? 200;
    this.workerName = options.workerName ?? 'kontor-tasklist';
  }

  get leaseMs(): number {
    return this.jobTimeoutMs;
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const log = this.options.logger.child({ component: 'tasklist-intake' });
    let failures = 0;
    let idlePause = 100;
    while (!this.stopping) {
      let jobs: ActivatedJob[];
      try {
        jobs = await this.options.client.activateJobs({
          type: USER_TASK_JOB_TYPE,
          worker: this.workerName,
          maxJobsToActivate: this.batchSize,
          timeout: this.jobTimeoutMs,
          // -1: answer at once, no long polling (see the header for why)
          requestTimeout: -1,
        });
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        // The first failure is worth a warning; a gateway that stays away, one per minute.
        if (failures === 1 || failures % 60 === 0)
          log.warn({ err: error, failures }, 'taking user tasks from the gateway failed');
        await this.pause(Math.min(1000 * failures, 10_000));
        continue;
      }
      failures = 0;
      if (jobs.length > 0) {
        await this.store(jobs, log);
        idlePause = 100;
      } else {
        await this.pause(idlePause);
        idlePause = Math.min(idlePause * 2, this.pollIntervalMs);
      }
    }
  }

  private async store(jobs: ActivatedJob[], log: Logger): Promise<void> {
    try {
      const taken = await Promise.all(jobs.map((job) => this.toTask(job)));
      await this.options.tasks.upsertTaken(taken);
      this.options.onStored?.(taken);
    } catch (error) {
      log.error(
        { err: error, jobs: jobs.length },
        'storing user tasks failed; handing the jobs back to the gateway',
      );
      await Promise.allSettled(
        jobs.map((job) =>
          this.options.client.failJob({
            jobKey: job.key,
            retries: job.retries,
            retryBackOff: 1000,
            errorMessage: `Kontor's tasklist could not store the user task: ${(error as Error).message}`,
          }),
        ),
      );
    }
  }

  private async toTask(job: ActivatedJob): Promise<TakenUserTask> {
    const headers = job.customHeaders as Record<string, unknown>;
    const processDefinitionKey = job.processDefinitionKey ?? '0';
    const deadline = Number(job.deadline);
    return {
      jobKey: job.key,
      processInstanceKey: job.processInstanceKey,
      processDefinitionKey,
      bpmnProcessId: job.bpmnProcessId,
      processVersion: job.processDefinitionVersion,
      elementId: job.elementId,
      elementInstanceKey: job.elementInstanceKey,
      tenantId: job.tenantId || '<default>',
      name: await this.options.names.nameOf(processDefinitionKey, job.elementId),
      formKey: textHeader(headers[`${HEADER}formKey`]),
      assignee: textHeader(headers[`${HEADER}assignee`]),
      candidateGroups: listHeader(headers[`${HEADER}candidateGroups`]),
      candidateUsers: listHeader(headers[`${HEADER}candidateUsers`]),
      dueDate: textHeader(headers[`${HEADER}dueDate`]),
      followUpDate: textHeader(headers[`${HEADER}followUpDate`]),
      jobDeadline: Number.isFinite(deadline) && deadline > 0 ? deadline : null,
      variables: { ...(job.variables as Record<string, unknown>) },
    };
  }

  private pause(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
