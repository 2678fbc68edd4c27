/**
 * BPMN execution: the lifecycle every element shares (activate with input mappings, complete
 * with output mappings, terminate), token flow along sequence flows with joining gateways,
 * variable scoping and propagation, jobs and incidents. Element-specific decisions live in the
 * behaviors of `elements/`; this module applies them and writes the records.
 *
 * Everything here runs inside one command of one batch, synchronously. Follow-up steps (an
 * element completing right after its activation, a scope checking whether it is done) go through
 * a FIFO work queue so that long chains do not recurse and the record order is deterministic.
 */
import { evaluateExpression, type FeelContext } from '../feel/feel.js';
import { elementOf, type FlowElement, type VariableMapping } from '../bpmn/process-model.js';
import type { Batch } from './batch.js';
import type {
  DeployedProcess,
  ElementInstance,
  EngineState,
  Incident,
  IncidentErrorType,
  Job,
} from './engine-state.js';
import { behaviorOf, multiInstanceBehavior } from './elements/registry.js';
import { collectOutput, continueLoop } from './elements/multi-instance.js';
import { Events } from './events.js';
import type { KeyGenerator } from './keys.js';

export type Outcome =
  | { readonly kind: 'wait' }
  | { readonly kind: 'complete' }
  | { readonly kind: 'failure'; readonly errorType: IncidentErrorType; readonly message: string };

export const WAIT: Outcome = { kind: 'wait' };
export const COMPLETE: Outcome = { kind: 'complete' };

export function failure(errorType: IncidentErrorType, message: string): Outcome {
  return { kind: 'failure', errorType, message };
}

export interface ExecutionHooks {
  /** a process instance ended; `variables` are its root variables at that moment */
  instanceEnded(
    instance: ElementInstance,
    state: 'COMPLETED' | 'TERMINATED',
    variables: Record<string, unknown>,
  ): void;
}

export class Execution {
  batch!: Batch;
  readonly events: Events;
  /** variables of events taken by an event-based gateway, by `<scope key>:<event id>` */
  readonly triggeredEvents = new Map<string, Record<string, unknown>>();
  /** the process instance created last (message start correlation marks it) */
  lastCreatedInstance: ElementInstance | undefined;
  private readonly startEvents = new Map<string, string>();
  private readonly work: (() => void)[] = [];

  constructor(
    readonly state: EngineState,
    readonly keys: KeyGenerator,
    private readonly hooks: ExecutionHooks,
  ) {
    this.events = new Events(this);
  }

  /** Runs a step and everything it sets off. */
  run<T>(step: () => T): T {
    const result = step();
    for (let next = this.work.shift(); next; next = this.work.shift()) next();
    return result;
  }

  later(step: () => void): void {
    this.work.push(step);
  }

  // --- instances -----------------------------------------------------------------------------

  createProcessInstance(
    definition: DeployedProcess,
    variables: Record<string, unknown>,
    options: { startEventId?: string; parentElementInstanceKey?: string } = {},
  ): ElementInstance {
    const key = this.keys.next();
    const instance: ElementInstance = {
      key,
      elementId: definition.bpmnProcessId,
      bpmnElementType: 'PROCESS',
      processInstanceKey: key,
      processDefinitionKey: definition.processDefinitionKey,
      bpmnProcessId: definition.bpmnProcessId,
      version: definition.version,
      tenantId: definition.tenantId,
      state: 'ACTIVATING',
      activeChildren: 0,
      joinTokens: {},
      parentElementInstanceKey: options.parentElementInstanceKey,
    };
    if (options.startEventId) this.startEvents.set(key, options.startEventId);
    this.lastCreatedInstance = instance;
    this.batch.instances.set(key, {
      processInstanceKey: key,
      processDefinitionKey: definition.processDefinitionKey,
      bpmnProcessId: definition.bpmnProcessId,
      version: definition.version,
      tenantId: definition.tenantId,
      state: 'ACTIVE',
      startedAt: this.batch.now,
    });
    this.batch.append(
      'PROCESS_INSTANCE_CREATION',
      'CREATED',
      key,
      {
        bpmnProcessId: definition.bpmnProcessId,
        version: definition.version,
        processDefinitionKey: definition.processDefinitionKey,
        processInstanceKey: key,
        tenantId: definition.tenantId,
        variables,
      },
      { processInstanceKey: key, elementId: definition.bpmnProcessId },
    );
    this.state.putElement(instance);
    for (const [name, value] of Object.entries(variables)) this.setLocal(instance, name, value);
    this.attemptActivation(instance);
    return instance;
  }

  definitionOf(instance: ElementInstance): DeployedProcess {
    const definition = this.state.definitions.get(instance.processDefinitionKey);
    if (!definition)
      throw new Error(`process definition ${instance.processDefinitionKey} is not loaded`);
    return definition;
  }

  elementOf(instance: ElementInstance): FlowElement {
    return elementOf(this.definitionOf(instance).model, instance.elementId);
  }

  // --- lifecycle -----------------------------------------------------------------------------

  /**
   * Creates an element instance in a scope and activates it. An element with multi-instance
   * characteristics becomes a multi-instance body that runs the inner instances.
   */
  activateElement(
    scope: ElementInstance,
    elementId: string,
    variables?: Record<string, unknown>,
    inner?: { loopIndex: number; locals: Record<string, unknown> },
  ): ElementInstance {
    const loopIndex = inner?.loopIndex;
    const element = elementOf(this.definitionOf(scope).model, elementId);
    const isBody = element.multiInstance !== undefined && loopIndex === undefined;
    const instance: ElementInstance = {
      key: this.keys.next(),
      elementId,
      bpmnElementType: isBody ? 'MULTI_INSTANCE_BODY' : element.bpmnElementType,
      processInstanceKey: scope.processInstanceKey,
      processDefinitionKey: scope.processDefinitionKey,
      bpmnProcessId: scope.bpmnProcessId,
      version: scope.version,
      tenantId: scope.tenantId,
      flowScopeKey: scope.key,
      state: 'ACTIVATING',
      activeChildren: 0,
      joinTokens: {},
      pendingVariables: variables,
      loopIndex,
    };
    scope.activeChildren += 1; // derived from the children when loaded, so not written
    this.state.putElement(instance);
    for (const [name, value] of Object.entries(inner?.locals ?? {}))
      this.setLocal(instance, name, value);
    this.attemptActivation(instance);
    return instance;
  }

  /** Starts the inner instance of a multi-instance body at a position, with its loop locals. */
  activateInner(
    body: ElementInstance,
    elementId: string,
    loopIndex: number,
    locals: Record<string, unknown>,
  ): ElementInstance {
    return this.activateElement(body, elementId, undefined, { loopIndex, locals });
  }

  /** The start event a process instance begins at (an event start, or the none start event). */
  startEventOf(instance: ElementInstance, element: FlowElement): string | undefined {
    const chosen = this.startEvents.get(instance.key);
    this.startEvents.delete(instance.key);
    return chosen ?? element.startEventId;
  }

  /**
   * Input mappings, event subscriptions, then the element's behavior; an incident stops it in
   * ACTIVATING. A multi-instance body has no mappings of its own (its inner instances do).
   */
  attemptActivation(instance: ElementInstance): void {
    const element = this.elementOf(instance);
    const isBody = instance.bpmnElementType === 'MULTI_INSTANCE_BODY';
    const outcome =
      (isBody ? undefined : this.applyInputMappings(instance, element.inputs)) ??
      this.events.openFor(instance, element) ??
      (isBody ? multiInstanceBehavior : behaviorOf(element)).activate(this, instance, element);
    if (outcome.kind === 'failure') {
      this.events.closeFor(instance);
      this.appendElement(instance, 'ELEMENT_ACTIVATING');
      this.raiseIncident(instance, outcome.errorType, outcome.message, 'activate');
      return;
    }
    instance.state = 'ACTIVATED';
    this.state.touchElement(instance);
    this.appendElement(instance, 'ELEMENT_ACTIVATED');
    if (outcome.kind === 'complete') this.later(() => this.completeElement(instance));
  }

  /** Output mappings, ELEMENT_COMPLETED, then the outgoing flows. */
  completeElement(instance: ElementInstance): void {
    if (!this.state.elements.has(instance.key)) return; // terminated meanwhile
    const element = this.elementOf(instance);
    const isBody = instance.bpmnElementType === 'MULTI_INSTANCE_BODY';
    if (instance.pendingVariables) {
      const variables = instance.pendingVariables;
      instance.pendingVariables = undefined;
      this.mergeResult(instance, element, variables);
    }
    instance.state = 'COMPLETING';
    const outcome = isBody ? undefined : this.applyOutputMappings(instance, element.outputs);
    if (outcome) {
      this.state.touchElement(instance);
      this.raiseIncident(instance, outcome.errorType, outcome.message, 'complete');
      return;
    }
    const scope = this.scopeOf(instance);
    const innerOf = scope?.bpmnElementType === 'MULTI_INSTANCE_BODY' ? scope : undefined;
    if (innerOf) collectOutput(this, innerOf, instance, element);
    if (isBody && element.multiInstance?.outputCollection) {
      const collection = this.state
        .scopeVariables(instance.key)
        ?.get(element.multiInstance.outputCollection);
      if (scope)
        this.propagate(scope, {
          [element.multiInstance.outputCollection]: collection?.value ?? [],
        });
    }
    if (element.compensationHandlerId && scope && !innerOf) {
      (scope.compensable ??= []).push({
        elementId: element.id,
        handlerId: element.compensationHandlerId,
      });
      this.state.touchElement(scope);
    }
    if (instance.compensationFor) this.later(() => this.events.handlerCompleted(instance));
    const flows = innerOf ? [] : (instance.selectedFlows ?? element.outgoing);
    this.events.closeFor(instance);
    if (!instance.flowScopeKey) {
      const variables = this.rootVariables(instance);
      if (instance.parentElementInstanceKey) this.calledResults.set(instance.key, variables);
      this.hooks.instanceEnded(instance, 'COMPLETED', variables);
      this.endInstanceRow(instance, 'COMPLETED');
      this.later(() => this.completeCallingActivity(instance));
      if (instance.startCorrelationKey) {
        this.later(() => this.events.startWithBufferedMessage(instance));
      }
    }
    this.appendElement(instance, 'ELEMENT_COMPLETED');
    this.state.removeElement(instance);
    if (!scope) return;
    for (const flowId of flows) this.takeFlow(scope, flowId);
    if (element.linkTargetId && !innerOf) this.activateElement(scope, element.linkTargetId);
    scope.activeChildren -= 1;
    if (innerOf) this.later(() => continueLoop(this, innerOf));
    else this.later(() => this.checkScope(scope));
  }

  /**
   * Variables that arrive with a job or an event: with output mappings they become locals of the
   * element (and only the mapped values leave it); without, they propagate.
   */
  mergeResult(
    instance: ElementInstance,
    element: FlowElement,
    variables: Record<string, unknown>,
  ): void {
    if (element.outputs.length > 0) {
      for (const [name, value] of Object.entries(variables)) this.setLocal(instance, name, value);
    } else {
      this.propagate(instance, variables);
    }
  }

  /** A called process instance completed: its variables go back to the call activity, which completes. */
  private completeCallingActivity(child: ElementInstance): void {
    const caller = child.parentElementInstanceKey
      ? this.state.elements.get(child.parentElementInstanceKey)
      : undefined;
    if (!caller) return;
    caller.childInstanceKey = undefined;
    const called = this.elementOf(caller).calledElement;
    const variables = this.calledResults.get(child.key) ?? {};
    this.calledResults.delete(child.key);
    if (called?.propagateAllChildVariables !== false) caller.pendingVariables = variables;
    this.completeElement(caller);
  }

  /** root variables of called instances that completed in this batch, for their callers */
  readonly calledResults = new Map<string, Record<string, unknown>>();

  /** Terminates an element instance and everything inside it; the caller continues the scope. */
  terminateElement(instance: ElementInstance): void {
    for (const child of this.state.childrenOf(instance.key)) this.terminateElement(child);
    if (instance.childInstanceKey) {
      const child = this.state.elements.get(instance.childInstanceKey);
      if (child) this.terminateElement(child);
    }
    this.events.closeFor(instance);
    if (instance.jobKey) {
      const job = this.state.jobs.get(instance.jobKey);
      if (job) {
        this.state.removeJob(job);
        this.appendJob(job, 'CANCELED');
      }
    }
    if (instance.incidentKey) this.removeIncident(instance.incidentKey);
    if (!instance.flowScopeKey) {
      this.hooks.instanceEnded(instance, 'TERMINATED', this.rootVariables(instance));
      this.endInstanceRow(instance, 'TERMINATED');
      if (instance.startCorrelationKey) {
        this.later(() => this.events.startWithBufferedMessage(instance));
      }
    }
    this.appendElement(instance, 'ELEMENT_TERMINATED');
    this.state.removeElement(instance);
    const scope = this.scopeOf(instance);
    if (scope) scope.activeChildren -= 1;
  }

  /** Terminates every child of a scope and drops its waiting tokens (terminate end event). */
  terminateChildren(scope: ElementInstance, except?: ElementInstance): void {
    for (const child of this.state.childrenOf(scope.key)) {
      if (child !== except) this.terminateElement(child);
    }
    scope.joinTokens = {};
    this.state.touchElement(scope);
  }

  private scopeOf(instance: ElementInstance): ElementInstance | undefined {
    return instance.flowScopeKey ? this.state.elements.get(instance.flowScopeKey) : undefined;
  }

  private endInstanceRow(instance: ElementInstance, state: 'COMPLETED' | 'TERMINATED'): void {
    const row = this.batch.instances.get(instance.key) ?? {
      processInstanceKey: instance.key,
      processDefinitionKey: instance.processDefinitionKey,
      bpmnProcessId: instance.bpmnProcessId,
      version: instance.version,
      tenantId: instance.tenantId,
      state,
      startedAt: -1, // kept as stored
    };
    row.state = state;
    row.endedAt = this.batch.now;
    this.batch.instances.set(instance.key, row);
  }

  // --- sequence flows and joins --------------------------------------------------------------

  takeFlow(scope: ElementInstance, flowId: string): void {
    const model = this.definitionOf(scope).model;
    const flow = model.flows.get(flowId);
    if (!flow) throw new Error(`unknown sequence flow '${flowId}'`);
    this.batch.append(
      'PROCESS_INSTANCE',
      'SEQUENCE_FLOW_TAKEN',
      this.keys.next(),
      {
        ...this.elementValue(scope),
        bpmnElementType: 'SEQUENCE_FLOW',
        elementId: flowId,
        flowScopeKey: scope.key,
      },
      { processInstanceKey: scope.processInstanceKey, elementId: flowId },
    );
    const target = elementOf(model, flow.targetId);
    const joins =
      (target.behavior === 'parallelGateway' || target.behavior === 'inclusiveGateway') &&
      target.incoming.length > 1;
    if (!joins) {
      this.activateElement(scope, target.id);
      return;
    }
    const tokens = (scope.joinTokens[target.id] ??= {});
    tokens[flowId] = (tokens[flowId] ?? 0) + 1;
    this.state.touchElement(scope);
    if (target.behavior === 'parallelGateway') this.tryParallelJoin(scope, target);
    else this.later(() => this.checkScope(scope));
  }

  private tryParallelJoin(scope: ElementInstance, gateway: FlowElement): void {
    const tokens = scope.joinTokens[gateway.id] ?? {};
    if (!gateway.incoming.every((flowId) => (tokens[flowId] ?? 0) > 0)) return;
    this.consumeTokens(scope, gateway.id, gateway.incoming);
    this.activateElement(scope, gateway.id);
  }

  private consumeTokens(
    scope: ElementInstance,
    gatewayId: string,
    flowIds: readonly string[],
  ): void {
    const tokens = scope.joinTokens[gatewayId] ?? {};
    for (const flowId of flowIds) {
      const left = (tokens[flowId] ?? 0) - 1;
      if (left > 0) tokens[flowId] = left;
      else delete tokens[flowId];
    }
    if (Object.keys(tokens).length === 0) delete scope.joinTokens[gatewayId];
    this.state.touchElement(scope);
  }

  /**
   * After a change in a scope: fires inclusive joins that no active path can reach any more,
   * then completes the scope when nothing is active and no token waits in it.
   */
  checkScope(scope: ElementInstance): void {
    if (!this.state.elements.has(scope.key) || scope.state !== 'ACTIVATED') return;
    const model = this.definitionOf(scope).model;
    for (const gatewayId of Object.keys(scope.joinTokens)) {
      const gateway = elementOf(model, gatewayId);
      if (gateway.behavior !== 'inclusiveGateway') continue;
      const reachableFromActive = this.state
        .childrenOf(scope.key)
        .some((child) => elementOf(model, child.elementId).reachable.has(gatewayId));
      const reachableFromWaiting = Object.keys(scope.joinTokens).some(
        (other) => other !== gatewayId && elementOf(model, other).reachable.has(gatewayId),
      );
      if (reachableFromActive || reachableFromWaiting) continue;
      this.consumeTokens(scope, gatewayId, Object.keys(scope.joinTokens[gatewayId] ?? {}));
      this.activateElement(scope, gatewayId);
      return; // the activation schedules the next check
    }
    if (scope.activeChildren === 0 && Object.keys(scope.joinTokens).length === 0) {
      this.later(() => this.completeElement(scope));
    }
  }

  // --- variables -----------------------------------------------------------------------------

  /** The variables visible in a scope: its own, then those of the enclosing scopes. */
  visibleVariables(scopeKey: string): FeelContext {
    const chain: string[] = [];
    for (
      let key: string | undefined = scopeKey;
      key;
      key = this.state.elements.get(key)?.flowScopeKey
    ) {
      chain.push(key);
    }
    const result: FeelContext = {};
    for (let i = chain.length - 1; i >= 0; i--) {
      const scope = this.state.scopeVariables(chain[i] ?? '');
      if (scope) for (const [name, entry] of scope) result[name] = entry.value;
    }
    return result;
  }

  private rootVariables(instance: ElementInstance): Record<string, unknown> {
    return this.visibleVariables(instance.processInstanceKey);
  }

  setLocal(scope: ElementInstance, name: string, value: unknown): void {
    const json = JSON.stringify(value ?? null);
    const existing = this.state.scopeVariables(scope.key)?.get(name);
    if (existing && existing.json === json) return;
    const key = existing?.key ?? this.keys.next();
    this.state.putVariable(scope.key, name, { key, value: JSON.parse(json) as unknown, json });
    this.batch.append(
      'VARIABLE',
      existing ? 'UPDATED' : 'CREATED',
      key,
      {
        name,
        value: json,
        scopeKey: scope.key,
        processInstanceKey: scope.processInstanceKey,
        processDefinitionKey: scope.processDefinitionKey,
        bpmnProcessId: scope.bpmnProcessId,
        tenantId: scope.tenantId,
      },
      { processInstanceKey: scope.processInstanceKey, elementId: scope.elementId },
    );
  }

  /**
   * Zeebe's propagation: each variable is set in the nearest scope (from `scope` outwards) that
   * already has it, or created in the process instance's root scope.
   */
  propagate(scope: ElementInstance, variables: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(variables)) {
      let target: ElementInstance | undefined = scope;
      while (target && !this.state.scopeVariables(target.key)?.has(name)) {
        target = this.scopeOf(target);
      }
      const owner = target ?? this.state.elements.get(scope.processInstanceKey);
      if (owner) this.setLocal(owner, name, value);
    }
  }

  private applyInputMappings(
    instance: ElementInstance,
    mappings: readonly VariableMapping[],
  ): Outcome | undefined {
    if (mappings.length === 0) return undefined;
    const context = instance.flowScopeKey ? this.visibleVariables(instance.flowScopeKey) : {};
    const result = this.evaluateMappings(mappings, context, {});
    if (!result.ok) return failure('IO_MAPPING_ERROR', result.message);
    for (const [name, value] of Object.entries(result.values)) this.setLocal(instance, name, value);
    return undefined;
  }

  private applyOutputMappings(
    instance: ElementInstance,
    mappings: readonly VariableMapping[],
  ): Extract<Outcome, { kind: 'failure' }> | undefined {
    if (mappings.length === 0) return undefined;
    const scope = this.scopeOf(instance);
    const context = this.visibleVariables(instance.key);
    const base = scope ? this.visibleVariables(scope.key) : {};
    const result = this.evaluateMappings(mappings, context, base);
    if (!result.ok)
      return { kind: 'failure', errorType: 'IO_MAPPING_ERROR', message: result.message };
    if (scope) this.propagate(scope, result.values);
    return undefined;
  }

  /**
   * Evaluates mappings in order; a dotted target merges into the object variable it names
   * (taken from `base` or from an earlier mapping).
   */
  private evaluateMappings(
    mappings: readonly VariableMapping[],
    context: FeelContext,
    base: FeelContext,
  ): { ok: true; values: Record<string, unknown> } | { ok: false; message: string } {
    const values: Record<string, unknown> = {};
    for (const mapping of mappings) {
      const result = evaluateExpression(mapping.source, { ...context, ...values });
      if (!result.ok)
        return { ok: false, message: `mapping to '${mapping.target}': ${result.message}` };
      const [head = '', ...path] = mapping.target.split('.');
      if (path.length === 0) {
        values[head] = result.value;
        continue;
      }
      const start = values[head] ?? base[head];
      const root: Record<string, unknown> = isObject(start) ? structuredClone(start) : {};
      let node = root;
      for (const segment of path.slice(0, -1)) {
        const next = node[segment];
        node = node[segment] = isObject(next) ? next : {};
      }
      node[path[path.length - 1] ?? ''] = result.value;
      values[head] = root;
    }
    return { ok: true, values };
  }

  // --- jobs ----------------------------------------------------------------------------------

  createJob(
    instance: ElementInstance,
    job: Omit<
      Job,
      | 'key'
      | 'state'
      | 'worker'
      | 'deadline'
      | 'errorMessage'
      | 'elementId'
      | 'elementInstanceKey'
      | 'processInstanceKey'
      | 'processDefinitionKey'
      | 'bpmnProcessId'
      | 'version'
      | 'tenantId'
    >,
  ): void {
    const created: Job = {
      ...job,
      key: this.keys.next(),
      state: 'ACTIVATABLE',
      worker: '',
      deadline: -1,
      errorMessage: '',
      elementId: instance.elementId,
      elementInstanceKey: instance.key,
      processInstanceKey: instance.processInstanceKey,
      processDefinitionKey: instance.processDefinitionKey,
      bpmnProcessId: instance.bpmnProcessId,
      version: instance.version,
      tenantId: instance.tenantId,
    };
    instance.jobKey = created.key;
    this.state.putJob(created);
    this.batch.activatableTypes.add(created.type);
    this.appendJob(created, 'CREATED');
  }

  appendJob(
    job: Job,
    intent: Parameters<Batch['append']>[1],
    extra: Record<string, unknown> = {},
  ): void {
    this.batch.append(
      'JOB',
      intent,
      job.key,
      {
        type: job.type,
        retries: job.retries,
        worker: job.worker,
        deadline: job.deadline,
        errorMessage: job.errorMessage,
        customHeaders: job.customHeaders,
        elementId: job.elementId,
        elementInstanceKey: job.elementInstanceKey,
        processInstanceKey: job.processInstanceKey,
        processDefinitionKey: job.processDefinitionKey,
        bpmnProcessId: job.bpmnProcessId,
        processDefinitionVersion: job.version,
        tenantId: job.tenantId,
        ...extra,
      },
      { processInstanceKey: job.processInstanceKey, elementId: job.elementId },
    );
  }

  /** The job's element finished its work: merge the job's variables and complete the element. */
  completeJobElement(job: Job, variables: Record<string, unknown>): void {
    const instance = this.state.elements.get(job.elementInstanceKey);
    if (!instance) return;
    instance.jobKey = undefined;
    this.mergeResult(instance, this.elementOf(instance), variables);
    this.completeElement(instance);
  }

  // --- incidents -----------------------------------------------------------------------------

  raiseIncident(
    instance: ElementInstance,
    errorType: IncidentErrorType,
    errorMessage: string,
    phase: Incident['phase'],
    jobKey?: string,
  ): void {
    const incident: Incident = {
      key: this.keys.next(),
      errorType,
      errorMessage,
      elementId: instance.elementId,
      elementInstanceKey: instance.key,
      processInstanceKey: instance.processInstanceKey,
      processDefinitionKey: instance.processDefinitionKey,
      bpmnProcessId: instance.bpmnProcessId,
      tenantId: instance.tenantId,
      jobKey,
      phase,
    };
    instance.incidentKey = incident.key;
    this.state.touchElement(instance);
    this.state.putIncident(incident);
    this.batch.append('INCIDENT', 'CREATED', incident.key, incidentValue(incident), {
      processInstanceKey: incident.processInstanceKey,
      elementId: incident.elementId,
    });
  }

  removeIncident(incidentKey: string): Incident | undefined {
    const incident = this.state.incidents.get(incidentKey);
    if (!incident) return undefined;
    this.state.removeIncident(incident);
    const instance = this.state.elements.get(incident.elementInstanceKey);
    if (instance && instance.incidentKey === incidentKey) {
      instance.incidentKey = undefined;
      this.state.touchElement(instance);
    }
    this.batch.append('INCIDENT', 'RESOLVED', incident.key, incidentValue(incident), {
      processInstanceKey: incident.processInstanceKey,
      elementId: incident.elementId,
    });
    return incident;
  }

  /** Resolves an incident and retries the step that failed. */
  resolveIncident(incident: Incident): void {
    this.removeIncident(incident.key);
    const instance = this.state.elements.get(incident.elementInstanceKey);
    if (!instance) return;
    if (incident.phase === 'activate') {
      this.attemptActivation(instance);
    } else if (incident.phase === 'complete') {
      this.completeElement(instance);
    } else {
      const job = incident.jobKey ? this.state.jobs.get(incident.jobKey) : undefined;
      if (!job) return;
      if (job.retries <= 0) {
        this.raiseIncident(instance, incident.errorType, incident.errorMessage, 'job', job.key);
        return;
      }
      job.state = 'ACTIVATABLE';
      job.deadline = -1;
      this.state.reindexJob(job);
      this.batch.activatableTypes.add(job.type);
    }
  }

  // --- records -------------------------------------------------------------------------------

  elementValue(instance: ElementInstance): Record<string, unknown> {
    return {
      bpmnElementType: instance.bpmnElementType,
      elementId: instance.elementId,
      flowScopeKey: instance.flowScopeKey ?? '-1',
      bpmnProcessId: instance.bpmnProcessId,
      version: instance.version,
      processDefinitionKey: instance.processDefinitionKey,
      processInstanceKey: instance.processInstanceKey,
      tenantId: instance.tenantId,
    };
  }

  appendElement(
    instance: ElementInstance,
    intent: 'ELEMENT_ACTIVATING' | 'ELEMENT_ACTIVATED' | 'ELEMENT_COMPLETED' | 'ELEMENT_TERMINATED',
  ): void {
    this.batch.append('PROCESS_INSTANCE', intent, instance.key, this.elementValue(instance), {
      processInstanceKey: instance.processInstanceKey,
      elementId: instance.elementId,
    });
  }
}

export function incidentValue(incident: Incident): Record<string, unknown> {
  return {
    errorType: incident.errorType,
    errorMessage: incident.errorMessage,
    elementId: incident.elementId,
    elementInstanceKey: incident.elementInstanceKey,
    processInstanceKey: incident.processInstanceKey,
    processDefinitionKey: incident.processDefinitionKey,
    bpmnProcessId: incident.bpmnProcessId,
    jobKey: incident.jobKey ?? '-1',
    tenantId: incident.tenantId,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
