import { describe, expect, it } from 'vitest';
import { aggregationRefusal, hitPolicyRefusal, withHitPolicy } from './hit-policy-rules';
import type { DecisionTable } from './rule-document';

const table = (over: Partial<DecisionTable> = {}): DecisionTable => ({
  kind: 'table',
  id: 't',
  hitPolicy: 'UNIQUE',
  inputs: [],
  outputs: [{ id: 'o', label: 'Fee', name: 'fee', typeRef: 'number' }],
  rules: [],
  ...over,
});

describe('hit policy guard rails', () => {
  it('refuses PRIORITY and OUTPUT ORDER until every output has values', () => {
    expect(hitPolicyRefusal(table(), 'PRIORITY')).toBe(
      "PRIORITY ranks results by the outputs' values: give 'Fee' its values (highest priority first) before choosing it",
    );
    const ranked = table({
      outputs: [{ id: 'o', label: 'Fee', name: 'fee', typeRef: 'number', outputValues: '10,5' }],
    });
    expect(hitPolicyRefusal(ranked, 'OUTPUT ORDER')).toBeUndefined();
    expect(hitPolicyRefusal(table(), 'FIRST')).toBeUndefined();
  });

  it('allows an aggregation only with COLLECT, and SUM only over one number output', () => {
    expect(aggregationRefusal(table(), 'SUM')).toBe('An aggregation needs the hit policy COLLECT');
    expect(aggregationRefusal(table({ hitPolicy: 'COLLECT' }), 'SUM')).toBeUndefined();
    const text = table({
      hitPolicy: 'COLLECT',
      outputs: [{ id: 'o', label: 'Partner', name: 'partner', typeRef: 'string' }],
    });
    expect(aggregationRefusal(text, 'MAX')).toBe('MAX needs a number output');
    expect(aggregationRefusal(text, 'COUNT')).toBeUndefined();
  });

  it('drops the aggregation when the hit policy leaves COLLECT', () => {
    const collect = table({ hitPolicy: 'COLLECT', aggregation: 'SUM' });
    expect(withHitPolicy(collect, 'FIRST')).toMatchObject({
      hitPolicy: 'FIRST',
      aggregation: undefined,
    });
  });
});
