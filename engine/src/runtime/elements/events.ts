/**
 * Events: none and event start events, end events (none, terminate, error, escalation, signal),
 * intermediate throw events (none, escalation, signal, link), intermediate catch events and
 * receive tasks (message, timer, signal), boundary events, event-based gateways.
 */
import { evaluateExpression } from '../../feel/feel.js';
import type { ElementBehavior } from './element-behavior.js';
import { COMPLETE, WAIT, failure, type Outcome } from '../execution.js';
import type { Execution } from '../execution.js';
import type { ElementInstance } from '../engine-state.js';
import type { FlowElement } from '../../bpmn/process-model.js';

export const passThroughBehavior: ElementBehavior = {
  activate: (execution, instance, element) => throwEvent(execution, instance, element) ?? COMPLETE,
};

/**
 * End events complete; a terminate end event first terminates everything else in its flow scope
 * (Zeebe: the scope then completes); error, escalation and signal end events throw.
 */
export const endEventBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    if (element.terminate && instance.flowScopeKey) {
      const scope = execution.state.elements.get(instance.flowScopeKey);
      if (scope) execution.terminateChildren(scope, instance);
    }
    return throwEvent(execution, instance, element) ?? COMPLETE;
  },
};

function throwEvent(
  execution: Execution,
  instance: ElementInstance,
  element: FlowElement,
): Outcome | undefined {
  const event = element.event;
  if (!element.throws || !event) return undefined;
  const variables = execution.visibleVariables(instance.key);
  if (event.kind === 'error') {
    const code = evaluateExpression(event.errorCode ?? '', variables);
    if (!code.ok) return failure('EXTRACT_VALUE_ERROR', code.message);
    if (execution.events.throwError(instance, String(code.value), {})) return WAIT;
    return failure(
      'UNHANDLED_ERROR_EVENT',
      `Expected to throw an error event with the code '${String(code.value)}', but it was not caught. No error events are available in the scope.`,
    );
  }
  if (event.kind === 'compensation') {
    return execution.events.compensate(instance, event.activityId) > 0 ? WAIT : undefined;
  }
  if (event.kind === 'escalation') {
    execution.events.throwEscalation(instance, event.escalationCode ?? '');
    return undefined;
  }
  if (event.kind === 'signal') {
    const name = evaluateExpression(event.signalName, variables);
    if (!name.ok) return failure('EXTRACT_VALUE_ERROR', name.message);
    execution.later(() =>
      execution.events.broadcastSignal(instance.tenantId, String(name.value), {}),
    );
  }
  return undefined;
}

/** Catch events and receive tasks wait for their subscription (opened on activation). */
export const catchEventBehavior: ElementBehavior = {
  activate(execution, instance) {
    const triggered = execution.triggeredEvents.get(
      `${instance.flowScopeKey}:${instance.elementId}`,
    );
    if (triggered) {
      // taken by an event-based gateway: the event already happened
      execution.triggeredEvents.delete(`${instance.flowScopeKey}:${instance.elementId}`);
      execution.events.closeFor(instance);
      instance.pendingVariables = triggered;
      return COMPLETE;
    }
    return WAIT;
  },
};

/** A boundary event is activated when its event happened; it completes and continues. */
export const boundaryEventBehavior: ElementBehavior = {
  activate: () => COMPLETE,
};

/** An event-based gateway waits for the first of the events after it (subscriptions opened on activation). */
export const eventBasedGatewayBehavior: ElementBehavior = {
  activate: () => WAIT,
};
