import path from 'node:path';
import { loadConfig } from '../../services/config';
import { silentLogger } from '../../services/logger';
import { consecutiveFreePorts, startEmbeddedEngine, type RunningEngine } from '../../services/meili/embedded';
import { isSharded, type ShardedEngine } from '../../services/meili/sharded-engine';
import { openEngine, type EngineHandle } from '../../services/meili/topology';

/**
 * Embedded engines on consecutive loopback ports opened as one sharded network through the real topology code
 * (MEILI_SHARDS=n). The nodes are started here, not by openEngine, so a test can stop and restart one.
 */
export interface ShardNetwork {
  /** The running nodes, by position; `restart(i)` replaces an entry. */
  nodes: RunningEngine[];
  handle: EngineHandle;
  sharded: ShardedEngine;
  /** Starts node i again on its port and data folder (after a test stopped it). */
  restart(i: number): Promise<RunningEngine>;
  stop(): Promise<void>;
}

export async function startShardNetwork(options: { shards: number; dataDir: string; masterKey: string; index: string; timeoutMs?: number }): Promise<ShardNetwork> {
  const basePort = await consecutiveFreePorts(options.shards);
  const startNode = (i: number) =>
    startEmbeddedEngine({ dataDir: path.join(options.dataDir, `node-${i}`), port: basePort + i, masterKey: options.masterKey });
  const nodes: RunningEngine[] = [];
  try {
    for (let i = 0; i < options.shards; i++) nodes.push(await startNode(i));
    const config = loadConfig({
      MEILI_SHARDS: String(options.shards),
      MEILI_PORT: String(basePort),
      MEILI_DATA_DIR: options.dataDir,
      MEILI_MASTER_KEY: options.masterKey,
      MEILI_TIMEOUT_MS: String(options.timeoutMs ?? 30_000),
      // The scoped search key covers this index (keys.ts scopes it to MEILI_INDEX*).
      MEILI_INDEX: options.index,
    });
    const handle = await openEngine(config, silentLogger);
    if (!isSharded(handle.admin)) throw new Error(`MEILI_SHARDS=${options.shards} did not give a sharded engine`);
    const sharded = handle.admin;
    return {
      nodes,
      handle,
      sharded,
      async restart(i) {
        const node = await startNode(i);
        nodes[i] = node;
        return node;
      },
      async stop() {
        for (const engine of [handle.admin, handle.search]) if (isSharded(engine)) engine.close();
        await handle.stop();
        await Promise.all(nodes.map((n) => n.stop()));
      },
    };
  } catch (err) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw err;
  }
}
