/**
 * A small fluent builder for BPMN processes in Zeebe's dialect, for tests and benchmarks:
 *
 *   const xml = processBuilder('order')
 *     .startEvent()
 *     .serviceTask('charge', { type: 'payment' })
 *     .exclusiveGateway('paid')
 *     .condition('=ok').endEvent('done')
 *     .moveTo('paid').defaultFlow().endEvent('failed')
 *     .toXml();
 *
 * Each element is connected from the current one (the last added, or the one chosen with
 * `moveTo`); `connectTo` joins the current element to an existing one. The output has no
 * diagram interchange: the engine does not need it.
 */

export interface MappingSpec {
  readonly source: string;
  readonly target: string;
}

export interface TaskOptions {
  readonly type?: string;
  readonly retries?: string;
  readonly headers?: Record<string, string>;
  readonly inputs?: readonly MappingSpec[];
  readonly outputs?: readonly MappingSpec[];
  readonly name?: string;
}

export interface UserTaskOptions extends Omit<TaskOptions, 'type' | 'retries'> {
  readonly formKey?: string;
  readonly assignee?: string;
  readonly candidateGroups?: string;
  readonly candidateUsers?: string;
  readonly dueDate?: string;
  readonly followUpDate?: string;
}

/** A business rule task's `zeebe:calledDecision`. */
export interface CalledDecisionSpec {
  readonly decisionId: string;
  readonly resultVariable: string;
  /** @default latest (no attribute written) */
  readonly bindingType?: 'latest' | 'deployment' | 'versionTag';
  readonly versionTag?: string;
}

interface Node {
  readonly id: string;
  readonly xml: (flows: FlowSpec[]) => string;
}

interface FlowSpec {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly condition?: string;
  readonly isDefault: boolean;
}

export class ProcessBuilder {
  private readonly nodes: Node[] = [];
  private readonly flows: FlowSpec[] = [];
  private current: string | undefined;
  private nextCondition: string | undefined;
  private nextIsDefault = false;

  /** ids of all elements and flows, shared with nested sub-processes so that none collide */
  private readonly ids: Set<string>;

  constructor(
    private readonly id: string,
    ids?: Set<string>,
  ) {
    this.ids = ids ?? new Set([id]);
  }

  startEvent(id = 'start'): this {
    return this.add(id, () => `<bpmn:startEvent id="${id}"/>`);
  }

  endEvent(id = 'end', options: { terminate?: boolean } = {}): this {
    const body = options.terminate ? '<bpmn:terminateEventDefinition/>' : '';
    return this.add(id, () => `<bpmn:endEvent id="${id}">${body}</bpmn:endEvent>`);
  }

  serviceTask(id: string, options: TaskOptions = {}): this {
    return this.task('serviceTask', id, options);
  }

  sendTask(id: string, options: TaskOptions = {}): this {
    return this.task('sendTask', id, options);
  }

  userTask(id: string, options: UserTaskOptions = {}): this {
    const extras: string[] = ['<zeebe:userTask/>'];
    if (options.formKey) extras.push(`<zeebe:formDefinition formKey="${attr(options.formKey)}"/>`);
    const assignment = attributes({
      assignee: options.assignee,
      candidateGroups: options.candidateGroups,
      candidateUsers: options.candidateUsers,
    });
    if (assignment) extras.push(`<zeebe:assignmentDefinition ${assignment}/>`);
    const schedule = attributes({ dueDate: options.dueDate, followUpDate: options.followUpDate });
    if (schedule) extras.push(`<zeebe:taskSchedule ${schedule}/>`);
    return this.add(id, () => element('userTask', id, options, extras));
  }

  scriptTask(
    id: string,
    expression: string,
    resultVariable: string,
    options: TaskOptions = {},
  ): this {
    const script = `<zeebe:script expression="${attr(expression)}" resultVariable="${resultVariable}"/>`;
    return this.add(id, () => element('scriptTask', id, options, [script]));
  }

  /** A business rule task that evaluates a deployed DMN decision in place. */
  businessRuleTask(id: string, called: CalledDecisionSpec, options: TaskOptions = {}): this {
    const calledDecision = `<zeebe:calledDecision ${attributes({ ...called })}/>`;
    return this.add(id, () => element('businessRuleTask', id, options, [calledDecision]));
  }

  manualTask(id: string, options: TaskOptions = {}): this {
    return this.add(id, () => element('manualTask', id, options, []));
  }

  undefinedTask(id: string, options: TaskOptions = {}): this {
    return this.add(id, () => element('task', id, options, []));
  }

  exclusiveGateway(id: string): this {
    return this.gateway('exclusiveGateway', id);
  }

  parallelGateway(id: string): this {
    return this.gateway('parallelGateway', id);
  }

  inclusiveGateway(id: string): this {
    return this.gateway('inclusiveGateway', id);
  }

  subProcess(
    id: string,
    build: (sub: ProcessBuilder) => ProcessBuilder,
    options: TaskOptions = {},
  ): this {
    const inner = build(new ProcessBuilder(id, this.ids));
    return this.add(id, () => element('subProcess', id, options, [], inner.body()));
  }

  /** Chooses the element the next one is connected from. */
  moveTo(id: string): this {
    this.current = id;
    return this;
  }

  /** The next sequence flow gets this FEEL condition. */
  condition(expression: string): this {
    this.nextCondition = expression;
    return this;
  }

  /** The next sequence flow is the default flow of its (gateway) source. */
  defaultFlow(): this {
    this.nextIsDefault = true;
    return this;
  }

  /** Connects the current element to an existing one. */
  connectTo(id: string): this {
    this.connect(id);
    this.current = id;
    return this;
  }

  toXml(): string {
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" ' +
      'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'id="definitions" targetNamespace="http://kontor.dev/bpmn">\n' +
      `<bpmn:process id="${this.id}" isExecutable="true">\n${this.body()}</bpmn:process>\n` +
      '</bpmn:definitions>\n'
    );
  }

  private body(): string {
    const nodes = this.nodes.map((node) =>
      node.xml(this.flows.filter((f) => f.source === node.id)),
    );
    const flows = this.flows.map((flow) => {
      const condition = flow.condition
        ? `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${text(flow.condition)}</bpmn:conditionExpression>`
        : '';
      return `<bpmn:sequenceFlow id="${flow.id}" sourceRef="${flow.source}" targetRef="${flow.target}">${condition}</bpmn:sequenceFlow>`;
    });
    return [...nodes, ...flows].join('\n') + '\n';
  }

  private task(kind: string, id: string, options: TaskOptions): this {
    const definition = `<zeebe:taskDefinition type="${attr(options.type ?? id)}"${
      options.retries ? ` retries="${attr(options.retries)}"` : ''
    }/>`;
    return this.add(id, () => element(kind, id, options, [definition]));
  }

  private gateway(kind: string, id: string): this {
    return this.add(id, (outgoing) => {
      const defaultFlow = outgoing.find((flow) => flow.isDefault);
      return `<bpmn:${kind} id="${id}"${defaultFlow ? ` default="${defaultFlow.id}"` : ''}/>`;
    });
  }

  private add(id: string, xml: Node['xml']): this {
    this.ids.add(id);
    if (this.current !== undefined) this.connect(id);
    this.nodes.push({ id, xml });
    this.current = id;
    return this;
  }

  private connect(target: string): void {
    const source = this.current;
    if (source === undefined) throw new Error(`no element to connect to '${target}' from`);
    let flowId = `${source}-${target}`;
    for (let n = 2; this.ids.has(flowId); n++) flowId = `${source}-${target}-flow${n}`;
    this.ids.add(flowId);
    this.flows.push({
      id: flowId,
      source,
      target,
      condition: this.nextCondition,
      isDefault: this.nextIsDefault,
    });
    this.nextCondition = undefined;
    this.nextIsDefault = false;
  }
}

export function processBuilder(id: string): ProcessBuilder {
  return new ProcessBuilder(id);
}

function element(
  kind: string,
  id: string,
  options: TaskOptions,
  extensions: string[],
  inner = '',
): string {
  const all = [...extensions];
  if (options.headers && Object.keys(options.headers).length > 0) {
    const headers = Object.entries(options.headers)
      .map(([key, value]) => `<zeebe:header key="${attr(key)}" value="${attr(value)}"/>`)
      .join('');
    all.push(`<zeebe:taskHeaders>${headers}</zeebe:taskHeaders>`);
  }
  if (options.inputs?.length || options.outputs?.length) {
    const mappings = [
      ...(options.inputs ?? []).map(
        (m) => `<zeebe:input source="${attr(m.source)}" target="${m.target}"/>`,
      ),
      ...(options.outputs ?? []).map(
        (m) => `<zeebe:output source="${attr(m.source)}" target="${m.target}"/>`,
      ),
    ].join('');
    all.push(`<zeebe:ioMapping>${mappings}</zeebe:ioMapping>`);
  }
  const name = options.name ? ` name="${attr(options.name)}"` : '';
  const extensionXml =
    all.length > 0 ? `<bpmn:extensionElements>${all.join('')}</bpmn:extensionElements>` : '';
  return `<bpmn:${kind} id="${id}"${name}>${extensionXml}${inner}</bpmn:${kind}>`;
}

function attributes(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}="${attr(value ?? '')}"`)
    .join(' ');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;');
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
