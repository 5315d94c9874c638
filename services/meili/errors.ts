import { MeiliSearchApiError, MeiliSearchRequestError, MeiliSearchRequestTimeOutError } from 'meilisearch';

/** Base of every failure that comes from the search engine; `cause` keeps the client's original error. */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** The engine could not be reached or did not answer in time: callers answer 503 and retry later. */
export class EngineUnavailableError extends EngineError {
  override name = 'EngineUnavailableError';
}

/**
 * The nodes of a sharded index answer from different index generations (a reindex is swapping, or stopped half-way)
 * and did not agree again within the wait: the answer would be a mix of two versions, so there is none. Callers
 * answer 503 `index_swap_in_progress` and may retry after `retryAfterSeconds`.
 */
export class IndexSwapInProgressError extends EngineUnavailableError {
  override name = 'IndexSwapInProgressError';
  readonly retryAfterSeconds = 1;
}

/** The engine answered with an error (bad settings, a failed task): a bug or a broken deployment, not user input. */
export class EngineRequestError extends EngineError {
  override name = 'EngineRequestError';
  constructor(
    message: string,
    readonly code: string | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Translates the client library's errors into ours so the rest of the code never imports the client. */
export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof MeiliSearchRequestTimeOutError) {
    return new EngineUnavailableError('search engine timed out', { cause: err });
  }
  if (err instanceof MeiliSearchApiError) {
    const code = err.cause?.code;
    return new EngineRequestError(`search engine rejected the request: ${err.message}`, code, { cause: err });
  }
  if (err instanceof MeiliSearchRequestError) {
    return new EngineUnavailableError('search engine unreachable', { cause: err });
  }
  return new EngineError(err instanceof Error ? err.message : String(err), { cause: err });
}
