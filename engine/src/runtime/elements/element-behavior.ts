/**
 * One behavior per kind of BPMN element, behind one interface. `activate` runs after the input
 * mappings and decides: wait (for a job, for children), complete right away, or fail with an
 * incident. The shared lifecycle in `execution.ts` does the rest.
 */
import type { FlowElement } from '../../bpmn/process-model.js';
import type { ElementInstance } from '../engine-state.js';
import type { Execution, Outcome } from '../execution.js';

export interface ElementBehavior {
  activate(execution: Execution, instance: ElementInstance, element: FlowElement): Outcome;
}
