/**
 * The rule editor's document: the decisions of one DMN file as plain, immutable data that the
 * editor changes and its undo history keeps. It promises never to lose what it does not show:
 * `saveDmn` applies the document to a fresh parse of the XML it was opened from, reusing every
 * element by id, so unknown attributes, extension elements, annotations, knowledge models and
 * text annotations survive untouched. It never touches the DOM or the network.
 *
 *   const doc = await openDmn(xmlFromCamundaModeler);
 *   const edited = updateTable(doc, 'dish', (t) => ({ ...t, hitPolicy: 'FIRST' }));
 *   const xml = await saveDmn(edited); // standard DMN 1.3 with DMNDI shapes
 */

export type HitPolicy =
  'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export const HIT_POLICIES: readonly HitPolicy[] = [
  'UNIQUE',
  'FIRST',
  'PRIORITY',
  'ANY',
  'COLLECT',
  'RULE ORDER',
  'OUTPUT ORDER',
];
export const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface InputColumn {
  readonly id: string;
  readonly label: string;
  /** FEEL expression whose value the column tests, usually a variable name */
  readonly expression: string;
  readonly typeRef: string;
  /** unary tests that restrict the values, e.g. `"north","south"` */
  readonly inputValues?: string;
}

export interface OutputColumn {
  readonly id: string;
  readonly label: string;
  readonly name: string;
  readonly typeRef: string;
  /** the allowed values, in priority order for PRIORITY and OUTPUT ORDER */
  readonly outputValues?: string;
}

export interface Cell {
  readonly id: string;
  /** FEEL: unary tests for input cells ('' or '-' matches anything), an expression for outputs */
  readonly text: string;
}

export interface Rule {
  readonly id: string;
  readonly description?: string;
  readonly inputEntries: readonly Cell[];
  readonly outputEntries: readonly Cell[];
}

export interface DecisionTable {
  readonly kind: 'table';
  readonly id: string;
  readonly hitPolicy: HitPolicy;
  readonly aggregation?: Aggregation;
  readonly inputs: readonly InputColumn[];
  readonly outputs: readonly OutputColumn[];
  readonly rules: readonly Rule[];
}

export interface LiteralExpression {
  readonly kind: 'literal';
  readonly id: string;
  readonly text: string;
  readonly typeRef?: string;
}

export type DecisionLogic =
  | DecisionTable
  | LiteralExpression
  /** logic the editor does not edit (a context, an invocation, …): kept as it is */
  | { readonly kind: 'other'; readonly type: string };

export interface Requirement {
  readonly id: string;
  readonly kind: 'decision' | 'input';
  /** id of the required decision or input data */
  readonly sourceId: string;
}

export interface DecisionNode {
  readonly id: string;
  readonly name: string;
  readonly bounds: Bounds;
  readonly requirements: readonly Requirement[];
  readonly logic: DecisionLogic;
  /** ids of the business knowledge models it invokes: shown, not edited */
  readonly knowledge?: readonly string[];
}

/** A DRG element the editor shows but leaves as it is: a business knowledge model, a knowledge source, a decision service. */
export interface ReadOnlyNode {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly bounds: Bounds;
}

export interface InputDataNode {
  readonly id: string;
  readonly name: string;
  readonly typeRef?: string;
  readonly bounds: Bounds;
}

export interface RuleDocument {
  /** the XML the document was opened from: what `saveDmn` applies the edits to */
  readonly sourceXml: string;
  readonly id: string;
  readonly name: string;
  readonly decisions: readonly DecisionNode[];
  readonly inputData: readonly InputDataNode[];
  /** elements with a shape that the editor shows read-only; saving keeps them as they are */
  readonly others: readonly ReadOnlyNode[];
  /** warnings from reading the file, e.g. elements DMN 1.3 does not know */
  readonly warnings: readonly string[];
}

export const DECISION_SIZE = { width: 180, height: 80 };
export const INPUT_DATA_SIZE = { width: 125, height: 45 };

/** An id in Camunda Modeler's style: `Decision_0k3f9xq`. */
export function newId(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 9).padEnd(7, '0')}`;
}

/** A new DMN file with one decision table (one input, one output, no rules). */
export function newDmnXml(name: string, decisionId: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="${newId('Definitions')}" name="${esc(name)}" namespace="http://camunda.org/schema/1.0/dmn" exporter="Kontor" exporterVersion="0.1.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <decision id="${esc(decisionId)}" name="${esc(name)}">
    <decisionTable id="${newId('DecisionTable')}">
      <input id="${newId('Input')}" label="Input">
        <inputExpression id="${newId('InputExpression')}" typeRef="string">
          <text>input</text>
        </inputExpression>
      </input>
      <output id="${newId('Output')}" label="Output" name="output" typeRef="string" />
    </decisionTable>
  </decision>
  <dmndi:DMNDI>
    <dmndi:DMNDiagram id="${newId('DMNDiagram')}">
      <dmndi:DMNShape id="${newId('DMNShape')}" dmnElementRef="${esc(decisionId)}">
        <dc:Bounds height="80" width="180" x="160" y="100" />
      </dmndi:DMNShape>
    </dmndi:DMNDiagram>
  </dmndi:DMNDI>
</definitions>
`;
}

/** A decision id from a name: `Partner assignment` → `partnerAssignment`. */
export function decisionIdFor(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .split(/[\s_-]+/)
    .filter(Boolean);
  const id = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase()))
    .join('');
  return /^[A-Za-z_]/.test(id) ? id : `decision_${id}`;
}

// ---- changes (pure; each returns a new document) ----

export function updateDecision(
  doc: RuleDocument,
  decisionId: string,
  change: (decision: DecisionNode) => DecisionNode,
): RuleDocument {
  return {
    ...doc,
    decisions: doc.decisions.map((d) => (d.id === decisionId ? change(d) : d)),
  };
}

export function updateTable(
  doc: RuleDocument,
  decisionId: string,
  change: (table: DecisionTable) => DecisionTable,
): RuleDocument {
  return updateDecision(doc, decisionId, (d) =>
    d.logic.kind === 'table' ? { ...d, logic: change(d.logic) } : d,
  );
}

export function emptyRule(table: DecisionTable): Rule {
  return {
    id: newId('DecisionRule'),
    inputEntries: table.inputs.map(() => ({ id: newId('UnaryTests'), text: '-' })),
    outputEntries: table.outputs.map(() => ({ id: newId('LiteralExpression'), text: '' })),
  };
}

/** Adds an empty rule after `afterIndex` (at the end without it). */
export function addRule(table: DecisionTable, afterIndex?: number): DecisionTable {
  const rules = [...table.rules];
  rules.splice(afterIndex === undefined ? rules.length : afterIndex + 1, 0, emptyRule(table));
  return { ...table, rules };
}

export function duplicateRule(table: DecisionTable, index: number): DecisionTable {
  const source = table.rules[index];
  const copy: Rule = {
    id: newId('DecisionRule'),
    description: source.description,
    inputEntries: source.inputEntries.map((c) => ({ id: newId('UnaryTests'), text: c.text })),
    outputEntries: source.outputEntries.map((c) => ({
      id: newId('LiteralExpression'),
      text: c.text,
    })),
  };
  const rules = [...table.rules];
  rules.splice(index + 1, 0, copy);
  return { ...table, rules };
}

export function moveRule(table: DecisionTable, index: number, by: -1 | 1): DecisionTable {
  const target = index + by;
  if (target < 0 || target >= table.rules.length) return table;
  const rules = [...table.rules];
  [rules[index], rules[target]] = [rules[target], rules[index]];
  return { ...table, rules };
}

export function deleteRule(table: DecisionTable, index: number): DecisionTable {
  return { ...table, rules: table.rules.filter((_, i) => i !== index) };
}

export function setCell(
  table: DecisionTable,
  ruleIndex: number,
  side: 'input' | 'output',
  column: number,
  text: string,
): DecisionTable {
  return {
    ...table,
    rules: table.rules.map((rule, i) => {
      if (i !== ruleIndex) return rule;
      const key = side === 'input' ? 'inputEntries' : 'outputEntries';
      return { ...rule, [key]: rule[key].map((c, j) => (j === column ? { ...c, text } : c)) };
    }),
  };
}

export function addInputColumn(
  table: DecisionTable,
  column: Omit<InputColumn, 'id'>,
): DecisionTable {
  return {
    ...table,
    inputs: [...table.inputs, { id: newId('Input'), ...column }],
    rules: table.rules.map((r) => ({
      ...r,
      inputEntries: [...r.inputEntries, { id: newId('UnaryTests'), text: '-' }],
    })),
  };
}

export function addOutputColumn(
  table: DecisionTable,
  column: Omit<OutputColumn, 'id'>,
): DecisionTable {
  return {
    ...table,
    outputs: [...table.outputs, { id: newId('Output'), ...column }],
    rules: table.rules.map((r) => ({
      ...r,
      outputEntries: [...r.outputEntries, { id: newId('LiteralExpression'), text: '' }],
    })),
  };
}

export function deleteColumn(table: DecisionTable, side: 'input' | 'output', column: number) {
  const keep = (_: unknown, j: number) => j !== column;
  return side === 'input'
    ? {
        ...table,
        inputs: table.inputs.filter(keep),
        rules: table.rules.map((r) => ({ ...r, inputEntries: r.inputEntries.filter(keep) })),
      }
    : {
        ...table,
        outputs: table.outputs.filter(keep),
        rules: table.rules.map((r) => ({ ...r, outputEntries: r.outputEntries.filter(keep) })),
      };
}

/** Adds a requirement edge; refuses (returns the document unchanged) one that makes a cycle. */
export function connect(doc: RuleDocument, sourceId: string, targetId: string): RuleDocument {
  const target = doc.decisions.find((d) => d.id === targetId);
  if (!target || sourceId === targetId) return doc;
  if (target.requirements.some((r) => r.sourceId === sourceId)) return doc;
  const kind = doc.inputData.some((i) => i.id === sourceId) ? 'input' : 'decision';
  if (kind === 'decision' && requires(doc, sourceId, targetId)) return doc;
  return updateDecision(doc, targetId, (d) => ({
    ...d,
    requirements: [...d.requirements, { id: newId('InformationRequirement'), kind, sourceId }],
  }));
}

/** Whether decision `from` requires `to`, directly or through others. */
function requires(doc: RuleDocument, from: string, to: string, seen = new Set<string>()): boolean {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  const decision = doc.decisions.find((d) => d.id === from);
  return (decision?.requirements ?? []).some(
    (r) => r.kind === 'decision' && requires(doc, r.sourceId, to, seen),
  );
}

/** Removes a decision or input data and every requirement that pointed at it. */
export function deleteNode(doc: RuleDocument, id: string): RuleDocument {
  return {
    ...doc,
    inputData: doc.inputData.filter((i) => i.id !== id),
    decisions: doc.decisions
      .filter((d) => d.id !== id)
      .map((d) => ({ ...d, requirements: d.requirements.filter((r) => r.sourceId !== id) })),
  };
}

export function moveNode(doc: RuleDocument, id: string, x: number, y: number): RuleDocument {
  return {
    ...doc,
    inputData: doc.inputData.map((i) =>
      i.id === id ? { ...i, bounds: { ...i.bounds, x, y } } : i,
    ),
    decisions: doc.decisions.map((d) =>
      d.id === id ? { ...d, bounds: { ...d.bounds, x, y } } : d,
    ),
  };
}
