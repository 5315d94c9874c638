import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../services/config';
import { silentLogger } from '../../services/logger';
import { keyUid } from '../../services/meili/keys';
import { startService } from '../../search-api/service';
import { engineFromEnv } from '../support/engine-choice';
import { indexInto, testEngine, uniqueIndex } from '../support/harness';
import { collect, spawnTs } from '../support/reliability';

/**
 * docker-compose's key hand-over, outside Docker: the `engine-keys` job (scripts/keys/engine-keys.ts) holds the master
 * key and writes the search-only key to a file; the API then starts in production with nothing but that file
 * (MEILI_SEARCH_KEY_FILE) and answers searches and readiness. test/compose checks the same wiring in the real stack.
 */

const choice = engineFromEnv();
const master = testEngine(30_000);
const index = uniqueIndex('keysjob');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-keys-job-'));
const keyFile = path.join(dir, 'search-key');
const jobEnv = { NODE_ENV: 'production', MEILI_URL: choice.url, MEILI_MASTER_KEY: choice.apiKey, MEILI_INDEX: index, LOG_LEVEL: 'warn' };

const raw = (key: string, method: string, route: string, body?: unknown) =>
  fetch(`${choice.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function runJob(args: string[]): Promise<{ code: number | null; out: string }> {
  const io = collect(spawnTs('scripts/keys/engine-keys.ts', args, jobEnv));
  const { code } = await io.exit;
  return { code, out: io.out() };
}

afterAll(async () => {
  await master.deleteIndexIfExists(index);
  for (const role of ['search', 'indexer'] as const) await master.client.deleteKey(keyUid(role, index)).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('the engine-keys job hands the API a search-only key as a file', () => {
  let searchKey = '';

  beforeAll(async () => {
    const run = await runJob([keyFile]);
    expect(run).toEqual({ code: 0, out: '' });
    searchKey = readFileSync(keyFile, 'utf8').trim();
    await indexInto(master, index);
  }, 60_000);

  it('writes one key, readable by its owner only, that is not the master key and may only search', async () => {
    expect(searchKey).toMatch(/^[0-9a-f]{64}$/);
    expect(searchKey).not.toBe(choice.apiKey);
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    expect((await raw(searchKey, 'POST', `/indexes/${index}/search`, { q: '上海' })).status).toBe(200);
    expect((await raw(searchKey, 'POST', `/indexes/${index}/documents`, [{ id: 'x', title: 'forged' }])).status).toBe(403);
    expect((await raw(searchKey, 'GET', '/keys')).status).toBe(403);
  });

  it('the API starts in production holding only that file, and searches and is ready', async () => {
    // The production start-up itself (search-api/service.ts), as the compose API runs it: only the key file.
    const config = loadConfig({
      NODE_ENV: 'production',
      MEILI_URL: choice.url,
      MEILI_SEARCH_KEY_FILE: keyFile,
      MEILI_INDEX: index,
      INDEX_ON_START: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const server = await startService(config, silentLogger);
    expect(server.engine.searchKey).toBe(searchKey);
    expect(server.engine.adminKey).toBeUndefined();
    expect(server.engine.search.connection.apiKey).toBe(searchKey);
    try {
      const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent('上海精神')}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    } finally {
      await server.stop(1_000);
    }
  });

  it('is idempotent: a re-run writes the same key over the read-only file', async () => {
    expect(await runJob([keyFile])).toEqual({ code: 0, out: '' });
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(searchKey);
  }, 60_000);

  it('says how to use it when the file argument is missing', async () => {
    const run = await runJob([]);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/usage: engine-keys FILE/);
  }, 60_000);
});
