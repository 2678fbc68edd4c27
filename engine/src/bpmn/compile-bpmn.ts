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
import type {
  BehaviorKind,
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
    type: 'PROCESS' | 'SUB_PROCESS',
    behavior: BehaviorKind,
    flowScopeId: string | undefined,
  ): void {
    const scopeId = scope.id ?? '';
    const children = (scope.flowElements as ModdleElement[] | undefined) ?? [];
    const startEvents = children.filter((child) => child.$type === 'bpmn:StartEvent');
    const noneStarts = startEvents.filter((event) => !hasEventDefinitions(event));
    if (noneStarts.length !== 1) {
      this.problem(
        scopeId,
        `must have exactly one none start event, found ${noneStarts.length}` +
          (startEvents.length > noneStarts.length
            ? ' (event start events are not supported yet)'
            : ''),
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
    this.elements.set(scopeId, {
      ...this.common(scope, type, behavior, flowScopeId),
      incoming: flowScopeId ? (incomingOf.get(scopeId) ?? []) : [],
      outgoing: [],
      startEventId: noneStarts[0]?.id,
    });
    for (const child of children) {
      if (child.$type === 'bpmn:SequenceFlow' || IGNORED_TYPES.has(child.$type)) continue;
      const childId = child.id ?? '';
      const incoming = incomingOf.get(childId) ?? [];
      const outgoing = outgoingOf.get(childId) ?? [];
      this.addElement(child, scopeId, incoming, outgoing);
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
  ): void {
    const id = element.id ?? '';
    const type = element.$type;
    this.refuseExtensions(
      element,
      ['zeebe:ExecutionListeners', 'zeebe:TaskListeners'],
      'execution and task listeners',
    );
    if (element.loopCharacteristics) {
      this.problem(id, 'multi-instance and loop characteristics are not supported yet');
    }
    if (type !== 'bpmn:EndEvent' && outgoing.length === 0 && type.endsWith('Gateway')) {
      this.problem(id, 'gateway must have at least one outgoing sequence flow');
    }
    const base = { incoming, outgoing };

    if (type === 'bpmn:SubProcess') {
      if (element.triggeredByEvent) {
        this.problem(id, 'event sub-processes are not supported yet');
        return;
      }
      this.addScope(element, 'SUB_PROCESS', 'subProcess', scopeId);
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    if (type === 'bpmn:StartEvent') {
      if (hasEventDefinitions(element)) return; // reported with the scope's start events
      if (incoming.length > 0)
        this.problem(id, 'start event must not have incoming sequence flows');
      this.elements.set(id, {
        ...this.common(element, 'START_EVENT', 'startEvent', scopeId),
        ...base,
      });
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    if (type === 'bpmn:EndEvent') {
      const definitions = eventDefinitions(element);
      const terminate =
        definitions.length === 1 && definitions[0]?.$type === 'bpmn:TerminateEventDefinition';
      if (definitions.length > 0 && !terminate) {
        this.problem(
          id,
          `end event with ${definitions.map((d) => d.$type).join(', ')} is not supported yet`,
        );
      }
      if (outgoing.length > 0) this.problem(id, 'end event must not have outgoing sequence flows');
      this.elements.set(id, {
        ...this.common(element, 'END_EVENT', 'endEvent', scopeId),
        ...base,
        terminate,
      });
      return;
    }
    if (type === 'bpmn:IntermediateThrowEvent') {
      if (hasEventDefinitions(element)) {
        this.problem(
          id,
          'intermediate throw events with an event definition are not supported yet',
        );
      }
      this.elements.set(id, {
        ...this.common(element, 'INTERMEDIATE_THROW_EVENT', 'passThrough', scopeId),
        ...base,
      });
      this.checkConditionalOutgoing(id, outgoing);
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
      this.checkConditionalOutgoing(id, outgoing);
      return;
    }
    this.problem(id, `element type ${type.replace('bpmn:', '')} is not supported`);
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
    if (type === 'USER_TASK') {
      behavior = 'jobTask';
      job = this.userTaskJob(element);
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
      if (type === 'BUSINESS_RULE_TASK' && extension(element, 'zeebe:CalledDecision')) {
        this.problem(id, 'business rule tasks calling a decision are not supported yet');
      }
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

function extension(element: ModdleElement, type: string): ModdleElement | undefined {
  const values = (element.extensionElements as ModdleElement | undefined)?.values as
    ModdleElement[] | undefined;
  return values?.find((value) => value.$type === type);
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
