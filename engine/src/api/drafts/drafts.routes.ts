/**
 * Process drafts for analysts (role analyst; admin too):
 * - `GET /api/drafts?limit=&offset=` → `{ items, total }` (newest first, without the XML)
 * - `POST /api/drafts` `{ name, bpmnXml }` → 201 with the draft
 * - `GET /api/drafts/:id` → the draft with its XML; `GET /api/drafts/:id/bpmn` → the BPMN file
 * - `PUT /api/drafts/:id` `{ name, bpmnXml, basedOnRevision }` → the new revision, or 409 when
 *   someone saved in between
 * - `DELETE /api/drafts/:id` → 204
 */
import { Router } from 'express';
import { currentUser, requireRole } from '../auth/auth.middleware.js';
import { validateBody } from '../body-validation.js';
import { pageOf } from '../pagination.js';
import { DraftConflictError, type DraftsRepository } from './drafts.repository.js';

export function draftsRoutes(drafts: DraftsRepository): Router {
  const router = Router();
  const analyst = requireRole('analyst');
  const notFound = (id: string) => ({ error: 'not_found', message: `No draft with id '${id}'` });
  const validId = (id: string) => /^[1-9]\d{0,17}$/.test(id);

  router.get('/api/drafts', analyst, async (req, res) => {
    const page = pageOf(req.query);
    if (!page.ok) {
      res.status(400).json({ error: 'bad_request', message: page.message });
      return;
    }
    res.json(await drafts.list(page.value));
  });

  router.post('/api/drafts', analyst, validateBody('draft-create'), async (req, res) => {
    const draft = await drafts.create({ ...req.body, user: currentUser(res)!.username });
    res.status(201).location(`/api/drafts/${draft.id}`).json(draft);
  });

  router.get('/api/drafts/:id', analyst, async (req, res) => {
    const draft = validId(String(req.params.id))
      ? await drafts.get(String(req.params.id))
      : undefined;
    if (draft) res.json(draft);
    else res.status(404).json(notFound(String(req.params.id)));
  });

  router.get('/api/drafts/:id/bpmn', analyst, async (req, res) => {
    const draft = validId(String(req.params.id))
      ? await drafts.get(String(req.params.id))
      : undefined;
    if (!draft) {
      res.status(404).json(notFound(String(req.params.id)));
      return;
    }
    const fileName = `${draft.name.replace(/[^\w.-]+/g, '-')}.bpmn`;
    res.type('application/xml').attachment(fileName).send(draft.bpmnXml);
  });

  router.put('/api/drafts/:id', analyst, validateBody('draft-save'), async (req, res) => {
    try {
      const draft = validId(String(req.params.id))
        ? await drafts.save(String(req.params.id), {
            ...req.body,
            user: currentUser(res)!.username,
          })
        : undefined;
      if (draft) res.json(draft);
      else res.status(404).json(notFound(String(req.params.id)));
    } catch (error) {
      if (!(error instanceof DraftConflictError)) throw error;
      res.status(409).json({
        error: 'conflict',
        message: error.message,
        currentRevision: error.currentRevision,
      });
    }
  });

  router.delete('/api/drafts/:id', analyst, async (req, res) => {
    if (validId(String(req.params.id)) && (await drafts.delete(String(req.params.id))))
      res.status(204).end();
    else res.status(404).json(notFound(String(req.params.id)));
  });

  return router;
}
