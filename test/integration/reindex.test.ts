import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_MARKER, reindex, ReindexRefused } from '../../indexer/reindex';
import { silentLogger } from '../../services/logger';
import { NodeEngine } from '../../services/meili/node-engine';
import { keyUid, provisionKeys } from '../../services/meili/keys';
import { engineFromEnv } from '../support/engine-choice';
import { indexInto, startServiceWith, testEngine, uniqueIndex, type TestService } from '../support/harness';
import { syntheticArticles, writeJsonl } from '../support/reliability';

/**
 * A full reindex under live traffic: the API (search-only key) answers queries in a tight loop from before the
 * reindex starts until after it ends. Every answer must be a 200 whose total is the old corpus or the new one: never
 * an error, never a half-built index.
 */

const OLD = 300;
// The API's total is capped at the engine's maxTotalHits (1,000), so both corpora stay below it.
const NEW = 950;
const choice = engineFromEnv();
const master = testEngine(30_000);
const live = uniqueIndex('reindex');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-reindex-'));
const oldFile = writeJsonl(path.join(dir, 'old.jsonl'), syntheticArticles(OLD, 'reindexed'));
const newFile = writeJsonl(path.join(dir, 'new.jsonl'), syntheticArticles(NEW, 'reindexed'));
const tinyFile = writeJsonl(path.join(dir, 'tiny.jsonl'), syntheticArticles(5, 'reindexed'));
let indexer: NodeEngine;
let server: TestService;

beforeAll(async () => {
  const keys = await provisionKeys(master, live);
  indexer = new NodeEngine({ url: choice.url, apiKey: keys.indexerKey, timeoutMs: 30_000 });
  expect((await indexInto(indexer, live, [oldFile])).failedTasks).toEqual([]);
  server = await startServiceWith(live);
  expect(server.searchKey).toBe(keys.searchKey);
}, 120_000);

afterAll(async () => {
  await server?.close(1_000);
  for (const uid of await master.listIndexUids(live)) await master.deleteIndexIfExists(uid);
  for (const role of ['search', 'indexer'] as const) await master.client.deleteKey(keyUid(role, live)).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

it('swaps in a new index atomically: queries throughout see old or new totals and never fail', async () => {
  const seen = new Map<string, number>();
  let queries = 0;
  let duringReindex = 0;
  let running = true;
  let reindexing = true;
  const loop = (async () => {
    const paths = ['/api/search?collapse=false', '/api/search?q=reindexed&collapse=false', '/api/search?q=synthetic+report&collapse=false&page=2'];
    while (running) {
      const p = paths[queries % paths.length] as string;
      queries += 1;
      if (reindexing) duringReindex += 1;
      const res = await fetch(`${server.url}${p}`);
      const key = res.status === 200 ? `total=${((await res.json()) as { total: number }).total}` : `status=${res.status} ${await res.text()}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  })();

  let result;
  try {
    result = await reindex({ engine: indexer, liveIndex: live, files: [newFile], batchSize: 50, log: silentLogger });
    reindexing = false;
    // Keep querying a little after the swap, to see the new index answer.
    const after = queries;
    while (queries < after + 20) await new Promise((r) => setTimeout(r, 10));
  } finally {
    running = false;
    await loop;
  }

  // The live index was built by an incremental run (no generation yet): the reindex builds generation 1.
  expect(result).toMatchObject({ previousCount: OLD, count: NEW, generation: 1 });
  expect([...seen.keys()].sort()).toEqual([`total=${NEW}`, `total=${OLD}`].sort());
  expect(duringReindex).toBeGreaterThan(10); // the loop really overlapped the reindex
  process.stdout.write(`[reindex] ${queries} queries, ${duringReindex} during the reindex: ${JSON.stringify(Object.fromEntries(seen))}\n`);
  expect(await master.countDocuments(live)).toBe(NEW);
  expect(await master.listIndexUids(`${live}${BUILD_MARKER}`)).toEqual([]); // the old contents were dropped
});

it('refuses to swap in a much smaller index and leaves the live one as it was', async () => {
  await expect(reindex({ engine: indexer, liveIndex: live, files: [tinyFile], log: silentLogger })).rejects.toBeInstanceOf(ReindexRefused);
  expect(await master.countDocuments(live)).toBe(NEW);
  expect(await master.listIndexUids(`${live}${BUILD_MARKER}`)).toEqual([]);
  const res = await fetch(`${server.url}/api/search?collapse=false`);
  expect(((await res.json()) as { total: number }).total).toBe(NEW);
});

it('creates the live index by renaming when there is none yet, and drops leftovers of an interrupted reindex', async () => {
  const fresh = `${live}x`;
  const leftover = `${fresh}${BUILD_MARKER}20000101000000000`;
  await master.prepareIndex(leftover, 'id', {});
  const r = await reindex({ engine: indexer, liveIndex: fresh, files: [tinyFile], log: silentLogger });
  expect(r).toMatchObject({ previousCount: null, count: 5 });
  expect(await master.countDocuments(fresh)).toBe(5);
  expect(await master.listIndexUids(`${fresh}${BUILD_MARKER}`)).toEqual([]);
  await master.deleteIndexIfExists(fresh);
});

it('stamps generations: an incremental run after a reindex writes the live generation, the next reindex the one after', async () => {
  const generations = async () => {
    const res = await master.search(live, '', { limit: 0, facets: ['generation'] });
    return res.facetDistribution?.generation ?? {};
  };
  expect(Object.keys(await generations())).toEqual(['1']);
  const extra = writeJsonl(path.join(dir, 'extra.jsonl'), syntheticArticles(3, 'stamped'));
  expect((await indexInto(indexer, live, [extra])).failedTasks).toEqual([]);
  expect(Object.keys(await generations())).toEqual(['1']);
  expect(await master.currentGeneration(live, 'generation')).toBe(1);

  const again = await reindex({ engine: indexer, liveIndex: live, files: [newFile], log: silentLogger });
  expect(again.generation).toBe(2);
  expect(await generations()).toEqual({ '2': NEW });
});
