/**
 * Guard rails of the hit policy picker: which hit policies and aggregations a table can take,
 * and why not. PRIORITY and OUTPUT ORDER order results by the outputs' value lists, so every
 * output needs one; an aggregation belongs to COLLECT only, and SUM, MIN and MAX need a single
 * number output (COUNT counts anything).
 */
import type { Aggregation, DecisionTable, HitPolicy } from './rule-document';
import { valueTypeOf } from './typed-cells';

/** Why the table cannot take this hit policy; undefined when it can. */
export function hitPolicyRefusal(table: DecisionTable, policy: HitPolicy): string | undefined {
  if (policy !== 'PRIORITY' && policy !== 'OUTPUT ORDER') return undefined;
  const missing = table.outputs.filter((o) => !o.outputValues?.trim());
  if (missing.length === 0) return undefined;
  return `${policy} ranks results by the outputs' values: give ${missing
    .map((o) => `'${o.label || o.name}'`)
    .join(', ')} its values (highest priority first) before choosing it`;
}

/** Why the table cannot take this aggregation; undefined when it can. */
export function aggregationRefusal(
  table: DecisionTable,
  aggregation: Aggregation,
): string | undefined {
  if (table.hitPolicy !== 'COLLECT') return 'An aggregation needs the hit policy COLLECT';
  if (aggregation === 'COUNT') return undefined;
  if (table.outputs.length !== 1) return `${aggregation} needs exactly one output`;
  if (valueTypeOf(table.outputs[0].typeRef) !== 'number')
    return `${aggregation} needs a number output`;
  return undefined;
}

/** Applies a hit policy choice; an aggregation is kept only under COLLECT. */
export function withHitPolicy(table: DecisionTable, policy: HitPolicy): DecisionTable {
  return {
    ...table,
    hitPolicy: policy,
    aggregation: policy === 'COLLECT' ? table.aggregation : undefined,
  };
}

export const HIT_POLICY_HELP: Record<HitPolicy, string> = {
  UNIQUE: 'exactly one rule may match',
  FIRST: 'the first matching rule, top to bottom',
  PRIORITY: 'the matching rule whose output comes first in the output values',
  ANY: 'several rules may match if they give the same output',
  COLLECT: 'all matching rules, optionally aggregated',
  'RULE ORDER': 'all matching rules, in rule order',
  'OUTPUT ORDER': 'all matching rules, ordered by the output values',
};
