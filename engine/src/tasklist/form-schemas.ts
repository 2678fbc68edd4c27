/**
 * Forms of user tasks: a task's form key names a JSON Schema in `schemas/forms/<formKey>.schema.json`
 * (draft-07, as `@rjsf/core` renders it). The same schema checks the submitted values on the
 * server before a task is completed, so the browser's validation is a convenience, not the gate.
 *
 *   const forms = new FormSchemas();
 *   const form = forms.load('claim-review');        // { ok: true, schema } or { ok: false, message }
 *   forms.validate('claim-review', { approved: 1 }); // [{ path: '/approved', message: 'must be boolean' }]
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** `schemas/forms`, the same from `engine/src/tasklist` and `engine/dist/tasklist`. */
export const defaultFormsDir = fileURLToPath(new URL('../../../schemas/forms/', import.meta.url));

/** Form keys are file names: no paths, no dots at the start. */
const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface FormProblem {
  readonly path: string;
  readonly message: string;
}

export type FormLookup =
  | { readonly ok: true; readonly schema: Record<string, unknown> }
  | { readonly ok: false; readonly message: string };

export class FormSchemas {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly dir: string = defaultFormsDir) {
    (addFormats as unknown as (a: Ajv) => void)(this.ajv);
  }

  load(formKey: string): FormLookup {
    if (!FORM_KEY.test(formKey)) {
      return {
        ok: false,
        message: `Form key '${formKey}' is invalid: expected letters, digits, '-' or '_' naming a file in schemas/forms`,
      };
    }
    const file = `${this.dir.replace(/\/?$/, '/')}${formKey}.schema.json`;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return {
        ok: false,
        message: `No form '${formKey}': expected its JSON Schema in schemas/forms/${formKey}.schema.json`,
      };
    }
    try {
      return { ok: true, schema: JSON.parse(text) as Record<string, unknown> };
    } catch (error) {
      return {
        ok: false,
        message: `Form '${formKey}' is not valid JSON (schemas/forms/${formKey}.schema.json): ${(error as Error).message}`,
      };
    }
  }

  /** Problems of `values` against the form, each with its JSON path; empty when valid. */
  validate(formKey: string, schema: Record<string, unknown>, values: unknown): FormProblem[] {
    let validate = this.compiled.get(formKey);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(formKey, validate);
    }
    if (validate(values)) return [];
    return (validate.errors ?? []).map((e) => {
      if (e.keyword === 'required') {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        return { path: `${e.instancePath}/${missing}`, message: 'is required' };
      }
      if (e.keyword === 'additionalProperties') {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        return { path: `${e.instancePath}/${extra}`, message: 'is not a field of this form' };
      }
      return { path: e.instancePath || '/', message: e.message ?? 'is invalid' };
    });
  }
}
