/**
 * The test bench under the decision: a small form of the decision's inputs that runs it once,
 * and a CSV file of cases (columns: input names and expected output names) that runs every row,
 * showing per row which rules fired and where the result differs from what the row expected.
 * Evaluation runs on the server on the XML being edited (`POST /api/decisions/evaluate`);
 * nothing is saved or deployed.
 */
import { useState, type ChangeEvent } from 'react';
import { api } from '../api';
import {
  actualFor,
  benchVariables,
  expectedColumns,
  formatValue,
  matchesExpected,
  toVariable,
  type BenchVariable,
} from './bench-cases';
import { parseCsv } from './csv';
import type { DecisionNode, RuleDocument } from './rule-document';

interface MatchedRule {
  readonly ruleId: string;
  readonly ruleIndex: number;
}
interface CaseResult {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly message?: string;
  readonly evaluatedDecisions: { decisionId: string; matchedRules: MatchedRule[] }[];
}

export interface BenchFindings {
  /** rules that fired in the case last looked at */
  readonly firedRules: ReadonlySet<string>;
  /** rule id → where it overlapped with another rule under UNIQUE */
  readonly overlaps: ReadonlyMap<string, string>;
}

interface CsvRun {
  readonly columns: string[];
  readonly rows: {
    readonly values: string[];
    readonly result: CaseResult;
    readonly firedIndexes: number[];
    readonly firedIds: string[];
    readonly differs: string[];
  }[];
}

/** Rule ids (of this table) a failure message names, e.g. UNIQUE's "rules 'r1' and 'r3'". */
function rulesNamedIn(message: string, decision: DecisionNode): string[] {
  if (decision.logic.kind !== 'table') return [];
  return decision.logic.rules.map((r) => r.id).filter((id) => message.includes(`'${id}'`));
}

export function TestBench(props: {
  doc: RuleDocument;
  decision: DecisionNode;
  xml: () => Promise<string>;
  onFindings: (findings: BenchFindings) => void;
}) {
  const { doc, decision, onFindings } = props;
  const variables = benchVariables(doc, decision.id);
  const outputs = expectedColumns(decision);
  const [sample, setSample] = useState<Record<string, string>>({});
  const [single, setSingle] = useState<CaseResult>();
  const [csv, setCsv] = useState<CsvRun>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const ruleIndex = (id: string) =>
    decision.logic.kind === 'table' ? decision.logic.rules.findIndex((r) => r.id === id) + 1 : 0;
  const firedIn = (result: CaseResult): string[] => {
    const own = result.evaluatedDecisions.find((d) => d.decisionId === decision.id);
    const fired = own?.matchedRules.map((m) => m.ruleId) ?? [];
    return fired.length > 0 || result.ok ? fired : rulesNamedIn(result.message ?? '', decision);
  };

  async function evaluate(cases: Record<string, unknown>[]): Promise<CaseResult[] | undefined> {
    setError(undefined);
    setBusy(true);
    try {
      const { results } = await api<{ results: CaseResult[] }>('POST', '/api/decisions/evaluate', {
        dmnXml: await props.xml(),
        decisionId: decision.id,
        cases: cases.map((variables) => ({ variables })),
      });
      return results;
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  const variablesOf = (read: (v: BenchVariable) => string) =>
    Object.fromEntries(variables.map((v) => [v.name, toVariable(read(v), v.type)]));

  async function runSample() {
    const results = await evaluate([variablesOf((v) => sample[v.name] ?? '')]);
    if (!results) return;
    setSingle(results[0]);
    onFindings({
      firedRules: new Set(firedIn(results[0])),
      overlaps: overlapsOf([results[0]], [1]),
    });
  }

  /** Under UNIQUE, a failure naming several rules is an overlap: rule → "row 2: rules 1 and 3". */
  function overlapsOf(results: CaseResult[], rows: number[]): Map<string, string> {
    const overlaps = new Map<string, string>();
    if (decision.logic.kind !== 'table' || decision.logic.hitPolicy !== 'UNIQUE') return overlaps;
    results.forEach((result, i) => {
      const ids = result.ok ? [] : rulesNamedIn(result.message ?? '', decision);
      if (ids.length < 2) return;
      const text = `row ${rows[i]}: rules ${ids.map(ruleIndex).join(' and ')}`;
      for (const id of ids) if (!overlaps.has(id)) overlaps.set(id, text);
    });
    return overlaps;
  }

  async function runCsv(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    const table = parseCsv(await file.text());
    const known = new Set([...variables.map((v) => v.name), ...outputs]);
    const unknown = table.columns.filter((c) => !known.has(c));
    if (table.rows.length === 0) {
      setError(`The file ${file.name} has no rows under its header`);
      return;
    }
    const column = (name: string) => table.columns.indexOf(name);
    const results = await evaluate(
      table.rows.map((row) => variablesOf((v) => (column(v.name) >= 0 ? row[column(v.name)] : ''))),
    );
    if (!results) return;
    const rows = table.rows.map((values, i) => {
      const result = results[i];
      const firedIds = firedIn(result);
      const differs = outputs.filter((o) => {
        const at = column(o);
        if (at < 0 || (values[at] ?? '').trim() === '') return false;
        return !result.ok || !matchesExpected(values[at], actualFor(result.result, o, outputs));
      });
      return { values, result, firedIds, firedIndexes: firedIds.map(ruleIndex), differs };
    });
    setCsv({ columns: table.columns, rows });
    if (unknown.length > 0)
      setError(
        `Columns ${unknown.map((c) => `'${c}'`).join(', ')} are neither inputs (${variables.map((v) => v.name).join(', ')}) nor outputs (${outputs.join(', ')}); they were ignored`,
      );
    onFindings({
      firedRules: new Set(rows[0]?.firedIds ?? []),
      overlaps: overlapsOf(
        results,
        rows.map((_, i) => i + 1),
      ),
    });
    event.target.value = '';
  }

  const expectedCount = csv?.rows.filter((r) => r.differs.length === 0 && r.result.ok).length ?? 0;

  return (
    <section className="test-bench" aria-label="Test bench">
      <h3>Test bench</h3>
      <div className="bench-sample">
        {variables.map((v) => (
          <label key={v.name}>
            {v.name}
            {v.type === 'boolean' ? (
              <select
                value={sample[v.name] ?? ''}
                onChange={(e) => setSample({ ...sample, [v.name]: e.target.value })}
              >
                <option value="">null</option>
                <option value="true">yes</option>
                <option value="false">no</option>
              </select>
            ) : (
              <input
                type={v.type === 'number' ? 'number' : v.type === 'date' ? 'date' : 'text'}
                step="any"
                value={sample[v.name] ?? ''}
                onChange={(e) => setSample({ ...sample, [v.name]: e.target.value })}
              />
            )}
          </label>
        ))}
        <button onClick={runSample} disabled={busy}>
          Run
        </button>
        <label className="csv-upload">
          Run a CSV file
          <input type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={runCsv} />
        </label>
      </div>
      {error && <p role="alert">{error}</p>}
      {single && (
        <p className="bench-result" aria-label="Sample result">
          {single.ok ? (
            <>
              Result: <code>{formatValue(single.result) || 'null'}</code> — rules fired:{' '}
              {firedIn(single).map(ruleIndex).join(', ') || 'none'}
            </>
          ) : (
            <>Failed: {single.message}</>
          )}
        </p>
      )}
      {csv && (
        <>
          <p aria-label="CSV summary">
            {expectedCount} of {csv.rows.length} rows as expected
          </p>
          <table className="bench-rows" aria-label="CSV results">
            <thead>
              <tr>
                <th>Row</th>
                {csv.columns.map((c) => (
                  <th key={c}>{outputs.includes(c) ? `${c} (expected)` : c}</th>
                ))}
                {outputs.map((o) => (
                  <th key={o}>{o} (actual)</th>
                ))}
                <th>Rules fired</th>
                <th>Check</th>
              </tr>
            </thead>
            <tbody>
              {csv.rows.map((row, i) => (
                <tr
                  key={i}
                  className={row.differs.length > 0 || !row.result.ok ? 'differs' : 'as-expected'}
                  onClick={() =>
                    onFindings({
                      firedRules: new Set(row.firedIds),
                      overlaps: overlapsOf(
                        csv.rows.map((r) => r.result),
                        csv.rows.map((_, j) => j + 1),
                      ),
                    })
                  }
                >
                  <td>{i + 1}</td>
                  {row.values.map((v, j) => (
                    <td
                      key={j}
                      className={row.differs.includes(csv.columns[j]) ? 'cell-differs' : ''}
                    >
                      {v}
                    </td>
                  ))}
                  {outputs.map((o) => (
                    <td key={o} className={row.differs.includes(o) ? 'cell-differs' : ''}>
                      {row.result.ok ? formatValue(actualFor(row.result.result, o, outputs)) : '—'}
                    </td>
                  ))}
                  <td>{row.firedIndexes.join(', ') || 'none'}</td>
                  <td>
                    {!row.result.ok
                      ? `failed: ${row.result.message}`
                      : row.differs.length > 0
                        ? `differs: ${row.differs.join(', ')}`
                        : 'as expected'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
