/**
 * An authenticated HTTP client per role, for REST integration tests: each agent is a user of
 * that role, signed in once, whose requests carry its session cookie.
 *
 *   const agents = await signInAgents(harness);
 *   const res = await agents.analyst.post('/api/drafts', { name, bpmnXml });
 *   expect(res.status).toBe(201);
 *   expect((await agents.caseworker.get('/api/drafts')).status).toBe(403);
 */
import { UsersRepository, type Role } from '../api/auth/users.repository.js';
import type { KontorHarness } from './kontor-harness.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies freely
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface ApiAgent {
  readonly username: string;
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  put(path: string, body?: unknown): Promise<ApiResponse>;
  delete(path: string): Promise<ApiResponse>;
}

export type Agents = Record<Role | 'anonymous', ApiAgent>;

const PASSWORD = 'agent password 1';

export async function signInAgents(
  harness: KontorHarness,
  groups: string[] = ['north'],
): Promise<Agents> {
  const users = new UsersRepository(harness.database.pool);
  const agent = (username: string, cookie?: string): ApiAgent => {
    const send = async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
      const res = await fetch(`${harness.url}${path}`, {
        method,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const type = res.headers.get('content-type') ?? '';
      // PDF as bytes; JSON parsed; anything else as text
      if (type.startsWith('application/pdf')) {
        return {
          status: res.status,
          headers: res.headers,
          body: Buffer.from(await res.arrayBuffer()),
        };
      }
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers,
        body: type.includes('json') && text ? JSON.parse(text) : text,
      };
    };
    return {
      username,
      get: (path) => send('GET', path),
      post: (path, body) => send('POST', path, body),
      put: (path, body) => send('PUT', path, body),
      delete: (path) => send('DELETE', path),
    };
  };
  const signIn = async (role: Role): Promise<ApiAgent> => {
    const username = `${role}-agent`;
    await users.create({ username, password: PASSWORD, roles: [role], candidateGroups: groups });
    const res = await fetch(`${harness.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`Signing in ${username} failed with ${res.status}`);
    return agent(username, res.headers.get('set-cookie')!.split(';')[0]);
  };
  const [analyst, caseworker, auditor, admin] = await Promise.all(
    (['analyst', 'caseworker', 'auditor', 'admin'] as const).map(signIn),
  );
  return { analyst, caseworker, auditor, admin, anonymous: agent('anonymous') };
}
