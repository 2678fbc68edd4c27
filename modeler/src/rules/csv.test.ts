import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

describe('test bench CSV', () => {
  it('reads a header and rows, with quotes, CRLF and blank lines', () => {
    expect(
      parseCsv('region,amount,partner\r\nnorth,100,"Nord, haus"\r\n\r\n"say ""hi""",2,x\n'),
    ).toEqual({
      columns: ['region', 'amount', 'partner'],
      rows: [
        ['north', '100', 'Nord, haus'],
        ['say "hi"', '2', 'x'],
      ],
    });
  });

  it('reads semicolons when the header uses them, as spreadsheets in Germany write it', () => {
    expect(parseCsv('region;amount\nnorth;1,5')).toEqual({
      columns: ['region', 'amount'],
      rows: [['north', '1,5']],
    });
  });
});
