/**
 * User-task forms built in the form editor.
 *
 * For analysts (role analyst; admin too):
 * - `GET /api/form-drafts?limit=&offset=` → `{ items, total }` (newest first, without schemas)
 * - `POST /api/form-drafts` `{ formKey, name, jsonSchema, uiSchema? }` → 201 with the draft; 409
 *   when the form key has a draft already; 400 with JSON paths when the JSON Schema is not a
 *   valid draft-07 schema of an object
 * - `GET /api/form-drafts/:id` → the draft with its schemas
 * - `PUT /api/form-drafts/:id` `{ name, jsonSchema, uiSchema?, basedOnRevision }` → the new
 *   revision, or 409 when someone saved in between
 * - `DELETE /api/form-drafts/:id` → 204 (deployed versions stay)
 * - `POST /api/form-drafts/:id/deploy` `{ basedOnRevision }` → 201 with the new version, or 200
 *   with the latest version when nothing changed since it; 409 on a stale revision
 * - `GET /api/forms` → `{ items }`, every deployed form key with its latest version
 * - `GET /api/forms/usage` → `{ items }`, per deployed form key its versions and the deployed
 *   process versions whose user tasks name it
 * - `GET /api/forms/:formKey/versions` → `{ items }`, newest first, without schemas
 * - `GET /api/forms/:formKey/versions/:version` → one deployed version with its schemas
 *
 * For caseworkers (role caseworker; admin too):
 * - `GET /api/tasks/:key/form` → `{ formKey, version, schema, uiSchema }`, the form the task
 *   shows now (version null for a form from schemas/forms); 404 for a task without a form, 422
 *   when its form key names no form
 */
import { Router } from 'express';
import { currentUser, requireRole } from '../auth/auth.middleware.js';
import { validateBody, type BodyProblem } from '../body-validation.js';
import { pageOf } from '../pagination.js';
import {
  FormDraftConflictError,
  FormKeyTakenError,
  type FormDraftsRepository,
} from './form-drafts.repository.js';
import { checkFormSchema } from './form-schema.check.js';
import type { FormUsageRepository } from './form-usage.repository.js';
import type { FormVersionsRepository } from './form-versions.repository.js';
import type { TasklistForms } from './task-form.js';

export interface FormsRoutesOptions {
  readonly drafts: FormDraftsRepository;
  readonly versions: FormVersionsRepository;
  readonly usage: FormUsageRepository;
  readonly tasklist: TasklistForms;
}

const validId = (id: string) => /^[1-9]\d{0,17}$/.test(id);
const validTaskKey = (key: string) => /^[1-9]\d{0,18}$/.test(key);
const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

function invalidSchema(problems: BodyProblem[]) {
  return {
    error: 'invalid_body',
    message: `The form's JSON Schema is not usable: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`,
    problems,
  };
}

const conflict = (error: FormDraftConflictError) => ({
  error: 'conflict',
  message: error.message,
  currentRevision: error.currentRevision,
});

export function formsRoutes(options: FormsRoutesOptions): Router {
  const { drafts, versions, usage, tasklist } = options;
  const router = Router();
  const analyst = requireRole('analyst');
  const caseworker = requireRole('caseworker');
  const draftNotFound = (id: string) => ({
    error: 'not_found',
    message: `No form draft with id '${id}'`,
  });

  router.get('/api/form-drafts', analyst, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json({ error: 'bad_request', message: page.message });
      return;
    }
    res.json(await drafts.list(page.value));
  });

  router.post('/api/form-drafts', analyst, validateBody('form-draft-create'), async (req, res) => {
    const body = req.body as {
      formKey: string;
      name: string;
      jsonSchema: Record<string, unknown>;
      uiSchema?: Record<string, unknown>;
    };
    const problems = checkFormSchema(body.jsonSchema);
    if (problems.length > 0) {
      res.status(400).json(invalidSchema(problems));
      return;
    }
    try {
      const draft = await drafts.create({
        ...body,
        uiSchema: body.uiSchema ?? {},
        user: currentUser(res)!.username,
      });
      res.status(201).location(`/api/form-drafts/${draft.id}`).json(draft);
    } catch (error) {
      if (!(error instanceof FormKeyTakenError)) throw error;
      res.status(409).json({ error: 'conflict', message: error.message, draftId: error.draftId });
    }
  });

  router.get('/api/form-drafts/:id', analyst, async (req, res) => {
    const id = String(req.params.id);
    const draft = validId(id) ? await drafts.get(id) : undefined;
    if (draft) res.json(draft);
    else res.status(404).json(draftNotFound(id));
  });

  router.put('/api/form-drafts/:id', analyst, validateBody('form-draft-save'), async (req, res) => {
    const id = String(req.params.id);
    const body = req.body as {
      name: string;
      jsonSchema: Record<string, unknown>;
      uiSchema?: Record<string, unknown>;
      basedOnRevision: number;
    };
    const problems = checkFormSchema(body.jsonSchema);
    if (problems.length > 0) {
      res.status(400).json(invalidSchema(problems));
      return;
    }
    try {
      const draft = validId(id)
        ? await drafts.save(id, {
            ...body,
            uiSchema: body.uiSchema ?? {},
            user: currentUser(res)!.username,
          })
        : undefined;
      if (draft) res.json(draft);
      else res.status(404).json(draftNotFound(id));
    } catch (error) {
      if (!(error instanceof FormDraftConflictError)) throw error;
      res.status(409).json(conflict(error));
    }
  });

  router.delete('/api/form-drafts/:id', analyst, async (req, res) => {
    const id = String(req.params.id);
    if (validId(id) && (await drafts.delete(id))) res.status(204).end();
    else res.status(404).json(draftNotFound(id));
  });

  router.post(
    '/api/form-drafts/:id/deploy',
    analyst,
    validateBody('form-deploy'),
    async (req, res) => {
      const id = String(req.params.id);
      if (!validId(id)) {
        res.status(404).json(draftNotFound(id));
        return;
      }
      // Drafts are checked when saved; checked again here because a deployed form is for good.
      const draft = await drafts.get(id);
      const problems = draft ? checkFormSchema(draft.jsonSchema) : [];
      if (problems.length > 0) {
        res.status(400).json(invalidSchema(problems));
        return;
      }
      try {
        const deployment = await versions.deploy(id, {
          basedOnRevision: (req.body as { basedOnRevision: number }).basedOnRevision,
          user: currentUser(res)!.username,
        });
        if (!deployment.ok) {
          res.status(404).json(draftNotFound(id));
          return;
        }
        const { version, duplicate } = deployment;
        res
          .status(duplicate ? 200 : 201)
          .location(`/api/forms/${version.formKey}/versions/${version.version}`)
          .json({ ...version, duplicate });
      } catch (error) {
        if (!(error instanceof FormDraftConflictError)) throw error;
        res.status(409).json(conflict(error));
      }
    },
  );

  router.get('/api/forms', analyst, async (_req, res) => {
    res.json({ items: await versions.keys() });
  });

  router.get('/api/forms/usage', analyst, async (_req, res) => {
    res.json({ items: await usage.usage() });
  });

  router.get('/api/forms/:formKey/versions', analyst, async (req, res) => {
    const formKey = String(req.params.formKey);
    const items = FORM_KEY.test(formKey) ? await versions.versions(formKey) : [];
    if (items.length > 0) res.json({ items });
    else res.status(404).json({ error: 'not_found', message: `No deployed form '${formKey}'` });
  });

  router.get('/api/forms/:formKey/versions/:version', analyst, async (req, res) => {
    const formKey = String(req.params.formKey);
    const version = String(req.params.version);
    const found =
      FORM_KEY.test(formKey) && /^[1-9]\d{0,8}$/.test(version)
        ? await versions.get(formKey, Number(version))
        : undefined;
    if (found) res.json(found);
    else
      res.status(404).json({
        error: 'not_found',
        message: `No version '${version}' of the form '${formKey}'`,
      });
  });

  router.get('/api/tasks/:key/form', caseworker, async (req, res) => {
    const key = String(req.params.key);
    const task = validTaskKey(key) ? await tasklist.tasks.get(key) : undefined;
    if (!task) {
      res.status(404).json({ error: 'not_found', message: `No user task with key '${key}'` });
      return;
    }
    if (!task.formKey) {
      res.status(404).json({ error: 'not_found', message: `User task ${key} has no form` });
      return;
    }
    const form = await tasklist.forms.load(task.formKey);
    if (!form.ok) {
      res.status(422).json({ error: 'unknown_form', message: form.message });
      return;
    }
    res.json({
      formKey: task.formKey,
      version: form.version ?? null,
      schema: form.schema,
      uiSchema: form.uiSchema,
    });
  });

  return router;
}
