/**
 * Request bodies are checked against the JSON Schemas in `schemas/api/` before a handler sees
 * them. A failing body gets 400 with every problem, each naming its JSON path:
 * `{ error: 'invalid_body', message, problems: [{ path: '/name', message }] }`.
 *
 *   router.post('/api/drafts', validateBody('draft-create'), handler);
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { RequestHandler } from 'express';

/** `schemas/api`, the same from `engine/src/api` and `engine/dist/api`. */
const SCHEMA_DIR = new URL('../../../schemas/api/', import.meta.url);

const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const compiled = new Map<string, ValidateFunction>();

function validator(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    const schema = JSON.parse(
      fs.readFileSync(fileURLToPath(new URL(`${name}.schema.json`, SCHEMA_DIR)), 'utf8'),
    );
    validate = ajv.compile(schema);
    compiled.set(name, validate);
  }
  return validate;
}

export interface BodyProblem {
  readonly path: string;
  readonly message: string;
}

export function validateBody(schemaName: string): RequestHandler {
  const validate = validator(schemaName);
  return (req, res, next) => {
    if (validate(req.body)) {
      next();
      return;
    }
    const problems: BodyProblem[] = (validate.errors ?? []).map((e) => {
      const path =
        e.keyword === 'required'
          ? `${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`
          : e.keyword === 'additionalProperties'
            ? `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`
            : e.instancePath || '/';
      const message =
        e.keyword === 'required'
          ? 'is required'
          : e.keyword === 'additionalProperties'
            ? 'is not allowed'
            : e.message!;
      return { path, message };
    });
    res.status(400).json({
      error: 'invalid_body',
      message: `The request body does not match ${schemaName}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
      problems,
    });
  };
}
