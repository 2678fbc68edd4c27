/**
 * Processes, embedded sub-processes and event sub-processes: activate their start event and
 * wait for everything inside to finish. Call activities start a process instance of the called
 * process and wait for it.
 */
import { evaluateExpression } from '../../feel/feel.js';
import type { ElementBehavior } from './element-behavior.js';
import { WAIT, failure } from '../execution.js';

export const containerBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    const startEventId = execution.startEventOf(instance, element);
    if (!startEventId) {
      return failure('EXTRACT_VALUE_ERROR', `'${element.id}' has no none start event to start at`);
    }
    const variables = instance.pendingVariables;
    instance.pendingVariables = undefined;
    execution.later(() => {
      if (execution.state.elements.has(instance.key))
        execution.activateElement(instance, startEventId, variables);
    });
    return WAIT;
  },
};

export const callActivityBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    const called = element.calledElement;
    if (!called) throw new Error(`'${element.id}' has no called element`);
    const variables = execution.visibleVariables(instance.key);
    const id = evaluateExpression(called.processId, variables);
    if (!id.ok || typeof id.value !== 'string') {
      return failure(
        'EXTRACT_VALUE_ERROR',
        id.ok
          ? `Expected the called process id '${called.processId}' to be a string, but was ${JSON.stringify(id.value)}`
          : id.message,
      );
    }
    const parent = execution.definitionOf(instance);
    const definition =
      called.bindingType === 'versionTag'
        ? execution.state.definitionWithTag(instance.tenantId, id.value, called.versionTag ?? '')
        : called.bindingType === 'deployment'
          ? execution.state.definitionInDeployment(
              instance.tenantId,
              id.value,
              parent.deploymentKey,
            )
          : execution.state.latestDefinition(instance.tenantId, id.value);
    if (!definition) {
      return failure(
        'CALLED_ELEMENT_ERROR',
        `Expected process with BPMN process id '${id.value}' to be deployed${called.bindingType === 'latest' ? '' : ` (binding ${called.bindingType}${called.versionTag ? ` '${called.versionTag}'` : ''})`}, but not found.`,
      );
    }
    const input = called.propagateAllParentVariables
      ? variables
      : Object.fromEntries(
          [...(execution.state.scopeVariables(instance.key) ?? new Map())].map(([name, entry]) => [
            name,
            entry.value,
          ]),
        );
    const child = execution.createProcessInstance(definition, input, {
      parentElementInstanceKey: instance.key,
    });
    instance.childInstanceKey = child.key;
    execution.state.touchElement(instance);
    return WAIT;
  },
};
