/**
 * Serves the built web app (modeler/dist) with a single-page fallback: any GET that is not an
 * API or health route and names no file gets index.html, so deep links work. Hashed assets are
 * cached for a year; index.html never, so a new build is picked up at once. Without a build,
 * `/` explains how to make one instead of failing silently.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** `modeler/dist`, the same from `engine/src/api` and `engine/dist/api`. */
export const defaultWebAppDir = fileURLToPath(new URL('../../../modeler/dist', import.meta.url));

export function webAppRoutes(dir: string = defaultWebAppDir): Router {
  const router = Router();
  const index = path.join(dir, 'index.html');
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
    }),
  );
  router.use(express.static(dir, { index: false }));
  router.get(/^\/(?!api\/|health\/).*/, (_req, res) => {
    if (!fs.existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(
          'The web app is not built yet. Run `npm run build` (npm install and npm start do it for you).',
        );
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
