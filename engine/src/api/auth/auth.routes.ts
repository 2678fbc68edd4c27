/**
 * Sign-in for the web app and the REST API.
 *
 * - `POST /api/auth/login` `{ username, password }` → 200 with the user and a session cookie
 *   (HttpOnly, SameSite=Lax); 401 for a wrong name or password (the same answer for both).
 * - `POST /api/auth/logout` ends the session.
 * - `GET /api/auth/me` → the signed-in user, or 401.
 */
import { Router } from 'express';
import { SESSION_COOKIE, currentUser, readCookie } from './auth.middleware.js';
import type { UsersRepository } from './users.repository.js';

export interface AuthOptions {
  /**
   * How long a session lasts.
   * @default 43200000 (ms, 12 hours)
   */
  readonly sessionLifetimeMs?: number;
}

export function authRoutes(users: UsersRepository, options: AuthOptions = {}): Router {
  const lifetimeMs = options.sessionLifetimeMs ?? 12 * 60 * 60 * 1000;
  const router = Router();

  router.post('/api/auth/login', async (req, res) => {
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string') {
      res.status(400).json({
        error: 'bad_request',
        message: "Expected a JSON body with string fields 'username' and 'password'",
      });
      return;
    }
    const user = await users.authenticate(username, password);
    if (!user) {
      res.status(401).json({ error: 'unauthenticated', message: 'Wrong username or password' });
      return;
    }
    const token = await users.openSession(user.id, lifetimeMs);
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: lifetimeMs,
    });
    res.json({ user });
  });

  router.post('/api/auth/logout', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) await users.closeSession(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/api/auth/me', (_req, res) => {
    const user = currentUser(res);
    if (user) res.json({ user });
    else res.status(401).json({ error: 'unauthenticated', message: 'Sign in first' });
  });

  return router;
}
