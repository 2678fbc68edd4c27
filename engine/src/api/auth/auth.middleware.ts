/**
 * Who is calling, and may they? `sessionUser` resolves the session cookie to a user (or none);
 * `requireRole` answers 401 without a user and 403 when none of the user's roles may use the
 * route. Admins may use every route.
 *
 *   router.get('/api/processes', requireRole('analyst', 'auditor'), handler);
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role, User, UsersRepository } from './users.repository.js';

export const SESSION_COOKIE = 'kontor_session';

export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** The signed-in user of this request, if any (set by `sessionUser`). */
export function currentUser(res: Response): User | undefined {
  return res.locals.user as User | undefined;
}

export function sessionUser(users: UsersRepository): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) res.locals.user = await users.userForSession(token);
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (_req, res, next) => {
    const user = currentUser(res);
    if (!user) {
      res.status(401).json({ error: 'unauthenticated', message: 'Sign in first' });
    } else if (!user.roles.some((r) => r === 'admin' || roles.includes(r))) {
      res.status(403).json({
        error: 'forbidden',
        message: `This needs one of the roles ${roles.join(', ')}; '${user.username}' has ${user.roles.join(', ')}`,
      });
    } else {
      next();
    }
  };
}
