import { MeiliSearchApiError, MeiliSearchRequestError, MeiliSearchRequestTimeOutError, MeiliSearchTaskTimeOutError } from 'meilisearch';
import { z } from 'zod';

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

/**
 * The one mapping from an engine's HTTP answer to our errors, whichever path the request took (json-transport.ts
 * carries every request, the client's included). 5xx and 429 mean "not available now" (an overloaded node answers 503
 * `too_many_search_requests`): a sharded search then asks another node to coordinate, and the API answers 503. Any
 * other status is a refusal of this request, with the engine's code.
 */
export function errorFromAnswer(status: number, body: unknown): EngineError {
  const parsed = engineErrorBodySchema.safeParse(body);
  const code = parsed.success ? parsed.data.code : undefined;
  const message = (parsed.success ? parsed.data.message : undefined) ?? `HTTP ${status}`;
  if (status >= 500 || status === 429) return new EngineUnavailableError(`search engine answered ${status}: ${message}`);
  return new EngineRequestError(`search engine rejected the request: ${message}`, code);
}

/** The engine's error body: `{message, code, type, link}`. */
const engineErrorBodySchema = z.object({ message: z.string().optional(), code: z.string().optional() });

/**
 * Any failure as our error. The client wraps what its HTTP function throws (json-transport's EngineErrors) and its own
 * task-wait timeout; an answer that reached the client some other way goes through the same errorFromAnswer.
 */
export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof MeiliSearchRequestError && err.cause instanceof EngineError) return err.cause;
  if (err instanceof MeiliSearchTaskTimeOutError || err instanceof MeiliSearchRequestTimeOutError || (err instanceof MeiliSearchRequestError && err.cause instanceof MeiliSearchRequestTimeOutError)) {
    return new EngineTimeoutError(`search engine timed out: ${err.message}`, { cause: err });
  }
  if (err instanceof MeiliSearchApiError) return errorFromAnswer(err.response?.status ?? 0, err.cause);
  if (err instanceof MeiliSearchRequestError) return new EngineUnavailableError('search engine unreachable', { cause: err });
  return new EngineError(err instanceof Error ? err.message : String(err), { cause: err });
}
