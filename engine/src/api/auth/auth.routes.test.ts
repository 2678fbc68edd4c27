import { Router } from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { startHttpServer, type HttpServer } from '../http-server.js';
import { requireRole, sessionUser } from './auth.middleware.js';
import { authRoutes } from './auth.routes.js';
import { UsersRepository, UserValidationError, type Role } from './users.repository.js';

describe('sign-in and roles', () => {
  let db: TestDatabase;
  let users: UsersRepository;
  let server: HttpServer;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    users = new UsersRepository(db.pool);
    const probe = Router();
    probe.get(
      '/api/probe/analyst',
      requireRole('analyst'),
      (_req, res) => void res.json({ ok: true }),
    );
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger(),
      routers: [sessionUser(users), authRoutes(users), probe],
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  beforeEach(() => db.truncate());
  afterAll(async () => {
    await server.close(100);
    await db.drop();
  });

  async function signIn(username: string, password: string) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const cookie = res.headers.get('set-cookie')?.split(';')[0];
    return { res, cookie };
  }

  async function userWith(roles: Role[], username = roles.join('-')) {
    await users.create({
      username,
      password: 'correct horse battery',
      roles,
      candidateGroups: ['north'],
    });
    const { cookie } = await signIn(username, 'correct horse battery');
    return cookie!;
  }

  describe('POST /api/auth/login', () => {
    it('signs in with the right password and sets an HttpOnly session cookie', async () => {
      await users.create({
        username: 'ada',
        password: 'correct horse battery',
        roles: ['caseworker'],
      });
      const { res } = await signIn('ada', 'correct horse battery');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ user: { username: 'ada', roles: ['caseworker'] } });
      expect(res.headers.get('set-cookie')).toMatch(
        /^kontor_session=[\w-]{43}; .*HttpOnly; SameSite=Lax/,
      );
    });

    it('gives the same 401 for a wrong password and an unknown user', async () => {
      await users.create({
        username: 'ada',
        password: 'correct horse battery',
        roles: ['caseworker'],
      });
      const wrong = await signIn('ada', 'wrong password!');
      const unknown = await signIn('bob', 'correct horse battery');
      expect([wrong.res.status, unknown.res.status]).toEqual([401, 401]);
      expect(await wrong.res.json()).toEqual(await unknown.res.json());
      expect(wrong.cookie).toBeUndefined();
    });

    it('names the expected fields when the body is wrong', async () => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: 'ada' }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { message: string }).message).toBe(
        "Expected a JSON body with string fields 'username' and 'password'",
      );
    });
  });

  describe('GET /api/auth/me and POST /api/auth/logout', () => {
    it('knows the signed-in user until logout', async () => {
      const cookie = await userWith(['auditor'], 'aud');
      const me = await fetch(`${base}/api/auth/me`, { headers: { cookie } });
      expect(await me.json()).toMatchObject({
        user: { username: 'aud', candidateGroups: ['north'] },
      });

      const out = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie } });
      expect(out.status).toBe(204);
      expect((await fetch(`${base}/api/auth/me`, { headers: { cookie } })).status).toBe(401);
    });
  });

  describe('requireRole', () => {
    it('answers 401 without a session, 403 for another role, 200 for the role and for admin', async () => {
      const url = `${base}/api/probe/analyst`;
      expect((await fetch(url)).status).toBe(401);
      const caseworker = await fetch(url, { headers: { cookie: await userWith(['caseworker']) } });
      expect(caseworker.status).toBe(403);
      expect(((await caseworker.json()) as { message: string }).message).toBe(
        "This needs one of the roles analyst; 'caseworker' has caseworker",
      );
      expect((await fetch(url, { headers: { cookie: await userWith(['analyst']) } })).status).toBe(
        200,
      );
      expect((await fetch(url, { headers: { cookie: await userWith(['admin']) } })).status).toBe(
        200,
      );
    });
  });

  describe('UsersRepository.create', () => {
    it('names the field that is wrong', async () => {
      const attempt = (user: Parameters<UsersRepository['create']>[0]) =>
        users.create(user).catch((e: UserValidationError) => [e.field, e.message]);
      expect(
        await attempt({ username: 'Ada Lovelace', password: 'long enough pw', roles: ['analyst'] }),
      ).toEqual([
        'username',
        "Username 'Ada Lovelace' is invalid: expected 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
      ]);
      expect(await attempt({ username: 'ada', password: 'short', roles: ['analyst'] })).toEqual([
        'password',
        'Password is too short: expected at least 10 characters',
      ]);
      expect(
        await attempt({ username: 'ada', password: 'long enough pw', roles: ['boss' as Role] }),
      ).toEqual([
        'roles',
        "Roles 'boss' are unknown: expected one or more of analyst, caseworker, auditor, admin",
      ]);
      await users.create({ username: 'ada', password: 'long enough pw', roles: ['analyst'] });
      expect(
        await attempt({ username: 'ada', password: 'long enough pw', roles: ['analyst'] }),
      ).toEqual(['username', "Username 'ada' is taken"]);
    });
  });
});
