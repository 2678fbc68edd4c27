/**
 * The decision table grid: hit policy picker with its guard rails, input and output columns
 * (label, expression or name, type, allowed values), one row per rule with typed cells, and the
 * rule actions (add, move, duplicate, delete). Rows the test bench saw firing are highlighted;
 * rules it found overlapping under UNIQUE are flagged.
 */
import { useState } from 'react';
import { InputCellEditor } from './cells/InputCellEditor';
import { OutputCellEditor } from './cells/OutputCellEditor';
import {
  aggregationRefusal,
  HIT_POLICY_HELP,
  hitPolicyRefusal,
  withHitPolicy,
} from './hit-policy-rules';
import {
  addInputColumn,
  addOutputColumn,
  addRule,
  AGGREGATIONS,
  deleteColumn,
  deleteRule,
  duplicateRule,
  HIT_POLICIES,
  moveRule,
  setCell,
  type Aggregation,
  type DecisionTable,
  type HitPolicy,
} from './rule-document';
import { describeInputCell, readInputCell } from './typed-cells';

export const TYPE_REFS = ['string', 'number', 'boolean', 'date'];

export function DecisionTableGrid(props: {
  table: DecisionTable;
  onChange: (table: DecisionTable, mergeKey?: string) => void;
  /** ids of the rules that fired in the test bench case shown */
  firedRules?: ReadonlySet<string>;
  /** ids of rules that matched together under UNIQUE, with the case rows where they did */
  overlaps?: ReadonlyMap<string, string>;
}) {
  const { table, onChange, firedRules, overlaps } = props;
  const [editing, setEditing] = useState<{ rule: number; column: number }>();
  const [refusal, setRefusal] = useState<string>();
  const policyRefusals = new Map(HIT_POLICIES.map((p) => [p, hitPolicyRefusal(table, p)]));
  const label = (i: number) => table.inputs[i].label || table.inputs[i].expression;
  const outLabel = (i: number) => table.outputs[i].label || table.outputs[i].name;

  function choosePolicy(policy: HitPolicy) {
    const why = policyRefusals.get(policy);
    if (why) {
      setRefusal(why);
      return;
    }
    setRefusal(undefined);
    onChange(withHitPolicy(table, policy));
  }

  const setInput = (i: number, change: Partial<DecisionTable['inputs'][number]>, key: string) =>
    onChange(
      { ...table, inputs: table.inputs.map((c, j) => (j === i ? { ...c, ...change } : c)) },
      key,
    );
  const setOutput = (i: number, change: Partial<DecisionTable['outputs'][number]>, key: string) =>
    onChange(
      { ...table, outputs: table.outputs.map((c, j) => (j === i ? { ...c, ...change } : c)) },
      key,
    );

  return (
    <div className="decision-table">
      <div className="hit-policy">
        <label>
          Hit policy
          <select
            aria-label="Hit policy"
            value={table.hitPolicy}
            onChange={(e) => choosePolicy(e.target.value as HitPolicy)}
          >
            {HIT_POLICIES.map((p) => (
              <option key={p} value={p} title={policyRefusals.get(p)}>
                {p}
                {policyRefusals.get(p) ? ' (needs output values)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          Aggregation
          <select
            aria-label="Aggregation"
            value={table.aggregation ?? ''}
            disabled={table.hitPolicy !== 'COLLECT'}
            title={table.hitPolicy !== 'COLLECT' ? 'Only with COLLECT' : undefined}
            onChange={(e) =>
              onChange({ ...table, aggregation: (e.target.value || undefined) as Aggregation })
            }
          >
            <option value="">none (a list)</option>
            {AGGREGATIONS.map((a) => (
              <option key={a} value={a} disabled={!!aggregationRefusal(table, a)}>
                {a}
                {aggregationRefusal(table, a) ? ` — ${aggregationRefusal(table, a)}` : ''}
              </option>
            ))}
          </select>
        </label>
        <span className="help">{HIT_POLICY_HELP[table.hitPolicy]}</span>
      </div>
      {refusal && (
        <p role="alert" className="guard">
          {refusal}
        </p>
      )}
      {overlaps && overlaps.size > 0 && table.hitPolicy === 'UNIQUE' && (
        <p role="alert" className="guard" aria-label="Overlapping rules">
          Under UNIQUE only one rule may match, but the test bench found overlaps:{' '}
          {[...overlaps.values()].join('; ')}. Make the rules exclusive, or choose FIRST.
        </p>
      )}
      <div className="grid-scroll">
        <table className="rules-grid">
          <thead>
            <tr>
              <th>#</th>
              {table.inputs.map((input, i) => (
                <th key={input.id} className="input-column">
                  <input
                    aria-label={`Input ${i + 1} label`}
                    value={input.label}
                    placeholder="Label"
                    onChange={(e) => setInput(i, { label: e.target.value }, `${input.id}-label`)}
                  />
                  <input
                    aria-label={`Input ${i + 1} expression`}
                    className="feel"
                    value={input.expression}
                    placeholder="variable"
                    onChange={(e) =>
                      setInput(i, { expression: e.target.value }, `${input.id}-expression`)
                    }
                  />
                  <select
                    aria-label={`Input ${i + 1} type`}
                    value={input.typeRef}
                    onChange={(e) => setInput(i, { typeRef: e.target.value }, `${input.id}-type`)}
                  >
                    {[...new Set([...TYPE_REFS, input.typeRef])].map((t) => (
                      <option key={t} value={t}>
                        {t || 'any'}
                      </option>
                    ))}
                  </select>
                  <button
                    className="icon"
                    aria-label={`Delete input ${i + 1}`}
                    onClick={() => onChange(deleteColumn(table, 'input', i))}
                  >
                    ×
                  </button>
                </th>
              ))}
              {table.outputs.map((output, i) => (
                <th key={output.id} className="output-column">
                  <input
                    aria-label={`Output ${i + 1} label`}
                    value={output.label}
                    placeholder="Label"
                    onChange={(e) => setOutput(i, { label: e.target.value }, `${output.id}-label`)}
                  />
                  <input
                    aria-label={`Output ${i + 1} name`}
                    className="feel"
                    value={output.name}
                    placeholder="name"
                    onChange={(e) => setOutput(i, { name: e.target.value }, `${output.id}-name`)}
                  />
                  <select
                    aria-label={`Output ${i + 1} type`}
                    value={output.typeRef}
                    onChange={(e) => setOutput(i, { typeRef: e.target.value }, `${output.id}-type`)}
                  >
                    {[...new Set([...TYPE_REFS, output.typeRef])].map((t) => (
                      <option key={t} value={t}>
                        {t || 'any'}
                      </option>
                    ))}
                  </select>
                  <input
                    aria-label={`Output ${i + 1} values`}
                    className="feel"
                    value={output.outputValues ?? ''}
                    placeholder='values: "high","low"'
                    onChange={(e) =>
                      setOutput(
                        i,
                        { outputValues: e.target.value || undefined },
                        `${output.id}-values`,
                      )
                    }
                  />
                  <button
                    className="icon"
                    aria-label={`Delete output ${i + 1}`}
                    onClick={() => onChange(deleteColumn(table, 'output', i))}
                  >
                    ×
                  </button>
                </th>
              ))}
              <th>Annotation</th>
              <th>
                <button
                  aria-label="Add input column"
                  onClick={() =>
                    onChange(
                      addInputColumn(table, {
                        label: `Input ${table.inputs.length + 1}`,
                        expression: '',
                        typeRef: 'string',
                      }),
                    )
                  }
                >
                  + Input
                </button>
                <button
                  aria-label="Add output column"
                  onClick={() =>
                    onChange(
                      addOutputColumn(table, {
                        label: `Output ${table.outputs.length + 1}`,
                        name: `output${table.outputs.length + 1}`,
                        typeRef: 'string',
                      }),
                    )
                  }
                >
                  + Output
                </button>
              </th>
            </tr>
          </thead>
          <tbody>
            {table.rules.map((rule, r) => (
              <tr
                key={rule.id}
                data-rule-id={rule.id}
                className={[
                  firedRules?.has(rule.id) ? 'fired' : '',
                  overlaps?.has(rule.id) ? 'overlap' : '',
                ].join(' ')}
              >
                <td className="rule-number">{r + 1}</td>
                {rule.inputEntries.map((cell, c) => {
                  const input = table.inputs[c];
                  const typed = readInputCell(cell.text, input?.typeRef);
                  const open = editing?.rule === r && editing.column === c;
                  return (
                    <td key={cell.id} className="input-cell">
                      <button
                        className={`cell ${typed.kind}`}
                        aria-label={`Rule ${r + 1} ${label(c)}`}
                        onClick={() => setEditing(open ? undefined : { rule: r, column: c })}
                      >
                        {describeInputCell(typed)}
                      </button>
                      {open && input && (
                        <InputCellEditor
                          text={cell.text}
                          typeRef={input.typeRef}
                          label={`rule ${r + 1} ${label(c)}`}
                          onChange={(text) =>
                            onChange(setCell(table, r, 'input', c, text), `${cell.id}`)
                          }
                          onClose={() => setEditing(undefined)}
                        />
                      )}
                    </td>
                  );
                })}
                {rule.outputEntries.map((cell, c) => (
                  <td key={cell.id} className="output-cell-td">
                    <OutputCellEditor
                      text={cell.text}
                      typeRef={table.outputs[c]?.typeRef ?? ''}
                      label={`Rule ${r + 1} ${outLabel(c)}`}
                      onChange={(text) => onChange(setCell(table, r, 'output', c, text), cell.id)}
                    />
                  </td>
                ))}
                <td>
                  <input
                    aria-label={`Rule ${r + 1} annotation`}
                    value={rule.description ?? ''}
                    onChange={(e) =>
                      onChange(
                        {
                          ...table,
                          rules: table.rules.map((x, i) =>
                            i === r ? { ...x, description: e.target.value || undefined } : x,
                          ),
                        },
                        `${rule.id}-description`,
                      )
                    }
                  />
                </td>
                <td className="rule-actions">
                  <button
                    className="icon"
                    aria-label={`Move rule ${r + 1} up`}
                    disabled={r === 0}
                    onClick={() => onChange(moveRule(table, r, -1))}
                  >
                    ↑
                  </button>
                  <button
                    className="icon"
                    aria-label={`Move rule ${r + 1} down`}
                    disabled={r === table.rules.length - 1}
                    onClick={() => onChange(moveRule(table, r, 1))}
                  >
                    ↓
                  </button>
                  <button
                    className="icon"
                    aria-label={`Duplicate rule ${r + 1}`}
                    onClick={() => onChange(duplicateRule(table, r))}
                  >
                    copy
                  </button>
                  <button
                    className="icon"
                    aria-label={`Delete rule ${r + 1}`}
                    onClick={() => onChange(deleteRule(table, r))}
                  >
                    del
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button aria-label="Add rule" onClick={() => onChange(addRule(table))}>
        + Rule
      </button>
    </div>
  );
}
