/**
 * The properties of the selected field: label, variable name, help, required, the validation
 * its kind allows (length and pattern, minimum and maximum, options, items), and the condition
 * under which it is shown, chosen from its siblings and typed by the sibling's kind.
 */
import type { ReactNode } from 'react';
import {
  CONDITION_OPERATORS,
  KIND_LABELS,
  type Condition,
  type ConditionOperator,
  type FormField,
} from './form-model';

const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  equals: 'is',
  notEquals: 'is not',
  atLeast: 'is at least',
  atMost: 'is at most',
};

/** `''` is "not set"; anything else a number (NaN kept out). */
const numberOrUndefined = (text: string): number | undefined =>
  text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text);

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="property">
      <span>{label}</span>
      {children}
    </label>
  );
}

function NumberInput({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
}) {
  return (
    <Row label={label}>
      <input
        type="number"
        value={value ?? ''}
        onChange={(e) => onChange(numberOrUndefined(e.target.value))}
      />
    </Row>
  );
}

export function FieldProperties({
  field,
  siblings,
  onChange,
}: {
  field: FormField;
  siblings: readonly FormField[];
  onChange: (change: Partial<FormField>) => void;
}) {
  const others = siblings.filter(
    (f) => f.id !== field.id && f.kind !== 'group' && f.kind !== 'section' && f.kind !== 'file',
  );
  const source = field.condition && others.find((f) => f.name === field.condition!.field);
  const setCondition = (change: Partial<Condition> | undefined) =>
    onChange({
      condition:
        change === undefined ? undefined : ({ ...field.condition, ...change } as Condition),
    });

  return (
    <div className="field-properties" aria-label="Field properties">
      <h3>{KIND_LABELS[field.kind]}</h3>
      <Row label="Label">
        <input value={field.label} onChange={(e) => onChange({ label: e.target.value })} />
      </Row>
      <Row label="Variable name">
        <input value={field.name} onChange={(e) => onChange({ name: e.target.value.trim() })} />
      </Row>
      <Row label="Help text">
        <input
          value={field.help ?? ''}
          onChange={(e) => onChange({ help: e.target.value || undefined })}
        />
      </Row>
      {field.kind !== 'section' && (
        <label className="property checkbox">
          <input
            type="checkbox"
            checked={field.required}
            onChange={(e) => onChange({ required: e.target.checked })}
          />
          <span>Required</span>
        </label>
      )}

      {field.kind === 'text' && (
        <>
          <NumberInput
            label="Min length"
            value={field.minLength}
            onChange={(minLength) => onChange({ minLength })}
          />
          <NumberInput
            label="Max length"
            value={field.maxLength}
            onChange={(maxLength) => onChange({ maxLength })}
          />
          <Row label="Pattern (regular expression)">
            <input
              value={field.pattern ?? ''}
              onChange={(e) => onChange({ pattern: e.target.value || undefined })}
            />
          </Row>
          <label className="property checkbox">
            <input
              type="checkbox"
              checked={field.multiline ?? false}
              onChange={(e) => onChange({ multiline: e.target.checked || undefined })}
            />
            <span>Several lines</span>
          </label>
        </>
      )}

      {field.kind === 'number' && (
        <>
          <NumberInput
            label="Minimum"
            value={field.minimum}
            onChange={(minimum) => onChange({ minimum })}
          />
          <NumberInput
            label="Maximum"
            value={field.maximum}
            onChange={(maximum) => onChange({ maximum })}
          />
          <label className="property checkbox">
            <input
              type="checkbox"
              checked={field.integer ?? false}
              onChange={(e) => onChange({ integer: e.target.checked || undefined })}
            />
            <span>Whole numbers only</span>
          </label>
        </>
      )}

      {field.kind === 'select' && (
        <fieldset className="options">
          <legend>Options</legend>
          {(field.options ?? []).map((option, i) => (
            <div key={i} className="option">
              <input
                aria-label={`Option ${i + 1} value`}
                placeholder="value"
                value={option.value}
                onChange={(e) =>
                  onChange({
                    options: field.options!.map((o, j) =>
                      j === i ? { ...o, value: e.target.value } : o,
                    ),
                  })
                }
              />
              <input
                aria-label={`Option ${i + 1} label`}
                placeholder="label"
                value={option.label}
                onChange={(e) =>
                  onChange({
                    options: field.options!.map((o, j) =>
                      j === i ? { ...o, label: e.target.value } : o,
                    ),
                  })
                }
              />
              <button
                type="button"
                aria-label={`Remove option ${i + 1}`}
                onClick={() => onChange({ options: field.options!.filter((_o, j) => j !== i) })}
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() =>
              onChange({
                options: [
                  ...(field.options ?? []),
                  {
                    value: `option${(field.options ?? []).length + 1}`,
                    label: `Option ${(field.options ?? []).length + 1}`,
                  },
                ],
              })
            }
          >
            Add option
          </button>
        </fieldset>
      )}

      {field.kind === 'file' && (
        <Row label="Accepted types">
          <input
            placeholder=".pdf,image/*"
            value={field.accept ?? ''}
            onChange={(e) => onChange({ accept: e.target.value || undefined })}
          />
        </Row>
      )}

      {field.kind === 'group' && (
        <>
          <NumberInput
            label="Min items"
            value={field.minItems}
            onChange={(minItems) => onChange({ minItems })}
          />
          <NumberInput
            label="Max items"
            value={field.maxItems}
            onChange={(maxItems) => onChange({ maxItems })}
          />
        </>
      )}

      <fieldset className="condition">
        <legend>Show</legend>
        <Row label="Show only when">
          <select
            value={field.condition?.field ?? ''}
            onChange={(e) => {
              const name = e.target.value;
              if (!name) {
                setCondition(undefined);
                return;
              }
              const target = others.find((f) => f.name === name)!;
              setCondition({
                field: name,
                operator: target.kind === 'number' ? 'atLeast' : 'equals',
                value:
                  target.kind === 'checkbox'
                    ? true
                    : target.kind === 'number'
                      ? 0
                      : target.kind === 'select'
                        ? (target.options?.[0]?.value ?? '')
                        : '',
              });
            }}
          >
            <option value="">(always shown)</option>
            {others.map((f) => (
              <option key={f.id} value={f.name}>
                {f.label} ({f.name})
              </option>
            ))}
          </select>
        </Row>
        {field.condition && source && (
          <>
            <Row label="Condition">
              <select
                value={field.condition.operator}
                onChange={(e) => setCondition({ operator: e.target.value as ConditionOperator })}
              >
                {CONDITION_OPERATORS.filter(
                  (op) => source.kind === 'number' || (op !== 'atLeast' && op !== 'atMost'),
                ).map((op) => (
                  <option key={op} value={op}>
                    {OPERATOR_LABELS[op]}
                  </option>
                ))}
              </select>
            </Row>
            <Row label="Value">
              {source.kind === 'checkbox' ? (
                <select
                  value={String(field.condition.value)}
                  onChange={(e) => setCondition({ value: e.target.value === 'true' })}
                >
                  <option value="true">checked</option>
                  <option value="false">not checked</option>
                </select>
              ) : source.kind === 'select' ? (
                <select
                  value={String(field.condition.value)}
                  onChange={(e) => setCondition({ value: e.target.value })}
                >
                  {(source.options ?? []).map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : source.kind === 'number' ? (
                <input
                  type="number"
                  value={String(field.condition.value)}
                  onChange={(e) => setCondition({ value: numberOrUndefined(e.target.value) ?? 0 })}
                />
              ) : (
                <input
                  type={source.kind === 'date' ? 'date' : 'text'}
                  value={String(field.condition.value)}
                  onChange={(e) => setCondition({ value: e.target.value })}
                />
              )}
            </Row>
          </>
        )}
      </fieldset>
    </div>
  );
}
