/**
 * An output cell edited in place: a number, text, date or yes/no control for the column's type,
 * and a switch to FEEL ("fx") for a computed value.
 */
import { useState } from 'react';
import { readOutputCell, valueTypeOf, writeOutputCell } from '../typed-cells';

export function OutputCellEditor(props: {
  text: string;
  typeRef: string;
  label: string;
  onChange: (text: string, mergeKey?: string) => void;
}) {
  const { text, typeRef, label, onChange } = props;
  const type = valueTypeOf(typeRef);
  const cell = readOutputCell(text, typeRef);
  const [forced, setForced] = useState(false);
  const expression = forced || cell.kind === 'expression' || type === 'other';
  const value = cell.kind === 'value' ? cell.value : '';
  const write = (v: string) =>
    onChange(v === '' ? '' : writeOutputCell({ kind: 'value', value: v }, typeRef), label);

  return (
    <div className="output-cell">
      {expression ? (
        <input
          aria-label={label}
          className="feel"
          value={text}
          onChange={(e) => onChange(e.target.value, label)}
        />
      ) : type === 'boolean' ? (
        <select aria-label={label} value={value} onChange={(e) => write(e.target.value)}>
          <option value="">–</option>
          <option value="true">yes</option>
          <option value="false">no</option>
        </select>
      ) : (
        <input
          aria-label={label}
          type={type === 'number' ? 'number' : type === 'date' ? 'date' : 'text'}
          step="any"
          value={value}
          onChange={(e) => write(e.target.value)}
        />
      )}
      {type !== 'other' && (
        <button
          className={`fx ${expression ? 'on' : ''}`}
          title={expression ? 'Back to a plain value' : 'Compute with a FEEL expression'}
          aria-label={`${label} as expression`}
          aria-pressed={expression}
          onClick={() => {
            setForced(!expression);
            if (expression && cell.kind === 'expression') onChange('');
          }}
        >
          fx
        </button>
      )}
    </div>
  );
}
