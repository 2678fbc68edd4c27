/**
 * Multi-instance (Zeebe: the multi-instance body). The body evaluates `inputCollection` and runs
 * one inner instance per item — all at once (parallel) or one after the other (sequential) —
 * each with the item as `inputElement` and `loopCounter` (1-based) as locals. Each inner
 * instance's `outputElement` lands at its position in `outputCollection`; the
 * `completionCondition` ends the body early, terminating the inner instances still running.
 */
import { evaluateExpression } from '../../feel/feel.js';
import type { FlowElement } from '../../bpmn/process-model.js';
import type { ElementInstance } from '../engine-state.js';
import type { ElementBehavior } from './element-behavior.js';
import { COMPLETE, WAIT, failure, type Execution } from '../execution.js';

export const multiInstanceBehavior: ElementBehavior = {
  activate(execution, body, element) {
    const loop = element.multiInstance;
    if (!loop) throw new Error(`'${element.id}' is not multi-instance`);
    const result = evaluateExpression(loop.inputCollection, execution.visibleVariables(body.key));
    if (!result.ok) return failure('EXTRACT_VALUE_ERROR', result.message);
    if (!Array.isArray(result.value)) {
      return failure(
        'EXTRACT_VALUE_ERROR',
        `Expected result of the expression '${loop.inputCollection}' to be 'ARRAY', but was ${JSON.stringify(result.value)}`,
      );
    }
    const items = result.value as unknown[];
    body.loop = { items, next: 0 };
    if (loop.outputCollection)
      execution.setLocal(
        body,
        loop.outputCollection,
        items.map(() => null),
      );
    if (items.length === 0) return COMPLETE;
    const first = loop.sequential ? 1 : items.length;
    execution.later(() => {
      for (let i = 0; i < first; i++) startInner(execution, body, element);
    });
    return WAIT;
  },
};

function startInner(execution: Execution, body: ElementInstance, element: FlowElement): void {
  const loop = body.loop;
  if (!loop || loop.next >= loop.items.length || !execution.state.elements.has(body.key)) return;
  const index = loop.next;
  loop.next += 1;
  execution.state.touchElement(body);
  const locals: Record<string, unknown> = { loopCounter: index + 1 };
  if (element.multiInstance?.inputElement)
    locals[element.multiInstance.inputElement] = loop.items[index];
  execution.activateInner(body, element.id, index, locals);
}

/** An inner instance completes: put its output element into the output collection. */
export function collectOutput(
  execution: Execution,
  body: ElementInstance,
  inner: ElementInstance,
  element: FlowElement,
): void {
  const loop = element.multiInstance;
  if (!loop?.outputCollection || !loop.outputElement || inner.loopIndex === undefined) return;
  const value = evaluateExpression(loop.outputElement, execution.visibleVariables(inner.key));
  const collection = execution.state.scopeVariables(body.key)?.get(loop.outputCollection)?.value;
  const list = Array.isArray(collection) ? [...(collection as unknown[])] : [];
  list[inner.loopIndex] = value.ok ? value.value : null;
  execution.setLocal(body, loop.outputCollection, list);
}

/** After an inner instance ended: check the completion condition, start the next, or complete. */
export function continueLoop(execution: Execution, body: ElementInstance): void {
  if (!execution.state.elements.has(body.key)) return;
  const element = execution.elementOf(body);
  const loop = element.multiInstance;
  const condition = loop?.completionCondition;
  if (condition) {
    const result = evaluateExpression(condition, execution.visibleVariables(body.key));
    if (result.ok && result.value === true) {
      for (const inner of execution.state.childrenOf(body.key)) execution.terminateElement(inner);
      execution.completeElement(body);
      return;
    }
  }
  if (loop?.sequential && body.loop && body.loop.next < body.loop.items.length) {
    startInner(execution, body, element);
    return;
  }
  if (body.activeChildren === 0) execution.completeElement(body);
}
