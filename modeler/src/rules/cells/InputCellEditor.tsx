/**
 * The editor of one input cell, opened from the grid: controls for the column's type (from/to
 * with open or closed bounds for numbers and dates, chips for strings, yes/no for booleans),
 * "any" for "-", and FEEL only when the person switches the cell to "Expression".
 */
import { useState, type KeyboardEvent } from 'react';
import { readInputCell, valueTypeOf, writeInputCell, type InputCell } from '../typed-cells';

export function InputCellEditor(props: {
  text: string;
  typeRef: string;
  label: string;
  onChange: (text: string) => void;
  onClose: () => void;
}) {
  const { typeRef, onChange } = props;
  const type = valueTypeOf(typeRef);
  const read = readInputCell(props.text, typeRef);
  // the kind the person chose: an empty range or an empty list of values is written as "-",
  // yet the editor keeps showing the range or the chips until something is filled in
  const [kind, setKind] = useState<InputCell['kind']>(read.kind);
  const cell: InputCell = kind === read.kind ? read : blank(kind, props.text);
  const [draftChip, setDraftChip] = useState('');
  const set = (next: InputCell) => onChange(writeInputCell(next, typeRef));
  const typedKind =
    type === 'number' || type === 'date'
      ? 'range'
      : type === 'string'
        ? 'strings'
        : type === 'boolean'
          ? 'boolean'
          : undefined;
  const typedLabel = { range: 'Range', strings: 'Values', boolean: 'Yes / no' };

  function switchTo(next: InputCell['kind']) {
    setKind(next);
    if (next === 'expression') onChange(props.text.trim() === '-' ? '' : props.text);
    else set(blank(next, props.text));
  }

  function addChip(event: KeyboardEvent<HTMLInputElement> | undefined) {
    if (event && event.key !== 'Enter') return;
    event?.preventDefault();
    const value = draftChip.trim();
    if (!value || cell.kind !== 'strings') return;
    if (!cell.values.includes(value)) set({ ...cell, values: [...cell.values, value] });
    setDraftChip('');
  }

  const inputType = type === 'date' ? 'date' : 'number';

  return (
    <div className="cell-editor" role="dialog" aria-label={`Edit ${props.label}`}>
      <div className="cell-kinds" role="radiogroup" aria-label="Kind of test">
        {(['any', ...(typedKind ? [typedKind] : []), 'expression'] as InputCell['kind'][]).map(
          (k) => (
            <label key={k}>
              <input
                type="radio"
                name="cell-kind"
                checked={kind === k}
                onChange={() => switchTo(k)}
              />
              {k === 'any'
                ? 'Any (-)'
                : k === 'expression'
                  ? 'Expression'
                  : typedLabel[k as keyof typeof typedLabel]}
            </label>
          ),
        )}
      </div>
      {cell.kind === 'range' && (
        <div className="range-editor">
          <label>
            From
            <input
              type={inputType}
              step="any"
              value={cell.from ?? ''}
              onChange={(e) => set({ ...cell, from: e.target.value || undefined })}
            />
          </label>
          <label>
            <input
              type="checkbox"
              checked={cell.fromClosed}
              onChange={(e) => set({ ...cell, fromClosed: e.target.checked })}
            />
            Include from
          </label>
          <label>
            To
            <input
              type={inputType}
              step="any"
              value={cell.to ?? ''}
              onChange={(e) => set({ ...cell, to: e.target.value || undefined })}
            />
          </label>
          <label>
            <input
              type="checkbox"
              checked={cell.toClosed}
              onChange={(e) => set({ ...cell, toClosed: e.target.checked })}
            />
            Include to
          </label>
        </div>
      )}
      {cell.kind === 'strings' && (
        <div className="chips-editor">
          <ul className="chips" aria-label="Values">
            {cell.values.map((v) => (
              <li key={v} className="chip">
                {v}
                <button
                  aria-label={`Remove ${v}`}
                  onClick={() => set({ ...cell, values: cell.values.filter((x) => x !== v) })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <input
            aria-label="Add value"
            placeholder="Type a value, Enter"
            value={draftChip}
            onChange={(e) => setDraftChip(e.target.value)}
            onKeyDown={addChip}
          />
          <button onClick={() => addChip(undefined)}>Add</button>
          <label>
            <input
              type="checkbox"
              checked={cell.negated}
              onChange={(e) => set({ ...cell, negated: e.target.checked })}
            />
            None of these
          </label>
        </div>
      )}
      {cell.kind === 'boolean' && (
        <label>
          Value
          <select
            value={String(cell.value)}
            onChange={(e) => set({ kind: 'boolean', value: e.target.value === 'true' })}
          >
            <option value="true">yes (true)</option>
            <option value="false">no (false)</option>
          </select>
        </label>
      )}
      {kind === 'expression' && (
        <label className="expression-editor">
          FEEL unary test
          <textarea
            value={props.text === '-' ? '' : props.text}
            onChange={(e) => onChange(e.target.value)}
            rows={2}
          />
        </label>
      )}
      <button onClick={props.onClose}>Done</button>
    </div>
  );
}

function blank(kind: InputCell['kind'], text: string): InputCell {
  switch (kind) {
    case 'any':
      return { kind: 'any' };
    case 'range':
      return { kind: 'range', fromClosed: true, toClosed: false };
    case 'strings':
      return { kind: 'strings', values: [], negated: false };
    case 'boolean':
      return { kind: 'boolean', value: true };
    case 'expression':
      return { kind: 'expression', text };
  }
}
