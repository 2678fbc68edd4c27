/**
 * Kontor's HTTP server (express 5): health endpoints now, the REST API and the web app as they
 * arrive. Errors leave as JSON `{ error, message }` with a fitting status, never as HTML.
 *
 * `close()` stops accepting connections, lets in-flight requests finish, and after `graceMs`
 * drops whatever is still open.
 */
import http from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { PortInUseError } from '../config/port-in-use.error.js';
import type { Logger } from '../logging/logger.js';

export interface HttpServer {
  readonly port: number;
  close(graceMs: number): Promise<void>;
}

export async function startHttpServer(options: {
  host: string;
  port: number;
  /** Routers and middleware, mounted in this order. */
  routers: (Router | RequestHandler)[];
  logger: Logger;
}): Promise<HttpServer> {
  const log = options.logger.child({ component: 'http' });
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '4mb' }));
  for (const router of options.routers) app.use(router);
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `No route for ${req.method} ${req.path}` });
  });
  const onError: ErrorRequestHandler = (error, req, res, _next) => {
    const status = Number(error.status ?? error.statusCode ?? 500);
    if (status >= 500) log.error({ err: error, path: req.path }, 'request failed');
    res.status(status).json({
      error: status >= 500 ? 'internal_error' : (error.type ?? 'bad_request'),
      message: status >= 500 ? 'Internal server error' : error.message,
    });
  };
  app.use(onError);

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EADDRINUSE'
      ? new PortInUseError(options.port, options.host, 'KONTOR_HTTP_PORT', { cause: error })
      : error;
  });
  const port = (server.address() as { port: number }).port;
  log.info({ port }, 'HTTP server listening');

  return {
    port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
