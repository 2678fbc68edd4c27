import { describe, expect, it } from 'vitest';
import { evaluateExpression } from './feel.js';

describe('years and months duration', () => {
  it.each([
    ['years and months duration(date("2011-12-22"), date("2013-08-24"))', 'P1Y8M'],
    ['years and months duration(date("2013-08-24"), date("2011-12-22"))', '-P1Y8M'],
    ['years and months duration(from: date("2011-12-22"), to: date("2013-08-24"))', 'P1Y8M'],
    [
      'years and months duration(date and time("2016-09-30T23:25:00"), date and time("2017-12-28T12:12:12"))',
      'P1Y2M',
    ],
    [
      'years and months duration(date and time("2011-08-25T15:59:59@Europe/Paris"), date("2015-08-25"))',
      'P4Y',
    ],
    ['years and months duration(date(start), date(end))', 'P2Y9M'],
  ])('%s is %s: whole years and months, the days dropped', (expression, expected) => {
    // when
    const result = evaluateExpression(`=${expression}`, {
      start: '2015-12-31',
      end: '2018-10-01',
    });

    // then
    expect(result).toEqual({ ok: true, value: expected });
  });

  it('is null for an argument that is not a date', () => {
    // when
    const result = evaluateExpression('=years and months duration(null, date("2016-01-01"))', {});

    // then
    expect(result).toEqual({ ok: true, value: null });
  });
});
