import path from 'node:path';
import { indexFiles } from '../indexer';
import type { Config } from '../services/config';
import type { Logger } from '../services/logger';
import { openEngine, type EngineHandle } from '../services/meili/topology';
import { PROJECT_ROOT } from '../services/paths';
import { createSearchApi } from './index';
import { processMetrics, type Metrics } from './metrics';
import type { Lifecycle } from './routes';
import { startServer } from './server';

/** How long stopping waits for in-flight requests before cutting connections (below the usual 30 s kill timeout). */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface RunningService {
  url: string;
  port: number;
  /** The engine as opened: `search` (the API's client) holds the search-only key, `admin` the indexer's key. */
  engine: EngineHandle;
  /**
   * Fails readiness, stops accepting, lets in-flight requests finish (bounded by the grace period), and only then
   * stops the engine those requests are waiting on.
   */
  stop(graceMs?: number): Promise<void>;
}

export interface ServiceOptions {
  metrics?: Metrics;
  /** Aborted while starting: what has started is stopped and the start rejects. */
  signal?: AbortSignal;
}

/**
 * The running service as `npm start` and the container start it, and as the tests start it: the engine located and
 * given its keys (services/meili/topology.ts, keys.ts), the sample corpus indexed with the indexer's key when
 * INDEX_ON_START, and the API with the web page searching with the search-only key on HOST:PORT (PORT=0: ephemeral).
 * One function, so a test cannot wire the API differently from production.
 */
export async function startService(config: Config, log: Logger, options: ServiceOptions = {}): Promise<RunningService> {
  const metrics = options.metrics ?? processMetrics();
  const engine = await openEngine(config, log);
  try {
    options.signal?.throwIfAborted();
    if (config.INDEX_ON_START) {
      const summary = await indexFiles({
        engine: engine.admin,
        indexUid: config.MEILI_INDEX,
        files: [path.resolve(PROJECT_ROOT, config.SAMPLE_CORPUS)],
        batchSize: config.INDEX_BATCH_SIZE,
        log,
      });
      metrics.recordIndexRun(summary);
      log.info({ read: summary.read, indexed: summary.indexed, skipped: summary.skipped, failedTasks: summary.failedTasks.length, ms: summary.durationMs }, 'sample corpus indexed');
    }
    options.signal?.throwIfAborted();
    const lifecycle: Lifecycle = { draining: false };
    const app = createSearchApi({
      // The API holds the search-only key: a compromised API process cannot change the archive.
      engine: engine.search,
      indexUid: config.MEILI_INDEX,
      log,
      corsOrigins: config.CORS_ORIGINS,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      metrics,
      lifecycle,
    });
    const server = await startServer(app, config.PORT, config.HOST);
    log.info({ url: server.url }, 'search API and web page ready');
    return {
      url: server.url,
      port: server.port,
      engine,
      async stop(graceMs = SHUTDOWN_GRACE_MS) {
        lifecycle.draining = true;
        await server.close(graceMs).catch(() => undefined);
        await engine.stop().catch(() => undefined);
      },
    };
  } catch (err) {
    await engine.stop().catch(() => undefined);
    throw err;
  }
}
