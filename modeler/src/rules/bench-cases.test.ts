import { describe, expect, it } from 'vitest';
import { PARTNER_ASSIGNMENT } from './__fixtures__/camunda-modeler-files';
import {
  actualFor,
  benchVariables,
  expectedColumns,
  matchesExpected,
  toVariable,
} from './bench-cases';
import { openDmn } from './dmn-file';

describe('test bench cases', () => {
  it('asks for the variables of the decision and the decisions it requires, not their results', async () => {
    const doc = await openDmn(PARTNER_ASSIGNMENT);
    expect(benchVariables(doc, 'partnerAssignment')).toEqual([
      { name: 'amount', type: 'number' },
      { name: 'region', type: 'string' },
    ]);
    expect(expectedColumns(doc.decisions[0])).toEqual(['partner']);
  });

  it('reads CSV text as typed variables', () => {
    expect(toVariable('1200', 'number')).toBe(1200);
    expect(toVariable('1,5', 'number')).toBe(1.5);
    expect(toVariable('yes', 'boolean')).toBe(true);
    expect(toVariable(' ', 'string')).toBeNull();
  });

  it('compares expected cells with single, multiple and collected results', () => {
    expect(matchesExpected('Nordhaus', actualFor('Nordhaus', 'partner', ['partner']))).toBe(true);
    expect(matchesExpected('25.0', actualFor({ fee: 25, note: 'x' }, 'fee', ['fee', 'note']))).toBe(
      true,
    );
    expect(matchesExpected('a, b', actualFor(['a', 'b'], 'p', ['p']))).toBe(true);
    expect(matchesExpected('Nordhaus', 'Allround AG')).toBe(false);
  });
});
