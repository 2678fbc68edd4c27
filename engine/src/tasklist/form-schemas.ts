/**
 * Forms of user tasks: a task's form key names the latest deployed version of a form built in the
 * form editor (when `deployed` is given), else a JSON Schema in
 * `schemas/forms/<formKey>.schema.json` or, for the shipped processes,
 * `workflows/<process>/forms/<formKey>.schema.json` (draft-07, as `@rjsf/core` renders it). The same schema
 * checks the submitted values on the server before a task is completed, so the browser's
 * validation is a convenience, not the gate.
 *
 *   const forms = new FormSchemas(defaultFormsDir, new FormVersionsRepository(pool));
 *   const form = await forms.load('claim-review');   // { ok: true, schema, … } or { ok: false, message }
 *   forms.validate('claim-review', form.schema, { approved: 1 }, form.version);
 *   // [{ path: '/approved', message: 'must be boolean' }]
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** `schemas/forms`, the same from `engine/src/tasklist` and `engine/dist/tasklist`. */
export const defaultFormsDir = fileURLToPath(new URL('../../../schemas/forms/', import.meta.url));

const workflowsDir = fileURLToPath(new URL('../../../workflows/', import.meta.url));

/** `schemas/forms`, then the `forms` folder of each shipped process under `workflows/`. */
export function defaultFormsDirs(): string[] {
  let processes: string[] = [];
  try {
    processes = fs.readdirSync(workflowsDir).sort();
  } catch {
    // no workflows folder: only schemas/forms
  }
  return [
    defaultFormsDir,
    ...processes.map((name) => `${workflowsDir}${name}/forms/`).filter((dir) => fs.existsSync(dir)),
  ];
}

/** Form keys are file names: no paths, no dots at the start. */
const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface FormProblem {
  readonly path: string;
  readonly message: string;
}

export type FormLookup =
  | {
      readonly ok: true;
      readonly schema: Record<string, unknown>;
      /** The form editor's UI schema; `{}` for a form from a file. */
      readonly uiSchema: Record<string, unknown>;
      /** The deployed version; undefined for a form from a file. */
      readonly version?: number;
    }
  | { readonly ok: false; readonly message: string };

/** Deployed forms, looked up before the files (the form editor's `FormVersionsRepository`). */
export interface DeployedForms {
  latest(formKey: string): Promise<
    | {
        readonly version: number;
        readonly jsonSchema: Record<string, unknown>;
        readonly uiSchema: Record<string, unknown>;
      }
    | undefined
  >;
}

export class FormSchemas {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly compiled = new Map<string, ValidateFunction>();

  private readonly dirs: string[];

  constructor(
    dirs: string | string[] = defaultFormsDirs(),
    private readonly deployed?: DeployedForms,
  ) {
    this.dirs = (Array.isArray(dirs) ? dirs : [dirs]).map((dir) => dir.replace(/\/?$/, '/'));
    (addFormats as unknown as (a: Ajv) => void)(this.ajv);
  }

  async load(formKey: string): Promise<FormLookup> {
    if (!FORM_KEY.test(formKey)) {
      return {
        ok: false,
        message: `Form key '${formKey}' is invalid: expected letters, digits, '-' or '_' naming a file in schemas/forms`,
      };
    }
    const latest = await this.deployed?.latest(formKey);
    if (latest) {
      return {
        ok: true,
        schema: latest.jsonSchema,
        uiSchema: latest.uiSchema,
        version: latest.version,
      };
    }
    const file = this.dirs
      .map((dir) => `${dir}${formKey}.schema.json`)
      .find((candidate) => fs.existsSync(candidate));
    let text: string;
    try {
      text = fs.readFileSync(file ?? '', 'utf8');
    } catch {
      return {
        ok: false,
        message: `No form '${formKey}': expected its JSON Schema in schemas/forms/${formKey}.schema.json or a process's forms folder under workflows/`,
      };
    }
    try {
      // a UI schema beside the JSON Schema (field order, widgets) comes with it
      const uiFile = (file ?? '').replace(/\.schema\.json$/, '.ui-schema.json');
      const uiSchema = fs.existsSync(uiFile)
        ? (JSON.parse(fs.readFileSync(uiFile, 'utf8')) as Record<string, unknown>)
        : {};
      return { ok: true, schema: JSON.parse(text) as Record<string, unknown>, uiSchema };
    } catch (error) {
      return {
        ok: false,
        message: `Form '${formKey}' is not valid JSON (schemas/forms/${formKey}.schema.json): ${(error as Error).message}`,
      };
    }
  }

  /**
   * Problems of `values` against the form, each with its JSON path; empty when valid. A deployed
   * form's `version` keeps its compiled schema apart from the other versions of its key.
   */
  validate(
    formKey: string,
    schema: Record<string, unknown>,
    values: unknown,
    version?: number,
  ): FormProblem[] {
    const cacheKey = version === undefined ? formKey : `${formKey}@${version}`;
    let validate = this.compiled.get(cacheKey);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(cacheKey, validate);
    }
    if (validate(values)) return [];
    // A failed `if`/`then` (a conditional field) reports the field's own error and a
    // 'must match "then" schema' beside it, which names nothing to fix.
    return (validate.errors ?? [])
      .filter((e) => e.keyword !== 'if')
      .map((e) => {
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
