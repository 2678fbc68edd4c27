/**
 * Builders for tests of forms: a small JSON Schema of a form, fluent like the process builder,
 * instead of payloads copied between tests.
 *
 *   const jsonSchema = formSchema('Claim check')
 *     .text('claimNo', { title: 'Claim number', required: true })
 *     .number('amount', { minimum: 0 })
 *     .when('amount', { minimum: 1000 }, (then) => then.text('reason', { required: true }))
 *     .toJson();
 */
type Json = Record<string, unknown>;

export interface FieldOptions {
  readonly title?: string;
  readonly required?: boolean;
  readonly [keyword: string]: unknown;
}

export class FormSchemaBuilder {
  private readonly properties: Json = {};
  private readonly required: string[] = [];
  private readonly conditions: Json[] = [];

  constructor(private readonly title?: string) {}

  text(name: string, options: FieldOptions = {}): this {
    return this.field(name, { type: 'string' }, options);
  }

  number(name: string, options: FieldOptions = {}): this {
    return this.field(name, { type: 'number' }, options);
  }

  checkbox(name: string, options: FieldOptions = {}): this {
    return this.field(name, { type: 'boolean' }, options);
  }

  select(name: string, values: string[], options: FieldOptions = {}): this {
    return this.field(name, { type: 'string', enum: values }, options);
  }

  /** Fields shown only while `field` matches `test` (a JSON Schema of that field's value). */
  when(field: string, test: Json, then: (form: FormSchemaBuilder) => FormSchemaBuilder): this {
    const inner = then(new FormSchemaBuilder()).toJson();
    const { type: _type, ...rest } = inner;
    this.conditions.push({
      if: { properties: { [field]: test }, required: [field] },
      then: rest,
    });
    return this;
  }

  toJson(): Json {
    return {
      $schema: 'http://json-schema.org/draft-07/schema#',
      ...(this.title ? { title: this.title } : {}),
      type: 'object',
      ...(this.required.length > 0 ? { required: this.required } : {}),
      properties: this.properties,
      ...(this.conditions.length > 0 ? { allOf: this.conditions } : {}),
    };
  }

  private field(name: string, base: Json, { required, ...keywords }: FieldOptions): this {
    this.properties[name] = { ...base, ...keywords };
    if (required) this.required.push(name);
    return this;
  }
}

export const formSchema = (title?: string) => new FormSchemaBuilder(title);
