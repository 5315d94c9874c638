import { MeiliSearchApiError, MeiliSearchRequestError, MeiliSearchRequestTimeOutError } from 'meilisearch';

/** Base of every failure that comes from the search engine; `cause` keeps the client's original error. */
export class EngineError extends Error {
  override name = 'EngineError';
}

/** The engine could not be reached or did not answer in time: callers answer 503 and retry later. */
export class EngineUnavailableError extends EngineError {
  override name = 'EngineUnavailableError';
}

/** The engine did not answer within the timeout (MEILI_TIMEOUT_MS): it may be alive but slow, or hanging. */
export class EngineTimeoutError extends EngineUnavailableError {
  override name = 'EngineTimeoutError';
}

/**
 * Nodes of a sharded engine stopped answering while a request involving them waited (node-health.ts): the request is
 * given up so it can be asked again without them.
 */
export class NodesExcludedError extends EngineUnavailableError {
  override name = 'NodesExcludedError';
  constructor(readonly nodes: readonly string[]) {
    super(`${nodes.length === 1 ? 'node' : 'nodes'} ${nodes.join(', ')} stopped answering and ${nodes.length === 1 ? 'is' : 'are'} left out until ${nodes.length === 1 ? 'it answers' : 'they answer'} again`);
  }
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
  // The client wraps its own timeout in a request error.
  if (err instanceof MeiliSearchRequestTimeOutError || (err instanceof MeiliSearchRequestError && err.cause instanceof MeiliSearchRequestTimeOutError)) {
    return new EngineTimeoutError('search engine timed out', { cause: err });
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
