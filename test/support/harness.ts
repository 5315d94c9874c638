import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { indexFiles } from '../../indexer';
import type { IndexSummary } from '../../indexer/pipeline';
import { createSearchApi } from '../../search-api';
import { startServer, type RunningServer } from '../../search-api/server';
import { silentLogger } from '../../services/logger';
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
  server: RunningServer;
  /** GET a path of the API and parse the JSON answer. */
  get<T = any>(pathAndQuery: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The real API, in-process on an ephemeral port, over the given index. */
export async function startTestApi(engine: Engine, indexUid: string): Promise<TestApi> {
  const app = createSearchApi({ engine, indexUid, log: silentLogger });
  const server = await startServer(app, 0, '127.0.0.1');
  return {
    server,
    async get(pathAndQuery) {
      const res = await fetch(`${server.url}${pathAndQuery}`);
      return { status: res.status, body: await res.json() };
    },
    close: () => server.close(1_000),
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
    started = await startTestApi(engine, index);
  });
  afterAll(async () => {
    await started?.close();
    await engine.deleteIndexIfExists(index);
  });
  const api: TestApi = {
    get server() {
      return current().server;
    },
    get: (pathAndQuery) => current().get(pathAndQuery),
    close: () => current().close(),
  };
  return { engine, index, api };
}
