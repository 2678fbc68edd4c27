/**
 * Events: subscriptions that wait (messages, timers, signals) and the throwing of errors,
 * escalations and signals, with Zeebe's semantics:
 *
 * - An element instance opens subscriptions when it activates — for its own catch event, for the
 *   boundary events attached to it, and (for a process or sub-process) for the start events of
 *   its event sub-processes — and they close when it ends.
 * - A triggered interrupting boundary event terminates its activity; an interrupting event
 *   sub-process terminates everything else in its scope; non-interrupting ones run alongside.
 * - Errors and escalations are caught by the nearest matching catch event, a specific code
 *   winning over a catch-all at the same level, bubbling out of sub-processes and call
 *   activities. An uncaught error is an incident; an uncaught escalation is not.
 * - A message correlates once per process (bpmnProcessId) but to every matching subscription of
 *   other processes; it is buffered for its time to live and correlates to subscriptions opened
 *   later, first published first.
 */
import { evaluateExpression } from '../feel/feel.js';
import { elementOf, type EventDefinition, type FlowElement } from '../bpmn/process-model.js';
import type { DeployedProcess, ElementInstance, Subscription } from './engine-state.js';
import { messageSubscriptionIndex } from './engine-state.js';
import type { Execution, Outcome } from './execution.js';
import { failure } from './execution.js';
import { nextCycle, scheduleTimer } from './timers.js';

type Catch =
  | {
      readonly kind: 'boundary';
      readonly owner: ElementInstance;
      readonly elementId: string;
      readonly interrupting: boolean;
    }
  | {
      readonly kind: 'eventSubProcess';
      readonly owner: ElementInstance;
      readonly elementId: string;
      readonly interrupting: boolean;
    };

export class Events {
  constructor(private readonly execution: Execution) {}

  private get state() {
    return this.execution.state;
  }

  // --- opening and closing ---------------------------------------------------------------------

  /**
   * Opens the subscriptions an activating element instance owns. Returns a failure (and opens
   * nothing) when a correlation key, timer or signal name cannot be evaluated.
   */
  openFor(instance: ElementInstance, element: FlowElement): Outcome | undefined {
    const model = this.execution.definitionOf(instance).model;
    const targets: FlowElement[] = [];
    if (element.behavior === 'catchEvent' && instance.bpmnElementType !== 'MULTI_INSTANCE_BODY')
      targets.push(element);
    const isInner = instance.loopIndex !== undefined;
    if (!isInner)
      for (const id of element.boundaryEventIds ?? []) targets.push(elementOf(model, id));
    for (const id of element.eventSubProcessIds ?? []) {
      const startId = elementOf(model, id).startEventId;
      if (startId) targets.push(elementOf(model, startId));
    }
    if (element.behavior === 'eventBasedGateway') {
      for (const flowId of element.outgoing) {
        const flow = model.flows.get(flowId);
        if (flow) targets.push(elementOf(model, flow.targetId));
      }
    }
    if (targets.length === 0) return undefined; // most elements: nothing to evaluate
    // every subscription is worked out before any opens, so a failure opens none
    const opened: Subscription[] = [];
    const variables = this.execution.visibleVariables(instance.key);
    for (const target of targets) {
      const event = target.event;
      if (!event || (event.kind !== 'message' && event.kind !== 'timer' && event.kind !== 'signal'))
        continue;
      const subscription = this.subscriptionFor(instance, target, event, variables);
      if (typeof subscription === 'string') {
        return failure('EXTRACT_VALUE_ERROR', `${target.id}: ${subscription}`);
      }
      opened.push(subscription);
    }
    for (const subscription of opened) this.open(subscription);
    return undefined;
  }

  private subscriptionFor(
    owner: ElementInstance | undefined,
    target: FlowElement,
    event: Extract<EventDefinition, { kind: 'message' | 'timer' | 'signal' }>,
    variables: Record<string, unknown>,
    definition?: DeployedProcess,
  ): Subscription | string {
    const base = {
      key: this.execution.keys.next(),
      ownerKey: owner?.key,
      elementId: target.id,
      interrupting: target.interrupting !== false,
      processDefinitionKey: owner?.processDefinitionKey ?? definition?.processDefinitionKey ?? '',
      bpmnProcessId: owner?.bpmnProcessId ?? definition?.bpmnProcessId ?? '',
      processInstanceKey: owner?.processInstanceKey,
      tenantId: owner?.tenantId ?? definition?.tenantId ?? '',
    };
    if (event.kind === 'message') {
      const name = evaluateExpression(event.messageName, variables);
      if (!name.ok || typeof name.value !== 'string')
        return `message name: ${name.ok ? 'expected a string' : name.message}`;
      let correlationKey = '';
      if (owner && event.correlationKey) {
        const key = evaluateExpression(event.correlationKey, variables);
        if (!key.ok) return key.message;
        if (typeof key.value !== 'string' && typeof key.value !== 'number') {
          return `Failed to extract the correlation key for '${event.correlationKey}': The value must be either a string or a number, but was ${JSON.stringify(key.value)}`;
        }
        correlationKey = String(key.value);
      }
      return { ...base, kind: 'message', messageName: name.value, correlationKey };
    }
    if (event.kind === 'signal') {
      const name = evaluateExpression(event.signalName, variables);
      if (!name.ok || typeof name.value !== 'string')
        return `signal name: ${name.ok ? 'expected a string' : name.message}`;
      return { ...base, kind: 'signal', signalName: name.value };
    }
    const value = evaluateExpression(event.expression, variables);
    if (!value.ok) return value.message;
    const schedule = scheduleTimer(event.timerType, String(value.value), this.execution.batch.now);
    if (typeof schedule === 'string') return schedule;
    return {
      ...base,
      kind: 'timer',
      dueAt: schedule.dueAt,
      repetitionsLeft: schedule.repetitionsLeft,
      timerValue: String(value.value),
    };
  }

  private open(subscription: Subscription): void {
    this.state.putSubscription(subscription);
    if (subscription.dueAt !== undefined) {
      this.execution.batch.earliestDueAt = Math.min(
        this.execution.batch.earliestDueAt,
        subscription.dueAt,
      );
    }
    this.append(subscription, 'CREATED');
    if (subscription.kind === 'message' && subscription.ownerKey) {
      // a buffered message correlates to the new subscription, first published first
      const message = this.state
        .messagesFor(
          subscription.tenantId,
          subscription.messageName ?? '',
          subscription.correlationKey ?? '',
        )
        .find(
          (m) =>
            !m.correlatedProcesses.includes(subscription.bpmnProcessId) &&
            m.expiresAt > this.execution.batch.now,
        );
      if (message) {
        message.correlatedProcesses.push(subscription.bpmnProcessId);
        this.state.touchMessage(message);
        this.execution.later(() => {
          if (this.state.subscriptions.has(subscription.key))
            this.trigger(subscription, message.variables);
        });
      }
    }
  }

  /** Closes the start event subscriptions of a process definition (a newer version took over, or it was deleted). */
  closeStartEvents(definition: DeployedProcess): void {
    for (const subscription of this.state.subscriptionsAt(
      `process:${definition.processDefinitionKey}`,
    ))
      this.close(subscription, 'DELETED');
  }

  /** Closes every subscription an element instance owns (it completed or was terminated). */
  closeFor(instance: ElementInstance): void {
    for (const subscription of this.state.subscriptionsAt(`owner:${instance.key}`))
      this.close(subscription, 'DELETED');
  }

  private close(subscription: Subscription, intent: 'DELETED' | 'CORRELATED' | 'TRIGGERED'): void {
    this.state.removeSubscription(subscription);
    this.append(
      subscription,
      subscription.kind === 'timer' && intent === 'DELETED' ? 'CANCELED' : intent,
    );
  }

  private append(
    subscription: Subscription,
    intent: 'CREATED' | 'DELETED' | 'CORRELATED' | 'TRIGGERED' | 'CANCELED',
  ): void {
    const valueType =
      subscription.kind === 'timer'
        ? 'TIMER'
        : subscription.kind === 'signal'
          ? 'SIGNAL_SUBSCRIPTION'
          : 'PROCESS_MESSAGE_SUBSCRIPTION';
    this.execution.batch.append(
      valueType,
      intent,
      subscription.key,
      { ...subscription },
      {
        processInstanceKey: subscription.processInstanceKey,
        elementId: subscription.elementId,
      },
    );
  }

  // --- process-level start events --------------------------------------------------------------

  /** After a deployment: the new version's event start events replace the previous version's. */
  openStartEvents(definition: DeployedProcess, previous: DeployedProcess | undefined): void {
    if (previous) this.closeStartEvents(previous);
    const process = elementOf(definition.model, definition.bpmnProcessId);
    for (const id of process.eventStartIds ?? []) {
      const start = elementOf(definition.model, id);
      const event = start.event;
      if (!event || (event.kind !== 'message' && event.kind !== 'timer' && event.kind !== 'signal'))
        continue;
      const subscription = this.subscriptionFor(undefined, start, event, {}, definition);
      if (typeof subscription === 'string') throw new Error(`${id}: ${subscription}`);
      this.open(subscription);
    }
  }

  // --- triggering ----------------------------------------------------------------------------------

  /** A subscription's event happened: run the element it belongs to. */
  trigger(subscription: Subscription, variables: Record<string, unknown>): void {
    const now = this.execution.batch.now;
    const repeat =
      subscription.kind === 'timer' && subscription.timerValue !== undefined
        ? nextCycle(
            subscription.timerValue,
            subscription.dueAt ?? now,
            subscription.repetitionsLeft ?? 0,
            now,
          )
        : undefined;
    const keepOpen = subscription.kind === 'signal' && !subscription.ownerKey;
    if (repeat && (!subscription.interrupting || !subscription.ownerKey)) {
      subscription.dueAt = repeat.dueAt;
      subscription.repetitionsLeft = repeat.repetitionsLeft;
      this.state.touchSubscription(subscription);
      this.append(subscription, 'TRIGGERED');
    } else if (keepOpen || (subscription.kind === 'message' && !subscription.ownerKey)) {
      this.append(subscription, 'CORRELATED');
    } else {
      this.close(subscription, subscription.kind === 'timer' ? 'TRIGGERED' : 'CORRELATED');
    }

    if (!subscription.ownerKey) {
      const definition = this.state.definitions.get(subscription.processDefinitionKey);
      if (definition)
        this.execution.createProcessInstance(definition, variables, {
          startEventId: subscription.elementId,
        });
      return;
    }
    const owner = this.state.elements.get(subscription.ownerKey);
    if (!owner) return;
    const model = this.execution.definitionOf(owner).model;
    const target = elementOf(model, subscription.elementId);
    if (target.behavior === 'catchEvent' && owner.elementId === target.id) {
      this.closeFor(owner);
      owner.pendingVariables = variables;
      this.execution.completeElement(owner);
      return;
    }
    if (owner.bpmnElementType === 'EVENT_BASED_GATEWAY') {
      this.closeFor(owner);
      const flowId = elementOf(model, owner.elementId).outgoing.find(
        (id) => model.flows.get(id)?.targetId === target.id,
      );
      owner.selectedFlows = flowId ? [flowId] : [];
      this.execution.triggeredEvents.set(`${owner.flowScopeKey}:${target.id}`, variables);
      this.execution.completeElement(owner);
      return;
    }
    if (target.behavior === 'boundaryEvent') {
      this.runCatch(
        { kind: 'boundary', owner, elementId: target.id, interrupting: subscription.interrupting },
        variables,
      );
      return;
    }
    // the start event of an event sub-process
    const eventSubProcessId = target.flowScopeId ?? '';
    this.runCatch(
      {
        kind: 'eventSubProcess',
        owner,
        elementId: eventSubProcessId,
        interrupting: subscription.interrupting,
      },
      variables,
    );
  }

  /** Activates a boundary event or an event sub-process, interrupting what it must. */
  private runCatch(found: Catch, variables: Record<string, unknown>): void {
    const execution = this.execution;
    if (found.kind === 'boundary') {
      const scope = found.owner.flowScopeKey
        ? this.state.elements.get(found.owner.flowScopeKey)
        : undefined;
      if (!scope) return;
      if (found.interrupting) execution.terminateElement(found.owner);
      execution.activateElement(scope, found.elementId, variables);
      return;
    }
    const scope = found.owner;
    if (found.interrupting) {
      this.closeFor(scope);
      execution.terminateChildren(scope);
    }
    execution.activateElement(scope, found.elementId, variables);
  }

  // --- errors and escalations ---------------------------------------------------------------------

  /**
   * Throws an error from an element instance. Returns false when nothing catches it (the caller
   * raises the incident).
   */
  throwError(
    from: ElementInstance,
    errorCode: string,
    variables: Record<string, unknown>,
  ): boolean {
    const found = this.findCatch(from, 'error', errorCode);
    if (!found) return false;
    this.execution.batch.append(
      'ERROR',
      'CREATED',
      this.execution.keys.next(),
      { errorCode, elementInstanceKey: from.key, catchElementId: found.elementId },
      {
        processInstanceKey: from.processInstanceKey,
        elementId: from.elementId,
      },
    );
    this.runCatch(found, variables);
    return true;
  }

  /** Throws an escalation; true when a catch event took it. */
  throwEscalation(from: ElementInstance, escalationCode: string): boolean {
    const found = this.findCatch(from, 'escalation', escalationCode);
    this.execution.batch.append(
      'ESCALATION',
      found ? 'ESCALATED' : 'NOT_ESCALATED',
      this.execution.keys.next(),
      { escalationCode, catchElementId: found?.elementId ?? '' },
      {
        processInstanceKey: from.processInstanceKey,
        elementId: from.elementId,
      },
    );
    if (!found) return false;
    this.execution.later(() => this.runCatch(found, {}));
    return true;
  }

  /** The nearest catch event for an error or escalation code, walking out through scopes and call activities. */
  private findCatch(
    from: ElementInstance,
    kind: 'error' | 'escalation',
    code: string,
  ): Catch | undefined {
    const codeOf = (event: EventDefinition | undefined) =>
      event?.kind === 'error'
        ? event.errorCode
        : event?.kind === 'escalation'
          ? event.escalationCode
          : undefined;
    const pick = (candidates: FlowElement[]) =>
      candidates.find((c) => c.event?.kind === kind && codeOf(c.event) === code) ??
      candidates.find((c) => c.event?.kind === kind && codeOf(c.event) === undefined);
    for (let current: ElementInstance | undefined = from; current;) {
      const model = this.execution.definitionOf(current).model;
      const element = elementOf(model, current.elementId);
      // event sub-processes of the scope the error was thrown in (or passed through)
      if (current !== from || element.eventSubProcessIds) {
        const starts = (element.eventSubProcessIds ?? [])
          .map((id) => elementOf(model, id))
          .map((sub) => (sub.startEventId ? elementOf(model, sub.startEventId) : undefined))
          .filter((s): s is FlowElement => !!s);
        const start = pick(starts);
        if (start)
          return {
            kind: 'eventSubProcess',
            owner: current,
            elementId: start.flowScopeId ?? '',
            interrupting: start.interrupting !== false,
          };
      }
      if (current.loopIndex === undefined) {
        const boundary = pick((element.boundaryEventIds ?? []).map((id) => elementOf(model, id)));
        if (boundary)
          return {
            kind: 'boundary',
            owner: current,
            elementId: boundary.id,
            interrupting: boundary.interrupting !== false,
          };
      }
      current = current.flowScopeKey
        ? this.state.elements.get(current.flowScopeKey)
        : current.parentElementInstanceKey
          ? this.state.elements.get(current.parentElementInstanceKey)
          : undefined;
    }
    return undefined;
  }

  // --- compensation ---------------------------------------------------------------------------

  /**
   * A compensation throw event: starts the handlers of the completed activities of its scope
   * (or of one activity), most recently completed first, all at once as in Zeebe; returns how
   * many started. The throw event waits until they have all completed.
   */
  compensate(thrower: ElementInstance, activityId: string | undefined): number {
    const scope = thrower.flowScopeKey ? this.state.elements.get(thrower.flowScopeKey) : undefined;
    if (!scope?.compensable?.length) return 0;
    const chosen = scope.compensable.filter(
      (entry) => !activityId || entry.elementId === activityId,
    );
    scope.compensable = scope.compensable.filter((entry) => !chosen.includes(entry));
    this.state.touchElement(scope);
    thrower.waitingHandlers = chosen.length;
    for (const entry of chosen.reverse()) {
      const handler = this.execution.activateElement(scope, entry.handlerId);
      handler.compensationFor = thrower.key;
      this.state.touchElement(handler);
    }
    return chosen.length;
  }

  /** A compensation handler completed: the throw event continues once all of its handlers have. */
  handlerCompleted(handler: ElementInstance): void {
    const thrower = handler.compensationFor
      ? this.state.elements.get(handler.compensationFor)
      : undefined;
    if (!thrower) return;
    thrower.waitingHandlers = (thrower.waitingHandlers ?? 1) - 1;
    this.state.touchElement(thrower);
    if (thrower.waitingHandlers <= 0) this.execution.completeElement(thrower);
  }

  // --- messages and signals ---------------------------------------------------------------------

  /** Correlates a published message; returns the processes it correlated to. */
  correlateMessage(
    tenantId: string,
    name: string,
    correlationKey: string,
    variables: Record<string, unknown>,
  ): string[] {
    const correlated: string[] = [];
    // message start events: a new instance per process, unless one with this key is still active
    for (const subscription of this.state.subscriptionsAt(`start:${tenantId}\u0000${name}`)) {
      if (correlated.includes(subscription.bpmnProcessId)) continue;
      if (
        correlationKey &&
        this.state.hasMessageStartedInstance(tenantId, subscription.bpmnProcessId, correlationKey)
      )
        continue;
      correlated.push(subscription.bpmnProcessId);
      this.startByMessage(subscription, variables, correlationKey);
    }
    const waiting = this.state.subscriptionsAt(
      messageSubscriptionIndex(tenantId, name, correlationKey),
    );
    for (const subscription of waiting) {
      if (correlated.includes(subscription.bpmnProcessId)) continue;
      correlated.push(subscription.bpmnProcessId);
      this.trigger(subscription, variables);
    }
    return correlated;
  }

  /**
   * A process instance started by a message with a correlation key ended: a message for one of
   * the process's message start events with that key, buffered while the instance was active,
   * now starts an instance of the latest version (oldest message first, one instance).
   */
  startWithBufferedMessage(ended: ElementInstance): void {
    const correlationKey = ended.startCorrelationKey;
    const { bpmnProcessId, tenantId } = ended;
    if (
      !correlationKey ||
      this.state.hasMessageStartedInstance(tenantId, bpmnProcessId, correlationKey)
    ) {
      return;
    }
    const latest = this.state.latestDefinition(tenantId, bpmnProcessId);
    if (!latest) return;
    const now = this.execution.batch.now;
    const candidates = this.state
      .subscriptionsAt(`process:${latest.processDefinitionKey}`)
      .filter((s) => s.kind === 'message' && s.messageName !== undefined)
      .flatMap((subscription) =>
        this.state
          .messagesFor(tenantId, subscription.messageName!, correlationKey)
          .filter((m) => !m.correlatedProcesses.includes(bpmnProcessId) && m.expiresAt > now)
          .map((message) => ({ subscription, message })),
      )
      .sort((a, b) => Number(BigInt(a.message.key) - BigInt(b.message.key)));
    const first = candidates[0];
    if (!first) return;
    first.message.correlatedProcesses.push(bpmnProcessId);
    this.state.touchMessage(first.message);
    this.startByMessage(first.subscription, first.message.variables, correlationKey);
  }

  /** Starts an instance at a message start event; one started with a key remembers it. */
  private startByMessage(
    subscription: Subscription,
    variables: Record<string, unknown>,
    correlationKey: string,
  ): void {
    this.trigger(subscription, variables);
    const created = this.execution.lastCreatedInstance;
    if (created && correlationKey) {
      created.startCorrelationKey = correlationKey;
      this.state.touchElement(created);
    }
  }

  broadcastSignal(tenantId: string, name: string, variables: Record<string, unknown>): number {
    const subscriptions = this.state.subscriptionsAt(`signal:${tenantId}\u0000${name}`);
    for (const subscription of subscriptions) {
      if (this.state.subscriptions.has(subscription.key)) this.trigger(subscription, variables);
    }
    return subscriptions.length;
  }

  /**
   * Fires due timers, at most `limit` of them (so that one burst does not become one huge
   * transaction); returns how many fired and when the next remaining timer is due.
   */
  fireDueTimers(now: number, limit: number): { fired: number; nextDueAt: number } {
    let fired = 0;
    let nextDueAt = Infinity;
    for (const subscription of this.state.subscriptionsAt('timer')) {
      const dueAt = subscription.dueAt ?? Infinity;
      if (dueAt > now || fired >= limit) {
        nextDueAt = Math.min(nextDueAt, dueAt);
        continue;
      }
      if (!this.state.subscriptions.has(subscription.key)) continue;
      this.execution.run(() => this.trigger(subscription, {}));
      fired += 1;
      const next = this.state.subscriptions.get(subscription.key)?.dueAt;
      if (next !== undefined) nextDueAt = Math.min(nextDueAt, next);
    }
    return { fired, nextDueAt };
  }
}
