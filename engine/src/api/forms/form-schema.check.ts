/**
 * Is a JSON Schema fit to be a user-task form? It must be a valid draft-07 schema (as
 * `@rjsf/core` and the tasklist's validation read it; patterns must be regular expressions) of an
 * object. Each problem names its JSON path inside the request body (`/jsonSchema/...`).
 *
 *   checkFormSchema({ type: 'object', properties: { age: { type: 'numbr' } } });
 *   // [{ path: '/jsonSchema/properties/age/type', message: 'must be equal to one of the allowed values' }, …]
 */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import type { BodyProblem } from '../body-validation.js';

const DRAFT_07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

export function checkFormSchema(jsonSchema: Record<string, unknown>): BodyProblem[] {
  const at = (path: string) => `/jsonSchema${path}`;
  if (jsonSchema.$schema !== undefined && !DRAFT_07.test(String(jsonSchema.$schema))) {
    return [
      {
        path: at('/$schema'),
        message: `must be http://json-schema.org/draft-07/schema# or left out, but was '${String(jsonSchema.$schema)}'`,
      },
    ];
  }
  // A fresh Ajv per check: compiled schemas are cached by object, and drafts change each save.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  const problems: BodyProblem[] = [];
  if (!ajv.validateSchema(jsonSchema)) {
    for (const e of ajv.errors ?? []) {
      // anyOf/oneOf summaries repeat what their branches said
      if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
      problems.push({ path: at(e.instancePath), message: e.message ?? 'is invalid' });
    }
  }
  problems.push(...badPatterns(jsonSchema, ''));
  if (jsonSchema.type !== 'object') {
    problems.push({
      path: at('/type'),
      message: "must be 'object': a form is an object of fields",
    });
  }
  if (problems.length > 0) return dedupe(problems);
  try {
    ajv.compile(jsonSchema);
  } catch (error) {
    return [{ path: at(''), message: `cannot be compiled: ${(error as Error).message}` }];
  }
  return [];
}

/** `pattern`s that are not regular expressions (Ajv's meta-schema does not check them). */
function badPatterns(value: unknown, path: string): BodyProblem[] {
  if (typeof value !== 'object' || value === null) return [];
  const found: BodyProblem[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (key === 'pattern' && typeof inner === 'string') {
      try {
        new RegExp(inner, 'u');
      } catch (error) {
        found.push({
          path: `/jsonSchema${innerPath}`,
          message: `must be a regular expression: ${(error as Error).message}`,
        });
      }
    } else {
      found.push(...badPatterns(inner, innerPath));
    }
  }
  return found;
}

function dedupe(problems: BodyProblem[]): BodyProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.path}\u0000${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
