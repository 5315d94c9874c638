import path from 'node:path';
import { INDEXER_HEAP_FLAG } from '../../indexer/heap';
import { API_ENV, API_HEAP_FLAGS } from '../../search-api/heap';
import { freePort } from '../../services/meili/embedded';
import { PROJECT_ROOT } from '../../services/paths';
import { serviceEnv, type StartedEngine } from './engine-setup';
import { startService } from './proc';

/** A compiled entry point of this project run as its own process (the indexer and the API run as in production). */
export function distCommand(entry: string, nodeFlags: readonly string[] = []): string[] {
  return [process.execPath, ...nodeFlags, path.join(PROJECT_ROOT, 'dist', entry)];
}

/** The indexer as users run it (`npm run index`, the container): with its heap cap (indexer/heap.ts). */
export const indexerCommand = (): string[] => distCommand('indexer/cli.js', [INDEXER_HEAP_FLAG]);

export interface RunningApi {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The API as `npm start` runs it (compiled, production mode, its log to a file), on a free port, searching `indexUid`
 * on `engine`: one node through MEILI_URL, a network through MEILI_NETWORK. No rate limit, no indexing at start.
 */
export async function startApi(engine: StartedEngine, indexUid: string, logFile: string, opts: { profileDir?: string | undefined } = {}): Promise<RunningApi> {
  const port = await freePort();
  const api = await startService(
    process.execPath,
    [
      ...API_HEAP_FLAGS,
      ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profileDir)}`] : []),
      // BENCH_API_ENTRY: another build of the API (e.g. the commit before an optimisation) for before/after runs.
      process.env.BENCH_API_ENTRY ?? path.join(PROJECT_ROOT, 'dist', 'search-api', 'main.js'),
    ],
    serviceEnv(process.env, engine, {
      ...API_ENV,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      MEILI_INDEX: indexUid,
      INDEX_ON_START: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info',
    }),
    logFile,
    /search API and web page ready/,
  );
  return { url: `http://127.0.0.1:${port}`, pid: api.pid, stop: api.stop };
}
