import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedEngine, type RunningEngine } from '../services/meili/embedded';
import { embeddedNodes } from '../services/meili/network';
import { ShardedEngine } from '../services/meili/sharded-engine';
import { MAX_TOTAL_HITS, MAX_VALUES_PER_FACET, PRIMARY_KEY } from '../services/meili/settings';
import { consecutiveFreePorts } from '../services/meili/embedded';

/**
 * The sharded column for the project benchmark (scripts/bench.ts on the bench branch takes pluggable engine setups:
 * `{ name, start(): { url, masterKey, pids, stop } }`). This one starts N embedded engines on consecutive loopback
 * ports, makes them one sharded network, and adds `env`: what the indexer and API processes need to use the network
 * (MEILI_NETWORK) instead of the single MEILI_URL. Register it as ENGINE_SETUPS['network:3'] = (root) =>
 * shardedEmbeddedEngines(root, 3), and have the bench pass `env` to the processes it starts.
 */

export interface ShardedStartedEngine {
  url: string;
  masterKey: string;
  pids: number[];
  env: Record<string, string>;
  stop(): Promise<void>;
}



export function shardedEmbeddedEngines(dataRoot: string, count = 3): { name: string; start(): Promise<ShardedStartedEngine> } {
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
