/**
 * Gateways. Exclusive: the first outgoing flow whose condition is true, else the default flow.
 * Inclusive: every outgoing flow whose condition is true, else the default flow. Parallel: all
 * outgoing flows. Joins (several incoming flows) are handled by the token flow in
 * `execution.ts` before the gateway is activated.
 */
import { evaluateExpression } from '../../feel/feel.js';
import type { FlowElement } from '../../bpmn/process-model.js';
import type { ElementInstance } from '../engine-state.js';
import type { ElementBehavior } from './element-behavior.js';
import { COMPLETE, failure, type Execution, type Outcome } from '../execution.js';

export const parallelGatewayBehavior: ElementBehavior = {
  activate: () => COMPLETE,
};

export const exclusiveGatewayBehavior: ElementBehavior = {
  activate: (execution, instance, element) => choose(execution, instance, element, 'first'),
};

export const inclusiveGatewayBehavior: ElementBehavior = {
  activate: (execution, instance, element) => choose(execution, instance, element, 'all'),
};

function choose(
  execution: Execution,
  instance: ElementInstance,
  element: FlowElement,
  mode: 'first' | 'all',
): Outcome {
  const model = execution.definitionOf(instance).model;
  const variables = execution.visibleVariables(instance.key);
  const chosen: string[] = [];
  for (const flowId of element.outgoing) {
    if (flowId === element.defaultFlowId) continue;
    const condition = model.flows.get(flowId)?.condition;
    if (condition === undefined) {
      chosen.push(flowId);
    } else {
      const result = evaluateExpression(condition, variables);
      if (!result.ok) return failure('CONDITION_ERROR', result.message);
      if (result.value !== true && result.value !== false && result.value !== null) {
        return failure(
          'CONDITION_ERROR',
          `Expected result of the expression '${condition.slice(1).trim()}' of flow '${flowId}' to be 'BOOLEAN', but was ${JSON.stringify(result.value)}`,
        );
      }
      if (result.value === true) chosen.push(flowId);
    }
    if (mode === 'first' && chosen.length > 0) break;
  }
  if (chosen.length === 0 && element.defaultFlowId) chosen.push(element.defaultFlowId);
  if (chosen.length === 0) {
    return failure(
      'CONDITION_ERROR',
      'Expected at least one condition to evaluate to true, or to have a default flow',
    );
  }
  instance.selectedFlows = chosen;
  return COMPLETE;
}
