/** The behavior for each kind of element; an unknown kind is a bug and fails loudly. */
import type { BehaviorKind, FlowElement } from '../../bpmn/process-model.js';
import { callActivityBehavior, containerBehavior } from './containers.js';
import type { ElementBehavior } from './element-behavior.js';
import {
  boundaryEventBehavior,
  catchEventBehavior,
  endEventBehavior,
  eventBasedGatewayBehavior,
  passThroughBehavior,
} from './events.js';
import {
  exclusiveGatewayBehavior,
  inclusiveGatewayBehavior,
  parallelGatewayBehavior,
} from './gateways.js';
import { businessRuleTaskBehavior, jobTaskBehavior, scriptTaskBehavior } from './tasks.js';

const behaviors: Record<BehaviorKind, ElementBehavior> = {
  process: containerBehavior,
  subProcess: containerBehavior,
  startEvent: passThroughBehavior,
  endEvent: endEventBehavior,
  passThrough: passThroughBehavior,
  jobTask: jobTaskBehavior,
  scriptTask: scriptTaskBehavior,
  exclusiveGateway: exclusiveGatewayBehavior,
  parallelGateway: parallelGatewayBehavior,
  inclusiveGateway: inclusiveGatewayBehavior,
  eventBasedGateway: eventBasedGatewayBehavior,
  catchEvent: catchEventBehavior,
  boundaryEvent: boundaryEventBehavior,
  eventSubProcess: containerBehavior,
  callActivity: callActivityBehavior,
  businessRuleTask: businessRuleTaskBehavior,
};

export { multiInstanceBehavior } from './multi-instance.js';

export function behaviorOf(element: FlowElement): ElementBehavior {
  const behavior = behaviors[element.behavior];
  if (!behavior)
    throw new Error(`no behavior for element kind '${element.behavior}' ('${element.id}')`);
  return behavior;
}
