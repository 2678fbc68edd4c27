import rjsfValidator from '@rjsf/validator-ajv8';
import { describe, expect, it } from 'vitest';
import {
  addField,
  compileForm,
  deleteField,
  emptyForm,
  FIELD_KINDS,
  formProblems,
  moveField,
  parseForm,
  updateField,
  type FormField,
  type FormModel,
} from './form-model';

const withoutIds = (fields: readonly FormField[]): unknown[] =>
  fields.map(({ id: _id, fields: inner, ...rest }) =>
    inner ? { ...rest, fields: withoutIds(inner) } : rest,
  );

/** claimNo (required text), amount (number ≥ 0), reason (only when amount ≥ 1000), items (group). */
function claimForm(): FormModel {
  let form = emptyForm('Claim check');
  form = addField(form, [], 'text').form;
  form = updateField(form, [0], { name: 'claimNo', label: 'Claim number', required: true });
  form = addField(form, [], 'number').form;
  form = updateField(form, [1], { name: 'amount', label: 'Amount', minimum: 0 });
  form = addField(form, [], 'text').form;
  form = updateField(form, [2], {
    name: 'reason',
    label: 'Reason',
    required: true,
    condition: { field: 'amount', operator: 'atLeast', value: 1000 },
  });
  form = addField(form, [], 'group').form;
  form = updateField(form, [3], { name: 'items', label: 'Items', minItems: 1 });
  form = addField(form, [3], 'text').form;
  form = updateField(form, [3, 0], { name: 'description', label: 'Description', required: true });
  return form;
}

/** Validates as the task page's `@rjsf/core` form does (Ajv 8, draft-07). */
function validator(jsonSchema: Record<string, unknown>) {
  const validate = (data: unknown) => {
    validate.errors = rjsfValidator.rawValidation(jsonSchema, data).errors as
      { params?: unknown }[] | undefined;
    return !validate.errors || validate.errors.length === 0;
  };
  validate.errors = undefined as { params?: unknown }[] | undefined;
  return validate;
}

describe('form model', () => {
  it('compiles to a JSON Schema whose conditional field is required only when its condition holds', () => {
    // given
    const { jsonSchema, uiSchema } = compileForm(claimForm());

    // then
    expect(jsonSchema).toMatchObject({
      type: 'object',
      required: ['claimNo'],
      properties: { claimNo: { type: 'string' }, amount: { type: 'number', minimum: 0 } },
      allOf: [
        {
          if: { properties: { amount: { minimum: 1000 } }, required: ['amount'] },
          then: { properties: { reason: { type: 'string' } }, required: ['reason'] },
        },
      ],
    });
    expect(uiSchema['ui:order']).toEqual(['claimNo', 'amount', 'reason', 'items', '*']);
    const validate = validator(jsonSchema);
    const items = [{ description: 'Glasses' }];
    expect(validate({ claimNo: 'C-1', amount: 10, items })).toBe(true);
    expect(validate({ claimNo: 'C-1', amount: 5000, items })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ params: { missingProperty: 'reason' } });
    expect(validate({ claimNo: 'C-1', amount: 5000, reason: 'big', items })).toBe(true);
    expect(validate({ amount: -1, items: [] })).toBe(false);
  });

  it('reads back every field kind as it was built', () => {
    // given: one field of each kind, with their settings
    let form = emptyForm('All kinds');
    for (const kind of FIELD_KINDS) form = addField(form, [], kind).form;
    form = updateField(form, [0], {
      minLength: 2,
      maxLength: 9,
      pattern: '^[A-Z]',
      multiline: true,
      help: 'Help',
    });
    form = updateField(form, [1], { minimum: 1, maximum: 5, integer: true, required: true });
    form = updateField(form, [3], { options: [{ value: 'a', label: 'Option A' }] });
    form = updateField(form, [5], { accept: '.pdf' });
    form = updateField(form, [4], {
      condition: { field: 'select4', operator: 'notEquals', value: 'a' },
    });
    form = addField(form, [7], 'checkbox').form;
    form = addField(form, [7], 'date').form;
    form = updateField(form, [7, 1], {
      condition: { field: 'checkbox1', operator: 'equals', value: true },
    });

    // when
    const { jsonSchema, uiSchema } = compileForm(form);
    const again = parseForm(
      JSON.parse(JSON.stringify(jsonSchema)),
      JSON.parse(JSON.stringify(uiSchema)),
    );

    // then
    expect(again.title).toBe('All kinds');
    expect(withoutIds(again.fields)).toEqual(withoutIds(form.fields));
  });

  it('moves and deletes fields; a deleted field takes the conditions on it along', () => {
    let form = claimForm();
    const moved = moveField(form, [2], -1);
    expect(moved.path).toEqual([1]);
    expect(moved.form.fields.map((f) => f.name)).toEqual(['claimNo', 'reason', 'amount', 'items']);
    expect(moveField(form, [0], -1).form).toBe(form);

    form = deleteField(form, [1]);
    expect(form.fields.map((f) => f.name)).toEqual(['claimNo', 'reason', 'items']);
    expect(form.fields[1].condition).toBeUndefined();
  });

  it('a renamed field keeps the conditions on it', () => {
    const form = updateField(claimForm(), [1], { name: 'total' });
    expect(form.fields[2].condition?.field).toBe('total');
  });

  it('names the field of each problem', () => {
    let form = claimForm();
    form = updateField(form, [1], { name: 'claimNo' });
    form = updateField(form, [0], { pattern: '([' });
    expect(formProblems(form)).toEqual([
      'claimNo: the pattern is not a regular expression',
      'claimNo: two fields here have this variable name',
    ]);
    expect(formProblems(claimForm())).toEqual([]);
  });
});
