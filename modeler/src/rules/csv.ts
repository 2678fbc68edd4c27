/**
 * CSV files for the test bench: the first line names the columns (input names and expected
 * output names), every further line is one case. Commas or semicolons separate fields (whichever
 * the header uses more); quotes work as in RFC 4180.
 *
 *   parseCsv('region,amount,partner\nnorth,100,Nordhaus') // { columns: [...], rows: [['north', '100', 'Nordhaus']] }
 */
export interface CsvTable {
  readonly columns: string[];
  readonly rows: string[][];
}

export function parseCsv(text: string): CsvTable {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const separator =
    (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const nonEmpty = records.filter((r) => r.some((f) => f.trim() !== ''));
  const [header = [], ...rows] = nonEmpty;
  return { columns: header.map((h) => h.trim()), rows };
}
