import { indexFiles } from '../indexer';
import { createSearchApi } from '../search-api';
import { startServer } from '../search-api/server';
import { ConfigError, loadConfig, loadDotenv } from '../services/config';
import { createLogger } from '../services/logger';
import { openEngine, type EngineHandle } from '../services/meili/topology';
import path from 'node:path';
import { PROJECT_ROOT } from '../services/paths';

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

  const shutdown = async (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await server?.close().catch(() => undefined);
    await engine?.stop().catch(() => undefined);
    process.exit(code);
  };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

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
      log.info({ read: summary.read, indexed: summary.indexed, skipped: summary.skipped, failedTasks: summary.failedTasks.length, ms: summary.durationMs }, 'sample corpus indexed');
    }
    const app = createSearchApi({
      engine: engine.admin,
      indexUid: config.MEILI_INDEX,
      log,
      corsOrigins: config.CORS_ORIGINS,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
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
