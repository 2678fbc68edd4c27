/**
 * The browser's client of Kontor's REST API: JSON in, JSON out, the session cookie sent along.
 * A non-2xx answer becomes an `ApiError` carrying the server's message.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const payload = (await res.json().catch(() => ({}))) as { message?: string };
  if (!res.ok)
    throw new ApiError(res.status, payload.message ?? `${method} ${path} failed (${res.status})`);
  return payload as T;
}

export interface User {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: string[];
  readonly candidateGroups: string[];
}
