/**
 * The form editor's document: a tree of fields that compiles to the JSON Schema (draft-07) and
 * UI schema that `@rjsf/core` renders and the tasklist validates, and that is read back from
 * them, so a saved or deployed form opens again as the fields it was built from.
 *
 * Promises: `parseForm(compileForm(form))` gives back the same fields (ids aside); every field
 * kind is plain JSON Schema (a select is `oneOf` of `const`s with titles, a file a `data-url`
 * string, a conditional field an `allOf` entry `if`/`then` on a sibling's value), so a task page
 * that ignores the UI schema still shows and validates the form correctly. Never: a condition
 * that refers to a field outside its own section or group.
 *
 *   let form = emptyForm('Claim check');
 *   form = addField(form, [], 'text');                       // at the end of the top level
 *   const { jsonSchema, uiSchema } = compileForm(form);
 *   const again = parseForm(jsonSchema, uiSchema);
 */

type Json = Record<string, unknown>;

export const FIELD_KINDS = [
  'text',
  'number',
  'date',
  'select',
  'checkbox',
  'file',
  'group',
  'section',
] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

export const KIND_LABELS: Record<FieldKind, string> = {
  text: 'Text',
  number: 'Number',
  date: 'Date',
  select: 'Select',
  checkbox: 'Checkbox',
  file: 'File',
  group: 'Repeating group',
  section: 'Section',
};

export const CONDITION_OPERATORS = ['equals', 'notEquals', 'atLeast', 'atMost'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Shown only while the sibling field `field` compares to `value` by `operator`. */
export interface Condition {
  readonly field: string;
  readonly operator: ConditionOperator;
  readonly value: string | number | boolean;
}

export interface SelectOption {
  readonly value: string;
  readonly label: string;
}

export interface FormField {
  /** Identity in the editor only; not saved. */
  readonly id: string;
  /** The variable the value is stored in (the JSON Schema property name). */
  readonly name: string;
  readonly kind: FieldKind;
  readonly label: string;
  readonly help?: string;
  readonly required: boolean;
  /** text */
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly multiline?: boolean;
  /** number */
  readonly minimum?: number;
  readonly maximum?: number;
  readonly integer?: boolean;
  /** select */
  readonly options?: readonly SelectOption[];
  /** file: accepted types, e.g. `.pdf,image/*` */
  readonly accept?: string;
  /** group */
  readonly minItems?: number;
  readonly maxItems?: number;
  /** group (the fields of one item) and section */
  readonly fields?: readonly FormField[];
  readonly condition?: Condition;
}

export interface FormModel {
  readonly title: string;
  readonly description?: string;
  readonly fields: readonly FormField[];
}

/** Where a field sits: the indexes from the top level down. */
export type FieldPath = readonly number[];

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

let nextId = 0;
const newId = () => `field-${++nextId}`;

export function emptyForm(title: string): FormModel {
  return { title, fields: [] };
}

export function newField(kind: FieldKind, name: string): FormField {
  const base: FormField = { id: newId(), name, kind, label: KIND_LABELS[kind], required: false };
  if (kind === 'select') {
    return {
      ...base,
      options: [
        { value: 'yes', label: 'Yes' },
        { value: 'no', label: 'No' },
      ],
    };
  }
  if (kind === 'group' || kind === 'section') return { ...base, fields: [] };
  return base;
}

// ---------------------------------------------------------------------------------------------
// Editing: pure functions from form to form.

/** The fields at `containerPath` (`[]` is the top level; a path to a group or section is inside it). */
export function fieldsAt(form: FormModel, containerPath: FieldPath): readonly FormField[] {
  let fields = form.fields;
  for (const index of containerPath) fields = fields[index]?.fields ?? [];
  return fields;
}

export function fieldAt(form: FormModel, path: FieldPath): FormField | undefined {
  if (path.length === 0) return undefined;
  return fieldsAt(form, path.slice(0, -1))[path[path.length - 1]];
}

function mapFields(
  form: FormModel,
  containerPath: FieldPath,
  change: (fields: readonly FormField[]) => readonly FormField[],
): FormModel {
  const walk = (fields: readonly FormField[], rest: FieldPath): readonly FormField[] => {
    if (rest.length === 0) return change(fields);
    const [index, ...deeper] = rest;
    return fields.map((f, i) => (i === index ? { ...f, fields: walk(f.fields ?? [], deeper) } : f));
  };
  return { ...form, fields: walk(form.fields, containerPath) };
}

/** Adds a field of `kind` at the end of the container, named so no sibling has its name. */
export function addField(
  form: FormModel,
  containerPath: FieldPath,
  kind: FieldKind,
): { form: FormModel; path: FieldPath } {
  const siblings = fieldsAt(form, containerPath);
  const names = new Set(siblings.map((f) => f.name));
  let n = siblings.length + 1;
  while (names.has(`${kind}${n}`)) n += 1;
  const field = newField(kind, `${kind}${n}`);
  return {
    form: mapFields(form, containerPath, (fields) => [...fields, field]),
    path: [...containerPath, siblings.length],
  };
}

export function updateField(
  form: FormModel,
  path: FieldPath,
  change: Partial<FormField>,
): FormModel {
  const index = path[path.length - 1];
  const from = fieldAt(form, path)?.name;
  const to = change.name;
  return mapFields(form, path.slice(0, -1), (fields) =>
    fields.map((f, i) => {
      if (i === index) return { ...f, ...change };
      // conditions follow a renamed sibling
      if (to !== undefined && f.condition && f.condition.field === from) {
        return { ...f, condition: { ...f.condition, field: to } };
      }
      return f;
    }),
  );
}

/** Deletes the field; conditions of siblings on it are dropped with it. */
export function deleteField(form: FormModel, path: FieldPath): FormModel {
  const index = path[path.length - 1];
  const name = fieldAt(form, path)?.name;
  return mapFields(form, path.slice(0, -1), (fields) =>
    fields
      .filter((_f, i) => i !== index)
      .map((f) => (f.condition?.field === name ? { ...f, condition: undefined } : f)),
  );
}

/** Moves the field one place up (-1) or down (+1) among its siblings; no-op at the ends. */
export function moveField(
  form: FormModel,
  path: FieldPath,
  by: -1 | 1,
): { form: FormModel; path: FieldPath } {
  const index = path[path.length - 1];
  const siblings = fieldsAt(form, path.slice(0, -1));
  const target = index + by;
  if (target < 0 || target >= siblings.length) return { form, path };
  return {
    form: mapFields(form, path.slice(0, -1), (fields) => {
      const copy = [...fields];
      [copy[index], copy[target]] = [copy[target], copy[index]];
      return copy;
    }),
    path: [...path.slice(0, -1), target],
  };
}

/** Problems that keep the form from being saved, each naming the field. */
export function formProblems(form: FormModel): string[] {
  const problems: string[] = [];
  const check = (fields: readonly FormField[], where: string) => {
    const seen = new Set<string>();
    for (const field of fields) {
      const label = `${where}${field.name || '(unnamed)'}`;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field.name)) {
        problems.push(
          `${label}: the variable name must be letters, digits or '_', not starting with a digit`,
        );
      }
      if (seen.has(field.name)) problems.push(`${label}: two fields here have this variable name`);
      seen.add(field.name);
      if (field.pattern) {
        try {
          new RegExp(field.pattern, 'u');
        } catch {
          problems.push(`${label}: the pattern is not a regular expression`);
        }
      }
      if (field.kind === 'select' && (field.options ?? []).length === 0) {
        problems.push(`${label}: a select needs at least one option`);
      }
      if (
        field.condition &&
        !fields.some((f) => f.name === field.condition!.field && f !== field)
      ) {
        problems.push(
          `${label}: the condition refers to '${field.condition.field}', which is not a field beside it`,
        );
      }
      if (field.fields) check(field.fields, `${label} › `);
    }
  };
  check(form.fields, '');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Compiling to JSON Schema and UI schema.

export function compileForm(form: FormModel): { jsonSchema: Json; uiSchema: Json } {
  const { schema, ui } = compileContainer(form.fields);
  return {
    jsonSchema: {
      $schema: DRAFT_07,
      title: form.title,
      ...(form.description ? { description: form.description } : {}),
      ...schema,
    },
    uiSchema: ui,
  };
}

function compileContainer(fields: readonly FormField[]): { schema: Json; ui: Json } {
  const properties: Json = {};
  const required: string[] = [];
  const allOf: Json[] = [];
  const ui: Json = {};
  for (const field of fields) {
    const { schema, ui: fieldUi } = compileField(field);
    if (Object.keys(fieldUi).length > 0) ui[field.name] = fieldUi;
    if (field.condition) {
      allOf.push({
        if: {
          properties: { [field.condition.field]: conditionTest(field.condition) },
          required: [field.condition.field],
        },
        then: {
          properties: { [field.name]: schema },
          ...(field.required ? { required: [field.name] } : {}),
        },
      });
    } else {
      properties[field.name] = schema;
      if (field.required) required.push(field.name);
    }
  }
  // conditional fields come after the others in the schema; ui:order keeps the editor's order
  if (allOf.length > 0) ui['ui:order'] = [...fields.map((f) => f.name), '*'];
  return {
    schema: {
      type: 'object',
      ...(required.length > 0 ? { required } : {}),
      properties,
      ...(allOf.length > 0 ? { allOf } : {}),
    },
    ui,
  };
}

function conditionTest(condition: Condition): Json {
  switch (condition.operator) {
    case 'equals':
      return { const: condition.value };
    case 'notEquals':
      return { not: { const: condition.value } };
    case 'atLeast':
      return { minimum: Number(condition.value) };
    case 'atMost':
      return { maximum: Number(condition.value) };
  }
}

function compileField(field: FormField): { schema: Json; ui: Json } {
  const common: Json = {
    title: field.label,
    ...(field.help ? { description: field.help } : {}),
  };
  const defined = (entries: Json): Json =>
    Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined && v !== ''));
  switch (field.kind) {
    case 'text':
      return {
        schema: {
          type: 'string',
          ...common,
          ...defined({
            minLength: field.minLength,
            maxLength: field.maxLength,
            pattern: field.pattern,
          }),
        },
        ui: field.multiline ? { 'ui:widget': 'textarea' } : {},
      };
    case 'number':
      return {
        schema: {
          type: field.integer ? 'integer' : 'number',
          ...common,
          ...defined({ minimum: field.minimum, maximum: field.maximum }),
        },
        ui: {},
      };
    case 'date':
      return { schema: { type: 'string', format: 'date', ...common }, ui: {} };
    case 'select':
      return {
        schema: {
          type: 'string',
          ...common,
          oneOf: (field.options ?? []).map((o) => ({ const: o.value, title: o.label || o.value })),
        },
        ui: {},
      };
    case 'checkbox':
      return { schema: { type: 'boolean', ...common }, ui: {} };
    case 'file':
      return {
        schema: { type: 'string', format: 'data-url', ...common },
        ui: field.accept ? { 'ui:options': { accept: field.accept } } : {},
      };
    case 'section': {
      const inner = compileContainer(field.fields ?? []);
      return { schema: { ...inner.schema, ...common }, ui: inner.ui };
    }
    case 'group': {
      const inner = compileContainer(field.fields ?? []);
      return {
        schema: {
          type: 'array',
          ...common,
          ...defined({ minItems: field.minItems, maxItems: field.maxItems }),
          items: inner.schema,
        },
        ui: Object.keys(inner.ui).length > 0 ? { items: inner.ui } : {},
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading JSON Schema and UI schema back into fields.

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a form's schemas; parts the editor does not know become text fields. */
export function parseForm(jsonSchema: Json, uiSchema: Json = {}): FormModel {
  return {
    title: typeof jsonSchema.title === 'string' ? jsonSchema.title : '',
    ...(typeof jsonSchema.description === 'string' ? { description: jsonSchema.description } : {}),
    fields: parseContainer(jsonSchema, uiSchema),
  };
}

function parseContainer(schema: Json, ui: Json): FormField[] {
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const fields: FormField[] = [];
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [name, property] of Object.entries(properties)) {
    if (!isObject(property)) continue;
    fields.push(parseField(name, property, isObject(ui[name]) ? ui[name] : {}, required.has(name)));
  }
  for (const entry of Array.isArray(schema.allOf) ? schema.allOf : []) {
    const condition = parseCondition(entry);
    if (!condition) continue;
    const then = (entry as { then: Json }).then;
    const thenRequired = new Set(Array.isArray(then.required) ? (then.required as string[]) : []);
    for (const [name, property] of Object.entries(
      isObject(then.properties) ? then.properties : {},
    )) {
      if (!isObject(property)) continue;
      fields.push({
        ...parseField(name, property, isObject(ui[name]) ? ui[name] : {}, thenRequired.has(name)),
        condition,
      });
    }
  }
  const order = Array.isArray(ui['ui:order']) ? (ui['ui:order'] as string[]) : undefined;
  if (order) {
    const rank = (name: string) => {
      const at = order.indexOf(name);
      return at === -1 ? order.indexOf('*') : at;
    };
    fields.sort((a, b) => rank(a.name) - rank(b.name));
  }
  return fields;
}

function parseCondition(entry: unknown): Condition | undefined {
  if (!isObject(entry) || !isObject(entry.if) || !isObject(entry.then)) return undefined;
  const tests = isObject(entry.if.properties) ? Object.entries(entry.if.properties) : [];
  if (tests.length !== 1) return undefined;
  const [field, test] = tests[0];
  if (!isObject(test)) return undefined;
  if ('const' in test)
    return { field, operator: 'equals', value: test.const as Condition['value'] };
  if (isObject(test.not) && 'const' in test.not) {
    return { field, operator: 'notEquals', value: test.not.const as Condition['value'] };
  }
  if (typeof test.minimum === 'number') return { field, operator: 'atLeast', value: test.minimum };
  if (typeof test.maximum === 'number') return { field, operator: 'atMost', value: test.maximum };
  return undefined;
}

function parseField(name: string, schema: Json, ui: Json, required: boolean): FormField {
  const base = {
    id: newId(),
    name,
    label: typeof schema.title === 'string' ? schema.title : name,
    ...(typeof schema.description === 'string' ? { help: schema.description } : {}),
    required,
  };
  const num = (key: string) =>
    typeof schema[key] === 'number' ? (schema[key] as number) : undefined;
  const drop = <T extends Json>(value: T): T =>
    Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
  if (schema.type === 'array' && isObject(schema.items)) {
    return drop({
      ...base,
      kind: 'group' as const,
      minItems: num('minItems'),
      maxItems: num('maxItems'),
      fields: parseContainer(schema.items, isObject(ui.items) ? ui.items : {}),
    });
  }
  if (schema.type === 'object') {
    return { ...base, kind: 'section', fields: parseContainer(schema, ui) };
  }
  if (schema.type === 'boolean') return { ...base, kind: 'checkbox' };
  if (schema.type === 'number' || schema.type === 'integer') {
    return drop({
      ...base,
      kind: 'number' as const,
      minimum: num('minimum'),
      maximum: num('maximum'),
      ...(schema.type === 'integer' ? { integer: true } : {}),
    });
  }
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.enum)) {
    const options: SelectOption[] = Array.isArray(schema.oneOf)
      ? (schema.oneOf as Json[]).filter(isObject).map((o) => ({
          value: String(o.const),
          label: typeof o.title === 'string' ? o.title : String(o.const),
        }))
      : (schema.enum as unknown[]).map((v) => ({ value: String(v), label: String(v) }));
    return { ...base, kind: 'select', options };
  }
  if (schema.format === 'date') return { ...base, kind: 'date' };
  if (schema.format === 'data-url') {
    const accept = isObject(ui['ui:options']) ? ui['ui:options'].accept : undefined;
    return { ...base, kind: 'file', ...(typeof accept === 'string' ? { accept } : {}) };
  }
  return drop({
    ...base,
    kind: 'text' as const,
    minLength: num('minLength'),
    maxLength: num('maxLength'),
    pattern: typeof schema.pattern === 'string' ? schema.pattern : undefined,
    ...(ui['ui:widget'] === 'textarea' ? { multiline: true } : {}),
  });
}
