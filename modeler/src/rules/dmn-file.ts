/**
 * Reads and writes DMN 1.3 files for the rule editor with dmn-moddle, the library Camunda
 * Modeler uses. `openDmn` turns a file (from Camunda Modeler or from this editor) into a
 * `RuleDocument`; `saveDmn` writes a document back by applying it to a fresh parse of the file it
 * came from, so that whatever the editor does not show (extension elements, foreign attributes,
 * business knowledge models, text annotations, rule annotations) is written back unchanged.
 * Saved files carry DMNDI shapes and edges for every decision and input data, so Camunda
 * Modeler draws the same graph. Pure: no DOM, no network; runs in the browser and in Node.
 */
import { DmnModdle, type ModdleElement } from 'dmn-moddle';
import {
  DECISION_SIZE,
  INPUT_DATA_SIZE,
  newId,
  type Aggregation,
  type Bounds,
  type DecisionLogic,
  type DecisionNode,
  type HitPolicy,
  type InputDataNode,
  type RuleDocument,
} from './rule-document';

/** Thrown when a file cannot be read as DMN at all. */
export class UnreadableDmnError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnreadableDmnError';
  }
}

const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

type El = ModdleElement;
const many = (el: El | undefined, name: string): El[] => (el?.get(name) as El[] | undefined) ?? [];
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const text = (el: unknown): string => str((el as El | undefined)?.text);
const hrefId = (ref: unknown): string => str((ref as El | undefined)?.href).replace(/^.*#/, '');

async function parse(xml: string): Promise<{ definitions: El; warnings: string[] }> {
  if (!xml.includes(DMN13)) {
    throw new UnreadableDmnError(
      `The file is not DMN 1.3: expected the namespace ${DMN13} (Camunda Modeler 5 and later write it; convert older files by opening and saving them there)`,
    );
  }
  try {
    const { rootElement, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
    return { definitions: rootElement, warnings: warnings.map((w) => w.message) };
  } catch (error) {
    throw new UnreadableDmnError(`The file is not readable DMN: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function shapeBounds(definitions: El): Map<string, Bounds> {
  const bounds = new Map<string, Bounds>();
  const dmnDI = definitions.dmnDI as El | undefined;
  for (const diagram of many(dmnDI, 'diagrams')) {
    for (const shape of many(diagram, 'diagramElements')) {
      if (shape.$type !== 'dmndi:DMNShape' || !shape.bounds) continue;
      const ref = shape.dmnElementRef as El | undefined;
      const b = shape.bounds as El;
      if (ref?.id && !bounds.has(str(ref.id))) {
        bounds.set(str(ref.id), {
          x: Number(b.x),
          y: Number(b.y),
          width: Number(b.width),
          height: Number(b.height),
        });
      }
    }
  }
  return bounds;
}

function readLogic(logic: El | undefined): DecisionLogic {
  if (!logic) return { kind: 'other', type: 'none' };
  if (logic.$type === 'dmn:LiteralExpression') {
    return {
      kind: 'literal',
      id: str(logic.id) || newId('LiteralExpression'),
      text: text(logic),
      typeRef: str(logic.typeRef) || undefined,
    };
  }
  if (logic.$type !== 'dmn:DecisionTable') return { kind: 'other', type: logic.$type };
  return {
    kind: 'table',
    id: str(logic.id) || newId('DecisionTable'),
    hitPolicy: (str(logic.hitPolicy) || 'UNIQUE') as HitPolicy,
    aggregation: (str(logic.aggregation) || undefined) as Aggregation | undefined,
    inputs: many(logic, 'input').map((input) => {
      const expression = input.inputExpression as El | undefined;
      return {
        id: str(input.id) || newId('Input'),
        label: str(input.label),
        expression: text(expression),
        typeRef: str(expression?.typeRef),
        inputValues: text(input.inputValues) || undefined,
      };
    }),
    outputs: many(logic, 'output').map((output) => ({
      id: str(output.id) || newId('Output'),
      label: str(output.label),
      name: str(output.name),
      typeRef: str(output.typeRef),
      outputValues: text(output.outputValues) || undefined,
    })),
    rules: many(logic, 'rule').map((rule) => ({
      id: str(rule.id) || newId('DecisionRule'),
      description: str(rule.description) || undefined,
      inputEntries: many(rule, 'inputEntry').map((e) => ({
        id: str(e.id) || newId('UnaryTests'),
        text: text(e),
      })),
      outputEntries: many(rule, 'outputEntry').map((e) => ({
        id: str(e.id) || newId('LiteralExpression'),
        text: text(e),
      })),
    })),
  };
}

/** Opens a DMN 1.3 file; elements without a shape are laid out in a row. */
export async function openDmn(xml: string): Promise<RuleDocument> {
  const { definitions, warnings } = await parse(xml);
  const bounds = shapeBounds(definitions);
  const elements = many(definitions, 'drgElement');
  let fallbackX = 20;
  const place = (id: string, size: { width: number; height: number }, y: number): Bounds => {
    const found = bounds.get(id);
    if (found) return found;
    const b = { x: fallbackX, y, ...size };
    fallbackX += size.width + 40;
    return b;
  };
  const decisions: DecisionNode[] = elements
    .filter((e) => e.$type === 'dmn:Decision')
    .map((decision) => ({
      id: str(decision.id),
      name: str(decision.name),
      bounds: place(str(decision.id), DECISION_SIZE, 100),
      requirements: many(decision, 'informationRequirement')
        .map((r) => ({
          id: str(r.id) || newId('InformationRequirement'),
          kind: r.requiredDecision ? ('decision' as const) : ('input' as const),
          sourceId: hrefId(r.requiredDecision ?? r.requiredInput),
        }))
        .filter((r) => r.sourceId !== ''),
      logic: readLogic(decision.decisionLogic as El | undefined),
      knowledge: many(decision, 'knowledgeRequirement')
        .map((r) => hrefId(r.requiredKnowledge))
        .filter((id) => id !== ''),
    }));
  const inputData: InputDataNode[] = elements
    .filter((e) => e.$type === 'dmn:InputData')
    .map((input) => ({
      id: str(input.id),
      name: str(input.name),
      typeRef: str((input.variable as El | undefined)?.typeRef) || undefined,
      bounds: place(str(input.id), INPUT_DATA_SIZE, 300),
    }));
  const others = elements
    .filter(
      (e) => e.$type !== 'dmn:Decision' && e.$type !== 'dmn:InputData' && bounds.has(str(e.id)),
    )
    .map((e) => ({
      id: str(e.id),
      name: str(e.name),
      kind: e.$type.replace(/^dmn:/, ''),
      bounds: bounds.get(str(e.id))!,
    }));
  return {
    sourceXml: xml,
    others,
    id: str(definitions.id),
    name: str(definitions.name),
    decisions,
    inputData,
    warnings,
  };
}

/** Writes the document as DMN 1.3 XML, keeping everything of its source it does not model. */
export async function saveDmn(doc: RuleDocument): Promise<string> {
  const moddle = new DmnModdle();
  const { definitions } = await parse(doc.sourceXml);
  const create = (type: string, props: Record<string, unknown> = {}) => moddle.create(type, props);
  const byId = new Map(many(definitions, 'drgElement').map((e) => [str(e.id), e]));
  /** Reuses the element with this id if it has the type, else creates one. */
  const reuse = (existing: El | undefined, type: string, id: string): El =>
    existing && existing.$type === type && existing.id === id ? existing : create(type, { id });
  const reuseFrom = (list: El[], type: string, id: string) =>
    reuse(
      list.find((e) => e.id === id),
      type,
      id,
    );
  const setOptional = (el: El, name: string, value: unknown) => {
    if (value === undefined || value === '') {
      if (el.get(name) !== undefined) el.set(name, undefined);
    } else el.set(name, value);
  };

  definitions.set('name', doc.name);
  const managed = new Set(['dmn:Decision', 'dmn:InputData']);
  const written: El[] = [];

  for (const node of doc.inputData) {
    const el = reuse(byId.get(node.id), 'dmn:InputData', node.id);
    el.set('name', node.name);
    const variable = el.variable as El | undefined;
    if (node.typeRef || variable) {
      const v = variable ?? create('dmn:InformationItem', { id: newId('InformationItem') });
      v.set('name', node.name);
      setOptional(v, 'typeRef', node.typeRef);
      el.set('variable', v);
    }
    written.push(el);
  }

  for (const node of doc.decisions) {
    const el = reuse(byId.get(node.id), 'dmn:Decision', node.id);
    el.set('name', node.name);
    const oldRequirements = many(el, 'informationRequirement');
    el.set(
      'informationRequirement',
      node.requirements.map((r) => {
        const req = reuseFrom(oldRequirements, 'dmn:InformationRequirement', r.id);
        const ref = create('dmn:DMNElementReference', { href: `#${r.sourceId}` });
        req.set('requiredDecision', r.kind === 'decision' ? ref : undefined);
        req.set('requiredInput', r.kind === 'input' ? ref : undefined);
        return req;
      }),
    );
    writeLogic(el, node.logic, create, reuse, reuseFrom, setOptional);
    written.push(el);
  }

  // elements keep their place in the file; new ones go after the rest, as Camunda Modeler does
  const writtenById = new Map(written.map((e) => [str(e.id), e]));
  const original = many(definitions, 'drgElement');
  const inPlace = original.flatMap((e) =>
    managed.has(e.$type) ? (writtenById.has(str(e.id)) ? [writtenById.get(str(e.id))!] : []) : [e],
  );
  const added = written.filter((e) => !original.some((o) => o.id === e.id));
  definitions.set('drgElement', [...inPlace, ...added]);
  writeDiagram(definitions, doc, create);
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

type Create = (type: string, props?: Record<string, unknown>) => El;
type Reuse = (existing: El | undefined, type: string, id: string) => El;
type ReuseFrom = (list: El[], type: string, id: string) => El;
type SetOptional = (el: El, name: string, value: unknown) => void;

function writeLogic(
  decision: El,
  logic: DecisionLogic,
  create: Create,
  reuse: Reuse,
  reuseFrom: ReuseFrom,
  setOptional: SetOptional,
): void {
  if (logic.kind === 'other') return;
  const old = decision.decisionLogic as El | undefined;
  if (logic.kind === 'literal') {
    const el = reuse(old, 'dmn:LiteralExpression', logic.id);
    el.set('text', logic.text);
    setOptional(el, 'typeRef', logic.typeRef);
    decision.set('decisionLogic', el);
    return;
  }
  const table = reuse(old, 'dmn:DecisionTable', logic.id);
  // UNIQUE is the default; Camunda Modeler leaves it out
  setOptional(table, 'hitPolicy', logic.hitPolicy === 'UNIQUE' ? undefined : logic.hitPolicy);
  setOptional(table, 'aggregation', logic.hitPolicy === 'COLLECT' ? logic.aggregation : undefined);

  const unaryTests = (value: string | undefined, existing: unknown) => {
    if (!value) return undefined;
    const el =
      (existing as El | undefined) ?? create('dmn:UnaryTests', { id: newId('UnaryTests') });
    el.set('text', value);
    return el;
  };

  const oldInputs = many(table, 'input');
  table.set(
    'input',
    logic.inputs.map((input) => {
      const el = reuseFrom(oldInputs, 'dmn:InputClause', input.id);
      setOptional(el, 'label', input.label);
      const expression =
        (el.inputExpression as El | undefined) ??
        create('dmn:LiteralExpression', { id: newId('InputExpression') });
      expression.set('text', input.expression);
      setOptional(expression, 'typeRef', input.typeRef);
      el.set('inputExpression', expression);
      setOptional(el, 'inputValues', unaryTests(input.inputValues, el.inputValues));
      return el;
    }),
  );

  const oldOutputs = many(table, 'output');
  table.set(
    'output',
    logic.outputs.map((output) => {
      const el = reuseFrom(oldOutputs, 'dmn:OutputClause', output.id);
      setOptional(el, 'label', output.label);
      setOptional(el, 'name', output.name);
      setOptional(el, 'typeRef', output.typeRef);
      setOptional(el, 'outputValues', unaryTests(output.outputValues, el.outputValues));
      return el;
    }),
  );

  const oldRules = many(table, 'rule');
  table.set(
    'rule',
    logic.rules.map((rule) => {
      const el = reuseFrom(oldRules, 'dmn:DecisionRule', rule.id);
      setOptional(el, 'description', rule.description);
      const oldIn = many(el, 'inputEntry');
      el.set(
        'inputEntry',
        rule.inputEntries.map((cell) => {
          const entry = reuseFrom(oldIn, 'dmn:UnaryTests', cell.id);
          entry.set('text', cell.text.trim() === '' ? '-' : cell.text);
          return entry;
        }),
      );
      const oldOut = many(el, 'outputEntry');
      el.set(
        'outputEntry',
        rule.outputEntries.map((cell) => {
          const entry = reuseFrom(oldOut, 'dmn:LiteralExpression', cell.id);
          entry.set('text', cell.text);
          return entry;
        }),
      );
      return el;
    }),
  );
  decision.set('decisionLogic', table);
}

/** Shapes for every decision and input data, an edge for every information requirement. */
function writeDiagram(definitions: El, doc: RuleDocument, create: Create): void {
  let dmnDI = definitions.dmnDI as El | undefined;
  if (!dmnDI) {
    dmnDI = create('dmndi:DMNDI');
    definitions.set('dmnDI', dmnDI);
  }
  let diagram = many(dmnDI, 'diagrams')[0];
  if (!diagram) {
    diagram = create('dmndi:DMNDiagram', { id: newId('DMNDiagram') });
    dmnDI.set('diagrams', [diagram]);
  }
  const elements = new Map(
    many(definitions, 'drgElement').map((e) => [str(e.id), e] as [string, El]),
  );
  const managedIds = new Set([...doc.decisions, ...doc.inputData].map((n) => n.id));
  const requirementIds = new Set(doc.decisions.flatMap((d) => d.requirements.map((r) => r.id)));
  const old = many(diagram, 'diagramElements');
  const oldShape = (id: string) =>
    old.find((e) => e.$type === 'dmndi:DMNShape' && (e.dmnElementRef as El | undefined)?.id === id);
  const oldEdge = (id: string) =>
    old.find((e) => e.$type === 'dmndi:DMNEdge' && (e.dmnElementRef as El | undefined)?.id === id);

  // shapes and edges of elements the editor does not manage stay as they were
  const keep = old.filter((e) => {
    const ref = str((e.dmnElementRef as El | undefined)?.id);
    const refType = str((e.dmnElementRef as El | undefined)?.$type);
    if (e.$type === 'dmndi:DMNShape') {
      return (
        !!ref && !managedIds.has(ref) && refType !== 'dmn:Decision' && refType !== 'dmn:InputData'
      );
    }
    if (e.$type === 'dmndi:DMNEdge') {
      const target = e.dmnElementRef as El | undefined;
      return target?.$type !== 'dmn:InformationRequirement' && !requirementIds.has(ref);
    }
    return true;
  });

  const shapes = [...doc.decisions, ...doc.inputData].map((node) => {
    const shape = oldShape(node.id) ?? create('dmndi:DMNShape', { id: newId('DMNShape') });
    shape.set('dmnElementRef', elements.get(node.id));
    shape.set('bounds', create('dc:Bounds', { ...node.bounds }));
    return shape;
  });

  const boundsOf = new Map(
    [...doc.decisions, ...doc.inputData].map((n) => [n.id, n.bounds] as [string, Bounds]),
  );
  const edges = doc.decisions.flatMap((decision) => {
    const target = elements.get(decision.id);
    return many(target, 'informationRequirement').flatMap((requirement) => {
      const source = boundsOf.get(
        hrefId(requirement.requiredDecision ?? requirement.requiredInput),
      );
      if (!source) return [];
      const edge =
        oldEdge(str(requirement.id)) ?? create('dmndi:DMNEdge', { id: newId('DMNEdge') });
      edge.set('dmnElementRef', requirement);
      edge.set(
        'waypoint',
        waypoints(source, decision.bounds).map((p) => create('dc:Point', p)),
      );
      return [edge];
    });
  });
  diagram.set('diagramElements', [...shapes, ...edges, ...keep]);
}

/** From the middle of the source's nearer side to the middle of the target's. */
function waypoints(source: Bounds, target: Bounds): { x: number; y: number }[] {
  const cx = (b: Bounds) => Math.round(b.x + b.width / 2);
  if (source.y >= target.y + target.height) {
    return [
      { x: cx(source), y: source.y },
      { x: cx(target), y: target.y + target.height },
    ];
  }
  if (source.y + source.height <= target.y) {
    return [
      { x: cx(source), y: source.y + source.height },
      { x: cx(target), y: target.y },
    ];
  }
  const cy = (b: Bounds) => Math.round(b.y + b.height / 2);
  return source.x < target.x
    ? [
        { x: source.x + source.width, y: cy(source) },
        { x: target.x, y: cy(target) },
      ]
    : [
        { x: source.x, y: cy(source) },
        { x: target.x + target.width, y: cy(target) },
      ];
}
