import { describe, expect, it } from 'vitest';
import { compileDmn } from './compile-dmn.js';
import { evaluateDecision, type DecisionEvaluation } from './evaluate-decision.js';
import {
  decisionTable,
  dmnXml,
  knowledgeModel,
  literalDecision,
  type TableSpec,
} from './__fixtures__/dmn-xml.js';

async function evaluateTable(
  spec: Omit<TableSpec, 'id'>,
  variables: Record<string, unknown>,
  options: Parameters<typeof evaluateDecision>[3] = {},
): Promise<DecisionEvaluation> {
  const dmn = await compileDmn(
    dmnXml(decisionTable({ id: 'decision', name: 'Decision', ...spec })),
  );
  expect(dmn.problems).toEqual([]);
  return evaluateDecision(dmn, 'decision', variables, options);
}

function expectResult(evaluation: DecisionEvaluation): unknown {
  if (!evaluation.ok) throw new Error(`expected a result, got: ${evaluation.message}`);
  return evaluation.result;
}

function expectFailure(evaluation: DecisionEvaluation): string {
  if (evaluation.ok)
    throw new Error(`expected a failure, got ${JSON.stringify(evaluation.result)}`);
  return evaluation.message;
}

const season = { expression: 'season', typeRef: 'string', label: 'Season' };
const guests = { expression: 'guests', typeRef: 'number', label: 'Guests' };
const dish = { name: 'dish', typeRef: 'string' };

describe('hit policy UNIQUE', () => {
  const table = {
    hitPolicy: 'UNIQUE',
    inputs: [season, guests],
    outputs: [dish],
    rules: [
      ['"Fall"', '<= 8', '"Spareribs"'],
      ['"Winter"', '<= 8', '"Roastbeef"'],
      ['"Winter", "Fall"', '> 8', '"Stew"'],
      ['"Winter"', '> 4', '"Pasta"'],
    ],
  };

  it('gives the output of the one matching rule', async () => {
    // when
    const evaluation = await evaluateTable(table, { season: 'Fall', guests: 4 });

    // then
    expect(expectResult(evaluation)).toBe('Spareribs');
    expect(evaluation.evaluatedDecisions).toEqual([
      {
        decisionId: 'decision',
        decisionName: 'Decision',
        decisionType: 'decisionTable',
        inputs: [
          { id: 'decision_input1', name: 'Season', value: 'Fall' },
          { id: 'decision_input2', name: 'Guests', value: 4 },
        ],
        matchedRules: [{ ruleId: 'r1', ruleIndex: 1, outputs: { dish: 'Spareribs' } }],
        result: 'Spareribs',
      },
    ]);
  });

  it('fails naming the decision, the rules and the inputs when several rules match', async () => {
    // when
    const evaluation = await evaluateTable(table, { season: 'Winter', guests: 6 });

    // then
    expect(expectFailure(evaluation)).toBe(
      `decision 'Decision': hit policy UNIQUE, but rules 'r2' (#2) and 'r4' (#4) matched for inputs {Season: "Winter", Guests: 6} (expected at most one rule to match)`,
    );
  });

  it('gives null when no rule matches, as Camunda 8 does', async () => {
    // when
    const evaluation = await evaluateTable(table, { season: 'Summer', guests: 6 });

    // then
    expect(expectResult(evaluation)).toBeNull();
    expect(evaluation.evaluatedDecisions[0].matchedRules).toEqual([]);
  });

  it('fails when no rule matches and the caller asks for a match', async () => {
    // when
    const evaluation = await evaluateTable(
      table,
      { season: 'Summer', guests: 6 },
      { failWhenNoRuleMatches: true },
    );

    // then
    expect(expectFailure(evaluation)).toContain(
      `decision 'Decision': hit policy UNIQUE, but no rule matched for inputs {Season: "Summer", Guests: 6}`,
    );
  });
});

describe('hit policy FIRST', () => {
  it('gives the output of the first matching rule in rule order', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        hitPolicy: 'FIRST',
        inputs: [guests],
        outputs: [dish],
        rules: [
          ['> 10', '"Buffet"'],
          ['> 2', '"Menu"'],
          ['-', '"Snack"'],
        ],
      },
      { guests: 5 },
    );

    // then
    expect(expectResult(evaluation)).toBe('Menu');
    expect(evaluation.evaluatedDecisions[0].matchedRules.map((rule) => rule.ruleId)).toEqual([
      'r2',
    ]);
  });

  it('still fails for a later rule whose unary test cannot be evaluated', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        hitPolicy: 'FIRST',
        inputs: [guests],
        outputs: [dish],
        rules: [
          ['> 2', '"Menu"'],
          ['nosuch(?)', '"Stew"'],
        ],
      },
      { guests: 5 },
    );

    // then
    expect(expectFailure(evaluation)).toMatch(/^decision 'Decision': rule 'r2' \(#2\)/);
  });
});

describe('hit policy PRIORITY', () => {
  it('gives the output that comes first in the output values list', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        hitPolicy: 'PRIORITY',
        inputs: [guests],
        outputs: [{ name: 'risk', typeRef: 'string', outputValues: '"high","medium","low"' }],
        rules: [
          ['> 0', '"low"'],
          ['> 5', '"high"'],
          ['> 3', '"medium"'],
        ],
      },
      { guests: 6 },
    );

    // then
    expect(expectResult(evaluation)).toBe('high');
    expect(evaluation.evaluatedDecisions[0].matchedRules.map((rule) => rule.ruleIndex)).toEqual([
      2,
    ]);
  });
});

describe('hit policy ANY', () => {
  const table = {
    hitPolicy: 'ANY',
    inputs: [guests],
    outputs: [dish],
    rules: [
      ['> 5', '"Stew"'],
      ['> 8', '"Stew"'],
      ['> 10', '"Buffet"'],
    ],
  };

  it('gives the output when all matching rules agree', async () => {
    // when
    const evaluation = await evaluateTable(table, { guests: 9 });

    // then
    expect(expectResult(evaluation)).toBe('Stew');
  });

  it('fails naming the rules and their outputs when matching rules disagree', async () => {
    // when
    const evaluation = await evaluateTable(table, { guests: 12 });

    // then
    expect(expectFailure(evaluation)).toBe(
      `decision 'Decision': hit policy ANY, but rules 'r1' (#1) and 'r3' (#3) matched with different outputs ({"dish":"Stew"} and {"dish":"Buffet"}) for inputs {Guests: 12} (expected all matching rules to have the same outputs)`,
    );
  });
});

describe('hit policy COLLECT', () => {
  const collect = (aggregation?: string) => ({
    hitPolicy: 'COLLECT',
    aggregation,
    inputs: [guests],
    outputs: [{ name: 'points', typeRef: 'number' }],
    rules: [
      ['> 1', '10'],
      ['> 2', '30'],
      ['> 3', '20'],
      ['> 100', '1000'],
    ],
  });

  it('gives the outputs of all matching rules as a list', async () => {
    expect(expectResult(await evaluateTable(collect(), { guests: 5 }))).toEqual([10, 30, 20]);
  });

  it.each([
    ['SUM', 60],
    ['MIN', 10],
    ['MAX', 30],
    ['COUNT', 3],
  ])('aggregates with %s', async (aggregation, expected) => {
    expect(expectResult(await evaluateTable(collect(aggregation), { guests: 5 }))).toBe(expected);
  });

  it.each([
    [undefined, []],
    ['SUM', null],
    ['COUNT', 0],
  ])('gives %s → %j when no rule matches', async (aggregation, expected) => {
    expect(expectResult(await evaluateTable(collect(aggregation), { guests: 0 }))).toEqual(
      expected,
    );
  });
});

describe('hit policy RULE ORDER', () => {
  it('gives a list of contexts in rule order for several outputs', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        hitPolicy: 'RULE ORDER',
        inputs: [guests],
        outputs: [
          { name: 'dish', typeRef: 'string' },
          { name: 'portions', typeRef: 'number' },
        ],
        rules: [
          ['> 2', '"Soup"', 'guests'],
          ['> 100', '"Buffet"', '1'],
          ['-', '"Bread"', 'guests * 2'],
        ],
      },
      { guests: 3 },
    );

    // then
    expect(expectResult(evaluation)).toEqual([
      { dish: 'Soup', portions: 3 },
      { dish: 'Bread', portions: 6 },
    ]);
  });
});

describe('hit policy OUTPUT ORDER', () => {
  it('orders the outputs by the output values list', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        hitPolicy: 'OUTPUT ORDER',
        inputs: [guests],
        outputs: [{ name: 'level', typeRef: 'string', outputValues: '"gold","silver","bronze"' }],
        rules: [
          ['> 0', '"bronze"'],
          ['> 5', '"gold"'],
          ['> 3', '"silver"'],
        ],
      },
      { guests: 6 },
    );

    // then
    expect(expectResult(evaluation)).toEqual(['gold', 'silver', 'bronze']);
    expect(evaluation.evaluatedDecisions[0].matchedRules.map((rule) => rule.ruleIndex)).toEqual([
      2, 3, 1,
    ]);
  });
});

describe('decision tables', () => {
  it('gives a context for several outputs', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        inputs: [season],
        outputs: [
          { name: 'dish', typeRef: 'string' },
          { name: 'price', typeRef: 'number' },
        ],
        rules: [['"Fall"', '"Stew"', '12.5']],
      },
      { season: 'Fall' },
    );

    // then
    expect(expectResult(evaluation)).toEqual({ dish: 'Stew', price: 12.5 });
  });

  it('matches "-" and empty input entries against any value, null included', async () => {
    // when
    const evaluation = await evaluateTable(
      { inputs: [season, guests], outputs: [dish], rules: [['-', '', '"Anything"']] },
      { season: null },
    );

    // then
    expect(expectResult(evaluation)).toBe('Anything');
  });

  it('gives the default output values when no rule matches', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        inputs: [season],
        outputs: [
          { name: 'dish', typeRef: 'string', defaultOutput: '"Bread"' },
          { name: 'price', typeRef: 'number', defaultOutput: '1' },
        ],
        rules: [['"Fall"', '"Stew"', '12']],
      },
      { season: 'Summer' },
    );

    // then
    expect(expectResult(evaluation)).toEqual({ dish: 'Bread', price: 1 });
  });

  it('fails naming the decision and the input when a value does not match the typeRef', async () => {
    // when
    const evaluation = await evaluateTable(
      { inputs: [guests], outputs: [dish], rules: [['> 2', '"Stew"']] },
      { guests: 'many' },
    );

    // then
    expect(expectFailure(evaluation)).toBe(
      `decision 'Decision': input 'Guests' (decision_input1) is "many" (a string), but its typeRef is number (expected a value of that type or null)`,
    );
  });

  it('fails when an input is not among its input values', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        inputs: [{ ...season, inputValues: '"Spring","Summer","Fall","Winter"' }],
        outputs: [dish],
        rules: [['"Fall"', '"Stew"']],
      },
      { season: 'Monsoon' },
    );

    // then
    expect(expectFailure(evaluation)).toBe(
      `decision 'Decision': input 'Season' (decision_input1) is "Monsoon", which is not among its input values "Spring","Summer","Fall","Winter"`,
    );
  });

  it('reads an ISO date variable as a date for a date input and returns dates as ISO strings', async () => {
    // when
    const evaluation = await evaluateTable(
      {
        inputs: [{ expression: 'due', typeRef: 'date', label: 'Due' }],
        outputs: [{ name: 'reminder', typeRef: 'date' }],
        rules: [
          ['< date("2025-01-01")', 'date(due) - duration("P7D")'],
          ['>= date("2025-01-01")', 'null'],
        ],
      },
      { due: '2024-03-10' },
    );

    // then
    expect(expectResult(evaluation)).toBe('2024-03-03');
  });

  it('fails naming the rule and the input when a unary test cannot be evaluated', async () => {
    // when
    const evaluation = await evaluateTable(
      { inputs: [guests], outputs: [dish], rules: [['nosuch(?)', '"Stew"']] },
      { guests: 3 },
    );

    // then
    expect(expectFailure(evaluation)).toMatch(
      /^decision 'Decision': rule 'r1' \(#1\), input 'Guests': 'nosuch\(\?\)' failed/,
    );
  });
});

describe('compiled models', () => {
  it('evaluates a model copied from storage as it evaluates the compiled one', async () => {
    // given
    const dmn = await compileDmn(
      dmnXml(
        decisionTable({
          id: 'decision',
          hitPolicy: 'COLLECT',
          inputs: [season, guests, { expression: 'since', typeRef: 'date', label: 'Since' }],
          outputs: [dish],
          rules: [
            ['"Fall","Winter"', '[1..8]', '-', '"Stew"'],
            ['not("Summer")', '-', '>= date("2024-01-01")', '"Roastbeef"'],
            ['-', '> 4', '< date("2024-01-01")', '"Buffet"'],
          ],
        }),
      ),
    );
    const copied = JSON.parse(JSON.stringify(dmn)) as typeof dmn;
    const variables = { season: 'Winter', guests: 6, since: '2024-03-01' };

    // when
    const original = evaluateDecision(dmn, 'decision', variables);
    const fromCopy = evaluateDecision(copied, 'decision', variables);

    // then
    expect(expectResult(original)).toEqual(['Stew', 'Roastbeef']);
    expect(fromCopy).toEqual(original);
  });
});

describe('literal expressions and decision requirements graphs', () => {
  const xml = dmnXml(
    literalDecision({ id: 'base', name: 'Base Price', text: 'amount * 0.9', typeRef: 'number' }),
    decisionTable({
      id: 'discount',
      name: 'Discount',
      inputs: [{ expression: 'customer', typeRef: 'string' }],
      outputs: [{ name: 'discount', typeRef: 'number' }],
      rules: [
        ['"Business"', '0.1'],
        ['"Private"', '0.05'],
      ],
    }),
    literalDecision({
      id: 'price',
      name: 'Price',
      text: 'Base Price * (1 - discount)',
      requires: ['base', 'discount'],
    }),
    knowledgeModel({
      id: 'roundBkm',
      name: 'round to',
      parameters: ['value', 'places'],
      body: 'decimal(value, places)',
    }),
    literalDecision({
      id: 'rounded',
      name: 'Rounded Price',
      text: 'round to(Price, 1)',
      requires: ['price'],
      knowledge: ['roundBkm'],
    }),
  );

  it('evaluates required decisions first and passes their results by name and id', async () => {
    // given
    const dmn = await compileDmn(xml);
    expect(dmn.problems).toEqual([]);

    // when
    const evaluation = evaluateDecision(dmn, 'price', { amount: 100, customer: 'Business' });

    // then
    expect(expectResult(evaluation)).toBeCloseTo(81);
    expect(
      evaluation.evaluatedDecisions.map((decision) => [decision.decisionId, decision.decisionType]),
    ).toEqual([
      ['base', 'literalExpression'],
      ['discount', 'decisionTable'],
      ['price', 'literalExpression'],
    ]);
  });

  it('invokes a business knowledge model', async () => {
    // given
    const dmn = await compileDmn(xml);

    // when
    const evaluation = evaluateDecision(dmn, 'rounded', { amount: 123.45, customer: 'Private' });

    // then
    expect(expectResult(evaluation)).toBe(105.5);
  });

  it('fails with the name of the required decision that failed', async () => {
    // given
    const dmn = await compileDmn(xml);

    // when
    const evaluation = evaluateDecision(dmn, 'price', { amount: 100, customer: 42 });

    // then
    expect(expectFailure(evaluation)).toContain(`decision 'Discount': input 'customer'`);
    expect(evaluation.evaluatedDecisions.map((decision) => decision.decisionId)).toEqual(['base']);
  });

  it('fails for an unknown decision and lists the known ones', async () => {
    // given
    const dmn = await compileDmn(xml);

    // when
    const evaluation = evaluateDecision(dmn, 'nosuch');

    // then
    expect(expectFailure(evaluation)).toContain(`no decision 'nosuch'`);
    expect(expectFailure(evaluation)).toContain(`'base', 'discount', 'price'`);
  });
});
