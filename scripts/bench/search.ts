import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { MemorySampler, readCpuMs } from './proc';

/** One load run's figures. Latencies in ms; `cpuMsPerRequest` is the target process's own CPU time per request. */
export interface LoadRun {
  target: 'engine' | 'api';
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
}

export interface LoadTarget {
  target: 'engine' | 'api';
  url: string;
  requests: autocannon.Request[];
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

export async function load(target: LoadTarget, concurrency: number, durationSec: number): Promise<LoadRun> {
  const sampler = target.sampleRss && target.pids[0] ? new MemorySampler(target.pids[0], 200).start() : null;
  const cpuBefore = sumCpu(target.pids);
  // autocannon's own histogram keeps whole milliseconds; single-digit latencies need the exact times.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: target.url, connections: concurrency, duration: durationSec, requests: target.requests, timeout: 10 },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    });
  });
  const cpuAfter = sumCpu(target.pids);
  const mem = sampler?.stop();
  const requests = result.requests.total;
  return {
    target: target.target,
    concurrency,
    requests,
    rps: requests / result.duration,
    p50: percentile(times, 0.5),
    p99: percentile(times, 0.99),
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    cpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && requests > 0 ? (cpuAfter - cpuBefore) / requests : null,
    maxRssBytes: mem ? mem.maxRss : null,
  };
}

/** Nearest-rank percentile of unsorted samples (0 when there are none). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
