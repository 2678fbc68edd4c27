import { describe, expect, it } from 'vitest';
import { compileDmn } from './compile-dmn.js';
import {
  decisionTable,
  dmnXml,
  literalDecision,
  DMN13_NAMESPACE,
  ZEEBE_NAMESPACE,
} from './__fixtures__/dmn-xml.js';

const guests = { id: 'guestsInput', expression: 'guests', typeRef: 'number', label: 'Guests' };

describe('compileDmn', () => {
  it('compiles a decision table with its hit policy, inputs, outputs and rules', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(
        decisionTable({
          id: 'dish',
          hitPolicy: 'COLLECT',
          aggregation: 'SUM',
          inputs: [guests],
          outputs: [{ name: 'cost', typeRef: 'number' }],
          rules: [['> 2', '10']],
        }),
      ),
    );

    // then
    expect(dmn.problems).toEqual([]);
    expect(dmn.decisions).toMatchObject([
      {
        id: 'dish',
        decisionType: 'decisionTable',
        logic: {
          hitPolicy: 'COLLECT',
          aggregation: 'SUM',
          inputs: [{ id: 'guestsInput', name: 'Guests', expression: 'guests' }],
          outputs: [{ name: 'cost', type: { kind: 'base', name: 'number' } }],
          rules: [{ id: 'r1', index: 1, inputEntries: ['> 2'], outputEntries: ['10'] }],
        },
      },
    ]);
  });

  it('names the decision, the rule and the input of a unary test that does not parse', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(
        decisionTable({
          id: 'dish',
          name: 'Dish',
          inputs: [guests],
          outputs: [{ name: 'dish' }],
          rules: [
            ['> 2', '"Stew"'],
            ['[1..5', '"Soup"'],
          ],
        }),
      ),
    );

    // then
    expect(dmn.problems).toHaveLength(1);
    expect(dmn.problems[0].elementId).toBe('dish_r2_in1');
    expect(dmn.problems[0].message).toMatch(
      /^decision 'Dish': rule 'r2' \(#2\), input 'Guests': '\[1\.\.5' does not parse: .* \(expected FEEL unary tests/,
    );
  });

  it('names the decision of a literal expression that does not parse', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(literalDecision({ id: 'total', name: 'Total', text: 'a + * b' })),
    );

    // then
    expect(
      dmn.problems.map((problem) => [problem.elementId, problem.message.split(':')[0]]),
    ).toEqual([['total_expression', `decision 'Total'`]]);
  });

  it('rejects an unknown hit policy and says which are known', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(
        decisionTable({
          id: 'dish',
          hitPolicy: 'LAST',
          inputs: [guests],
          outputs: [{ name: 'dish' }],
          rules: [],
        }),
      ),
    );

    // then
    expect(dmn.problems.map((problem) => problem.message)).toEqual([
      `decision 'dish': unknown hit policy 'LAST' (expected one of UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER, OUTPUT ORDER)`,
    ]);
  });

  it('rejects an aggregation without COLLECT and PRIORITY without output values', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(
        decisionTable({
          id: 'a',
          hitPolicy: 'FIRST',
          aggregation: 'SUM',
          inputs: [guests],
          outputs: [{ name: 'n' }],
          rules: [],
        }),
        decisionTable({
          id: 'b',
          hitPolicy: 'PRIORITY',
          inputs: [guests],
          outputs: [{ name: 'n' }],
          rules: [],
        }),
      ),
    );

    // then
    expect(dmn.problems.map((problem) => problem.elementId)).toEqual(['a_table', 'b_table']);
    expect(dmn.problems[0].message).toContain(
      'aggregation SUM needs hit policy COLLECT, not FIRST',
    );
    expect(dmn.problems[1].message).toContain('hit policy PRIORITY orders rules');
  });

  it('rejects a requirement of a decision that does not exist', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(literalDecision({ id: 'a', text: '1', requires: ['missing'] })),
    );

    // then
    expect(dmn.problems).toEqual([
      {
        elementId: 'a',
        message: `decision 'a' requires decision 'missing', which does not exist (expected the id of a decision in this file)`,
      },
    ]);
  });

  it('rejects a cycle in the decision requirements graph and shows it', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(
        literalDecision({ id: 'a', text: 'b', requires: ['b'] }),
        literalDecision({ id: 'b', text: 'c', requires: ['c'] }),
        literalDecision({ id: 'c', text: 'a', requires: ['a'] }),
      ),
    );

    // then
    expect(dmn.problems.map((problem) => problem.message)).toEqual([
      `the decision requirements graph has a cycle: 'a' → 'b' → 'c' → 'a' (expected required decisions and knowledge to form no loop)`,
    ]);
  });

  it('rejects a row with a missing cell', async () => {
    // when
    const dmn = await compileDmn(
      dmnXml(
        decisionTable({ id: 'd', inputs: [guests], outputs: [{ name: 'n' }], rules: [['> 1']] }),
      ),
    );

    // then
    expect(dmn.problems.map((problem) => problem.message)).toEqual([
      `decision 'd': rule 'r1' (#1) has 0 output entries (expected 1, one per output)`,
    ]);
  });

  it('reports a file that is not DMN XML', async () => {
    // when
    const dmn = await compileDmn('<bpmn:definitions');

    // then
    expect(dmn.decisions).toEqual([]);
    expect(dmn.problems[0].message).toContain('the file is not DMN XML that can be read');
  });

  it.each([
    ['1.1', 'http://www.omg.org/spec/DMN/20151101/dmn.xsd'],
    ['1.2', 'http://www.omg.org/spec/DMN/20180521/MODEL/'],
    ['1.4', 'https://www.omg.org/spec/DMN/20211108/MODEL/'],
    ['1.5', 'https://www.omg.org/spec/DMN/20230324/MODEL/'],
  ])('reads a DMN %s file', async (_version, namespace) => {
    // when
    const dmn = await compileDmn(
      dmnXml(literalDecision({ id: 'a', text: '1 + 1' })).replace(DMN13_NAMESPACE, namespace),
    );

    // then
    expect(dmn.problems).toEqual([]);
    expect(dmn.decisions.map((decision) => decision.id)).toEqual(['a']);
  });

  describe('version tags', () => {
    it("keeps each decision's zeebe:versionTag; a decision without one has none", async () => {
      // when
      const dmn = await compileDmn(
        dmnXml(
          literalDecision({ id: 'tagged', text: '1', versionTag: 'v1.2.0' }),
          decisionTable({
            id: 'table',
            inputs: [guests],
            outputs: [{ name: 'n' }],
            rules: [['> 1', '2']],
            versionTag: 'v7',
          }),
          literalDecision({ id: 'untagged', text: '2' }),
        ),
      );

      // then
      expect(dmn.problems).toEqual([]);
      expect(dmn.decisions.map((decision) => [decision.id, decision.versionTag])).toEqual([
        ['tagged', 'v1.2.0'],
        ['table', 'v7'],
        ['untagged', undefined],
      ]);
    });

    it('finds the version tag by its namespace, whatever the prefix', async () => {
      // given
      const xml = dmnXml(literalDecision({ id: 'a', text: '1', versionTag: 'v1' }))
        .replace(
          `xmlns:zeebe="${ZEEBE_NAMESPACE}"`,
          `xmlns:z="${ZEEBE_NAMESPACE}" xmlns:zeebe="urn:other"`,
        )
        .replace('<zeebe:versionTag', '<z:versionTag');

      // when
      const dmn = await compileDmn(xml);

      // then
      expect(dmn.decisions[0].versionTag).toBe('v1');
    });

    it('ignores a versionTag element of another namespace', async () => {
      // when
      const dmn = await compileDmn(
        dmnXml(literalDecision({ id: 'a', text: '1', versionTag: 'v1' })).replace(
          `xmlns:zeebe="${ZEEBE_NAMESPACE}"`,
          'xmlns:zeebe="urn:not-zeebe"',
        ),
      );

      // then
      expect(dmn.problems).toEqual([]);
      expect(dmn.decisions[0].versionTag).toBeUndefined();
    });

    it('rejects a decision with two version tags', async () => {
      // when
      const dmn = await compileDmn(
        dmnXml(literalDecision({ id: 'a', text: '1', versionTag: 'v1' })).replace(
          '<zeebe:versionTag value="v1" />',
          '<zeebe:versionTag value="v1" /><zeebe:versionTag value="v2" />',
        ),
      );

      // then
      expect(dmn.problems).toEqual([
        {
          elementId: 'a',
          message: `decision 'a' has 2 zeebe:versionTag elements (expected at most one)`,
        },
      ]);
    });
  });
});
