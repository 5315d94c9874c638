import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedEngine, resolveMasterKey, type RunningEngine } from './embedded';
import type { Engine } from './engine';
import { NodeEngine } from './node-engine';
import { embeddedNodes, parseNetworkSpec, type NodeAddress } from './network';
import { ShardedEngine } from './sharded-engine';
import { DUPLICATE_MEMBERS_FILTER, FACET_FIELDS, GENERATION_FIELD, MAX_TOTAL_HITS, MAX_VALUES_PER_FACET, PRIMARY_KEY } from './settings';
import { applyKeyPolicy } from './keys';

/**
 * Where "the engine" is: an external one named by MEILI_URL, or the embedded binary started here. Everything above
 * this module asks it for an Engine and never cares which.
 */
export interface EngineHandle {
  mode: 'external' | 'embedded';
  url: string;
  /** Key with write rights, for the indexer and for setting up keys. */
  adminKey: string | undefined;
  /** Key the API searches with. */
  searchKey: string | undefined;
  admin: Engine;
  /** Client with the search-only key: what the API uses (services/meili/keys.ts). */
  search: Engine;
  /** The nodes of a sharded engine network (MEILI_SHARDS > 1 or MEILI_NETWORK); absent for one engine. */
  nodes?: NodeAddress[];
  stop(): Promise<void>;
}

export async function openEngine(config: Config, log: Logger): Promise<EngineHandle> {
  const located = await locateEngine(config, log);
  try {
    return await applyKeyPolicy(located, config, log);
  } catch (err) {
    await located.stop();
    throw err;
  }
}

async function locateEngine(config: Config, log: Logger): Promise<Omit<EngineHandle, 'search'>> {
  if (config.MEILI_NETWORK) return openNetwork(config, log, parseNetworkSpec(config.MEILI_NETWORK));
  if (config.MEILI_SHARDS > 1 && !config.MEILI_URL) return openEmbeddedShards(config, log);
  if (config.MEILI_URL) {
    const adminKey = config.MEILI_API_KEY ?? config.MEILI_MASTER_KEY;
    const admin = new NodeEngine({ url: config.MEILI_URL, apiKey: adminKey, timeoutMs: config.MEILI_TIMEOUT_MS });
    log.info({ url: config.MEILI_URL }, 'using external Meilisearch');
    return {
      mode: 'external',
      url: config.MEILI_URL,
      adminKey,
      searchKey: config.MEILI_SEARCH_KEY ?? adminKey,
      admin,
      stop: async () => {},
    };
  }
  const dataDir = path.resolve(config.MEILI_DATA_DIR);
  const masterKey = resolveMasterKey(dataDir, config.MEILI_MASTER_KEY);
  const attached = await attachToRunning(config, masterKey);
  if (attached) {
    // `npm run index` while `npm start` runs: use the engine that already owns this data folder.
    log.info({ url: attached.connection.url }, 'using the embedded Meilisearch that is already running');
    return {
      mode: 'embedded',
      url: attached.connection.url,
      adminKey: masterKey,
      searchKey: config.MEILI_SEARCH_KEY ?? masterKey,
      admin: attached,
      stop: async () => {},
    };
  }
  const running: RunningEngine = await startEmbeddedEngine({
    dataDir,
    port: config.MEILI_PORT,
    masterKey,
    binary: config.MEILI_BINARY,
  });
  log.info({ url: running.url, dataDir, pid: running.pid }, 'embedded Meilisearch started');
  return {
    mode: 'embedded',
    url: running.url,
    adminKey: masterKey,
    searchKey: config.MEILI_SEARCH_KEY ?? masterKey,
    admin: new NodeEngine({ url: running.url, apiKey: masterKey, timeoutMs: config.MEILI_TIMEOUT_MS }),
    stop: () => running.stop(),
  };
}

/** An engine already listening on the embedded port that accepts this data folder's key, or null. */
async function attachToRunning(config: Config, masterKey: string): Promise<NodeEngine | null> {
  const probe = new NodeEngine({ url: `http://127.0.0.1:${config.MEILI_PORT}`, apiKey: masterKey, timeoutMs: 2_000 });
  try {
    await probe.version();
    return new NodeEngine({ ...probe.connection, timeoutMs: config.MEILI_TIMEOUT_MS });
  } catch {
    return null;
  } finally {
    probe.close();
  }
}

function shardedEngine(config: Config, nodes: readonly NodeAddress[], apiKey: string | undefined): ShardedEngine {
  return new ShardedEngine({
    nodes,
    apiKey,
    timeoutMs: config.MEILI_TIMEOUT_MS,
    primaryKey: PRIMARY_KEY,
    maxValuesPerFacet: MAX_VALUES_PER_FACET,
    maxTotalHits: MAX_TOTAL_HITS,
    duplicateMembersFilter: DUPLICATE_MEMBERS_FILTER,
    countingFacet: FACET_FIELDS.outlet,
    generationField: GENERATION_FIELD,
  });
}

/**
 * MEILI_SHARDS=N: N embedded engines on MEILI_PORT, +1, ... with data in MEILI_DATA_DIR/node-i, one master key for
 * all (kept beside the data), configured as one network that shards writes. Nodes already running with this data
 * (an `npm run index` beside `npm start`) are attached to, not started twice.
 */
async function openEmbeddedShards(config: Config, log: Logger): Promise<Omit<EngineHandle, 'search'>> {
  const baseDir = path.resolve(config.MEILI_DATA_DIR);
  const masterKey = resolveMasterKey(baseDir, config.MEILI_MASTER_KEY);
  const nodes = embeddedNodes(config.MEILI_SHARDS, config.MEILI_PORT);
  const started: RunningEngine[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((e) => e.stop()));
  };
  try {
    for (const [i, node] of nodes.entries()) {
      const port = config.MEILI_PORT + i;
      if (await attachToRunning({ ...config, MEILI_PORT: port }, masterKey)) {
        log.info({ node: node.name, url: node.url }, 'using the embedded Meilisearch node that is already running');
        continue;
      }
      const running = await startEmbeddedEngine({ dataDir: path.join(baseDir, node.name), port, masterKey, binary: config.MEILI_BINARY }).catch((err: unknown) => {
        // Not attached and not startable: most often a node of this network that runs but does not answer (hung).
        throw new Error(`node ${node.name} (${node.url}) did not answer and could not be started: ${err instanceof Error ? err.message : String(err)}`);
      });
      started.push(running);
      log.info({ node: node.name, url: running.url, pid: running.pid }, 'embedded Meilisearch node started');
    }
    const engine = shardedEngine(config, nodes, masterKey);
    await engine.configureNetwork({ searchApiKey: masterKey, writeApiKey: masterKey });
    log.info({ nodes: nodes.map((n) => n.name) }, 'embedded engine network configured with sharding');
    return {
      mode: 'embedded',
      url: nodes[0]?.url ?? '',
      adminKey: masterKey,
      searchKey: config.MEILI_SEARCH_KEY ?? masterKey,
      admin: engine,
      nodes,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/**
 * MEILI_NETWORK=name=url,...: engines run elsewhere. With an admin key the network is written on every node; with a
 * lesser key it is read and verified; with a search-only key it is taken as given. Nodes that do not answer now are
 * reported and searched around (partial).
 */
async function openNetwork(config: Config, log: Logger, nodes: NodeAddress[]): Promise<Omit<EngineHandle, 'search'>> {
  const adminKey = config.MEILI_API_KEY ?? config.MEILI_MASTER_KEY;
  const searchKey = config.MEILI_SEARCH_KEY ?? adminKey;
  const engine = shardedEngine(config, nodes, adminKey);
  if (!adminKey && searchKey) {
    // A search-only key may not read a node's network, so there is nothing to verify with it: whoever holds the master
    // key configured the network (docker-compose: meili-network, then engine-keys-cluster, before this API starts).
    log.info({ nodes: nodes.map((n) => `${n.name}=${n.url}`) }, 'using an engine network as configured (a search-only key cannot read it)');
    return { mode: 'external', url: nodes[0]?.url ?? '', adminKey, searchKey, admin: engine, nodes, stop: async () => {} };
  }
  const outcome = await engine.configureNetwork({ searchApiKey: searchKey ?? null, writeApiKey: adminKey ?? null });
  if (outcome.unreachable.length > 0) log.warn({ unreachable: outcome.unreachable }, 'engine network nodes not reachable at start');
  if (outcome.unverified.length > 0) log.warn({ unverified: outcome.unverified }, 'this key may not read the engine network; not verified');
  log.info({ nodes: nodes.map((n) => `${n.name}=${n.url}`), configured: outcome.configured, verified: outcome.verified }, 'using an engine network');
  return { mode: 'external', url: nodes[0]?.url ?? '', adminKey, searchKey, admin: engine, nodes, stop: async () => {} };
}
