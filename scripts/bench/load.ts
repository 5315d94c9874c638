import { Pool, errors as undiciErrors } from 'undici';

/**
 * A closed-loop load runner for searches that take one or more HTTP requests. autocannon counts single requests, but
 * one API search is several engine requests (a federated cross-language query, disjunctive facet queries, follow-ups
 * that wait on the first answer): to compare like with like, the engine side must be timed per search too. Each of
 * `concurrency` workers runs one search at a time, stage after stage, the requests of a stage in parallel, exactly as
 * the API's search service sends them; the API side is the same runner with one-request searches.
 */

export interface HttpStep {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One search: stages run in order (each waits for the previous answer), the steps of a stage go out together. */
export type SearchPlan = readonly (readonly HttpStep[])[];

export interface LoopResult {
  /** Searches answered with every request 2xx. */
  completed: number;
  /** HTTP requests sent, including those of failed searches. */
  httpRequests: number;
  /** Latency of each completed search, first request sent to last answer read, ms. */
  latencies: number[];
  /** Searches in which a request failed to connect, broke off or timed out (autocannon's sense: timeouts included). */
  errors: number;
  /** Searches in which a request answered with a status outside 2xx. */
  non2xx: number;
  timeouts: number;
  elapsedMs: number;
}

export interface LoopOptions {
  origin: string;
  plans: readonly SearchPlan[];
  concurrency: number;
  durationSec: number;
  timeoutMs?: number;
}

type StepOutcome = 'ok' | 'non2xx' | 'error' | 'timeout';

/** The worst outcome of a search's requests decides how the search counts. */
export function searchOutcome(outcomes: readonly StepOutcome[]): StepOutcome {
  for (const worst of ['timeout', 'error', 'non2xx'] as const) if (outcomes.includes(worst)) return worst;
  return 'ok';
}

/**
 * Runs `plans` round-robin (one shared cursor, so every worker draws from the same fixed order) on `concurrency`
 * workers until `durationSec` has passed; searches in flight at the deadline finish and count, and the elapsed time
 * runs to the last of them, so searches/s = completed / elapsed.
 */
export async function runClosedLoop(opts: LoopOptions): Promise<LoopResult> {
  if (opts.plans.length === 0) throw new Error('no searches to run');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Unlimited connections: a worker's parallel stage needs one per request, as the API's keep-alive agent opens them.
  const pool = new Pool(opts.origin, { connections: null, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 4_000 });
  const result: LoopResult = { completed: 0, httpRequests: 0, latencies: [], errors: 0, non2xx: 0, timeouts: 0, elapsedMs: 0 };
  let cursor = 0;

  const send = async (step: HttpStep): Promise<StepOutcome> => {
    result.httpRequests += 1;
    try {
      const res = await pool.request({
        method: step.method,
        path: step.path,
        // The API's engine client asks for uncompressed answers on loopback; the bare-engine side does the same.
        headers: { 'accept-encoding': 'identity', ...(step.headers ?? {}) },
        body: step.body,
      });
      // A client reads the whole answer before it can use it: the time includes the body.
      await res.body.arrayBuffer();
      return res.statusCode >= 200 && res.statusCode < 300 ? 'ok' : 'non2xx';
    } catch (err) {
      return err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError ? 'timeout' : 'error';
    }
  };

  const started = performance.now();
  const deadline = started + opts.durationSec * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const plan = opts.plans[cursor++ % opts.plans.length] ?? [];
      const t0 = performance.now();
      const outcomes: StepOutcome[] = [];
      for (const stage of plan) {
        const stageOutcomes = await Promise.all(stage.map(send));
        outcomes.push(...stageOutcomes);
        // A later stage depends on this one's answer: without it the API would not send it either.
        if (stageOutcomes.some((o) => o !== 'ok')) break;
      }
      const outcome = searchOutcome(outcomes);
      if (outcome === 'ok') {
        result.completed += 1;
        result.latencies.push(performance.now() - t0);
      } else if (outcome === 'non2xx') result.non2xx += 1;
      else {
        result.errors += 1;
        if (outcome === 'timeout') result.timeouts += 1;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    result.elapsedMs = performance.now() - started;
  } finally {
    await pool.close();
  }
  return result;
}
