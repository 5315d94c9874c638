import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedEngine, resolveMasterKey, type RunningEngine } from './embedded';
import { Engine } from './engine';
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
  if (config.MEILI_URL) {
    const adminKey = config.MEILI_API_KEY ?? config.MEILI_MASTER_KEY;
    const admin = new Engine({ url: config.MEILI_URL, apiKey: adminKey, timeoutMs: config.MEILI_TIMEOUT_MS });
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
    admin: new Engine({ url: running.url, apiKey: masterKey, timeoutMs: config.MEILI_TIMEOUT_MS }),
    stop: () => running.stop(),
  };
}

/** An engine already listening on the embedded port that accepts this data folder's key, or null. */
async function attachToRunning(config: Config, masterKey: string): Promise<Engine | null> {
  const engine = new Engine({ url: `http://127.0.0.1:${config.MEILI_PORT}`, apiKey: masterKey, timeoutMs: 2_000 });
  try {
    await engine.client.getVersion();
    return new Engine({ ...engine.connection, timeoutMs: config.MEILI_TIMEOUT_MS });
  } catch {
    return null;
  }
}
