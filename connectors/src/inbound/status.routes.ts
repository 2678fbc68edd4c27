/**
 * Status at a button press over HTTP.
 *
 *   GET /api/intake/status/:reference?token=…     public: the claimant, with the status token
 *                                                 their submission was answered with
 *   GET /api/intake/items/:reference/status       signed in: an office for its recipient's
 *                                                 items, admins and auditors for all
 *
 * The public route answers 404 alike for an unknown reference and a wrong token, so it tells
 * nothing about references it was not given the token for.
 */
import { Router } from 'express';
import type { ItemStatus } from './item-status.js';
import type { RecipientsRepository } from './recipients.repository.js';

interface SessionUser {
  readonly roles: readonly string[];
  readonly candidateGroups: readonly string[];
}

export function statusRoutes(options: {
  status: ItemStatus;
  recipients: RecipientsRepository;
}): Router {
  const router = Router();
  const notFound = (reference: string) => ({
    error: 'not_found',
    message: `No item '${reference}' with this token`,
  });

  router.get('/api/intake/status/:reference', async (req, res) => {
    const reference = String(req.params.reference);
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const view = await options.status.history(reference);
    if (!view || !(await options.status.tokenMatches(view.reference, token))) {
      res.status(404).json(notFound(reference));
      return;
    }
    res.json(view);
  });

  router.get('/api/intake/items/:reference/status', async (req, res) => {
    const user = res.locals.user as SessionUser | undefined;
    if (!user) {
      res.status(401).json({ error: 'unauthenticated', message: 'Sign in first' });
      return;
    }
    const reference = String(req.params.reference);
    const view = await options.status.history(reference);
    if (!view) {
      res.status(404).json({ error: 'not_found', message: `No item '${reference}'` });
      return;
    }
    const central = user.roles.some((r) => r === 'admin' || r === 'auditor');
    const recipient = await options.recipients.get(view.recipientId);
    if (!central && !(recipient && user.candidateGroups.includes(recipient.officeGroup))) {
      res.status(403).json({
        error: 'forbidden',
        message: `Item '${view.reference}' belongs to ${view.recipientId}; only its office (${recipient?.officeGroup ?? 'none'}) and the central team see it`,
      });
      return;
    }
    res.json(view);
  });
  return router;
}
