import { date, dateAndTime, duration, evaluate, time, unaryTest } from 'feelin';
import { describe, expect, it } from 'vitest';
import { compileExpression, compileUnaryTests } from './compiled-feel.js';

/** What feelin itself says, parsing the text: the answer the compiled closures must give. */
function feelinTest(text: string, value: unknown): boolean | 'failed' {
  try {
    return unaryTest(text, { '?': value }).value === true;
  } catch {
    return 'failed';
  }
}

function compiledTest(text: string, value: unknown): boolean | 'failed' {
  const outcome = compileUnaryTests(text)(value, {});
  return outcome.ok ? outcome.value : 'failed';
}

const probes: unknown[] = [
  null,
  0,
  1,
  5,
  10,
  10.5,
  -3,
  Number.NaN,
  2_500,
  -0,
  'a',
  'b',
  'c',
  '5',
  '2024-01-01',
  '2024-06-30',
  '',
  true,
  false,
  [],
  [5],
  ['a'],
  [true],
  [null],
  [1, 2],
  { a: 1 },
  date('2023-12-31'),
  date('2024-01-01'),
  date('2024-06-30'),
  dateAndTime('2024-01-01T10:00:00'),
  time('10:00:00'),
  duration('P1D'),
  new Date('2024-01-01T00:00:00Z'),
];

const cells = [
  '-',
  '5',
  '-3',
  '10.5',
  '"a"',
  '"a","b"',
  '"a", "b", "c"',
  '"a,b"',
  'true',
  'false',
  'null',
  '< 10',
  '<= 10',
  '> 5',
  '>= 5',
  '= 5',
  '= true',
  '= null',
  '!= 5',
  '!= "a"',
  '!= null',
  '!= true',
  '>= "2024-01-01"',
  '< "b"',
  '[1..10]',
  ']1..10[',
  '(1..10)',
  '[1..10)',
  '[10..1]',
  ']10..1[',
  '> 10, < 2',
  '[date("2024-06-30")..date("2024-01-01")[',
  '"b".."a"',
  '[0..2500]',
  ']"a".."c"[',
  '["a".."c"]',
  '< 0, > 10',
  '[1..5], [8..10]',
  'not(5)',
  'not("a", "b")',
  'not(< 10)',
  'not([1..10])',
  'not(null)',
  'not(true)',
  'date("2024-01-01")',
  '>= date("2024-01-01")',
  '< date("2024-06-30")',
  '[date("2024-01-01")..date("2024-06-30")]',
  '@"2024-01-01"',
  '> time("09:00:00")',
  '<= duration("P2D")',
  '> date and time("2024-01-01T09:00:00")',
  '[1.."a"]',
  '< true',
  '? > 3',
  'odd(?)',
];

describe('compiled unary tests', () => {
  it.each(cells)('%s gives what feelin gives, for every kind of value', (cell) => {
    for (const probe of probes) {
      expect([cell, probe, compiledTest(cell, probe)]).toEqual([
        cell,
        probe,
        feelinTest(cell, probe),
      ]);
    }
  });

  it('compiles each text once', () => {
    expect(compileUnaryTests('[1..10]')).toBe(compileUnaryTests('[1..10]'));
  });
});

describe('compiled expressions', () => {
  const scope = {
    amount: 1200,
    region: 'north',
    nothing: null,
    customer: { age: 42, address: { city: 'Bonn' } },
    orders: [{ total: 1 }, { total: 2 }],
    'a.b': 7,
    a: { b: 8 },
    when: new Date('2024-01-01T00:00:00Z'),
    infinite: Number.POSITIVE_INFINITY,
  };
  const expressions = [
    '42',
    '-1.5',
    '"text"',
    'true',
    'null',
    'date("2024-01-01")',
    'amount',
    'region',
    'nothing',
    'missing',
    'customer.age',
    'customer.address.city',
    'customer.missing',
    'orders.total',
    'a.b',
    'when',
    'infinite',
    'amount * 2',
    'sum([1, 2])',
  ];

  it.each(expressions)('%s gives what feelin gives', (text) => {
    const outcome = compileExpression(text)(scope);
    expect(outcome.ok).toBe(true);
    const expected = evaluate(text, scope).value ?? null;
    const value = outcome.ok ? outcome.value : undefined;
    if (typeof expected === 'number' && !Number.isFinite(expected)) expect(value).toBeNull();
    else expect(value).toEqual(expected);
  });
});

describe('built-ins that feelin gets wrong', () => {
  const scope = { from: date('2011-12-22'), to: date('2013-08-24') };

  it.each([
    ['years and months duration(date("2011-12-22"), date("2013-08-24"))', 'P1Y8M'],
    ['years and months duration(date("2013-08-24"), date("2011-12-22"))', '-P1Y8M'],
    ['years and months duration(from: date("2016-01-21"), to: date("2015-01-21"))', '-P1Y'],
    ['years and months duration(date("2016-01-01"), date("2016-01-01"))', 'P0M'],
    ['years and months duration(date("2011-01-31"), date("2011-02-28"))', 'P0M'],
    [
      'years and months duration(date and time("2014-12-31T23:59:59"), date and time("2016-12-31T00:00:01"))',
      'P2Y',
    ],
    [
      'years and months duration(date("2013-08-24"), date and time("2017-12-15T00:59:59"))',
      'P4Y3M',
    ],
    ['years and months duration(from, to)', 'P1Y8M'],
  ])('%s is %s: whole years and months, the days dropped', (text, expected) => {
    // when
    const outcome = compileExpression(text)(scope);

    // then
    expect(outcome).toEqual({ ok: true, value: duration(expected) });
  });

  it.each([
    'years and months duration(null, date("2016-01-01"))',
    'years and months duration("2011-12-22", date("2016-01-01"))',
    'years and months duration(date("2016-01-01"))',
  ])('%s is null', (text) => {
    expect(compileExpression(text)({})).toEqual({ ok: true, value: null });
  });

  it('corrects the built-in in unary tests too', () => {
    // given
    const cell = 'string(years and months duration(date("2011-12-22"), ?)) = "P1Y8M"';

    // when
    const outcome = compileUnaryTests(cell)(date('2013-08-24'), {});

    // then
    expect(outcome).toEqual({ ok: true, value: true });
  });

  it('leaves a variable of the same name in charge', () => {
    // given
    const own = { 'years and months duration': (from: unknown, to: unknown) => [from, to] };

    // when
    const outcome = compileExpression('years and months duration(1, 2)')(own);

    // then
    expect(outcome).toEqual({ ok: true, value: [1, 2] });
  });
});
