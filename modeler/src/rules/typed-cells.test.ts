import { describe, expect, it } from 'vitest';
import {
  readInputCell,
  readOutputCell,
  writeInputCell,
  writeOutputCell,
  type InputCell,
} from './typed-cells';

describe('typed input cells', () => {
  it.each<[string, string, InputCell]>([
    ['-', 'number', { kind: 'any' }],
    ['', 'string', { kind: 'any' }],
    ['5', 'number', { kind: 'range', from: '5', to: '5', fromClosed: true, toClosed: true }],
    ['>= 10000', 'number', { kind: 'range', from: '10000', fromClosed: true, toClosed: false }],
    ['< 3.5', 'number', { kind: 'range', to: '3.5', fromClosed: false, toClosed: false }],
    [
      '[1..10)',
      'number',
      { kind: 'range', from: '1', to: '10', fromClosed: true, toClosed: false },
    ],
    ['(0..1]', 'number', { kind: 'range', from: '0', to: '1', fromClosed: false, toClosed: true }],
    [
      '[date("2026-01-01")..date("2026-12-31")]',
      'date',
      { kind: 'range', from: '2026-01-01', to: '2026-12-31', fromClosed: true, toClosed: true },
    ],
    [
      '>= date("2026-01-01")',
      'date',
      { kind: 'range', from: '2026-01-01', fromClosed: true, toClosed: false },
    ],
    ['"north","south"', 'string', { kind: 'strings', values: ['north', 'south'], negated: false }],
    ['not("a \\"b\\"")', 'string', { kind: 'strings', values: ['a "b"'], negated: true }],
    ['true', 'boolean', { kind: 'boolean', value: true }],
    ['starts with(x, "N")', 'string', { kind: 'expression', text: 'starts with(x, "N")' }],
    ['> limit', 'number', { kind: 'expression', text: '> limit' }],
    ['"north"', 'number', { kind: 'expression', text: '"north"' }],
  ])('reads %s in a %s column and writes it back as the same FEEL', (text, typeRef, cell) => {
    expect(readInputCell(text, typeRef)).toEqual(cell);
    expect(writeInputCell(cell, typeRef)).toBe(text === '' ? '-' : text);
  });

  it('writes a range with one bound as a comparison, and an empty one as "-"', () => {
    expect(
      writeInputCell({ kind: 'range', from: '18', fromClosed: true, toClosed: true }, 'number'),
    ).toBe('>= 18');
    expect(writeInputCell({ kind: 'range', fromClosed: true, toClosed: true }, 'number')).toBe('-');
    expect(writeInputCell({ kind: 'strings', values: [], negated: false }, 'string')).toBe('-');
  });
});

describe('typed output cells', () => {
  it.each([
    ['"Nordhaus"', 'string', { kind: 'value', value: 'Nordhaus' }],
    ['25', 'number', { kind: 'value', value: '25' }],
    ['false', 'boolean', { kind: 'value', value: 'false' }],
    ['date("2026-03-01")', 'date', { kind: 'value', value: '2026-03-01' }],
    ['amount * 0.1', 'number', { kind: 'expression', text: 'amount * 0.1' }],
    ['', 'string', { kind: 'empty' }],
  ] as const)('reads %s in a %s column and writes it back', (text, typeRef, cell) => {
    expect(readOutputCell(text, typeRef)).toEqual(cell);
    expect(writeOutputCell(cell, typeRef)).toBe(text);
  });
});
