import { setTimeout as sleep } from 'node:timers/promises';
import { startService, SHUTDOWN_GRACE_MS } from './service';
import { ConfigError, loadConfig, loadDotenv } from '../services/config';
import { createLogger } from '../services/logger';

/**
 * `npm start` and the search-api container: the engine (embedded unless MEILI_URL is set), the bundled sample corpus
 * indexed, and the API with the web page on http://localhost:PORT (service.ts). Ctrl-C or SIGTERM drains requests and
 * stops the engine: no orphan process.
 */
async function main(): Promise<void> {
  loadDotenv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'news-search');
  const starting = new AbortController();
  let stopping = false;

  const started = startService(config, log, { signal: starting.signal });
  const startup = started.catch(() => undefined);

  async function shutdown(signal: string, code = 0): Promise<void> {
    if (stopping) return;
    stopping = true;
    log.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'shutting down: draining in-flight requests');
    // A signal during start-up stops what has started; start-up that hangs does not hold the exit past the grace period.
    starting.abort();
    const running = await Promise.race([startup, sleep(SHUTDOWN_GRACE_MS, undefined, { ref: false })]);
    await running?.stop(SHUTDOWN_GRACE_MS);
    log.info('stopped');
    process.exit(code);
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A stray rejection is a bug to log, not a reason to drop every in-flight request.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
  try {
    await started;
  } catch (err) {
    if (stopping) return;
    log.fatal({ err }, 'startup failed');
    await shutdown('startup-failure', 1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
});
