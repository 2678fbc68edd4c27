/**
 * Case files over HTTP, for signed-in case workers (what each may see: see case-file.service.ts).
 *
 *   GET /api/case-files                 the latest claims the user may see
 *   GET /api/case-files/:claimReference the claimant's case file
 */
import { Router } from 'express';
import { CaseFiles, type Viewer } from './case-file.service.js';

export function caseFileRoutes(files: CaseFiles): Router {
  const router = Router();
  const viewerOr401 = (res: import('express').Response): Viewer | undefined => {
    // res.locals.user is the signed-in user, set by Kontor's session middleware
    const user = res.locals.user as Viewer | undefined;
    if (!user) res.status(401).json({ error: 'unauthenticated', message: 'Sign in first' });
    return user;
  };
  router.get('/api/case-files', async (_req, res) => {
    const viewer = viewerOr401(res);
    if (!viewer) return;
    res.json(await files.list(viewer));
  });
  router.get('/api/case-files/:reference', async (req, res) => {
    const viewer = viewerOr401(res);
    if (!viewer) return;
    const outcome = await files.get(String(req.params.reference), viewer);
    if (outcome.ok) res.json(outcome.caseFile);
    else
      res
        .status(outcome.reason === 'not_found' ? 404 : 403)
        .json({ error: outcome.reason, message: outcome.message });
  });
  return router;
}
