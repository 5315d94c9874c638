import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { indexFiles } from '../../indexer';
import type { IndexSummary } from '../../indexer/pipeline';
import { createSearchApi } from '../../search-api';
import type { Metrics } from '../../search-api/metrics';
import { startServer, type RunningServer } from '../../search-api/server';
import { startService } from '../../search-api/service';
import { loadConfig, type Config } from '../../services/config';
import { silentLogger, type Logger } from '../../services/logger';
import type { Engine } from '../../services/meili/engine';
import { NodeEngine } from '../../services/meili/node-engine';
import { PROJECT_ROOT } from '../../services/paths';
import { engineFromEnv } from './engine-choice';

export const SAMPLE_CORPUS = path.join(PROJECT_ROOT, 'data', 'sample', 'sco-summit-2025.txt');

/** An engine client on the run's test engine. */
export function testEngine(timeoutMs = 10_000): NodeEngine {
  const choice = engineFromEnv();
  return new NodeEngine({ url: choice.url, apiKey: choice.apiKey, timeoutMs });
}

/** A fresh index name per suite, so suites can share one engine and run side by side. */
export function uniqueIndex(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function indexInto(engine: Engine, indexUid: string, files: readonly string[] = [SAMPLE_CORPUS]): Promise<IndexSummary> {
  return indexFiles({ engine, indexUid, files, log: silentLogger });
}

export interface TestApi {
  server: { url: string; port: number };
  /** The key the API searches with: the scoped search-only key, as in production. */
  searchKey: string | undefined;
  /** GET a path of the API and parse the JSON answer. */
  get<T = any>(pathAndQuery: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** Environment settings of the service (services/config.ts) a test may change, e.g. MEILI_URL or CORS_ORIGINS. */
export type ServiceEnv = Partial<Record<keyof Config, string>>;

/**
 * The service's configuration on the run's test engine, as an operator running `npm start` against an existing
 * engine would give it: MEILI_URL and the engine's key (normally the master key, from which start-up derives the
 * scoped keys), the index, and no sample indexing (the tests index what they need).
 */
export function testServiceConfig(indexUid: string, env: ServiceEnv = {}): Config {
  const choice = engineFromEnv();
  // An external engine given with MEILI_API_KEY (global-setup.ts) is handed to the service the same way.
  const keyVariable = choice.kind === 'external' && process.env.MEILI_API_KEY ? 'MEILI_API_KEY' : 'MEILI_MASTER_KEY';
  return loadConfig({
    MEILI_URL: choice.url,
    [keyVariable]: choice.apiKey,
    ...(process.env.MEILI_SEARCH_KEY ? { MEILI_SEARCH_KEY: process.env.MEILI_SEARCH_KEY } : {}),
    MEILI_INDEX: indexUid,
    MEILI_TIMEOUT_MS: '10000',
    INDEX_ON_START: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    ...env,
  });
}

/** A started service: its address, the key its API searches with, and its stop (which drains, then stops). */
export interface TestService extends RunningServer {
  searchKey: string | undefined;
}

/**
 * The real service, in-process on an ephemeral port, over the given index: started by startService, the function
 * `npm start` runs, so the API holds exactly the key production gives it (the search-only key), never a master key.
 * `env` changes settings (another MEILI_URL, CORS_ORIGINS, ...); `options` hands in a log or metrics to inspect.
 */
export async function startServiceWith(indexUid: string, env: ServiceEnv = {}, options: { log?: Logger; metrics?: Metrics } = {}): Promise<TestService> {
  const config = testServiceConfig(indexUid, env);
  const service = await startService(config, options.log ?? silentLogger, { metrics: options.metrics });
  if (config.MEILI_MASTER_KEY && service.engine.searchKey === config.MEILI_MASTER_KEY) {
    await service.stop(0);
    throw new Error('the API under test would search with the master key: start-up did not derive a search-only key');
  }
  return { url: service.url, port: service.port, searchKey: service.engine.searchKey, close: (graceMs = 1_000) => service.stop(graceMs) };
}

/** The real service (startServiceWith) with a client for its JSON answers. */
export async function startTestApi(indexUid: string, env: ServiceEnv = {}): Promise<TestApi> {
  const service = await startServiceWith(indexUid, env);
  return apiOf(service, service.searchKey, () => service.close());
}

/**
 * The API over an engine client a test built itself (a sharded network with test-only options, an engine that is
 * not there). It bypasses start-up's key wiring: give it the search-only client the topology opened, never an admin one.
 */
export async function startApiOn(engine: Engine, indexUid: string): Promise<TestApi> {
  const server = await startServerOn(engine, indexUid);
  return apiOf(server, engine.connection.apiKey, () => server.close(1_000));
}

/** startApiOn's server itself, with metrics of the test's own to read. */
export async function startServerOn(engine: Engine, indexUid: string, options: { metrics?: Metrics } = {}): Promise<RunningServer> {
  return startServer(createSearchApi({ engine, indexUid, log: silentLogger, metrics: options.metrics }), 0, '127.0.0.1');
}

function apiOf(server: { url: string; port: number }, searchKey: string | undefined, close: () => Promise<void>): TestApi {
  return {
    server: { url: server.url, port: server.port },
    searchKey,
    async get(pathAndQuery) {
      const res = await fetch(`${server.url}${pathAndQuery}`);
      return { status: res.status, body: await res.json() };
    },
    close,
  };
}

/** Builds a query string with repeated keys for arrays. */
export function qs(params: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) sp.append(k, item);
    else sp.append(k, String(v));
  }
  return `?${sp.toString()}`;
}

/**
 * A suite's fixture: the sample corpus in a fresh index and the real API over it, removed after the suite. Call it at
 * the top of a test file; `api` forwards to the API started in beforeAll.
 */
export function sampleApiSuite(prefix: string): { engine: NodeEngine; index: string; api: TestApi } {
  const engine = testEngine();
  const index = uniqueIndex(prefix);
  let started: TestApi | undefined;
  const current = (): TestApi => {
    if (!started) throw new Error('the test API starts in beforeAll');
    return started;
  };
  beforeAll(async () => {
    const summary = await indexInto(engine, index);
    expect(summary).toMatchObject({ read: 10, indexed: 10, skipped: 0, failedTasks: [] });
    started = await startTestApi(index);
  });
  afterAll(async () => {
    await started?.close();
    await engine.deleteIndexIfExists(index);
  });
  const api: TestApi = {
    get server() {
      return current().server;
    },
    get searchKey() {
      return current().searchKey;
    },
    get: (pathAndQuery) => current().get(pathAndQuery),
    close: () => current().close(),
  };
  return { engine, index, api };
}
