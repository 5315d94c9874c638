import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { startEmbeddedEngine, type RunningEngine } from '../../services/meili/embedded';

/**
 * Where the benchmark's engine comes from. Pluggable so that the same runs can compare one embedded node against a
 * network of N nodes (the sharding work adds its own setup): each setup yields the URL the API and the indexer talk
 * to, the key, and the process ids whose memory is the engine's.
 */
export interface EngineSetup {
  /** Column label in the results, e.g. "1 node" or "3 nodes". */
  readonly name: string;
  start(): Promise<StartedEngine>;
}

export interface StartedEngine {
  url: string;
  masterKey: string;
  pids: number[];
  stop(): Promise<void>;
}

/** One embedded Meilisearch, started exactly as `npm start` starts it, in a throw-away data folder. */
export function singleEmbeddedEngine(dataRoot: string): EngineSetup {
  return {
    name: '1 node',
    async start() {
      const dataDir = path.join(dataRoot, `engine-${process.pid}`);
      rmSync(dataDir, { recursive: true, force: true });
      const masterKey = randomBytes(24).toString('base64url');
      const running: RunningEngine = await startEmbeddedEngine({ dataDir, port: 0, masterKey, startupTimeoutMs: 60_000 });
      return {
        url: running.url,
        masterKey,
        pids: [running.pid],
        stop: async () => {
          await running.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

/**
 * An engine someone else runs (BENCH_MEILI_URL, BENCH_MEILI_MASTER_KEY; BENCH_MEILI_PIDS, comma-separated, for its
 * CPU figures): for profiling loops that keep one indexed engine across API builds. Left running afterwards.
 */
export function externalEngine(): EngineSetup {
  return {
    name: 'external',
    async start() {
      const url = process.env.BENCH_MEILI_URL;
      const masterKey = process.env.BENCH_MEILI_MASTER_KEY;
      if (!url || !masterKey) throw new Error('--engine external needs BENCH_MEILI_URL and BENCH_MEILI_MASTER_KEY');
      const pids = (process.env.BENCH_MEILI_PIDS ?? '').split(',').filter(Boolean).map(Number);
      return { url, masterKey, pids, stop: async () => {} };
    },
  };
}

/** Setups by name for `--engine`; the sharding branch registers "network:N" here. */
export const ENGINE_SETUPS: Record<string, (dataRoot: string) => EngineSetup> = {
  single: singleEmbeddedEngine,
  external: () => externalEngine(),
};
