/**
 * What the test bench needs from a decision: the variables a person fills in (the simple
 * names that its tables and those of its required decisions read, other than decisions' own
 * results), the expected-output columns, and the comparison of a result with what a CSV row
 * expected. Pure; the bench's React component is `TestBench.tsx`.
 */
import type { DecisionNode, RuleDocument } from './rule-document';
import { valueTypeOf, type ValueType } from './typed-cells';

export interface BenchVariable {
  readonly name: string;
  readonly type: ValueType;
}

const IDENTIFIER = /^[A-Za-z_][\w]*$/;

/** The decision and every decision it requires, required ones first. */
export function decisionsReadBy(doc: RuleDocument, decisionId: string): DecisionNode[] {
  const seen = new Set<string>();
  const order: DecisionNode[] = [];
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const decision = doc.decisions.find((d) => d.id === id);
    if (!decision) return;
    decision.requirements.filter((r) => r.kind === 'decision').forEach((r) => visit(r.sourceId));
    order.push(decision);
  };
  visit(decisionId);
  return order;
}

export function benchVariables(doc: RuleDocument, decisionId: string): BenchVariable[] {
  const decisions = decisionsReadBy(doc, decisionId);
  const computed = new Set(
    doc.decisions.flatMap((d) => [
      d.id,
      d.name,
      ...(d.logic.kind === 'table' ? d.logic.outputs.map((o) => o.name) : []),
    ]),
  );
  const variables = new Map<string, BenchVariable>();
  for (const decision of decisions) {
    if (decision.logic.kind !== 'table') continue;
    for (const input of decision.logic.inputs) {
      const name = input.expression.trim();
      if (IDENTIFIER.test(name) && !computed.has(name) && !variables.has(name))
        variables.set(name, { name, type: valueTypeOf(input.typeRef) });
    }
  }
  const required = new Set(
    decisions.flatMap((d) =>
      d.requirements.filter((r) => r.kind === 'input').map((r) => r.sourceId),
    ),
  );
  // input data names are often labels ("Claim amount"); they are asked for only when no table
  // names its variables, as for literal expressions
  for (const input of variables.size > 0 ? [] : doc.inputData) {
    if (required.has(input.id) && IDENTIFIER.test(input.name) && !variables.has(input.name))
      variables.set(input.name, { name: input.name, type: valueTypeOf(input.typeRef) });
  }
  return [...variables.values()];
}

/** The names a CSV can give expected values for: the table's outputs, or the decision's name. */
export function expectedColumns(decision: DecisionNode): string[] {
  if (decision.logic.kind === 'table') return decision.logic.outputs.map((o) => o.name);
  return [decision.name || decision.id];
}

/** A CSV text or form value as the variable's type: '1200' → 1200, 'yes' → true, '' → null. */
export function toVariable(text: string, type: ValueType): unknown {
  const t = text.trim();
  if (t === '') return null;
  if (type === 'number') {
    const n = Number(t.replace(',', '.'));
    return Number.isFinite(n) ? n : t;
  }
  if (type === 'boolean') {
    if (/^(true|yes|ja|1|x)$/i.test(t)) return true;
    if (/^(false|no|nein|0)$/i.test(t)) return false;
  }
  return t;
}

/** The result's value for one output name (the whole result for one output). */
export function actualFor(result: unknown, column: string, columns: readonly string[]): unknown {
  const pick = (value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && column in value
      ? (value as Record<string, unknown>)[column]
      : columns.length === 1
        ? value
        : undefined;
  return Array.isArray(result) ? result.map(pick) : pick(result);
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Whether a CSV cell says what the result is; an empty expected cell checks nothing. */
export function matchesExpected(expected: string, actual: unknown): boolean {
  const e = expected.trim();
  const a = formatValue(actual).trim();
  if (e === a) return true;
  const en = Number(e.replace(',', '.'));
  if (e !== '' && a !== '' && Number.isFinite(en) && Number(a) === en) return true;
  if (Array.isArray(actual)) {
    const list = e.split(/\s*[,;|]\s*/).filter(Boolean);
    return list.length === actual.length && list.every((x, i) => matchesExpected(x, actual[i]));
  }
  return false;
}
