import { MemorySampler, readCpuMs } from './proc';
import { runClosedLoop, type SearchPlan } from './load';

/**
 * One load run's figures, per search on both sides: `requests` is searches answered, `rps` searches/s, latencies in
 * ms from a search's first request to its last answer, `cpuMsPerRequest` the target processes' CPU time per search.
 * (The field names predate per-search timing; results of that time carry no `httpRequests`.)
 */
export interface LoadRun {
  target: 'engine' | 'api' | 'plain';
  concurrency: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  cpuMsPerRequest: number | null;
  maxRssBytes: number | null;
  /** HTTP requests sent: one per search on the API, the recorded engine requests on the engine. */
  httpRequests?: number;
}

export interface LoadTarget {
  target: LoadRun['target'];
  url: string;
  /** The searches, each as the requests it takes (stages in order, parallel requests within a stage). */
  plans: readonly SearchPlan[];
  /** Processes whose CPU and memory are this target's (the API process; the engine's). */
  pids: number[];
  /** Measure RSS of these (the API's own memory under load). */
  sampleRss: boolean;
}

const sumCpu = (pids: readonly number[]): number | null => {
  let total = 0;
  for (const pid of pids) {
    const c = readCpuMs(pid);
    if (c === null) return null;
    total += c;
  }
  return total;
};

/** Drives `target` with `concurrency` closed-loop workers for `durationSec`, the same way for the API and the engine. */
export async function load(target: LoadTarget, concurrency: number, durationSec: number): Promise<LoadRun> {
  const sampler = target.sampleRss && target.pids[0] ? new MemorySampler(target.pids[0], 200).start() : null;
  const cpuBefore = sumCpu(target.pids);
  const result = await runClosedLoop({ origin: target.url, plans: target.plans, concurrency, durationSec });
  const cpuAfter = sumCpu(target.pids);
  const mem = sampler?.stop();
  return {
    target: target.target,
    concurrency,
    requests: result.completed,
    rps: result.elapsedMs > 0 ? (result.completed / result.elapsedMs) * 1000 : 0,
    p50: percentile(result.latencies, 0.5),
    p99: percentile(result.latencies, 0.99),
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    cpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && result.completed > 0 ? (cpuAfter - cpuBefore) / result.completed : null,
    maxRssBytes: mem ? mem.maxRss : null,
    httpRequests: result.httpRequests,
  };
}

/** Nearest-rank percentile of unsorted samples (0 when there are none). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
