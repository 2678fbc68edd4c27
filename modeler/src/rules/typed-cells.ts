/**
 * Typed cells: the controls a person uses instead of FEEL. An input cell's FEEL unary test is
 * read into a typed value for its column's type (a number or date range with open or closed
 * bounds, a list of strings, a boolean, or "-" for anything) and written back as the same FEEL;
 * text that no control can show stays an expression, untouched. Output cells likewise hold a
 * number, a string, a boolean or a date. Pure functions; the controls live in `cells/`.
 *
 *   readInputCell('[1..10)', 'number')  // { kind: 'range', from: '1', to: '10', fromClosed: true, toClosed: false }
 *   writeInputCell({ kind: 'strings', values: ['north', 'south'], negated: false }, 'string') // '"north","south"'
 */

export type ValueType = 'number' | 'date' | 'string' | 'boolean' | 'other';

export function valueTypeOf(typeRef: string | undefined): ValueType {
  switch ((typeRef ?? '').trim()) {
    case 'number':
    case 'integer':
    case 'long':
    case 'double':
      return 'number';
    case 'date':
      return 'date';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      return 'other';
  }
}

export type InputCell =
  | { readonly kind: 'any' }
  | {
      readonly kind: 'range';
      /** a number, or an ISO date (yyyy-mm-dd) for date columns; undefined: no bound */
      readonly from?: string;
      readonly to?: string;
      readonly fromClosed: boolean;
      readonly toClosed: boolean;
    }
  | { readonly kind: 'strings'; readonly values: readonly string[]; readonly negated: boolean }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'expression'; readonly text: string };

const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const DATE = String.raw`date\(\s*"(\d{4}-\d{2}-\d{2})"\s*\)`;

function literal(type: ValueType): { pattern: string; value: (m: string) => string } | undefined {
  if (type === 'number') return { pattern: `(${NUMBER})`, value: (m) => m };
  if (type === 'date') return { pattern: DATE, value: (m) => m };
  return undefined;
}

/** Reads a FEEL unary test as the typed value its column's type can show. */
export function readInputCell(text: string, typeRef: string | undefined): InputCell {
  const t = text.trim();
  if (t === '' || t === '-') return { kind: 'any' };
  const type = valueTypeOf(typeRef);
  const lit = literal(type);
  if (lit) {
    const single = new RegExp(`^${lit.pattern}$`).exec(t);
    if (single) {
      const v = lit.value(single[1]);
      return { kind: 'range', from: v, to: v, fromClosed: true, toClosed: true };
    }
    const comparison = new RegExp(`^(<=|>=|<|>)\\s*${lit.pattern}$`).exec(t);
    if (comparison) {
      const [, op, raw] = comparison;
      const v = lit.value(raw);
      return op.startsWith('>')
        ? { kind: 'range', from: v, fromClosed: op === '>=', toClosed: false }
        : { kind: 'range', to: v, toClosed: op === '<=', fromClosed: false };
    }
    const interval = new RegExp(
      `^([[(\\]])\\s*${lit.pattern}\\s*\\.\\.\\s*${lit.pattern}\\s*([\\])[])$`,
    ).exec(t);
    if (interval) {
      const [, open, a, b, close] = interval;
      return {
        kind: 'range',
        from: lit.value(a),
        to: lit.value(b),
        fromClosed: open === '[',
        toClosed: close === ']',
      };
    }
  }
  if (type === 'string') {
    const negated = /^not\s*\((.*)\)$/s.exec(t);
    const values = stringList(negated ? negated[1] : t);
    if (values) return { kind: 'strings', values, negated: !!negated };
  }
  if (type === 'boolean' && (t === 'true' || t === 'false')) {
    return { kind: 'boolean', value: t === 'true' };
  }
  return { kind: 'expression', text };
}

/** `"a","b"` → ['a', 'b']; undefined when the text is anything else. */
function stringList(text: string): string[] | undefined {
  const values: string[] = [];
  const item = /\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;
  let at = 0;
  while (at < text.length) {
    item.lastIndex = at;
    const m = item.exec(text);
    if (!m) return undefined;
    values.push(m[1].replace(/\\(.)/g, '$1'));
    at = item.lastIndex;
    if (m[2] === '') break;
  }
  return values.length > 0 && at >= text.length ? values : undefined;
}

export const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Writes a typed input cell as FEEL unary tests. */
export function writeInputCell(cell: InputCell, typeRef: string | undefined): string {
  switch (cell.kind) {
    case 'any':
      return '-';
    case 'expression':
      return cell.text;
    case 'boolean':
      return String(cell.value);
    case 'strings': {
      if (cell.values.length === 0) return '-';
      const list = cell.values.map(quote).join(',');
      return cell.negated ? `not(${list})` : list;
    }
    case 'range': {
      const v = (x: string) => (valueTypeOf(typeRef) === 'date' ? `date("${x}")` : x);
      const { from, to } = cell;
      const has = (x: string | undefined): x is string => x !== undefined && x !== '';
      if (has(from) && has(to)) {
        if (from === to && cell.fromClosed && cell.toClosed) return v(from);
        return `${cell.fromClosed ? '[' : '('}${v(from)}..${v(to)}${cell.toClosed ? ']' : ')'}`;
      }
      if (has(from)) return `${cell.fromClosed ? '>=' : '>'} ${v(from)}`;
      if (has(to)) return `${cell.toClosed ? '<=' : '<'} ${v(to)}`;
      return '-';
    }
  }
}

export type OutputCell =
  | { readonly kind: 'empty' }
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'expression'; readonly text: string };

/** Reads an output entry as a plain value of its column's type, or an expression. */
export function readOutputCell(text: string, typeRef: string | undefined): OutputCell {
  const t = text.trim();
  if (t === '') return { kind: 'empty' };
  switch (valueTypeOf(typeRef)) {
    case 'number':
      return new RegExp(`^${NUMBER}$`).test(t)
        ? { kind: 'value', value: t }
        : { kind: 'expression', text };
    case 'boolean':
      return t === 'true' || t === 'false'
        ? { kind: 'value', value: t }
        : { kind: 'expression', text };
    case 'date': {
      const m = new RegExp(`^${DATE}$`).exec(t);
      return m ? { kind: 'value', value: m[1] } : { kind: 'expression', text };
    }
    case 'string': {
      const values = stringList(t);
      return values?.length === 1 && !t.includes(',')
        ? { kind: 'value', value: values[0] }
        : { kind: 'expression', text };
    }
    default:
      return { kind: 'expression', text };
  }
}

export function writeOutputCell(cell: OutputCell, typeRef: string | undefined): string {
  if (cell.kind === 'empty') return '';
  if (cell.kind === 'expression') return cell.text;
  switch (valueTypeOf(typeRef)) {
    case 'string':
      return quote(cell.value);
    case 'date':
      return cell.value ? `date("${cell.value}")` : '';
    default:
      return cell.value;
  }
}

/** How a cell reads in the grid: "≥ 10000", "[1 … 10)", "north, south", "any". */
export function describeInputCell(cell: InputCell): string {
  switch (cell.kind) {
    case 'any':
      return '-';
    case 'expression':
      return cell.text;
    case 'boolean':
      return cell.value ? 'yes' : 'no';
    case 'strings':
      return `${cell.negated ? 'not ' : ''}${cell.values.join(', ')}`;
    case 'range':
      if (cell.from !== undefined && cell.to !== undefined) {
        return cell.from === cell.to && cell.fromClosed && cell.toClosed
          ? cell.from
          : `${cell.fromClosed ? '[' : '('}${cell.from} … ${cell.to}${cell.toClosed ? ']' : ')'}`;
      }
      if (cell.from !== undefined) return `${cell.fromClosed ? '≥' : '>'} ${cell.from}`;
      if (cell.to !== undefined) return `${cell.toClosed ? '≤' : '<'} ${cell.to}`;
      return '-';
  }
}
