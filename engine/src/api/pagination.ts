/**
 * Server-side pagination for every list route: `?limit=` (1–200, default 50) and `?offset=`
 * (≥ 0, default 0). Nothing loads a whole table into the browser.
 */
export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export const MAX_PAGE_SIZE = 200;

export function pageOf(
  query: Record<string, unknown>,
): { ok: true; value: Page } | { ok: false; message: string } {
  const limit = query.limit === undefined ? 50 : Number(query.limit);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    return {
      ok: false,
      message: `Query parameter 'limit' must be a whole number from 1 to ${MAX_PAGE_SIZE}, but was '${query.limit}'`,
    };
  }
  if (!Number.isInteger(offset) || offset < 0) {
    return {
      ok: false,
      message: `Query parameter 'offset' must be a whole number of at least 0, but was '${query.offset}'`,
    };
  }
  return { ok: true, value: { limit, offset } };
}
