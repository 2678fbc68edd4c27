/**
 * Compiles a BPMN 2.0 file in Zeebe's dialect into executable process models, or lists every
 * problem that keeps it from running: each problem names the element and says what was wrong
 * and what was expected. Elements the engine does not execute are refused here, never ignored
 * at run time.
 *
 *   const { processes, problems } = await compileBpmn(xml);
 *   if (problems.length > 0) reject(problems);
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { checkExpression, isExpression } from '../feel/feel.js';
import { checkTimer } from '../runtime/timers.js';
import type {
  BehaviorKind,
  CalledElement,
  EventDefinition,
  MultiInstance,
  BpmnElementType,
  FlowElement,
  JobDefinition,
  ProcessModel,
  SequenceFlow,
  VariableMapping,
} from './process-model.js';

export interface CompileProblem {
  /** id of the element concerned, or undefined for the file as a whole */
  readonly elementId?: string;
  readonly message: string;
}

export interface CompileResult {
  readonly processes: ProcessModel[];
  readonly problems: CompileProblem[];
}

/** Job type of user tasks, as Zeebe's tasklist expects it. */
export const USER_TASK_JOB_TYPE = 'io.camunda.zeebe:userTask';

// moddle elements are untyped objects; this is the shape the compiler reads from them.
interface ModdleElement {
  $type: string;
  id?: string;
  name?: string;
  [property: string]: unknown;
}

const TASK_TYPES: Record<string, BpmnElementType> = {
  'bpmn:ServiceTask': 'SERVICE_TASK',
  'bpmn:SendTask': 'SEND_TASK',
  'bpmn:UserTask': 'USER_TASK',
  'bpmn:ScriptTask': 'SCRIPT_TASK',
  'bpmn:BusinessRuleTask': 'BUSINESS_RULE_TASK',
  'bpmn:ManualTask': 'MANUAL_TASK',
  'bpmn:Task': 'TASK',
};

const GATEWAY_TYPES: Record<string, [BpmnElementType, BehaviorKind]> = {
  'bpmn:ExclusiveGateway': ['EXCLUSIVE_GATEWAY', 'exclusiveGateway'],
  'bpmn:ParallelGateway': ['PARALLEL_GATEWAY', 'parallelGateway'],
  'bpmn:InclusiveGateway': ['INCLUSIVE_GATEWAY', 'inclusiveGateway'],
};

/** Artifacts that carry no execution semantics. */
const IGNORED_TYPES = new Set([
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStoreReference',
]);

const KIND_OF_DEFINITION: Record<string, EventDefinition['kind']> = {
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:CompensateEventDefinition': 'compensation',
};

const VARIABLE_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export async function compileBpmn(xml: string): Promise<CompileResult> {
  const moddle = new BpmnModdle({ zeebe: zeebeDescriptor });
  let definitions: ModdleElement;
  let warnings: { message: string; element?: ModdleElement }[];
  try {
    const parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
    definitions = parsed.rootElement as unknown as ModdleElement;
    warnings = parsed.warnings as unknown as typeof warnings;
  } catch (error) {
    return {
      processes: [],
      problems: [{ message: `not a readable BPMN file: ${(error as Error).message}` }],
    };
  }
  const problems: CompileProblem[] = warnings.map((warning) => ({
    elementId: warning.element?.id,
    message: `unreadable BPMN: ${warning.message}`,
  }));
  const roots = (definitions.rootElements as ModdleElement[] | undefined) ?? [];
  const processes = roots.filter(
    (root) => root.$type === 'bpmn:Process' && root.isExecutable !== false,
  );
  if (processes.length === 0) {
    problems.push({ message: 'the file contains no executable process (bpmn:process)' });
  }
  const models = processes.map((process) => new ProcessCompiler(process, problems).compile());
  return { processes: problems.length === 0 ? models : [], problems };
}

class ProcessCompiler {
  private readonly elements = new Map<string, FlowElement>();
  private readonly flows = new Map<string, SequenceFlow>();

  constructor(
    private readonly process: ModdleElement,
    private readonly problems: CompileProblem[],
  ) {}

  compile(): ProcessModel {
    const process = this.process;
    const id = process.id ?? '';
    if (!id) this.problem(undefined, 'the process has no id');
    this.refuseExtensions(process, ['zeebe:ExecutionListeners'], 'execution listeners');
    this.addScope(process, 'PROCESS', 'process', undefined);
    const versionTag = extension(process, 'zeebe:VersionTag')?.value as string | undefined;
    return {
      bpmnProcessId: id,
      name: process.name,
      versionTag,
      elements: this.withReachability(),
      flows: this.flows,
    };
  }

  private problem(elementId: string | undefined, message: string): void {
    this.problems.push({ elementId, message });
  }

  private addScope(
    scope: ModdleElement,
    type: 'PROCESS' | 'SUB_PROCESS' | 'EVENT_SUB_PROCESS',
    behavior: BehaviorKind,
    flowScopeId: string | undefined,
    base: { incoming: string[]; outgoing: string[] } = { incoming: [], outgoing: [] },
  ): void {
    const scopeId = scope.id ?? '';
    const children = (scope.flowElements as ModdleElement[] | undefined) ?? [];
    const startEvents = children.filter((child) => child.$type === 'bpmn:StartEvent');
    const noneStarts = startEvents.filter((event) => !hasEventDefinitions(event));
    const eventStarts = startEvents.filter(hasEventDefinitions);
    if (type === 'EVENT_SUB_PROCESS') {
      if (startEvents.length !== 1 || eventStarts.length !== 1) {
        this.problem(
          scopeId,
          'an event sub-process must have exactly one start event, with an event definition',
        );
      }
    } else if (type === 'SUB_PROCESS' && (noneStarts.length !== 1 || eventStarts.length > 0)) {
      this.problem(
        scopeId,
        `an embedded sub-process must have exactly one none start event and no other start events, found ${startEvents.length}`,
      );
    } else if (type === 'PROCESS' && (noneStarts.length > 1 || startEvents.length === 0)) {
      this.problem(
        scopeId,
        `a process must have at least one start event and at most one none start event, found ${noneStarts.length} none start events`,
      );
    }
    for (const child of children) {
      if (child.$type === 'bpmn:SequenceFlow') this.addFlow(child);
    }
    const outgoingOf = new Map<string, string[]>();
    const incomingOf = new Map<string, string[]>();
    for (const child of children) {
      if (child.$type !== 'bpmn:SequenceFlow') continue;
      const source = (child.sourceRef as ModdleElement | undefined)?.id;
      const target = (child.targetRef as ModdleElement | undefined)?.id;
      if (source) outgoingOf.set(source, [...(outgoingOf.get(source) ?? []), child.id ?? '']);
      if (target) incomingOf.set(target, [...(incomingOf.get(target) ?? []), child.id ?? '']);
    }
    const eventSubProcessIds = children
      .filter((child) => child.$type === 'bpmn:SubProcess' && child.triggeredByEvent)
      .map((child) => child.id ?? '');
    this.elements.set(scopeId, {
      ...this.common(
        scope,
        type === 'EVENT_SUB_PROCESS' ? 'EVENT_SUB_PROCESS' : type,
        behavior,
        flowScopeId,
      ),
      ...base,
      startEventId: (type === 'EVENT_SUB_PROCESS' ? eventStarts[0] : noneStarts[0])?.id,
      eventStartIds: type === 'PROCESS' ? eventStarts.map((event) => event.id ?? '') : undefined,
      eventSubProcessIds,
    });
    for (const child of children) {
      if (child.$type === 'bpmn:SequenceFlow' || IGNORED_TYPES.has(child.$type)) continue;
      const childId = child.id ?? '';
      const incoming = incomingOf.get(childId) ?? [];
      const outgoing = outgoingOf.get(childId) ?? [];
      this.addElement(child, scopeId, incoming, outgoing, type === 'EVENT_SUB_PROCESS');
    }
    // boundary events: let each activity know what is attached to it
    for (const child of children) {
      if (child.$type !== 'bpmn:BoundaryEvent') continue;
      const attached = this.elements.get(
        (child.attachedToRef as ModdleElement | undefined)?.id ?? '',
      );
      if (attached) {
        this.elements.set(attached.id, {
          ...attached,
          boundaryEventIds: [...(attached.boundaryEventIds ?? []), child.id ?? ''],
        });
      }
    }
    this.resolveLinks(children);
    this.resolveCompensation(scope, children);
  }

  /**
   * A compensation boundary event is associated (not connected by a sequence flow) with the
   * handler that undoes its activity; the activity learns its handler.
   */
  private resolveCompensation(scope: ModdleElement, children: ModdleElement[]): void {
    const associations = ((scope.artifacts as ModdleElement[] | undefined) ?? []).filter(
      (artifact) => artifact.$type === 'bpmn:Association',
    );
    for (const child of children) {
      if (child.isForCompensation) this.patch(child.id ?? '', { isForCompensation: true });
      if (child.$type !== 'bpmn:BoundaryEvent') continue;
      if (eventDefinitions(child)[0]?.$type !== 'bpmn:CompensateEventDefinition') continue;
      const association = associations.find(
        (a) => (a.sourceRef as ModdleElement | undefined)?.id === child.id,
      );
      const handler = association?.targetRef as ModdleElement | undefined;
      if (!handler?.isForCompensation) {
        this.problem(
          child.id,
          'a compensation boundary event must be associated with a compensation handler (an activity marked isForCompensation)',
        );
        continue;
      }
      const attachedId = (child.attachedToRef as ModdleElement | undefined)?.id ?? '';
      this.patch(attachedId, { compensationHandlerId: handler.id });
    }
  }

  /** A link throw event continues at the link catch event of the same name in its scope. */
  private resolveLinks(children: ModdleElement[]): void {
    const catches = new Map<string, string>();
    for (const child of children) {
      const definition = eventDefinitions(child)[0];
      if (
        child.$type === 'bpmn:IntermediateCatchEvent' &&
        definition?.$type === 'bpmn:LinkEventDefinition'
      ) {
        const name = String(definition.name ?? '');
        if (catches.has(name))
          this.problem(child.id, `link name '${name}' is used by more than one link catch event`);
        catches.set(name, child.id ?? '');
      }
    }
    for (const child of children) {
      const definition = eventDefinitions(child)[0];
      if (
        child.$type !== 'bpmn:IntermediateThrowEvent' ||
        definition?.$type !== 'bpmn:LinkEventDefinition'
      )
        continue;
      const name = String(definition.name ?? '');
      const target = catches.get(name);
      const element = this.elements.get(child.id ?? '');
      if (!target) this.problem(child.id, `no link catch event named '${name}' in the same scope`);
      else if (element) this.elements.set(element.id, { ...element, linkTargetId: target });
    }
  }

  private addFlow(flow: ModdleElement): void {
    const id = flow.id ?? '';
    const source = flow.sourceRef as ModdleElement | undefined;
    const target = flow.targetRef as ModdleElement | undefined;
    if (!source || !target) {
      this.problem(id, 'sequence flow must have a source and a target');
      return;
    }
    const conditionBody = (flow.conditionExpression as ModdleElement | undefined)?.body as
      string | undefined;
    let condition: string | undefined;
    if (conditionBody !== undefined) {
      condition = conditionBody.trim();
      if (!isExpression(condition)) {
        this.problem(id, `condition '${condition}' must be a FEEL expression starting with '='`);
      } else {
        this.checkFeel(id, 'condition', condition);
      }
    }
    this.flows.set(id, { id, sourceId: source.id ?? '', targetId: target.id ?? '', condition });
  }

  private addElement(
    element: ModdleElement,
    scopeId: string,
    incoming: string[],
    outgoing: string[],
    inEventSubProcess = false,
  ): void {
    const id = element.id ?? '';
    const type = element.$type;
    this.refuseExtensions(
      element,
      ['zeebe:ExecutionListeners', 'zeebe:TaskListeners'],
      'execution and task listeners',
    );
    if (type !== 'bpmn:EndEvent' && outgoing.length === 0 && type.endsWith('Gateway')) {
      this.problem(id, 'gateway must have at least one outgoing sequence flow');
    }
    const base = { incoming, outgoing };
    const multiInstance = this.multiInstance(element);

    if (type === 'bpmn:SubProcess') {
      if (element.triggeredByEvent) {
        if (incoming.length > 0 || outgoing.length > 0)
          this.problem(id, 'an event sub-process must not have sequence flows');
        this.addScope(element, 'EVENT_SUB_PROCESS', 'eventSubProcess', scopeId, base);
        return;
      }
      this.addScope(element, 'SUB_PROCESS', 'subProcess', scopeId, base);
      this.patch(id, { multiInstance });
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    if (type === 'bpmn:CallActivity') {
      this.elements.set(id, {
        ...this.common(element, 'CALL_ACTIVITY', 'callActivity', scopeId),
        ...base,
        calledElement: this.calledElement(element),
        multiInstance,
      });
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    if (type === 'bpmn:StartEvent') {
      if (incoming.length > 0)
        this.problem(id, 'start event must not have incoming sequence flows');
      const event = hasEventDefinitions(element)
        ? this.eventDefinition(
            element,
            inEventSubProcess
              ? ['message', 'timer', 'error', 'signal', 'escalation']
              : ['message', 'timer', 'signal'],
            'start',
          )
        : undefined;
      this.elements.set(id, {
        ...this.common(element, 'START_EVENT', 'startEvent', scopeId),
        ...base,
        event,
        interrupting: element.isInterrupting !== false,
      });
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    if (type === 'bpmn:EndEvent' || type === 'bpmn:IntermediateThrowEvent') {
      this.addThrowEvent(element, scopeId, base, type === 'bpmn:EndEvent');
      return;
    }
    if (type === 'bpmn:IntermediateCatchEvent' || type === 'bpmn:ReceiveTask') {
      const isReceiveTask = type === 'bpmn:ReceiveTask';
      const definition = eventDefinitions(element)[0];
      if (!isReceiveTask && definition?.$type === 'bpmn:LinkEventDefinition') {
        this.elements.set(id, {
          ...this.common(element, 'INTERMEDIATE_CATCH_EVENT', 'passThrough', scopeId),
          ...base,
        });
        return;
      }
      const event = isReceiveTask
        ? this.messageDefinition(element, element.messageRef as ModdleElement | undefined, true)
        : this.eventDefinition(element, ['message', 'timer', 'signal'], 'intermediate catch');
      this.elements.set(id, {
        ...this.common(
          element,
          isReceiveTask ? 'RECEIVE_TASK' : 'INTERMEDIATE_CATCH_EVENT',
          'catchEvent',
          scopeId,
        ),
        ...base,
        event,
        multiInstance: isReceiveTask ? multiInstance : undefined,
      });
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    if (type === 'bpmn:BoundaryEvent') {
      const attachedToId = (element.attachedToRef as ModdleElement | undefined)?.id;
      const interrupting = element.cancelActivity !== false;
      const event = this.eventDefinition(
        element,
        ['message', 'timer', 'error', 'signal', 'escalation', 'compensation'],
        'boundary',
      );
      if (event?.kind === 'error' && !interrupting)
        this.problem(id, 'an error boundary event must be interrupting');
      if (event?.kind === 'timer' && event.timerType === 'cycle' && interrupting) {
        this.problem(id, 'a timer cycle is only allowed on non-interrupting boundary events');
      }
      if (incoming.length > 0)
        this.problem(id, 'a boundary event must not have incoming sequence flows');
      this.elements.set(id, {
        ...this.common(element, 'BOUNDARY_EVENT', 'boundaryEvent', scopeId),
        ...base,
        event,
        attachedToId,
        interrupting,
      });
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    if (type === 'bpmn:EventBasedGateway') {
      this.elements.set(id, {
        ...this.common(element, 'EVENT_BASED_GATEWAY', 'eventBasedGateway', scopeId),
        ...base,
      });
      if (outgoing.length < 2)
        this.problem(id, 'an event-based gateway must have at least two outgoing sequence flows');
      return;
    }
    const gateway = GATEWAY_TYPES[type];
    if (gateway) {
      this.addGateway(element, scopeId, gateway, base);
      return;
    }
    const taskType = TASK_TYPES[type];
    if (taskType) {
      this.addTask(element, scopeId, taskType, base);
      this.patch(id, { multiInstance });
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    this.problem(id, `element type ${type.replace('bpmn:', '')} is not supported`);
  }

  private patch(id: string, changes: Partial<FlowElement>): void {
    const element = this.elements.get(id);
    if (element) this.elements.set(id, { ...element, ...changes });
  }

  /** End events and intermediate throw events: none, terminate, error, escalation, signal, link, message (job). */
  private addThrowEvent(
    element: ModdleElement,
    scopeId: string,
    base: { incoming: string[]; outgoing: string[] },
    isEnd: boolean,
  ): void {
    const id = element.id ?? '';
    const bpmnType = isEnd ? 'END_EVENT' : 'INTERMEDIATE_THROW_EVENT';
    if (isEnd && base.outgoing.length > 0)
      this.problem(id, 'end event must not have outgoing sequence flows');
    const definition = eventDefinitions(element)[0];
    if (eventDefinitions(element).length > 1)
      this.problem(id, 'an event may have at most one event definition');
    const common = {
      ...this.common(element, bpmnType, isEnd ? 'endEvent' : 'passThrough', scopeId),
      ...base,
    };
    if (!definition) {
      this.elements.set(id, common);
      return;
    }
    switch (definition.$type) {
      case 'bpmn:TerminateEventDefinition':
        if (!isEnd) this.problem(id, 'only end events can terminate');
        this.elements.set(id, { ...common, terminate: true, event: { kind: 'terminate' } });
        return;
      case 'bpmn:LinkEventDefinition':
        if (isEnd) this.problem(id, 'a link event must be an intermediate throw event');
        this.elements.set(id, common);
        return;
      case 'bpmn:MessageEventDefinition': {
        // message throw events are work for a job worker, as in Zeebe
        const taskDefinition = extension(element, 'zeebe:TaskDefinition');
        const jobType = taskDefinition?.type as string | undefined;
        if (!jobType)
          this.problem(
            id,
            "a message throw event must have a 'zeebe:taskDefinition' with a job type",
          );
        else this.checkFeel(id, 'job type', jobType);
        this.elements.set(id, {
          ...common,
          behavior: 'jobTask',
          job: {
            type: jobType ?? '',
            retries: (taskDefinition?.retries as string | undefined) ?? '3',
            headers: headersOf(element),
            dynamicHeaders: {},
          },
        });
        return;
      }
      case 'bpmn:CompensateEventDefinition':
      case 'bpmn:ErrorEventDefinition':
      case 'bpmn:EscalationEventDefinition':
      case 'bpmn:SignalEventDefinition': {
        if (definition.$type === 'bpmn:ErrorEventDefinition' && !isEnd) {
          this.problem(id, 'an error can only be thrown by an end event');
        }
        const event = this.eventDefinition(
          element,
          ['error', 'escalation', 'signal', 'compensation'],
          'throw',
        );
        if (event?.kind === 'error' && !event.errorCode)
          this.problem(id, 'an error end event must reference an error with an error code');
        this.elements.set(id, { ...common, event, throws: true });
        return;
      }
      default:
        this.problem(
          id,
          `${isEnd ? 'end' : 'intermediate throw'} event with ${definition.$type.replace('bpmn:', '')} is not supported`,
        );
    }
  }

  private eventDefinition(
    element: ModdleElement,
    allowed: EventDefinition['kind'][],
    where: string,
  ): EventDefinition | undefined {
    const id = element.id ?? '';
    const definitions = eventDefinitions(element);
    const definition = definitions[0];
    if (definitions.length !== 1 || !definition) {
      this.problem(id, `a ${where} event must have exactly one event definition`);
      return undefined;
    }
    const kind = KIND_OF_DEFINITION[definition.$type];
    if (!kind || !allowed.includes(kind)) {
      this.problem(
        id,
        `${definition.$type.replace('bpmn:', '')} is not supported on a ${where} event (supported: ${allowed.join(', ')})`,
      );
      return undefined;
    }
    switch (kind) {
      case 'message':
        return this.messageDefinition(
          element,
          definition.messageRef as ModdleElement | undefined,
          where !== 'start',
        );
      case 'timer':
        return this.timerDefinition(id, definition);
      case 'error': {
        const errorCode = (definition.errorRef as ModdleElement | undefined)?.errorCode as
          string | undefined;
        if (errorCode) this.checkFeel(id, 'error code', errorCode);
        return { kind, errorCode: errorCode || undefined };
      }
      case 'escalation': {
        const escalationCode = (definition.escalationRef as ModdleElement | undefined)
          ?.escalationCode as string | undefined;
        return { kind, escalationCode: escalationCode || undefined };
      }
      case 'compensation':
        return {
          kind,
          activityId: (definition.activityRef as ModdleElement | undefined)?.id,
        };
      case 'signal': {
        const signalName = (definition.signalRef as ModdleElement | undefined)?.name;
        if (!signalName) this.problem(id, 'a signal event must reference a signal with a name');
        else this.checkFeel(id, 'signal name', signalName);
        return { kind, signalName: signalName ?? '' };
      }
      default:
        return undefined;
    }
  }

  private messageDefinition(
    element: ModdleElement,
    message: ModdleElement | undefined,
    needsKey: boolean,
  ): EventDefinition | undefined {
    const id = element.id ?? '';
    const messageName = message?.name;
    if (!messageName) {
      this.problem(id, 'must reference a message with a name');
      return undefined;
    }
    this.checkFeel(id, 'message name', messageName);
    const correlationKey = extension(message, 'zeebe:Subscription')?.correlationKey as
      string | undefined;
    if (needsKey && !correlationKey) {
      this.problem(
        id,
        `message '${messageName}' must have a correlation key ('zeebe:subscription correlationKey')`,
      );
    }
    if (correlationKey) this.checkFeel(id, 'correlation key', correlationKey);
    return { kind: 'message', messageName, correlationKey };
  }

  private timerDefinition(
    elementId: string,
    definition: ModdleElement,
  ): EventDefinition | undefined {
    const types = [
      ['duration', definition.timeDuration],
      ['date', definition.timeDate],
      ['cycle', definition.timeCycle],
    ].filter(([, value]) => value) as ['duration' | 'date' | 'cycle', ModdleElement][];
    const [found] = types;
    const expression = (found?.[1].body as string | undefined)?.trim();
    if (types.length !== 1 || !found || !expression) {
      this.problem(
        elementId,
        'a timer must have exactly one of timeDuration, timeDate or timeCycle, with a value',
      );
      return undefined;
    }
    if (isExpression(expression)) this.checkFeel(elementId, `timer ${found[0]}`, expression);
    else {
      const problem = checkTimer(found[0], expression);
      if (problem) this.problem(elementId, problem);
    }
    return { kind: 'timer', timerType: found[0], expression };
  }

  private calledElement(element: ModdleElement): CalledElement | undefined {
    const id = element.id ?? '';
    const called = extension(element, 'zeebe:CalledElement');
    const processId = (called?.processId ?? called?.processIdExpression) as string | undefined;
    if (!called || !processId) {
      this.problem(id, "a call activity must have a 'zeebe:calledElement' with a process id");
      return undefined;
    }
    this.checkFeel(id, 'called process id', processId);
    const { bindingType, versionTag } = bindingOf(called);
    if (!['latest', 'deployment', 'versionTag'].includes(bindingType)) {
      this.problem(id, `binding type '${bindingType}' must be latest, deployment or versionTag`);
    }
    if (bindingType === 'versionTag' && !versionTag)
      this.problem(id, "binding type versionTag needs a 'versionTag'");
    return {
      processId,
      bindingType,
      versionTag,
      propagateAllChildVariables: called.propagateAllChildVariables !== false,
      propagateAllParentVariables: called.propagateAllParentVariables !== false,
    };
  }

  private multiInstance(element: ModdleElement): MultiInstance | undefined {
    const loop = element.loopCharacteristics as ModdleElement | undefined;
    if (!loop) return undefined;
    const id = element.id ?? '';
    if (loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      this.problem(id, 'standard loops are not supported; use multi-instance');
      return undefined;
    }
    const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
    const inputCollection = zeebe?.inputCollection as string | undefined;
    if (!inputCollection) {
      this.problem(
        id,
        "multi-instance must have a 'zeebe:loopCharacteristics' with an inputCollection",
      );
      return undefined;
    }
    this.checkFeel(id, 'inputCollection', inputCollection);
    const outputCollection = zeebe?.outputCollection as string | undefined;
    const outputElement = zeebe?.outputElement as string | undefined;
    if (outputCollection && !outputElement)
      this.problem(id, 'an outputCollection needs an outputElement');
    if (outputElement) this.checkFeel(id, 'outputElement', outputElement);
    const completionCondition = (
      (loop.completionCondition as ModdleElement | undefined)?.body as string | undefined
    )?.trim();
    if (completionCondition) this.checkFeel(id, 'completionCondition', completionCondition);
    return {
      sequential: loop.isSequential === true,
      inputCollection,
      inputElement: zeebe?.inputElement as string | undefined,
      outputCollection,
      outputElement,
      completionCondition,
    };
  }

  private addGateway(
    element: ModdleElement,
    scopeId: string,
    [type, behavior]: [BpmnElementType, BehaviorKind],
    base: { incoming: string[]; outgoing: string[] },
  ): void {
    const id = element.id ?? '';
    const defaultFlowId = (element.default as ModdleElement | undefined)?.id;
    if (defaultFlowId && !base.outgoing.includes(defaultFlowId)) {
      this.problem(id, `default flow '${defaultFlowId}' must be an outgoing flow of the gateway`);
    }
    if (behavior === 'parallelGateway') {
      for (const flowId of base.outgoing) {
        if (this.flows.get(flowId)?.condition) {
          this.problem(flowId, 'outgoing flows of a parallel gateway must not have conditions');
        }
      }
    } else if (defaultFlowId && this.flows.get(defaultFlowId)?.condition) {
      this.problem(defaultFlowId, 'the default flow must not have a condition');
    }
    this.elements.set(id, {
      ...this.common(element, type, behavior, scopeId),
      ...base,
      defaultFlowId,
    });
  }

  private addTask(
    element: ModdleElement,
    scopeId: string,
    type: BpmnElementType,
    base: { incoming: string[]; outgoing: string[] },
  ): void {
    const id = element.id ?? '';
    const taskDefinition = extension(element, 'zeebe:TaskDefinition');
    let behavior: BehaviorKind = 'passThrough';
    let job: JobDefinition | undefined;
    let script: FlowElement['script'];
    const calledDecision = extension(element, 'zeebe:CalledDecision');
    if (type === 'USER_TASK') {
      behavior = 'jobTask';
      job = this.userTaskJob(element);
    } else if (type === 'BUSINESS_RULE_TASK' && calledDecision) {
      const decisionId = calledDecision.decisionId as string | undefined;
      const resultVariable = calledDecision.resultVariable as string | undefined;
      const { bindingType, versionTag } = bindingOf(calledDecision);
      if (!decisionId || !resultVariable) {
        this.problem(id, "'zeebe:calledDecision' must have a decisionId and a resultVariable");
      } else {
        this.checkFeel(id, 'decision id', decisionId);
        this.checkTarget(id, 'result variable', resultVariable);
        if (!['latest', 'deployment', 'versionTag'].includes(bindingType)) {
          this.problem(
            id,
            `binding type '${bindingType}' must be latest, deployment or versionTag`,
          );
        }
        if (bindingType === 'versionTag') {
          if (!versionTag) this.problem(id, "binding type versionTag needs a 'versionTag'");
          else this.checkFeel(id, 'version tag', versionTag);
        }
        behavior = 'businessRuleTask';
        this.elements.set(id, {
          ...this.common(element, type, behavior, scopeId),
          ...base,
          calledDecision: { decisionId, resultVariable, bindingType, versionTag },
        });
        return;
      }
    } else if (type === 'SCRIPT_TASK' && !taskDefinition) {
      const zeebeScript = extension(element, 'zeebe:Script');
      const expression = zeebeScript?.expression as string | undefined;
      const resultVariable = zeebeScript?.resultVariable as string | undefined;
      if (!expression || !resultVariable) {
        this.problem(
          id,
          "script task must have a 'zeebe:script' with an expression and a result variable, or a 'zeebe:taskDefinition'",
        );
      } else {
        this.checkFeel(id, 'script expression', expression);
        this.checkTarget(id, 'result variable', resultVariable);
        behavior = 'scriptTask';
        script = { expression, resultVariable };
      }
    } else if (['SERVICE_TASK', 'SEND_TASK', 'BUSINESS_RULE_TASK', 'SCRIPT_TASK'].includes(type)) {
      const jobType = taskDefinition?.type as string | undefined;
      if (!jobType || jobType.trim() === '') {
        this.problem(id, "must have a 'zeebe:taskDefinition' with a non-empty job type");
      } else {
        this.checkFeel(id, 'job type', jobType);
        const retries = (taskDefinition?.retries as string | undefined) ?? '3';
        this.checkRetries(id, retries);
        behavior = 'jobTask';
        job = { type: jobType, retries, headers: headersOf(element), dynamicHeaders: {} };
      }
    }
    this.elements.set(id, {
      ...this.common(element, type, behavior, scopeId),
      ...base,
      job,
      script,
    });
  }

  private userTaskJob(element: ModdleElement): JobDefinition {
    const id = element.id ?? '';
    const dynamic: Record<string, string> = {};
    const form = extension(element, 'zeebe:FormDefinition');
    const formKey = (form?.formKey ?? form?.formId ?? form?.externalReference) as
      string | undefined;
    if (formKey) dynamic['io.camunda.zeebe:formKey'] = formKey;
    const assignment = extension(element, 'zeebe:AssignmentDefinition');
    const schedule = extension(element, 'zeebe:TaskSchedule');
    const fields: [string, unknown][] = [
      ['io.camunda.zeebe:assignee', assignment?.assignee],
      ['io.camunda.zeebe:candidateGroups', assignment?.candidateGroups],
      ['io.camunda.zeebe:candidateUsers', assignment?.candidateUsers],
      ['io.camunda.zeebe:dueDate', schedule?.dueDate],
      ['io.camunda.zeebe:followUpDate', schedule?.followUpDate],
    ];
    for (const [header, value] of fields) {
      if (typeof value === 'string' && value.trim() !== '') {
        this.checkFeel(id, header.replace('io.camunda.zeebe:', ''), value);
        dynamic[header] = value;
      }
    }
    return {
      type: USER_TASK_JOB_TYPE,
      retries: '1',
      headers: headersOf(element),
      dynamicHeaders: dynamic,
    };
  }

  private common(
    element: ModdleElement,
    bpmnElementType: BpmnElementType,
    behavior: BehaviorKind,
    flowScopeId: string | undefined,
  ): Omit<FlowElement, 'incoming' | 'outgoing'> {
    const id = element.id ?? '';
    const ioMapping = extension(element, 'zeebe:IoMapping');
    const inputs = this.mappings(id, ioMapping?.inputParameters);
    const outputs = this.mappings(id, ioMapping?.outputParameters);
    return {
      id,
      name: element.name,
      bpmnElementType,
      behavior,
      flowScopeId,
      inputs,
      outputs,
      reachable: new Set(),
    };
  }

  private mappings(elementId: string, parameters: unknown): VariableMapping[] {
    const list = (parameters as ModdleElement[] | undefined) ?? [];
    return list.map((parameter) => {
      const source = (parameter.source as string | undefined) ?? '';
      const target = (parameter.target as string | undefined) ?? '';
      this.checkTarget(elementId, 'mapping target', target);
      if (source.trim() === '') this.problem(elementId, `mapping to '${target}' has no source`);
      else this.checkFeel(elementId, `mapping source of '${target}'`, source);
      return { source, target };
    });
  }

  private checkFeel(elementId: string, what: string, value: string): void {
    const problem = checkExpression(value);
    if (problem)
      this.problem(elementId, `${what} '${value}' is not a valid FEEL expression: ${problem}`);
  }

  private checkTarget(elementId: string, what: string, target: string): void {
    if (!VARIABLE_PATH.test(target)) {
      this.problem(
        elementId,
        `${what} '${target}' must be a variable name or a dotted path (letters, digits, '_')`,
      );
    }
  }

  private checkRetries(elementId: string, retries: string): void {
    if (isExpression(retries)) this.checkFeel(elementId, 'retries', retries);
    else if (!/^\d+$/.test(retries.trim())) {
      this.problem(
        elementId,
        `retries '${retries}' must be a non-negative integer or an expression`,
      );
    }
  }

  private checkConditionalOutgoing(elementId: string, outgoing: string[]): void {
    for (const flowId of outgoing) {
      if (this.flows.get(flowId)?.condition) {
        this.problem(
          flowId,
          `conditional sequence flows are only supported on exclusive and inclusive gateways, not on '${elementId}'`,
        );
      }
    }
  }

  private refuseExtensions(element: ModdleElement, types: string[], what: string): void {
    for (const type of types) {
      const found = extension(element, type);
      if (found && ((found.listeners as unknown[] | undefined)?.length ?? 0) > 0) {
        this.problem(element.id, `${what} are not supported: remove '${type}'`);
      }
    }
  }

  /** Fills each element's reachable set (needed by inclusive gateway joins). */
  private withReachability(): Map<string, FlowElement> {
    const result = new Map<string, FlowElement>();
    for (const element of this.elements.values()) {
      const reachable = new Set<string>();
      const pending = [...element.outgoing];
      while (pending.length > 0) {
        const flow = this.flows.get(pending.pop() ?? '');
        if (!flow || reachable.has(flow.targetId)) continue;
        reachable.add(flow.targetId);
        pending.push(...(this.elements.get(flow.targetId)?.outgoing ?? []));
      }
      result.set(element.id, { ...element, reachable });
    }
    return result;
  }
}

function extension(element: ModdleElement | undefined, type: string): ModdleElement | undefined {
  const values = (element?.extensionElements as ModdleElement | undefined)?.values as
    ModdleElement[] | undefined;
  return values?.find((value) => value.$type === type);
}

/** Binding type and version tag of a called element or decision (zeebe's BindingTypeSupported). */
function bindingOf(element: ModdleElement): {
  bindingType: 'latest' | 'deployment' | 'versionTag';
  versionTag?: string;
} {
  return {
    bindingType: ((element.bindingType as string | undefined) ?? 'latest') as
      'latest' | 'deployment' | 'versionTag',
    versionTag: (element.versionTag as string | undefined) || undefined,
  };
}

function eventDefinitions(element: ModdleElement): ModdleElement[] {
  return (element.eventDefinitions as ModdleElement[] | undefined) ?? [];
}

function hasEventDefinitions(element: ModdleElement): boolean {
  return eventDefinitions(element).length > 0;
}

function headersOf(element: ModdleElement): Record<string, string> {
  const headers: Record<string, string> = {};
  const values =
    (extension(element, 'zeebe:TaskHeaders')?.values as ModdleElement[] | undefined) ?? [];
  for (const header of values) {
    if (typeof header.key === 'string') headers[header.key] = String(header.value ?? '');
  }
  return headers;
}
