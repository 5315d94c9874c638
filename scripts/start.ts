import { indexFiles } from '../indexer';
import { createSearchApi } from '../search-api';
import { startServer } from '../search-api/server';
import { ConfigError, loadConfig, loadDotenv } from '../services/config';
import { createLogger } from '../services/logger';
import { openEngine, type EngineHandle } from '../services/meili/topology';
import path from 'node:path';
import { PROJECT_ROOT } from '../services/paths';
import { processMetrics } from '../search-api/metrics';

/** How long SIGTERM waits for in-flight requests before cutting connections (below the usual 30 s kill timeout). */
const SHUTDOWN_GRACE_MS = 10_000;

/**
 * `npm start`: the engine (embedded unless MEILI_URL is set), the bundled sample corpus indexed, and the API with the
 * web page on http://localhost:PORT. Ctrl-C or SIGTERM drains requests and stops the engine: no orphan process.
 */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'news-search');
  let engine: EngineHandle | null = null;
  let stopping = false;
  const lifecycle = { draining: false };
  const metrics = processMetrics();

  // Order matters: fail readiness, stop accepting, let in-flight requests finish (bounded by the grace period), and
  // only then stop the engine those requests are waiting on.
  const shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    lifecycle.draining = true;
    log.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'shutting down: draining in-flight requests');
    await server?.close(SHUTDOWN_GRACE_MS).catch(() => undefined);
    await engine?.stop().catch(() => undefined);
    log.info('stopped');
    process.exit(code);
  };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A stray rejection is a bug to log, not a reason to drop every in-flight request.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

  try {
    engine = await openEngine(config, log);
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
    server = await startServer(app, config.PORT, config.HOST);
    log.info({ url: server.url }, 'search API and web page ready');
  } catch (err) {
    log.fatal({ err }, 'startup failed');
    await shutdown('startup-failure', 1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
});
