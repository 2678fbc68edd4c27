/** The behavior for each kind of element; an unknown kind is a bug and fails loudly. */
import type { BehaviorKind, FlowElement } from '../../bpmn/process-model.js';
import { containerBehavior } from './containers.js';
import type { ElementBehavior } from './element-behavior.js';
import { endEventBehavior, passThroughBehavior } from './events.js';
import {
  exclusiveGatewayBehavior,
  inclusiveGatewayBehavior,
  parallelGatewayBehavior,
} from './gateways.js';
import { jobTaskBehavior, scriptTaskBehavior } from './tasks.js';

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
};

export function behaviorOf(element: FlowElement): ElementBehavior {
  const behavior = behaviors[element.behavior];
  if (!behavior)
    throw new Error(`no behavior for element kind '${element.behavior}' ('${element.id}')`);
  return behavior;
}
