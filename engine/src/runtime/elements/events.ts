/** None start and end events, the terminate end event, and none intermediate throw events. */
import type { ElementBehavior } from './element-behavior.js';
import { COMPLETE } from '../execution.js';

export const passThroughBehavior: ElementBehavior = {
  activate: () => COMPLETE,
};

/**
 * End events complete; a terminate end event first terminates everything else in its flow scope
 * (Zeebe: the scope then completes).
 */
export const endEventBehavior: ElementBehavior = {
  activate(execution, instance, element) {
    if (element.terminate && instance.flowScopeKey) {
      const scope = execution.state.elements.get(instance.flowScopeKey);
      if (scope) execution.terminateChildren(scope, instance);
    }
    return COMPLETE;
  },
};
