/**
 * Kontor's embedded engine: runs BPMN processes with Zeebe's semantics on PostgreSQL.
 *
 *   const engine = await Engine.start({ pool, logger });
 *   await engine.deployResources([{ name: 'order.bpmn', content: xml }]);
 *   const { processInstanceKey } = await engine.createProcessInstance({ bpmnProcessId: 'order' });
 *   const [job] = await engine.activateJobs({ type: 'charge', worker: 'w', timeoutMs: 30_000, maxJobsToActivate: 1 });
 *   await engine.completeJob(job.key, { paid: true });
 *
 * One engine is the single writer of its partition (an advisory lock keeps a second one out).
 * Commands queue up and are applied in batches to the in-memory state; each batch — its records
 * and the net change of the state — is written in one PostgreSQL transaction, and its commands
 * are answered only after that commit (group commit). After a crash the state is loaded from
 * PostgreSQL alone: what was answered is there, what was not was never applied.
 *
 * It never answers a command before its batch is durable, and never throws for bad input: a
 * refused command rejects with an `EngineError` whose code the gateway maps to a gRPC status.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../logging/logger.js';
import type { Pool } from '../state/database.js';
import { compileBpmn, type CompileProblem } from '../bpmn/compile-bpmn.js';
import { compileDmn, type CompiledDmn } from '../dmn/index.js';
import {
  evaluateDeployed,
  evaluationValue,
  type DeployedDecision,
  type DeployedDecisionRequirements,
} from './decisions.js';
import type { ProcessModel } from '../bpmn/process-model.js';
import type {
  ActivatedJob,
  CreateInstanceRequest,
  CreatedInstance,
  DecisionMetadata,
  DeploymentResult,
  GatewayEngine,
  JobStreamRequest,
  ProcessMetadata,
  Variables,
} from '../gateway/gateway-engine.js';
import { Batch, type DeploymentRow } from './batch.js';
import { EngineError, failedPrecondition, invalidArgument, notFound } from './engine-error.js';
import {
  EngineState,
  type DeployedProcess,
  type ElementInstance,
  type Job,
} from './engine-state.js';
import { EngineStore, type PartitionHead } from './engine-store.js';
import { Execution } from './execution.js';
import { KeyGenerator, isKey } from './keys.js';
import type { EngineRecord } from './records.js';

export const DEFAULT_TENANT = '<default>';

/** Something a signed-in person did, for the audit trail. */
export interface UserAction {
  readonly user: string;
  /** e.g. DEPLOY, START_INSTANCE, CLAIM_TASK, UNCLAIM_TASK, COMPLETE_TASK, RESOLVE_INCIDENT */
  readonly action: string;
  readonly processInstanceKey?: string;
  readonly elementId?: string;
  readonly details?: Record<string, unknown>;
}

export interface Clock {
  now(): number;
}

export interface EngineOptions {
  readonly pool: Pool;
  readonly logger: Logger;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default 1 */
  readonly partitionId?: number;
  /** commands applied per transaction; @default 2000 */
  readonly maxBatchSize?: number;
  /** commands waiting before new ones are refused with RESOURCE_EXHAUSTED; @default 50000 */
  readonly maxQueuedCommands?: number;
  /** largest variables document a command may carry, in bytes; @default 4 MiB (Zeebe's default) */
  readonly maxPayloadBytes?: number;
  /** how often due work (job timeouts, retry back-offs) is looked for, in ms; 0 = only on `runDueWork`; @default 100 */
  readonly dueWorkIntervalMs?: number;
}

interface Command {
  readonly apply: (batch: Batch) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

interface JobWaiter {
  readonly request: JobStreamRequest & { maxJobsToActivate: number };
  readonly resolve: (jobs: ActivatedJob[]) => void;
  readonly reject: (error: unknown) => void;
  done: boolean;
  cleanup(): void;
}

interface JobStream {
  readonly request: JobStreamRequest;
  readonly push: (job: ActivatedJob) => void;
  open: boolean;
}

interface ResultWaiter {
  readonly fetchVariables?: string[];
  readonly resolve: (variables: Variables) => void;
  readonly reject: (error: unknown) => void;
}

class Sequence {
  constructor(private value: number) {}
  next(): string {
    this.value += 1;
    return String(this.value);
  }
}

export class Engine implements GatewayEngine {
  private readonly queue: Command[] = [];
  private processing = false;
  private stopping = false;
  private idle: Promise<void> = Promise.resolve();
  private dueTimer: NodeJS.Timeout | undefined;
  /** a precise wake-up for the next due timer, and when it is set for */
  private wakeUp: { timer: NodeJS.Timeout; at: number } | undefined;
  private readonly waiters = new Map<string, Set<JobWaiter>>();
  private readonly streams = new Map<string, JobStream[]>();
  private readonly resultWaiters = new Map<string, ResultWaiter>();

  private state = new EngineState();
  private keys!: KeyGenerator;
  private positions!: Sequence;
  private execution!: Execution;
  private head!: PartitionHead;

  private readonly clock: Clock;
  private readonly maxBatchSize: number;
  private readonly maxQueuedCommands: number;
  private readonly maxPayloadBytes: number;

  private constructor(
    private readonly store: EngineStore,
    private readonly options: EngineOptions,
  ) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.maxBatchSize = options.maxBatchSize ?? 2000;
    this.maxQueuedCommands = options.maxQueuedCommands ?? 50_000;
    this.maxPayloadBytes = options.maxPayloadBytes ?? 4 * 1024 * 1024;
  }

  static async start(options: EngineOptions): Promise<Engine> {
    const store = await EngineStore.open(options.pool, options.partitionId ?? 1);
    const engine = new Engine(store, options);
    try {
      await engine.load();
    } catch (error) {
      await store.close();
      throw error;
    }
    const interval = options.dueWorkIntervalMs ?? 100;
    if (interval > 0) {
      engine.dueTimer = setInterval(() => engine.scheduleDueWork(), interval);
      engine.dueTimer.unref();
    }
    return engine;
  }

  /** Loads everything from PostgreSQL: at start, and after a failed write. */
  private async load(): Promise<void> {
    this.head = await this.store.loadHead();
    this.keys = new KeyGenerator(this.store.partitionId, this.head.lastKey);
    this.positions = new Sequence(this.head.lastPosition);
    this.state = new EngineState();
    for (const stored of await this.store.loadDefinitions()) {
      if (stored.deleted) {
        this.state.noteVersion(stored.tenantId, stored.bpmnProcessId, stored.version);
        continue;
      }
      const { processes, problems } = await compileBpmn(stored.resource);
      const model = processes.find((process) => process.bpmnProcessId === stored.bpmnProcessId);
      if (!model) {
        throw new Error(
          `stored process ${stored.bpmnProcessId} v${stored.version} no longer compiles: ${problems.map((p) => p.message).join('; ')}`,
        );
      }
      this.state.addDefinition({ ...stored, versionTag: model.versionTag, model });
    }
    for (const stored of await this.store.loadDecisionRequirements()) {
      if (stored.deleted) {
        this.state.decisions.noteRequirementsVersion(stored.tenantId, stored.id, stored.version);
        for (const decision of stored.decisions)
          this.state.decisions.noteDecisionVersion(stored.tenantId, decision.id, decision.version);
        continue;
      }
      const compiled = await compileDmn(stored.resource);
      const requirements: DeployedDecisionRequirements = { ...stored, compiled };
      this.state.decisions.add(
        requirements,
        stored.decisions.map((decision) => ({
          ...decision,
          // not a column: the tag is part of the stored resource
          versionTag: compiled.decisions.find((d) => d.id === decision.id)?.versionTag,
          tenantId: stored.tenantId,
          requirements,
        })),
      );
    }
    await this.store.loadState(this.state);
    this.execution = new Execution(this.state, this.keys, {
      instanceEnded: (instance, state, variables) => {
        this.execution.batch.ended.push({ key: instance.key, state, variables });
      },
    });
    this.options.logger.info(
      {
        partitionId: this.store.partitionId,
        position: this.head.lastPosition,
        definitions: this.state.definitions.size,
        elementInstances: this.state.elements.size,
        jobs: this.state.jobs.size,
      },
      'engine state loaded',
    );
  }

  /** Stops taking commands, finishes the queued ones, and releases the partition. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.dueTimer) clearInterval(this.dueTimer);
    if (this.wakeUp) clearTimeout(this.wakeUp.timer);
    await this.drained();
    const unavailable = new EngineError('UNAVAILABLE', 'the engine is shutting down');
    for (const waiters of this.waiters.values()) {
      for (const waiter of waiters) {
        waiter.cleanup();
        waiter.resolve([]);
      }
    }
    this.waiters.clear();
    for (const streams of this.streams.values()) for (const stream of streams) stream.open = false;
    this.streams.clear();
    for (const waiter of this.resultWaiters.values()) waiter.reject(unavailable);
    this.resultWaiters.clear();
    await this.store.close();
  }

  private async drained(): Promise<void> {
    while (this.processing || this.queue.length > 0) await this.idle;
  }

  // --- command loop --------------------------------------------------------------------------

  private submit<T>(apply: (batch: Batch) => T): Promise<T> {
    if (this.stopping)
      return Promise.reject(new EngineError('UNAVAILABLE', 'the engine is shutting down'));
    if (this.queue.length >= this.maxQueuedCommands) {
      return Promise.reject(
        new EngineError(
          'RESOURCE_EXHAUSTED',
          `the engine's command queue is full (${this.maxQueuedCommands} commands waiting); retry later`,
        ),
      );
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ apply, resolve: resolve as (value: unknown) => void, reject });
      if (!this.processing) this.kick();
    });
  }

  private kick(): void {
    this.processing = true;
    this.idle = new Promise((done) => setImmediate(() => void this.processBatches().finally(done)));
  }

  /**
   * Applies queued commands batch by batch. Batch N+1 is applied while batch N is written (a
   * pipeline of depth two); each batch is answered only after its own commit, in order. If a
   * write fails, that batch and every later one are refused and the state is reloaded.
   */
  private async processBatches(): Promise<void> {
    let writing: Promise<void> = Promise.resolve();
    let failed: unknown;
    try {
      while (this.queue.length > 0) {
        const commands = this.queue.splice(0, this.maxBatchSize);
        const batch = new Batch(this.store.partitionId, this.positions, this.clock.now());
        this.execution.batch = batch;
        for (const command of commands) {
          try {
            command.outcome = { ok: true, value: this.execution.run(() => command.apply(batch)) };
          } catch (error) {
            command.outcome = { ok: false, error };
            if (!(error instanceof EngineError)) {
              this.options.logger.error({ err: error }, 'command failed unexpectedly');
            }
          }
        }
        // Jobs that became activatable go to open streams in the same batch.
        for (const type of batch.activatableTypes) this.activateForStreams(batch, type);
        const prepared = this.store.prepare(batch, this.state, this.head, this.keys.last);
        this.head = prepared.head;
        const previous = writing;
        writing = previous.then(async () => {
          if (failed === undefined) {
            try {
              await this.store.commit(prepared);
              this.answer(commands, batch);
              return;
            } catch (error) {
              failed = error;
              this.options.logger.error(
                { err: error },
                'writing a batch failed; reloading the state',
              );
            }
          }
          const unavailable = new EngineError(
            'UNAVAILABLE',
            `the engine could not write its state: ${(failed as Error).message}`,
            { cause: failed },
          );
          for (const command of commands) command.reject(unavailable);
        });
        await previous;
        if (failed !== undefined) break;
      }
      await writing;
      if (failed !== undefined) await this.load();
    } finally {
      this.processing = false;
    }
    if (this.queue.length > 0 && !this.processing) this.kick();
  }

  /** After a batch committed: answer its commands and run what waited for it. */
  private answer(commands: readonly Command[], batch: Batch): void {
    for (const command of commands) {
      const outcome = command.outcome;
      if (outcome?.ok) command.resolve(outcome.value);
      else command.reject(outcome?.error);
    }
    for (const effect of batch.afterCommit) effect();
    if (batch.earliestDueAt < Infinity) this.wakeAt(batch.earliestDueAt);
    this.deliverEnded(batch);
    for (const type of batch.activatableTypes) this.offerJobs(type);
  }

  // --- deployment ----------------------------------------------------------------------------

  async deployResources(
    resources: { name: string; content: string | Buffer }[],
    tenantId: string = DEFAULT_TENANT,
  ): Promise<DeploymentResult> {
    if (resources.length === 0)
      throw invalidArgument('Expected at least one resource to deploy, but none was given');
    const compiled: { name: string; xml: string; processes: ProcessModel[]; checksum: string }[] =
      [];
    const dmns: { name: string; xml: string; dmn: CompiledDmn; checksum: string }[] = [];
    const errors: string[] = [];
    for (const resource of resources) {
      const xml =
        typeof resource.content === 'string' ? resource.content : resource.content.toString('utf8');
      if (resource.name.endsWith('.dmn')) {
        const dmn = await compileDmn(xml);
        if (dmn.problems.length > 0) errors.push(formatProblems(resource.name, dmn.problems));
        else if (!dmn.id)
          errors.push(`'${resource.name}':\n- ERROR: the DMN definitions have no id`);
        dmns.push({
          name: resource.name,
          xml,
          dmn,
          checksum: createHash('sha256').update(xml).digest('hex'),
        });
        continue;
      }
      if (!resource.name.endsWith('.bpmn') && !resource.name.endsWith('.xml')) {
        errors.push(
          `'${resource.name}': only BPMN (.bpmn) and DMN (.dmn) resources can be deployed`,
        );
        continue;
      }
      const { processes, problems } = await compileBpmn(xml);
      if (problems.length > 0) errors.push(formatProblems(resource.name, problems));
      compiled.push({
        name: resource.name,
        xml,
        processes,
        checksum: createHash('sha256').update(xml).digest('hex'),
      });
    }
    if (errors.length > 0) {
      throw invalidArgument(
        `Expected to deploy new resources, but encountered the following errors:\n${errors.join('\n')}`,
      );
    }
    const ids = compiled.flatMap((resource) => resource.processes.map((p) => p.bpmnProcessId));
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate)
      throw invalidArgument(
        `Expected process ids to be unique within a deployment, but '${duplicate}' appears more than once`,
      );

    return this.submit((batch) => {
      const deploymentKey = this.keys.next();
      const row: DeploymentRow = {
        deploymentKey,
        tenantId,
        deployedAt: batch.now,
        processes: [],
        decisionRequirements: [],
      };
      const metadata: ProcessMetadata[] = [];
      for (const resource of compiled) {
        for (const model of resource.processes) {
          const latest = this.state.latestDefinition(tenantId, model.bpmnProcessId);
          if (latest && latest.checksum === resource.checksum) {
            metadata.push(toMetadata(latest));
            continue;
          }
          const definition: DeployedProcess = {
            processDefinitionKey: this.keys.next(),
            bpmnProcessId: model.bpmnProcessId,
            version: this.state.nextVersion(tenantId, model.bpmnProcessId),
            versionTag: model.versionTag,
            tenantId,
            resourceName: resource.name,
            checksum: resource.checksum,
            deploymentKey,
            model,
          };
          this.state.addDefinition(definition);
          this.execution.run(() => this.execution.events.openStartEvents(definition, latest));
          row.processes.push({ ...definition, resource: resource.xml });
          metadata.push(toMetadata(definition));
          batch.append(
            'PROCESS',
            'CREATED',
            definition.processDefinitionKey,
            {
              ...toMetadata(definition),
              versionTag: definition.versionTag ?? '',
              checksum: definition.checksum,
            },
            { elementId: definition.bpmnProcessId },
          );
        }
      }
      const decisions = dmns.flatMap((resource) =>
        this.deployDecisions(batch, row, resource, tenantId),
      );
      batch.deployments.push(row);
      batch.append('DEPLOYMENT', 'CREATED', deploymentKey, {
        tenantId,
        resources: [...compiled, ...dmns].map((resource) => resource.name),
        processesMetadata: metadata,
        decisionsMetadata: decisions,
      });
      return { key: deploymentKey, tenantId, processes: metadata, decisions };
    });
  }

  /** A DMN resource: its requirements graph and decisions get their next versions, unless unchanged. */
  private deployDecisions(
    batch: Batch,
    row: DeploymentRow,
    resource: { name: string; xml: string; dmn: CompiledDmn; checksum: string },
    tenantId: string,
  ): DecisionMetadata[] {
    const registry = this.state.decisions;
    const latest = registry.latestRequirementsOf(tenantId, resource.dmn.id);
    const metadataOf = (decision: DeployedDecision): DecisionMetadata => ({
      dmnDecisionId: decision.id,
      dmnDecisionName: decision.name,
      version: decision.version,
      decisionKey: decision.key,
      dmnDecisionRequirementsId: decision.requirements.id,
      decisionRequirementsKey: decision.requirements.key,
      tenantId,
    });
    if (latest && latest.checksum === resource.checksum)
      return registry.inRequirements(latest.key).map(metadataOf);
    const requirements: DeployedDecisionRequirements = {
      key: this.keys.next(),
      id: resource.dmn.id,
      name: resource.dmn.name || resource.dmn.id,
      version: registry.nextRequirementsVersion(tenantId, resource.dmn.id),
      tenantId,
      resourceName: resource.name,
      checksum: resource.checksum,
      deploymentKey: row.deploymentKey,
      compiled: resource.dmn,
    };
    const decisions: DeployedDecision[] = resource.dmn.decisions.map((decision) => ({
      key: this.keys.next(),
      id: decision.id,
      name: decision.name || decision.id,
      version: registry.nextDecisionVersion(tenantId, decision.id),
      versionTag: decision.versionTag,
      tenantId,
      requirements,
    }));
    registry.add(requirements, decisions);
    row.decisionRequirements.push({ ...requirements, resource: resource.xml, decisions });
    batch.append('DECISION_REQUIREMENTS', 'CREATED', requirements.key, {
      decisionRequirementsId: requirements.id,
      decisionRequirementsName: requirements.name,
      decisionRequirementsVersion: requirements.version,
      resourceName: requirements.resourceName,
      checksum: requirements.checksum,
      tenantId,
    });
    for (const decision of decisions) {
      batch.append(
        'DECISION',
        'CREATED',
        decision.key,
        { ...metadataOf(decision), versionTag: decision.versionTag ?? '' },
        { elementId: decision.id },
      );
    }
    return decisions.map(metadataOf);
  }

  // --- resource deletion ---------------------------------------------------------------------

  /**
   * Deletes a process definition or a decision requirements graph by its key (Zeebe's
   * DeleteResource). A deleted process definition can no longer be started, called or triggered
   * by its start events; if it was the latest version, the previous one becomes the latest and
   * its start events open again. A deleted requirements graph takes its decisions with it:
   * business rule tasks that look for them get an incident. Version numbers stay taken.
   *
   * As in Camunda 8.8 ("Resource deletion", Limitations), a process definition with running
   * instances is not deleted: the command is refused with FAILED_PRECONDITION.
   */
  async deleteResource(resourceKey: string): Promise<void> {
    if (!isKey(resourceKey)) {
      throw invalidArgument(
        `Expected the resource key to be a positive number, but it was '${resourceKey}'`,
      );
    }
    return this.submit((batch) => {
      const definition = this.state.definitions.get(resourceKey);
      if (definition) return this.deleteProcessDefinition(batch, definition);
      const requirements = this.state.decisions.requirements.get(resourceKey);
      if (requirements) return this.deleteDecisionRequirements(batch, requirements);
      throw notFound(
        `Expected to delete resource with key '${resourceKey}', but no process definition or decision requirements graph with this key was found`,
      );
    });
  }

  private deleteProcessDefinition(batch: Batch, definition: DeployedProcess): void {
    const running = this.state.instancesOf(definition.processDefinitionKey);
    if (running > 0) {
      throw failedPrecondition(
        `Expected to delete process definition with key '${definition.processDefinitionKey}' (process '${definition.bpmnProcessId}' version ${definition.version}), but it has ${running} running process instance${running === 1 ? '' : 's'}; cancel or complete ${running === 1 ? 'it' : 'them'} first`,
      );
    }
    const value = {
      ...toMetadata(definition),
      versionTag: definition.versionTag ?? '',
      checksum: definition.checksum,
      deploymentKey: definition.deploymentKey,
    };
    const context = { elementId: definition.bpmnProcessId };
    batch.append('PROCESS', 'DELETING', definition.processDefinitionKey, value, context);
    const wasLatest =
      this.state.latestDefinition(definition.tenantId, definition.bpmnProcessId) === definition;
    this.state.removeDefinition(definition);
    const events = this.execution.events;
    const previous = wasLatest
      ? this.state.latestDefinition(definition.tenantId, definition.bpmnProcessId)
      : undefined;
    if (previous) events.openStartEvents(previous, definition);
    else events.closeStartEvents(definition);
    batch.append('PROCESS', 'DELETED', definition.processDefinitionKey, value, context);
    batch.deletions.push({
      kind: 'process',
      key: definition.processDefinitionKey,
      deletedAt: batch.now,
    });
    this.appendResourceDeleted(batch, definition.processDefinitionKey, definition.tenantId);
  }

  private deleteDecisionRequirements(
    batch: Batch,
    requirements: DeployedDecisionRequirements,
  ): void {
    for (const decision of this.state.decisions.remove(requirements)) {
      batch.append(
        'DECISION',
        'DELETED',
        decision.key,
        {
          dmnDecisionId: decision.id,
          dmnDecisionName: decision.name,
          version: decision.version,
          versionTag: decision.versionTag ?? '',
          decisionKey: decision.key,
          dmnDecisionRequirementsId: requirements.id,
          decisionRequirementsKey: requirements.key,
          tenantId: decision.tenantId,
        },
        { elementId: decision.id },
      );
    }
    batch.append('DECISION_REQUIREMENTS', 'DELETED', requirements.key, {
      decisionRequirementsId: requirements.id,
      decisionRequirementsName: requirements.name,
      decisionRequirementsVersion: requirements.version,
      decisionRequirementsKey: requirements.key,
      resourceName: requirements.resourceName,
      checksum: requirements.checksum,
      tenantId: requirements.tenantId,
    });
    batch.deletions.push({
      kind: 'decisionRequirements',
      key: requirements.key,
      deletedAt: batch.now,
    });
    this.appendResourceDeleted(batch, requirements.key, requirements.tenantId);
  }

  private appendResourceDeleted(batch: Batch, resourceKey: string, tenantId: string): void {
    batch.append('RESOURCE_DELETION', 'DELETED', resourceKey, { resourceKey, tenantId });
  }

  /** Evaluates the latest (or the given) version of a deployed decision (Zeebe's EvaluateDecision). */
  async evaluateDecision(request: {
    decisionKey?: string;
    decisionId?: string;
    variables?: Variables;
    tenantId?: string;
  }): Promise<Record<string, unknown>> {
    const variables = this.checkVariables(request.variables, 'variables');
    const tenantId = request.tenantId || DEFAULT_TENANT;
    return this.submit((batch) => {
      const registry = this.state.decisions;
      const decision = request.decisionKey
        ? registry.decisions.get(request.decisionKey)
        : registry.latest(tenantId, request.decisionId ?? '');
      if (!decision) {
        throw notFound(
          request.decisionKey
            ? `Expected to evaluate decision with key '${request.decisionKey}', but no such decision was found`
            : `Expected to evaluate decision '${request.decisionId ?? ''}', but no such decision was found`,
        );
      }
      const outcome = evaluateDeployed(decision, variables);
      const key = this.keys.next();
      const value = evaluationValue(decision, outcome, registry);
      batch.append(
        'DECISION_EVALUATION',
        outcome.ok ? 'EVALUATED' : 'FAILED',
        key,
        { ...value, variables },
        { elementId: decision.id },
      );
      return { ...value, decisionInstanceKey: key };
    });
  }

  /** The deployed process definitions, newest version first per process. */
  listProcessDefinitions(): ProcessMetadata[] {
    return [...this.state.definitions.values()]
      .map(toMetadata)
      .sort((a, b) => a.bpmnProcessId.localeCompare(b.bpmnProcessId) || b.version - a.version);
  }

  // --- process instances ---------------------------------------------------------------------

  async createProcessInstance(request: CreateInstanceRequest): Promise<CreatedInstance> {
    const variables = this.checkVariables(request.variables, 'variables');
    return this.submit(() => this.startInstance(request, variables).created);
  }

  async createProcessInstanceWithResult(
    request: CreateInstanceRequest & { requestTimeoutMs?: number; fetchVariables?: string[] },
  ): Promise<CreatedInstance & { variables: Variables }> {
    const variables = this.checkVariables(request.variables, 'variables');
    let result!: Promise<Variables>;
    const created = await this.submit(() => {
      const started = this.startInstance(request, variables);
      result = new Promise<Variables>((resolve, reject) => {
        this.resultWaiters.set(started.created.processInstanceKey, {
          fetchVariables: request.fetchVariables,
          resolve,
          reject,
        });
      });
      return started.created;
    });
    const timeoutMs = request.requestTimeoutMs ?? 0;
    if (timeoutMs <= 0) return { ...created, variables: await result };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.resultWaiters.delete(created.processInstanceKey);
        reject(
          new EngineError(
            'DEADLINE_EXCEEDED',
            `process instance ${created.processInstanceKey} did not complete within ${timeoutMs} ms; it continues to run`,
          ),
        );
      }, timeoutMs);
    });
    try {
      return { ...created, variables: await Promise.race([result, timeout]) };
    } finally {
      clearTimeout(timer);
    }
  }

  private startInstance(
    request: CreateInstanceRequest,
    variables: Variables,
  ): { created: CreatedInstance; instance: ElementInstance } {
    const definition = this.findDefinition(request);
    if (!definition.model.elements.get(definition.bpmnProcessId)?.startEventId) {
      throw invalidArgument(
        `Expected to create an instance of process '${definition.bpmnProcessId}', but it has no none start event; it starts by its event start events only`,
      );
    }
    const instance = this.execution.createProcessInstance(definition, variables);
    return {
      instance,
      created: {
        processDefinitionKey: definition.processDefinitionKey,
        bpmnProcessId: definition.bpmnProcessId,
        version: definition.version,
        processInstanceKey: instance.key,
        tenantId: definition.tenantId,
      },
    };
  }

  private findDefinition(request: CreateInstanceRequest): DeployedProcess {
    const tenantId = request.tenantId || DEFAULT_TENANT;
    if (request.processDefinitionKey && request.processDefinitionKey !== '0') {
      const definition = this.state.definitions.get(request.processDefinitionKey);
      if (!definition)
        throw notFound(
          `Expected to find process definition with key '${request.processDefinitionKey}', but none found`,
        );
      return definition;
    }
    const id = request.bpmnProcessId ?? '';
    if (!id)
      throw invalidArgument(
        'Expected a bpmnProcessId or a processDefinitionKey, but neither was given',
      );
    const version = request.version ?? -1;
    const definition =
      version < 0
        ? this.state.latestDefinition(tenantId, id)
        : this.state.definitionVersion(tenantId, id, version);
    if (!definition) {
      throw notFound(
        version < 0
          ? `Expected to find process definition with process ID '${id}', but none found`
          : `Expected to find process definition with process ID '${id}' and version '${version}', but none found`,
      );
    }
    return definition;
  }

  async cancelProcessInstance(processInstanceKey: string): Promise<void> {
    return this.submit(() => {
      const instance = this.state.elements.get(processInstanceKey);
      if (!instance || instance.flowScopeKey) {
        throw notFound(
          `Expected to cancel a process instance with key '${processInstanceKey}', but no such process was found`,
        );
      }
      if (instance.parentElementInstanceKey) {
        const parent = this.state.elements.get(instance.parentElementInstanceKey);
        throw failedPrecondition(
          `Expected to cancel a process instance with key '${processInstanceKey}', but it is created by a parent process instance. Cancel the root process instance '${parent?.processInstanceKey ?? '?'}' instead.`,
        );
      }
      this.execution.terminateElement(instance);
    });
  }

  async setVariables(
    elementInstanceKey: string,
    variables: Variables,
    options: { local?: boolean } = {},
  ): Promise<{ key: string }> {
    const checked = this.checkVariables(variables, 'variables');
    return this.submit((batch) => {
      const scope = this.state.elements.get(elementInstanceKey);
      if (!scope) {
        throw notFound(
          `Expected to update variables for element with key '${elementInstanceKey}', but no such element was found`,
        );
      }
      const key = this.keys.next();
      batch.append(
        'VARIABLE_DOCUMENT',
        'UPDATED',
        key,
        {
          scopeKey: scope.key,
          updateSemantics: options.local ? 'LOCAL' : 'PROPAGATE',
          variables: checked,
        },
        { processInstanceKey: scope.processInstanceKey, elementId: scope.elementId },
      );
      if (options.local) {
        for (const [name, value] of Object.entries(checked))
          this.execution.setLocal(scope, name, value);
      } else {
        this.execution.propagate(scope, checked);
      }
      return { key };
    });
  }

  private deliverEnded(batch: Batch): void {
    for (const { key, state, variables } of batch.ended) {
      const waiter = this.resultWaiters.get(key);
      if (!waiter) continue;
      this.resultWaiters.delete(key);
      if (state === 'COMPLETED') waiter.resolve(pick(variables, waiter.fetchVariables));
      else
        waiter.reject(
          failedPrecondition(`process instance ${key} was terminated before it completed`),
        );
    }
  }

  // --- jobs ----------------------------------------------------------------------------------

  async activateJobs(
    request: JobStreamRequest & { maxJobsToActivate: number; requestTimeoutMs?: number },
    signal?: AbortSignal,
  ): Promise<ActivatedJob[]> {
    checkJobRequest(request);
    if (request.maxJobsToActivate < 1) {
      throw invalidArgument(
        `Expected maxJobsToActivate to be greater than 0, but it was ${request.maxJobsToActivate}`,
      );
    }
    const timeoutMs = request.requestTimeoutMs ?? 0;
    let waiting: Promise<ActivatedJob[]> | undefined;
    const jobs = await this.submit((batch) => {
      const activated = this.activate(batch, request, request.maxJobsToActivate);
      // Registered inside the batch, so jobs made activatable by this very batch reach it.
      if (activated.length === 0 && timeoutMs > 0 && !signal?.aborted) {
        waiting = this.waitForJobs(request, timeoutMs, signal);
      }
      return activated;
    });
    return waiting ?? jobs;
  }

  private waitForJobs(
    request: JobStreamRequest & { maxJobsToActivate: number },
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<ActivatedJob[]> {
    return new Promise<ActivatedJob[]>((resolve, reject) => {
      const waiter: JobWaiter = {
        request,
        resolve,
        reject,
        done: false,
        cleanup: () => {
          waiter.done = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          this.waiters.get(request.type)?.delete(waiter);
        },
      };
      const onAbort = () => {
        waiter.cleanup();
        resolve([]);
      };
      const timer = setTimeout(onAbort, timeoutMs);
      signal?.addEventListener('abort', onAbort);
      this.addWaiter(waiter);
    });
  }

  private addWaiter(waiter: JobWaiter): void {
    let waiters = this.waiters.get(waiter.request.type);
    if (!waiters) this.waiters.set(waiter.request.type, (waiters = new Set()));
    waiters.add(waiter);
  }

  streamJobs(request: JobStreamRequest, push: (job: ActivatedJob) => void): { close(): void } {
    checkJobRequest(request);
    const stream: JobStream = { request, push, open: true };
    let streams = this.streams.get(request.type);
    if (!streams) this.streams.set(request.type, (streams = []));
    streams.push(stream);
    if (this.state.activatable.get(request.type)?.size) {
      void this.submit((batch) => this.activateForStreams(batch, request.type)).catch(
        (error: unknown) =>
          this.options.logger.warn({ err: error }, 'offering jobs to a new stream failed'),
      );
    }
    return {
      close: () => {
        stream.open = false;
        const list = this.streams.get(request.type);
        if (list)
          this.streams.set(
            request.type,
            list.filter((s) => s !== stream),
          );
      },
    };
  }

  /**
   * Hands activatable jobs of a type to its open streams, shared evenly, inside the batch; the
   * jobs are pushed once the batch has committed.
   */
  private activateForStreams(batch: Batch, type: string): void {
    const streams = (this.streams.get(type) ?? []).filter((stream) => stream.open);
    const available = this.state.activatable.get(type)?.size ?? 0;
    if (streams.length === 0 || available === 0) return;
    const share = Math.ceil(available / streams.length);
    for (const stream of streams) {
      const jobs = this.activate(batch, stream.request, share);
      if (jobs.length === 0) continue;
      batch.afterCommit.push(() => {
        for (const job of jobs) stream.push(job);
      });
    }
  }

  /** After a commit made jobs of a type activatable (and no stream took them): answer waiting polls. */
  private offerJobs(type: string): void {
    if (this.stopping || !this.state.activatable.get(type)?.size) return;
    const waiters = this.waiters.get(type);
    if (!waiters || waiters.size === 0) return;
    for (const waiter of [...waiters]) {
      waiters.delete(waiter);
      void this.submit((batch) =>
        waiter.done ? [] : this.activate(batch, waiter.request, waiter.request.maxJobsToActivate),
      )
        .then((jobs) => {
          if (waiter.done) return;
          if (jobs.length > 0) {
            waiter.cleanup();
            waiter.resolve(jobs);
          } else {
            this.addWaiter(waiter);
          }
        })
        .catch((error: unknown) => {
          waiter.cleanup();
          waiter.reject(error);
        });
    }
  }

  /** Activates up to `max` jobs of a type inside the current batch. */
  private activate(batch: Batch, request: JobStreamRequest, max: number): ActivatedJob[] {
    const keys = this.state.activatable.get(request.type);
    if (!keys || keys.size === 0) return [];
    const tenants =
      request.tenantIds && request.tenantIds.length > 0 ? new Set(request.tenantIds) : undefined;
    const activated: ActivatedJob[] = [];
    for (const key of keys) {
      if (activated.length >= max) break;
      const job = this.state.jobs.get(key);
      if (!job || (tenants && !tenants.has(job.tenantId))) continue;
      job.state = 'ACTIVATED';
      job.worker = request.worker;
      job.deadline = batch.now + request.timeoutMs;
      this.state.reindexJob(job);
      const variables = this.execution.visibleVariables(job.elementInstanceKey);
      activated.push(toActivatedJob(job, pick(variables, request.fetchVariables)));
    }
    if (activated.length > 0) {
      batch.append('JOB_BATCH', 'ACTIVATED', this.keys.next(), {
        type: request.type,
        worker: request.worker,
        timeout: request.timeoutMs,
        jobKeys: activated.map((job) => job.key),
      });
    }
    return activated;
  }

  async completeJob(jobKey: string, variables?: Variables): Promise<void> {
    const checked = this.checkVariables(variables, 'variables');
    return this.submit(() => {
      const job = this.jobFor(jobKey, 'complete');
      if (job.state !== 'ACTIVATED' && job.state !== 'ACTIVATABLE') {
        throw failedPrecondition(
          `Expected to complete job with key '${jobKey}', but it is in state '${job.state}'${job.state === 'FAILED' ? ': resolve its incident first' : ''}`,
        );
      }
      this.state.removeJob(job);
      this.execution.appendJob(job, 'COMPLETED', { variables: checked });
      this.execution.completeJobElement(job, checked);
    });
  }

  async failJob(
    jobKey: string,
    request: {
      retries: number;
      errorMessage?: string;
      retryBackOffMs?: number;
      variables?: Variables;
    },
  ): Promise<void> {
    const variables = this.checkVariables(request.variables, 'variables');
    if (!Number.isInteger(request.retries))
      throw invalidArgument(`Expected retries to be an integer, but it was ${request.retries}`);
    if ((request.retryBackOffMs ?? 0) < 0)
      throw invalidArgument(
        `Expected retryBackOff to be 0 or more, but it was ${request.retryBackOffMs}`,
      );
    return this.submit((batch) => {
      const job = this.jobFor(jobKey, 'fail');
      if (job.state !== 'ACTIVATED' && job.state !== 'ACTIVATABLE') {
        throw failedPrecondition(
          `Expected to fail job with key '${jobKey}', but it is in state '${job.state}'`,
        );
      }
      const instance = this.state.elements.get(job.elementInstanceKey);
      if (instance)
        for (const [name, value] of Object.entries(variables))
          this.execution.setLocal(instance, name, value);
      job.retries = request.retries;
      job.errorMessage = request.errorMessage ?? '';
      const backOff = request.retryBackOffMs ?? 0;
      if (job.retries > 0 && backOff > 0) {
        job.state = 'BACKOFF';
        job.deadline = batch.now + backOff;
      } else if (job.retries > 0) {
        job.state = 'ACTIVATABLE';
        job.deadline = -1;
        batch.activatableTypes.add(job.type);
      } else {
        job.state = 'FAILED';
        job.deadline = -1;
      }
      job.worker = job.state === 'ACTIVATABLE' ? '' : job.worker;
      this.state.reindexJob(job);
      this.execution.appendJob(job, 'FAILED', { retryBackoff: backOff });
      if (job.state === 'FAILED' && instance) {
        const message = job.errorMessage || 'No more retries left.';
        this.execution.raiseIncident(instance, 'JOB_NO_RETRIES', message, 'job', job.key);
      }
    });
  }

  async throwError(
    jobKey: string,
    request: { errorCode: string; errorMessage?: string; variables?: Variables },
  ): Promise<void> {
    const variables = this.checkVariables(request.variables, 'variables');
    if (!request.errorCode) throw invalidArgument('Expected an errorCode, but it was empty');
    return this.submit(() => {
      const job = this.jobFor(jobKey, 'throw an error for');
      if (job.state !== 'ACTIVATED' && job.state !== 'ACTIVATABLE') {
        throw failedPrecondition(
          `Expected to throw an error for job with key '${jobKey}', but it is in state '${job.state}'`,
        );
      }
      const instance = this.state.elements.get(job.elementInstanceKey);
      if (instance)
        for (const [name, value] of Object.entries(variables))
          this.execution.setLocal(instance, name, value);
      job.state = 'ERROR_THROWN';
      job.errorMessage = request.errorMessage ?? '';
      job.deadline = -1;
      this.state.reindexJob(job);
      this.execution.appendJob(job, 'ERROR_THROWN', { errorCode: request.errorCode });
      if (instance && this.execution.events.throwError(instance, request.errorCode, variables)) {
        // caught: the job is done with; the catch event took over
        this.state.removeJob(job);
        return;
      }
      if (instance) {
        this.execution.raiseIncident(
          instance,
          'UNHANDLED_ERROR_EVENT',
          `Expected to throw an error event with the code '${request.errorCode}'${job.errorMessage ? ` with message '${job.errorMessage}'` : ''}, but it was not caught. No error events are available in the scope.`,
          'job',
          job.key,
        );
      }
    });
  }

  async updateJobRetries(jobKey: string, retries: number): Promise<void> {
    if (!Number.isInteger(retries) || retries < 1) {
      return Promise.reject(
        invalidArgument(`Expected retries to be greater than 0, but it was ${retries}`),
      );
    }
    return this.submit(() => {
      const job = this.jobFor(jobKey, 'update retries of');
      job.retries = retries;
      this.state.reindexJob(job);
      this.execution.appendJob(job, 'RETRIES_UPDATED');
    });
  }

  async updateJobTimeout(jobKey: string, timeoutMs: number): Promise<void> {
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) {
      return Promise.reject(
        invalidArgument(`Expected timeout to be 0 or more milliseconds, but it was ${timeoutMs}`),
      );
    }
    return this.submit((batch) => {
      const job = this.jobFor(jobKey, 'update the timeout of');
      if (job.state !== 'ACTIVATED') {
        throw failedPrecondition(
          `Expected to update the timeout of job with key '${jobKey}', but it is not activated (state '${job.state}')`,
        );
      }
      job.deadline = batch.now + timeoutMs;
      this.state.reindexJob(job);
      this.execution.appendJob(job, 'TIMEOUT_UPDATED');
    });
  }

  private jobFor(jobKey: string, action: string): Job {
    const job = isKey(jobKey) ? this.state.jobs.get(jobKey) : undefined;
    if (!job)
      throw notFound(`Expected to ${action} job with key '${jobKey}', but no such job was found`);
    return job;
  }

  async resolveIncident(incidentKey: string): Promise<void> {
    return this.submit(() => {
      const incident = this.state.incidents.get(incidentKey);
      if (!incident)
        throw notFound(
          `Expected to resolve incident with key '${incidentKey}', but no such incident was found`,
        );
      this.execution.resolveIncident(incident);
    });
  }

  // --- instance modification ------------------------------------------------------------------

  /**
   * Activates elements and terminates element instances of a running process instance (Zeebe's
   * ModifyProcessInstance). Everything is checked before anything changes.
   */
  async modifyProcessInstance(request: {
    processInstanceKey: string;
    activateInstructions: {
      elementId: string;
      ancestorElementInstanceKey?: string;
      variableInstructions: { variables: Variables; scopeId?: string }[];
    }[];
    terminateInstructions: { elementInstanceKey: string }[];
  }): Promise<void> {
    for (const instruction of request.activateInstructions) {
      for (const variables of instruction.variableInstructions)
        this.checkVariables(variables.variables, 'variableInstructions.variables');
    }
    return this.submit((batch) => {
      const root = this.state.elements.get(request.processInstanceKey);
      if (!root || root.flowScopeKey) {
        throw notFound(
          `Expected to modify a process instance with key '${request.processInstanceKey}', but no such process instance was found`,
        );
      }
      const model = this.state.definitions.get(root.processDefinitionKey)?.model;
      const activations = request.activateInstructions.map((instruction, index) => {
        const element = model?.elements.get(instruction.elementId);
        if (!element || !element.flowScopeId) {
          throw invalidArgument(
            `activateInstructions[${index}].elementId: '${instruction.elementId}' is not an element of process '${root.bpmnProcessId}' that can be activated`,
          );
        }
        if (
          element.bpmnElementType === 'START_EVENT' ||
          element.bpmnElementType === 'BOUNDARY_EVENT'
        ) {
          throw invalidArgument(
            `activateInstructions[${index}].elementId: '${instruction.elementId}' is a ${element.bpmnElementType.toLowerCase().replace('_', ' ')}, which cannot be activated directly`,
          );
        }
        const scope = this.modificationScope(
          root,
          element.flowScopeId,
          instruction.ancestorElementInstanceKey,
          index,
        );
        return { instruction, scope };
      });
      const terminations = request.terminateInstructions.map((instruction, index) => {
        const instance = this.state.elements.get(instruction.elementInstanceKey);
        if (!instance || instance.processInstanceKey !== root.key || !instance.flowScopeKey) {
          throw notFound(
            `terminateInstructions[${index}].elementInstanceKey: no active element instance '${instruction.elementInstanceKey}' in process instance '${root.key}'`,
          );
        }
        return instance;
      });
      batch.append(
        'PROCESS_INSTANCE_MODIFICATION',
        'MODIFIED',
        root.key,
        {
          processInstanceKey: root.key,
          activateInstructions: request.activateInstructions,
          terminateInstructions: request.terminateInstructions,
        },
        { processInstanceKey: root.key, elementId: root.elementId },
      );
      for (const { instruction, scope } of activations) {
        for (const { variables, scopeId } of instruction.variableInstructions) {
          const target = scopeId ? (this.findActive(root.key, scopeId) ?? scope) : root;
          for (const [name, value] of Object.entries(variables))
            this.execution.setLocal(target, name, value);
        }
        this.execution.activateElement(scope, instruction.elementId);
      }
      for (const instance of terminations) {
        if (!this.state.elements.has(instance.key)) continue;
        const scope = this.state.elements.get(instance.flowScopeKey ?? '');
        this.execution.terminateElement(instance);
        if (scope) this.execution.later(() => this.execution.checkScope(scope));
      }
    });
  }

  private modificationScope(
    root: ElementInstance,
    flowScopeId: string,
    ancestorKey: string | undefined,
    index: number,
  ): ElementInstance {
    if (flowScopeId === root.elementId) return root;
    if (ancestorKey) {
      const ancestor = this.state.elements.get(ancestorKey);
      if (
        !ancestor ||
        ancestor.elementId !== flowScopeId ||
        ancestor.processInstanceKey !== root.key
      ) {
        throw invalidArgument(
          `activateInstructions[${index}].ancestorElementInstanceKey: '${ancestorKey}' is not an active instance of '${flowScopeId}'`,
        );
      }
      return ancestor;
    }
    const active = this.findActive(root.key, flowScopeId);
    if (!active) {
      throw invalidArgument(
        `activateInstructions[${index}]: the element's flow scope '${flowScopeId}' has no active instance; activate it first or give ancestorElementInstanceKey`,
      );
    }
    return active;
  }

  private findActive(processInstanceKey: string, elementId: string): ElementInstance | undefined {
    for (const instance of this.state.elements.values()) {
      if (instance.processInstanceKey === processInstanceKey && instance.elementId === elementId)
        return instance;
    }
    return undefined;
  }

  // --- user actions -------------------------------------------------------------------------

  /**
   * Writes what a person did (deploy, start, claim, complete, resolve…) into the record chain,
   * so the audit trail says who did what. Called by the REST API and the tasklist after the
   * action succeeded.
   */
  async recordUserAction(action: UserAction): Promise<void> {
    if (!action.user || !action.action) throw invalidArgument('Expected a user and an action');
    await this.submit((batch) => {
      batch.append(
        'USER_ACTION',
        'PERFORMED',
        this.keys.next(),
        { ...action },
        {
          processInstanceKey: action.processInstanceKey,
          elementId: action.elementId,
        },
      );
    });
  }

  // --- messages and signals ------------------------------------------------------------------

  async publishMessage(request: {
    name: string;
    correlationKey: string;
    timeToLiveMs: number;
    messageId?: string;
    variables?: Variables;
    tenantId?: string;
  }): Promise<{ key: string; tenantId: string }> {
    const variables = this.checkVariables(request.variables, 'variables');
    if (!request.name) throw invalidArgument('Expected a message name, but it was empty');
    if (!Number.isFinite(request.timeToLiveMs) || request.timeToLiveMs < 0) {
      throw invalidArgument(
        `Expected timeToLive to be 0 or more milliseconds, but it was ${request.timeToLiveMs}`,
      );
    }
    const tenantId = request.tenantId || DEFAULT_TENANT;
    const correlationKey = request.correlationKey ?? '';
    return this.submit((batch) => {
      if (request.messageId) {
        const duplicate = this.state
          .messagesFor(tenantId, request.name, correlationKey)
          .find(
            (message) => message.messageId === request.messageId && message.expiresAt > batch.now,
          );
        if (duplicate) {
          throw new EngineError(
            'ALREADY_EXISTS',
            `Expected to publish a new message with id '${request.messageId}', but a message with that id was already published`,
          );
        }
      }
      const key = this.keys.next();
      batch.append('MESSAGE', 'PUBLISHED', key, {
        name: request.name,
        correlationKey,
        timeToLive: request.timeToLiveMs,
        messageId: request.messageId ?? '',
        variables,
        tenantId,
      });
      const correlated = this.execution.events.correlateMessage(
        tenantId,
        request.name,
        correlationKey,
        variables,
      );
      if (request.timeToLiveMs > 0) {
        this.state.putMessage({
          key,
          name: request.name,
          correlationKey,
          messageId: request.messageId || undefined,
          variables,
          tenantId,
          expiresAt: batch.now + request.timeToLiveMs,
          correlatedProcesses: correlated,
        });
      }
      return { key, tenantId };
    });
  }

  async broadcastSignal(request: {
    signalName: string;
    variables?: Variables;
    tenantId?: string;
  }): Promise<{ key: string; tenantId: string }> {
    const variables = this.checkVariables(request.variables, 'variables');
    if (!request.signalName) throw invalidArgument('Expected a signal name, but it was empty');
    const tenantId = request.tenantId || DEFAULT_TENANT;
    return this.submit((batch) => {
      const key = this.keys.next();
      batch.append('SIGNAL', 'BROADCASTED', key, {
        signalName: request.signalName,
        variables,
        tenantId,
      });
      this.execution.events.broadcastSignal(tenantId, request.signalName, variables);
      return { key, tenantId };
    });
  }

  // --- due work: timers, message expiry, job timeouts and retry back-offs ---------------------

  /**
   * Timers fire on time: a wake-up is set for the earliest due timer (the regular check every
   * `dueWorkIntervalMs` catches everything else). Not with a test clock (interval 0).
   */
  private wakeAt(dueAt: number): void {
    if (this.stopping || (this.options.dueWorkIntervalMs ?? 100) <= 0) return;
    if (this.wakeUp && this.wakeUp.at <= dueAt) return;
    if (this.wakeUp) clearTimeout(this.wakeUp.timer);
    const timer = setTimeout(
      () => {
        this.wakeUp = undefined;
        void this.runDueWork().catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'processing due work failed'),
        );
      },
      Math.max(0, dueAt - this.clock.now()),
    );
    timer.unref();
    this.wakeUp = { timer, at: dueAt };
  }

  private scheduleDueWork(): void {
    if (this.stopping) return;
    const now = this.clock.now();
    const due =
      this.state.subscriptionsAt('timer').some((timer) => (timer.dueAt ?? Infinity) <= now) ||
      [...this.state.messages.values()].some((message) => message.expiresAt <= now);
    if (due) {
      void this.runDueWork().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'processing due work failed'),
      );
      return;
    }
    for (const key of this.state.timed) {
      const job = this.state.jobs.get(key);
      if (job && job.deadline <= now) {
        void this.runDueWork().catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'processing due jobs failed'),
        );
        return;
      }
    }
  }

  /** Times out activated jobs past their deadline and brings back jobs whose back-off ended. */
  async runDueWork(): Promise<number> {
    return this.submit((batch) => {
      const timers = this.execution.events.fireDueTimers(batch.now, this.maxBatchSize);
      if (timers.nextDueAt < Infinity)
        batch.earliestDueAt = Math.min(batch.earliestDueAt, timers.nextDueAt);
      let count = timers.fired;
      for (const message of [...this.state.messages.values()]) {
        if (message.expiresAt > batch.now) continue;
        this.state.removeMessage(message);
        batch.append('MESSAGE', 'EXPIRED', message.key, {
          name: message.name,
          correlationKey: message.correlationKey,
          messageId: message.messageId ?? '',
          tenantId: message.tenantId,
        });
        count += 1;
      }
      for (const key of [...this.state.timed]) {
        const job = this.state.jobs.get(key);
        if (!job || job.deadline > batch.now) continue;
        const intent = job.state === 'ACTIVATED' ? 'TIMED_OUT' : 'RECURRED_AFTER_BACKOFF';
        job.state = 'ACTIVATABLE';
        job.worker = '';
        job.deadline = -1;
        this.state.reindexJob(job);
        this.execution.appendJob(job, intent);
        batch.activatableTypes.add(job.type);
        count += 1;
      }
      return count;
    });
  }

  // --- records -------------------------------------------------------------------------------

  readRecords(
    query: { fromPosition?: string; limit?: number; processInstanceKey?: string } = {},
  ): Promise<EngineRecord[]> {
    return this.store.readRecords(query);
  }

  verifyRecordChain(): ReturnType<EngineStore['verifyChain']> {
    return this.store.verifyChain();
  }

  // --- input checks --------------------------------------------------------------------------

  private checkVariables(variables: Variables | undefined, name: string): Variables {
    if (variables === undefined || variables === null) return {};
    if (typeof variables !== 'object' || Array.isArray(variables)) {
      throw invalidArgument(
        `Expected ${name} to be a JSON object, but it was ${Array.isArray(variables) ? 'an array' : typeof variables}`,
      );
    }
    const size = Buffer.byteLength(JSON.stringify(variables));
    if (size > this.maxPayloadBytes) {
      throw invalidArgument(
        `Expected ${name} to be at most ${this.maxPayloadBytes} bytes, but they are ${size} bytes`,
      );
    }
    return variables;
  }
}

function checkJobRequest(request: JobStreamRequest): void {
  if (!request.type) throw invalidArgument('Expected a job type, but it was empty');
  if (!Number.isFinite(request.timeoutMs) || request.timeoutMs < 0) {
    throw invalidArgument(
      `Expected the job timeout to be 0 or more milliseconds, but it was ${request.timeoutMs}`,
    );
  }
}

function formatProblems(resourceName: string, problems: readonly CompileProblem[]): string {
  const lines = problems.map((problem) =>
    problem.elementId
      ? `- Element: ${problem.elementId}\n    - ERROR: ${problem.message}`
      : `- ERROR: ${problem.message}`,
  );
  return `'${resourceName}':\n${lines.join('\n')}`;
}

function toMetadata(definition: DeployedProcess): ProcessMetadata {
  return {
    bpmnProcessId: definition.bpmnProcessId,
    version: definition.version,
    processDefinitionKey: definition.processDefinitionKey,
    resourceName: definition.resourceName,
    tenantId: definition.tenantId,
  };
}

function toActivatedJob(job: Job, variables: Variables): ActivatedJob {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.version,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: job.customHeaders,
    worker: job.worker,
    retries: job.retries,
    deadline: job.deadline,
    variables,
    tenantId: job.tenantId,
  };
}

function pick(variables: Variables, names: readonly string[] | undefined): Variables {
  if (!names || names.length === 0) return variables;
  const picked: Variables = {};
  for (const name of names) if (name in variables) picked[name] = variables[name];
  return picked;
}
