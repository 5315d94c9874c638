import { articleSchema, errorBodySchema, searchResponseSchema, type Article, type SearchResponse } from './schema';
import { apiSearchParams, type SearchState } from './url-state';

/**
 * The only module that talks to the server. Every failure becomes an ApiError whose `kind` is what the page shows:
 * the engine is down (retry), the input is bad (say which parameter), the server is unreachable, or the answer is
 * not what the contract says. An aborted request rethrows the AbortError so callers can ignore superseded searches.
 */

export type ApiErrorKind = 'unavailable' | 'bad-input' | 'not-found' | 'network' | 'unexpected';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly field: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

/** Maps a non-2xx answer to an ApiError, using the contract's error body when there is one. */
export function errorFromResponse(status: number, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  const message = parsed.success ? parsed.data.error.message : `HTTP ${status}`;
  const field = parsed.success ? (parsed.data.error.field ?? null) : null;
  if (status === 503 || status === 502 || status === 504) return new ApiError('unavailable', message, status);
  if (status === 400) return new ApiError('bad-input', message, status, field);
  if (status === 404) return new ApiError('not-found', message, status);
  return new ApiError('unexpected', message, status);
}

async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError('network', 'network error', null, null, { cause: err });
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch (err) {
    if (isAbort(err)) throw err;
    // A proxy's HTML error page: the status still says what happened.
  }
  if (!res.ok) throw errorFromResponse(res.status, body);
  return body;
}

function validated<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('unexpected', 'response does not match the API contract');
  return parsed.data;
}

export async function search(state: SearchState, signal?: AbortSignal): Promise<SearchResponse> {
  return validated(searchResponseSchema, await getJson(`api/search?${apiSearchParams(state)}`, signal));
}

export async function getArticle(id: string, signal?: AbortSignal): Promise<Article> {
  return validated(articleSchema, await getJson(`api/articles/${encodeURIComponent(id)}`, signal));
}
