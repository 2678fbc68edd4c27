/**
 * The executable form of a BPMN process: what the compiler produces from the XML and the runtime
 * reads. Plain data, no moddle objects, so that a deployed process is compiled once and looked
 * up by element id in O(1) while instances run.
 */

/** Zeebe's names for element types, as they appear in records (`bpmnElementType`). */
export type BpmnElementType =
  | 'PROCESS'
  | 'SUB_PROCESS'
  | 'START_EVENT'
  | 'END_EVENT'
  | 'INTERMEDIATE_THROW_EVENT'
  | 'SERVICE_TASK'
  | 'SEND_TASK'
  | 'USER_TASK'
  | 'SCRIPT_TASK'
  | 'BUSINESS_RULE_TASK'
  | 'MANUAL_TASK'
  | 'TASK'
  | 'EXCLUSIVE_GATEWAY'
  | 'PARALLEL_GATEWAY'
  | 'INCLUSIVE_GATEWAY'
  | 'EVENT_BASED_GATEWAY'
  | 'INTERMEDIATE_CATCH_EVENT'
  | 'BOUNDARY_EVENT'
  | 'RECEIVE_TASK'
  | 'EVENT_SUB_PROCESS'
  | 'CALL_ACTIVITY'
  | 'MULTI_INSTANCE_BODY';

/** Which runtime behavior executes an element (see `runtime/elements`). */
export type BehaviorKind =
  | 'process'
  | 'subProcess'
  | 'startEvent'
  | 'endEvent'
  | 'passThrough'
  | 'jobTask'
  | 'scriptTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'catchEvent'
  | 'boundaryEvent'
  | 'eventSubProcess'
  | 'callActivity'
  | 'businessRuleTask';

/** What an event waits for or throws. Names, codes and timer values are static or FEEL. */
export type EventDefinition =
  | { readonly kind: 'message'; readonly messageName: string; readonly correlationKey?: string }
  | {
      readonly kind: 'timer';
      readonly timerType: 'duration' | 'date' | 'cycle';
      readonly expression: string;
    }
  | { readonly kind: 'error'; readonly errorCode?: string }
  | { readonly kind: 'signal'; readonly signalName: string }
  | { readonly kind: 'escalation'; readonly escalationCode?: string }
  | { readonly kind: 'terminate' }
  | { readonly kind: 'compensation'; readonly activityId?: string };

export interface MultiInstance {
  readonly sequential: boolean;
  readonly inputCollection: string;
  readonly inputElement?: string;
  readonly outputCollection?: string;
  readonly outputElement?: string;
  readonly completionCondition?: string;
}

export interface CalledElement {
  /** process id: static or FEEL */
  readonly processId: string;
  readonly bindingType: 'latest' | 'deployment' | 'versionTag';
  readonly versionTag?: string;
  readonly propagateAllChildVariables: boolean;
  readonly propagateAllParentVariables: boolean;
}

export interface VariableMapping {
  /** FEEL expression (`=…`) or static value */
  readonly source: string;
  /** variable name, or a dotted path into an object variable */
  readonly target: string;
}

export interface JobDefinition {
  /** job type: static or FEEL */
  readonly type: string;
  /** retries: static number or FEEL; default "3" */
  readonly retries: string;
  /** static custom headers */
  readonly headers: Readonly<Record<string, string>>;
  /** user-task headers (form key, assignment, schedule): static or FEEL, evaluated on activation */
  readonly dynamicHeaders: Readonly<Record<string, string>>;
}

export interface FlowElement {
  readonly id: string;
  readonly name?: string;
  readonly bpmnElementType: BpmnElementType;
  readonly behavior: BehaviorKind;
  /** id of the process or sub-process that contains the element; undefined for the process */
  readonly flowScopeId?: string;
  readonly incoming: readonly string[];
  readonly outgoing: readonly string[];
  readonly defaultFlowId?: string;
  readonly inputs: readonly VariableMapping[];
  readonly outputs: readonly VariableMapping[];
  readonly job?: JobDefinition;
  readonly script?: { readonly expression: string; readonly resultVariable: string };
  readonly terminate?: boolean;
  /** the event definition of an event, a receive task (message) or an event start */
  readonly event?: EventDefinition;
  /** for throw events: whether the event throws (error, escalation, signal end/throw events) */
  readonly throws?: boolean;
  /** boundary events: the activity they are attached to, and whether they interrupt it */
  readonly attachedToId?: string;
  readonly interrupting?: boolean;
  /** activities: ids of the boundary events attached to them */
  readonly boundaryEventIds?: readonly string[];
  /** processes and sub-processes: ids of the event sub-processes they contain */
  readonly eventSubProcessIds?: readonly string[];
  /** processes: start events with an event definition (message, timer, signal) */
  readonly eventStartIds?: readonly string[];
  readonly calledElement?: CalledElement;
  /** business rule tasks: the decision they evaluate */
  readonly calledDecision?: {
    readonly decisionId: string;
    readonly resultVariable: string;
    readonly bindingType: 'latest' | 'deployment' | 'versionTag';
    /** binding type versionTag: a static tag or a `=` expression giving one */
    readonly versionTag?: string;
  };
  /** activities with a compensation boundary event: the activity that undoes them */
  readonly compensationHandlerId?: string;
  /** compensation handlers: run only by compensation, never by a sequence flow */
  readonly isForCompensation?: boolean;
  /** link throw events: the link catch event they continue at */
  readonly linkTargetId?: string;
  readonly multiInstance?: MultiInstance;
  /** for processes and sub-processes: the none start event */
  readonly startEventId?: string;
  /** ids of the elements that a token leaving this element can reach within its flow scope */
  readonly reachable: ReadonlySet<string>;
}

export interface SequenceFlow {
  readonly id: string;
  readonly sourceId: string;
  readonly targetId: string;
  /** FEEL condition (`=…`), when the flow is conditional */
  readonly condition?: string;
}

export interface ProcessModel {
  readonly bpmnProcessId: string;
  readonly name?: string;
  readonly versionTag?: string;
  readonly elements: ReadonlyMap<string, FlowElement>;
  readonly flows: ReadonlyMap<string, SequenceFlow>;
}

export function elementOf(model: ProcessModel, elementId: string): FlowElement {
  const element = model.elements.get(elementId);
  if (!element) {
    throw new Error(`process '${model.bpmnProcessId}' has no element '${elementId}'`);
  }
  return element;
}
