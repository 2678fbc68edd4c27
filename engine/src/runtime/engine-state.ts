/**
 * The engine's runtime state, held in memory by the single writer of a partition and written to
 * PostgreSQL as the net change of each batch. Every mutation goes through a method that marks
 * the entity dirty; the flush serializes dirty entities once, and an entity created and removed
 * within one batch is never written.
 */
import type { BpmnElementType, ProcessModel } from '../bpmn/process-model.js';
import { DecisionRegistry } from './decisions.js';

export interface ElementInstance {
  readonly key: string;
  readonly elementId: string;
  readonly bpmnElementType: BpmnElementType;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
  /** the enclosing element instance (sub-process or process); undefined for the process */
  readonly flowScopeKey?: string;
  state: 'ACTIVATING' | 'ACTIVATED' | 'COMPLETING';
  /** number of child element instances (for processes and sub-processes) */
  activeChildren: number;
  /** tokens waiting at joining gateways of this scope: gateway id → flow id → count */
  joinTokens: Record<string, Record<string, number>>;
  jobKey?: string;
  incidentKey?: string;
  /** flows a gateway chose on activation, taken when it completes */
  selectedFlows?: string[];
  /** variables that arrived with the event that triggered this element, merged on completion */
  pendingVariables?: Record<string, unknown>;
  /** a process instance started by a call activity: that call activity's element instance */
  parentElementInstanceKey?: string;
  /** a call activity: the process instance it started */
  childInstanceKey?: string;
  /** a process instance started by a message start event with a correlation key */
  startCorrelationKey?: string;
  /** multi-instance body: the input collection, the next index to start, and the results */
  loop?: { items: unknown[]; next: number };
  /** inner instance of a multi-instance body: its position (0-based) */
  loopIndex?: number;
  /** scopes: completed activities that have a compensation handler, in completion order */
  compensable?: { elementId: string; handlerId: string }[];
  /** a running compensation handler: the compensation throw event waiting for it */
  compensationFor?: string;
  /** a compensation throw event: handlers still running */
  waitingHandlers?: number;
}

export interface Subscription {
  readonly key: string;
  readonly kind: 'message' | 'timer' | 'signal';
  /** the element instance it lives and dies with; undefined for process start events */
  readonly ownerKey?: string;
  /** the element it triggers: catch event, boundary event, event start (of a process or an event sub-process) */
  readonly elementId: string;
  readonly interrupting: boolean;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly processInstanceKey?: string;
  readonly tenantId: string;
  readonly messageName?: string;
  readonly correlationKey?: string;
  dueAt?: number;
  repetitionsLeft?: number;
  readonly timerValue?: string;
  readonly signalName?: string;
}

export interface BufferedMessage {
  readonly key: string;
  readonly name: string;
  readonly correlationKey: string;
  readonly messageId?: string;
  readonly variables: Record<string, unknown>;
  readonly tenantId: string;
  readonly expiresAt: number;
  /** processes (bpmnProcessId) it was correlated to: once per process */
  readonly correlatedProcesses: string[];
}

export type JobState = 'ACTIVATABLE' | 'ACTIVATED' | 'BACKOFF' | 'FAILED' | 'ERROR_THROWN';

export interface Job {
  readonly key: string;
  readonly type: string;
  state: JobState;
  retries: number;
  worker: string;
  /** ms since the epoch: activation deadline (ACTIVATED) or recurrence time (BACKOFF) */
  deadline: number;
  errorMessage: string;
  readonly customHeaders: Record<string, string>;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly tenantId: string;
}

export type IncidentErrorType =
  | 'JOB_NO_RETRIES'
  | 'EXTRACT_VALUE_ERROR'
  | 'IO_MAPPING_ERROR'
  | 'CONDITION_ERROR'
  | 'UNHANDLED_ERROR_EVENT'
  | 'CALLED_ELEMENT_ERROR'
  | 'CALLED_DECISION_ERROR'
  | 'DECISION_EVALUATION_ERROR';

export interface Incident {
  readonly key: string;
  readonly errorType: IncidentErrorType;
  readonly errorMessage: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly tenantId: string;
  readonly jobKey?: string;
  /** the step that failed and is retried when the incident is resolved */
  readonly phase: 'activate' | 'complete' | 'job';
}

export interface VariableEntry {
  readonly key: string;
  value: unknown;
  /** JSON text of the value, as records carry it */
  json: string;
}

export interface DeployedProcess {
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  readonly version: number;
  readonly versionTag?: string;
  readonly tenantId: string;
  readonly resourceName: string;
  readonly checksum: string;
  readonly deploymentKey: string;
  readonly model: ProcessModel;
}

export type EntityKind = 'element' | 'job' | 'incident' | 'variables' | 'subscription' | 'message';

interface DirtyEntry {
  readonly kind: EntityKind;
  readonly key: string;
  readonly data: object | null;
}

export class EngineState {
  readonly elements = new Map<string, ElementInstance>();
  readonly children = new Map<string, Set<string>>();
  readonly jobs = new Map<string, Job>();
  /** activatable jobs per type, in creation order */
  readonly activatable = new Map<string, Set<string>>();
  /** jobs with a deadline (activated or backing off), for the due-work scan */
  readonly timed = new Set<string>();
  readonly incidents = new Map<string, Incident>();
  readonly variables = new Map<string, Map<string, VariableEntry>>();
  readonly definitions = new Map<string, DeployedProcess>();
  readonly decisions = new DecisionRegistry();
  readonly subscriptions = new Map<string, Subscription>();
  private readonly subscriptionIndex = new Map<string, Set<string>>();
  readonly messages = new Map<string, BufferedMessage>();
  private readonly messageIndex = new Map<string, Set<string>>();
  /** active process instances started by a message with a correlation key: tenant, process, key → instance */
  private readonly messageStarted = new Map<string, string>();
  private readonly latest = new Map<string, DeployedProcess>();
  private readonly byVersion = new Map<string, DeployedProcess>();
  /** the highest version ever given per tenant and process id, deleted versions included */
  private readonly highestVersions = new Map<string, number>();

  private readonly dirty = new Map<string, DirtyEntry>();
  private readonly persisted = new Set<string>();

  // --- process definitions -------------------------------------------------------------------

  addDefinition(definition: DeployedProcess): void {
    this.definitions.set(definition.processDefinitionKey, definition);
    const id = `${definition.tenantId}\u0000${definition.bpmnProcessId}`;
    this.byVersion.set(`${id}\u0000${definition.version}`, definition);
    const current = this.latest.get(id);
    if (!current || current.version < definition.version) this.latest.set(id, definition);
    this.noteVersion(definition.tenantId, definition.bpmnProcessId, definition.version);
  }

  /**
   * Removes a deleted definition: it can no longer be started or called, and the highest
   * remaining version becomes the latest again. Its version stays taken (see `nextVersion`).
   */
  removeDefinition(definition: DeployedProcess): void {
    this.definitions.delete(definition.processDefinitionKey);
    const id = `${definition.tenantId}\u0000${definition.bpmnProcessId}`;
    this.byVersion.delete(`${id}\u0000${definition.version}`);
    if (this.latest.get(id) !== definition) return;
    this.latest.delete(id);
    for (const other of this.definitions.values()) {
      if (
        other.tenantId !== definition.tenantId ||
        other.bpmnProcessId !== definition.bpmnProcessId
      )
        continue;
      const current = this.latest.get(id);
      if (!current || current.version < other.version) this.latest.set(id, other);
    }
  }

  /** A version that was given, also one deleted since: versions are never given twice. */
  noteVersion(tenantId: string, bpmnProcessId: string, version: number): void {
    const id = `${tenantId}\u0000${bpmnProcessId}`;
    if ((this.highestVersions.get(id) ?? 0) < version) this.highestVersions.set(id, version);
  }

  /** The version the next deployment of a process gets: past every version ever deployed. */
  nextVersion(tenantId: string, bpmnProcessId: string): number {
    return (this.highestVersions.get(`${tenantId}\u0000${bpmnProcessId}`) ?? 0) + 1;
  }

  /** Running process instances (root or called) of a definition. */
  instancesOf(processDefinitionKey: string): number {
    let count = 0;
    for (const instance of this.elements.values())
      if (!instance.flowScopeKey && instance.processDefinitionKey === processDefinitionKey)
        count += 1;
    return count;
  }

  latestDefinition(tenantId: string, bpmnProcessId: string): DeployedProcess | undefined {
    return this.latest.get(`${tenantId}\u0000${bpmnProcessId}`);
  }

  definitionWithTag(
    tenantId: string,
    bpmnProcessId: string,
    versionTag: string,
  ): DeployedProcess | undefined {
    let found: DeployedProcess | undefined;
    for (const definition of this.definitions.values()) {
      if (
        definition.tenantId === tenantId &&
        definition.bpmnProcessId === bpmnProcessId &&
        definition.versionTag === versionTag
      ) {
        if (!found || found.version < definition.version) found = definition;
      }
    }
    return found;
  }

  definitionInDeployment(
    tenantId: string,
    bpmnProcessId: string,
    deploymentKey: string,
  ): DeployedProcess | undefined {
    for (const definition of this.definitions.values()) {
      if (
        definition.tenantId === tenantId &&
        definition.bpmnProcessId === bpmnProcessId &&
        definition.deploymentKey === deploymentKey
      )
        return definition;
    }
    return undefined;
  }

  definitionVersion(
    tenantId: string,
    bpmnProcessId: string,
    version: number,
  ): DeployedProcess | undefined {
    return this.byVersion.get(`${tenantId}\u0000${bpmnProcessId}\u0000${version}`);
  }

  // --- element instances ---------------------------------------------------------------------

  putElement(instance: ElementInstance): void {
    if (!this.elements.has(instance.key) && instance.flowScopeKey) {
      let siblings = this.children.get(instance.flowScopeKey);
      if (!siblings) this.children.set(instance.flowScopeKey, (siblings = new Set()));
      siblings.add(instance.key);
    }
    this.elements.set(instance.key, instance);
    this.indexMessageStart(instance);
    this.mark('element', instance.key, instance);
  }

  removeElement(instance: ElementInstance): void {
    if (instance.startCorrelationKey) this.messageStarted.delete(messageStartKey(instance));
    this.elements.delete(instance.key);
    this.children.delete(instance.key);
    if (instance.flowScopeKey) this.children.get(instance.flowScopeKey)?.delete(instance.key);
    this.mark('element', instance.key, null);
    if (this.variables.delete(instance.key)) this.mark('variables', instance.key, null);
  }

  childrenOf(scopeKey: string): ElementInstance[] {
    const keys = this.children.get(scopeKey);
    if (!keys) return [];
    return [...keys].map((key) => this.elements.get(key)).filter((e): e is ElementInstance => !!e);
  }

  touchElement(instance: ElementInstance): void {
    this.indexMessageStart(instance);
    this.mark('element', instance.key, instance);
  }

  /** Whether an active instance of the process was started by a message with this key. */
  hasMessageStartedInstance(tenantId: string, bpmnProcessId: string, correlationKey: string) {
    return this.messageStarted.has(`${tenantId}\u0000${bpmnProcessId}\u0000${correlationKey}`);
  }

  private indexMessageStart(instance: ElementInstance): void {
    if (instance.startCorrelationKey && !instance.flowScopeKey) {
      this.messageStarted.set(messageStartKey(instance), instance.key);
    }
  }

  // --- jobs ----------------------------------------------------------------------------------

  putJob(job: Job): void {
    this.jobs.set(job.key, job);
    this.index(job);
    this.mark('job', job.key, job);
  }

  removeJob(job: Job): void {
    this.jobs.delete(job.key);
    this.activatable.get(job.type)?.delete(job.key);
    this.timed.delete(job.key);
    this.mark('job', job.key, null);
  }

  private index(job: Job): void {
    let ofType = this.activatable.get(job.type);
    if (job.state === 'ACTIVATABLE') {
      if (!ofType) this.activatable.set(job.type, (ofType = new Set()));
      ofType.add(job.key);
    } else {
      ofType?.delete(job.key);
    }
    if (job.state === 'ACTIVATED' || job.state === 'BACKOFF') this.timed.add(job.key);
    else this.timed.delete(job.key);
  }

  // --- incidents -----------------------------------------------------------------------------

  putIncident(incident: Incident): void {
    this.incidents.set(incident.key, incident);
    this.mark('incident', incident.key, incident);
  }

  removeIncident(incident: Incident): void {
    this.incidents.delete(incident.key);
    this.mark('incident', incident.key, null);
  }

  // --- variables -----------------------------------------------------------------------------

  scopeVariables(scopeKey: string): Map<string, VariableEntry> | undefined {
    return this.variables.get(scopeKey);
  }

  putVariable(scopeKey: string, name: string, entry: VariableEntry): void {
    let scope = this.variables.get(scopeKey);
    if (!scope) this.variables.set(scopeKey, (scope = new Map()));
    scope.set(name, entry);
    this.mark('variables', scopeKey, scope);
  }

  // --- subscriptions and buffered messages --------------------------------------------------

  putSubscription(subscription: Subscription): void {
    this.subscriptions.set(subscription.key, subscription);
    for (const index of subscriptionIndexKeys(subscription))
      addTo(this.subscriptionIndex, index, subscription.key);
    this.mark('subscription', subscription.key, subscription);
  }

  touchSubscription(subscription: Subscription): void {
    this.mark('subscription', subscription.key, subscription);
  }

  removeSubscription(subscription: Subscription): void {
    this.subscriptions.delete(subscription.key);
    for (const index of subscriptionIndexKeys(subscription))
      this.subscriptionIndex.get(index)?.delete(subscription.key);
    this.mark('subscription', subscription.key, null);
  }

  /** Subscriptions by index: `owner:<key>`, `message:<tenant>:<name>:<correlationKey>`, `start:<tenant>:<name>`, `signal:<tenant>:<name>`, `timer`, `process:<definitionKey>`. */
  subscriptionsAt(index: string): Subscription[] {
    const keys = this.subscriptionIndex.get(index);
    if (!keys) return [];
    return [...keys]
      .map((key) => this.subscriptions.get(key))
      .filter((s): s is Subscription => !!s);
  }

  putMessage(message: BufferedMessage): void {
    this.messages.set(message.key, message);
    addTo(
      this.messageIndex,
      messageIndexKey(message.tenantId, message.name, message.correlationKey),
      message.key,
    );
    this.mark('message', message.key, message);
  }

  touchMessage(message: BufferedMessage): void {
    this.mark('message', message.key, message);
  }

  removeMessage(message: BufferedMessage): void {
    this.messages.delete(message.key);
    this.messageIndex
      .get(messageIndexKey(message.tenantId, message.name, message.correlationKey))
      ?.delete(message.key);
    this.mark('message', message.key, null);
  }

  /** Buffered messages for a name and correlation key, oldest first. */
  messagesFor(tenantId: string, name: string, correlationKey: string): BufferedMessage[] {
    const keys = this.messageIndex.get(messageIndexKey(tenantId, name, correlationKey));
    if (!keys) return [];
    return [...keys].map((key) => this.messages.get(key)).filter((m): m is BufferedMessage => !!m);
  }

  // --- persistence ---------------------------------------------------------------------------

  private mark(kind: EntityKind, key: string, data: object | null): void {
    this.dirty.set(`${kind}\u0000${key}`, { kind, key, data });
  }

  /**
   * The net change since the last call: rows to upsert (serialized now) and rows to delete.
   * Entities that were created and removed in between are in neither list.
   */
  takeChanges(): {
    upserts: { kind: EntityKind; key: string; json: string }[];
    deletes: { kind: EntityKind; key: string }[];
  } {
    const upserts: { kind: EntityKind; key: string; json: string }[] = [];
    const deletes: { kind: EntityKind; key: string }[] = [];
    for (const [id, entry] of this.dirty) {
      if (entry.data === null) {
        if (this.persisted.delete(id)) deletes.push({ kind: entry.kind, key: entry.key });
      } else {
        this.persisted.add(id);
        upserts.push({ kind: entry.kind, key: entry.key, json: serialize(entry.kind, entry.data) });
      }
    }
    this.dirty.clear();
    return { upserts, deletes };
  }

  /** Loads one persisted entity (at start). */
  load(kind: EntityKind, key: string, data: Record<string, unknown>): void {
    this.persisted.add(`${kind}\u0000${key}`);
    switch (kind) {
      case 'element': {
        const instance = data as unknown as ElementInstance;
        this.putElement(instance);
        break;
      }
      case 'job':
        this.putJob(data as unknown as Job);
        break;
      case 'incident':
        this.putIncident(data as unknown as Incident);
        break;
      case 'subscription':
        this.putSubscription(data as unknown as Subscription);
        break;
      case 'message':
        this.putMessage(data as unknown as BufferedMessage);
        break;
      case 'variables':
        for (const [name, entry] of Object.entries(
          data as Record<string, { key: string; json: string }>,
        )) {
          this.putVariable(key, name, {
            key: entry.key,
            json: entry.json,
            value: JSON.parse(entry.json),
          });
        }
        break;
    }
    this.dirty.clear();
  }

  /** After loading: counts that are derived rather than stored. */
  finishLoading(): void {
    for (const instance of this.elements.values()) {
      instance.activeChildren = this.children.get(instance.key)?.size ?? 0;
    }
  }

  reindexJob(job: Job): void {
    this.index(job);
    this.mark('job', job.key, job);
  }
}

function serialize(kind: EntityKind, data: object): string {
  if (kind === 'variables') {
    const scope = data as Map<string, VariableEntry>;
    const plain: Record<string, { key: string; json: string }> = {};
    for (const [name, entry] of scope) plain[name] = { key: entry.key, json: entry.json };
    return JSON.stringify(plain);
  }
  return JSON.stringify(data);
}

function addTo(index: Map<string, Set<string>>, key: string, value: string): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}

function messageIndexKey(tenantId: string, name: string, correlationKey: string): string {
  return `${tenantId}\u0000${name}\u0000${correlationKey}`;
}

function subscriptionIndexKeys(s: Subscription): string[] {
  const keys = [s.ownerKey ? `owner:${s.ownerKey}` : `process:${s.processDefinitionKey}`];
  if (s.kind === 'timer') keys.push('timer');
  if (s.kind === 'signal') keys.push(`signal:${s.tenantId}\u0000${s.signalName ?? ''}`);
  if (s.kind === 'message') {
    keys.push(
      s.ownerKey
        ? `message:${messageIndexKey(s.tenantId, s.messageName ?? '', s.correlationKey ?? '')}`
        : `start:${s.tenantId}\u0000${s.messageName ?? ''}`,
    );
  }
  return keys;
}

export function messageSubscriptionIndex(
  tenantId: string,
  name: string,
  correlationKey: string,
): string {
  return `message:${messageIndexKey(tenantId, name, correlationKey)}`;
}

function messageStartKey(instance: ElementInstance): string {
  return `${instance.tenantId}\u0000${instance.bpmnProcessId}\u0000${instance.startCorrelationKey}`;
}
