/** Processes and embedded sub-processes: activate their none start event and wait for it all. */
import type { ElementBehavior } from './element-behavior.js';
import { WAIT } from '../execution.js';

export const containerBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    const startEventId = element.startEventId;
    if (!startEventId) throw new Error(`'${element.id}' has no none start event`);
    execution.later(() => {
      if (execution.state.elements.has(instance.key))
        execution.activateElement(instance, startEventId);
    });
    return WAIT;
  },
};
