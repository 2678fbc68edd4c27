/**
 * The engine's runtime state, held in memory by the single writer of a partition and written to
 * PostgreSQL as the net change of each batch. Every mutation goes through a method that marks
 * the entity dirty; the flush serializes dirty entities once, and an entity created and removed
 * within one batch is never written.
 */
import type { BpmnElementType, ProcessModel } from '../bpmn/process-model.js';

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
  | 'UNHANDLED_ERROR_EVENT';

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
  readonly model: ProcessModel;
}

export type EntityKind = 'element' | 'job' | 'incident' | 'variables';

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
  private readonly latest = new Map<string, DeployedProcess>();
  private readonly byVersion = new Map<string, DeployedProcess>();

  private readonly dirty = new Map<string, DirtyEntry>();
  private readonly persisted = new Set<string>();

  // --- process definitions -------------------------------------------------------------------

  addDefinition(definition: DeployedProcess): void {
    this.definitions.set(definition.processDefinitionKey, definition);
    const id = `${definition.tenantId}\u0000${definition.bpmnProcessId}`;
    this.byVersion.set(`${id}\u0000${definition.version}`, definition);
    const current = this.latest.get(id);
    if (!current || current.version < definition.version) this.latest.set(id, definition);
  }

  latestDefinition(tenantId: string, bpmnProcessId: string): DeployedProcess | undefined {
    return this.latest.get(`${tenantId}\u0000${bpmnProcessId}`);
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
    this.mark('element', instance.key, instance);
  }

  removeElement(instance: ElementInstance): void {
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
    this.mark('element', instance.key, instance);
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
