import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { consecutiveFreePorts, startEmbeddedEngine, type RunningEngine } from '../../services/meili/embedded';
import type { Engine } from '../../services/meili/engine';
import { NodeEngine } from '../../services/meili/node-engine';
import { embeddedNodes, type NodeAddress } from '../../services/meili/network';
import { ShardedEngine } from '../../services/meili/sharded-engine';
import { MAX_TOTAL_HITS, MAX_VALUES_PER_FACET, PRIMARY_KEY } from '../../services/meili/settings';

/**
 * Where the benchmark's engine comes from: one embedded node, a sharded network of N embedded nodes, or an engine
 * someone else runs. Each setup yields the URL the bench's own admin calls use, the key, the process ids whose CPU and
 * memory are the engine's, and `env`: what the indexer and API processes need to find the engine (MEILI_URL for one
 * node, MEILI_NETWORK for a network, as services/meili/topology.ts reads them).
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
  /** The nodes of a sharded network; absent for one engine. */
  nodes?: NodeAddress[];
  /** Environment for the service's processes (indexer, API) to use this engine. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Engine settings of the bench's own shell that would point the service elsewhere (or clash with MEILI_NETWORK). */
const ENGINE_LOCATION_VARS = ['MEILI_URL', 'MEILI_NETWORK', 'MEILI_SHARDS', 'MEILI_MASTER_KEY', 'MEILI_API_KEY', 'MEILI_SEARCH_KEY', 'MEILI_SEARCH_KEY_FILE'];

/** The environment of an indexer or API process on this engine: the shell's, minus its engine location, plus `extra`. */
export function serviceEnv(base: NodeJS.ProcessEnv, engine: Pick<StartedEngine, 'env'>, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of ENGINE_LOCATION_VARS) delete env[name];
  return { ...env, ...engine.env, ...extra };
}

/** The admin client for a started engine: a ShardedEngine over the nodes (counts add up, deletes reach every node). */
export function adminEngineFor(engine: StartedEngine, timeoutMs = 120_000): Engine {
  if (engine.nodes && engine.nodes.length > 1) {
    return new ShardedEngine({ nodes: engine.nodes, apiKey: engine.masterKey, timeoutMs, primaryKey: PRIMARY_KEY, maxValuesPerFacet: MAX_VALUES_PER_FACET, maxTotalHits: MAX_TOTAL_HITS });
  }
  return new NodeEngine({ url: engine.url, apiKey: engine.masterKey, timeoutMs });
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
        env: { MEILI_URL: running.url, MEILI_MASTER_KEY: masterKey },
        stop: async () => {
          await running.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

/**
 * N embedded engines on consecutive loopback ports made one sharded network (Meilisearch's own `network` with
 * `sharding: true`), handed to the service as MEILI_NETWORK: the indexer and the API then configure or verify the
 * network and use it exactly as they would engines run elsewhere. The bench starts the nodes itself (rather than
 * MEILI_SHARDS in each process) so that they outlive the indexer and their CPU can be read.
 */
export function shardedEmbeddedEngines(dataRoot: string, count: number): EngineSetup {
  return {
    name: `${count} nodes`,
    async start() {
      const dataDir = path.join(dataRoot, `network-${process.pid}`);
      rmSync(dataDir, { recursive: true, force: true });
      const masterKey = randomBytes(24).toString('base64url');
      const nodes = embeddedNodes(count, await consecutiveFreePorts(count));
      const running: RunningEngine[] = [];
      const stop = async () => {
        await Promise.all(running.map((r) => r.stop()));
        rmSync(dataDir, { recursive: true, force: true });
      };
      try {
        for (const node of nodes) {
          running.push(await startEmbeddedEngine({ dataDir: path.join(dataDir, node.name), port: Number(new URL(node.url).port), masterKey, startupTimeoutMs: 60_000 }));
        }
        const engine = new ShardedEngine({ nodes, apiKey: masterKey, timeoutMs: 60_000, primaryKey: PRIMARY_KEY, maxValuesPerFacet: MAX_VALUES_PER_FACET, maxTotalHits: MAX_TOTAL_HITS });
        await engine.configureNetwork({ searchApiKey: masterKey, writeApiKey: masterKey });
        return {
          url: nodes[0]?.url ?? '',
          masterKey,
          pids: running.map((r) => r.pid),
          nodes,
          env: { MEILI_NETWORK: nodes.map((n) => `${n.name}=${n.url}`).join(','), MEILI_MASTER_KEY: masterKey },
          stop,
        };
      } catch (err) {
        await stop();
        throw err;
      }
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
      return { url, masterKey, pids, env: { MEILI_URL: url, MEILI_MASTER_KEY: masterKey }, stop: async () => {} };
    },
  };
}

/**
 * Setups for the service-against-engine sections (`--engine`). Those replay the API's engine requests on one engine
 * URL, so a network is not one of them: the sharded comparison is its own section (scripts/bench/shards.ts).
 */
export const ENGINE_SETUPS: Record<string, (dataRoot: string) => EngineSetup> = {
  single: singleEmbeddedEngine,
  external: () => externalEngine(),
};
