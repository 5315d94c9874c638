import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexFiles } from '../../indexer';
import { buildIndexName, reindex } from '../../indexer/reindex';
import type { SearchResponse } from '../../search-api/search/search-service';
import { silentLogger } from '../../services/logger';
import { IndexSwapInProgressError } from '../../services/meili/errors';
import { GENERATION_FIELD } from '../../services/meili/settings';
import { isSharded, ShardedEngine } from '../../services/meili/sharded-engine';
import { qs, SAMPLE_CORPUS, startApiOn, uniqueIndex, type TestApi } from '../support/harness';
import { startShardNetwork, type ShardNetwork } from '../support/shard-network';
import { writeSyntheticCorpus } from '../support/synthetic-corpus';

/**
 * A reindex swap on a sharded index: the nodes swap one after another, and for that moment one node answers from the
 * new index and another from the old. The API must never answer with that mix. The mixed state is made on purpose
 * here (one node swapped through its own API, the others not) and held as long as the test needs it.
 */

const KEY = 'swap-test-master-key-0123456789ab';
const INDEX = uniqueIndex('swap');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'news-search-swap-'));
const oldCorpus = path.join(tmp, 'old.jsonl');
const newCorpus = path.join(tmp, 'new.jsonl');

let network: ShardNetwork;
let sharded: ShardedEngine;
/** The API with the engine's default check, waiting briefly for the nodes to agree. */
let quick: TestApi;
/** The API waiting long enough for a test to finish the swap while its requests wait. */
let patient: TestApi;
/** The API with the generation check turned off: what would be served without it. */
let unchecked: TestApi;

/** The API's own search engine (search-only key), with other options. */
function searchEngine(options: Partial<ShardedEngine['options']>): ShardedEngine {
  const search = network.handle.search;
  if (!isSharded(search)) throw new Error('not sharded');
  return new ShardedEngine({ ...search.options, ...options });
}

/** Every copy, nothing collapsed: the total is the number of documents the nodes answered from. */
const everything = qs({ q: '', collapse: false, limit: 5 });

/** Requests that take each engine path: placeholder, relevance with cross-language phrasings, counting queries, facet values. */
const paths = [
  `/api/search${everything}`,
  `/api/search${qs({ q: 'Shanghai Cooperation Organisation' })}`,
  `/api/search${qs({ q: '合作', outlet: ['xinhua', 'reuters'], sort: 'newest' })}`,
  `/api/facets/outlet${qs({ q: 'x', query: '合作' })}`,
];

async function documentsPerNode(): Promise<number[]> {
  return Promise.all(sharded.nodes.map((n) => n.engine.countDocuments(INDEX)));
}

async function total(api: TestApi): Promise<number> {
  const res = await api.get<SearchResponse>(`/api/search${everything}`);
  expect(res.status).toBe(200);
  expect(res.body.partial).toBe(false);
  return res.body.total;
}

beforeAll(async () => {
  writeSyntheticCorpus(oldCorpus, { count: 150, seed: 3 });
  writeSyntheticCorpus(newCorpus, { count: 400, seed: 5 });
  network = await startShardNetwork({ shards: 3, dataDir: path.join(tmp, 'meili'), masterKey: KEY, index: INDEX });
  sharded = network.sharded;
  const built = await reindex({ engine: sharded, liveIndex: INDEX, files: [SAMPLE_CORPUS, oldCorpus], log: silentLogger });
  expect(built.generation).toBe(1);
  quick = await startApiOn(searchEngine({ swapWaitMs: 300 }), INDEX);
  patient = await startApiOn(searchEngine({ swapWaitMs: 60_000 }), INDEX);
  unchecked = await startApiOn(searchEngine({ generationField: undefined }), INDEX);
}, 300_000);

afterAll(async () => {
  for (const api of [quick, patient, unchecked]) await api?.close();
  await network?.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('a reindex swap on a sharded index', () => {
  it('never answers from two generations: 503 index_swap_in_progress while the nodes disagree, whole from the new one after', async () => {
    const oldTotal = await sharded.countDocuments(INDEX);
    // Every API has answered once, so each holds generation 1 as the one it expects.
    for (const api of [quick, patient, unchecked]) expect(await total(api)).toBe(oldTotal);

    const build = buildIndexName(INDEX);
    const generation = (await sharded.currentGeneration(INDEX, GENERATION_FIELD)) + 1;
    expect(generation).toBe(2);
    const summary = await indexFiles({ engine: sharded, indexUid: build, files: [SAMPLE_CORPUS, newCorpus], log: silentLogger, generation });
    expect(summary.failedTasks).toEqual([]);
    const newTotal = await sharded.countDocuments(build);
    expect(newTotal).toBeGreaterThan(oldTotal);

    // Engines for each kind of request, primed (generation 1 learnt) before the mix; they refuse at once. Counting
    // queries are a plain multi-search per node, the rest federations; a query without text carries the probe in its
    // filter, one with text gets probe queries beside it.
    const kinds = ['', '合作'].flatMap((q) => [
      { name: `counting q=${q}`, engine: searchEngine({ swapWaitMs: 0 }), run: (e: ShardedEngine) => e.multiSearch([{ indexUid: INDEX, q, limit: 0, facets: ['outlet'] }]) },
      { name: `hits q=${q}`, engine: searchEngine({ swapWaitMs: 0 }), run: (e: ShardedEngine) => e.multiSearch([{ indexUid: INDEX, q, limit: 5 }]) },
      { name: `federation q=${q}`, engine: searchEngine({ swapWaitMs: 0 }), run: (e: ShardedEngine) => e.federatedSearch([{ indexUid: INDEX, q }], { limit: 5 }) },
    ]);
    for (const k of kinds) await k.run(k.engine);
    const uncheckedEngine = searchEngine({ generationField: undefined });

    // node-1 swaps, node-0 and node-2 do not: the network is mixed until the test says otherwise.
    const before = await documentsPerNode();
    await sharded.nodes[1]?.engine.swapIndexes(INDEX, build);
    const mixed = await documentsPerNode();
    expect(await Promise.all(sharded.nodes.map((n) => n.engine.currentGeneration(INDEX, GENERATION_FIELD)))).toEqual([1, 2, 1]);
    const mixTotal = mixed.reduce((a, b) => a + b, 0);
    expect(mixed[1]).not.toBe(before[1]);
    expect([oldTotal, newTotal]).not.toContain(mixTotal);

    // Without the check the API serves the mix: node-1's share from the new index, the others' from the old.
    expect(await total(unchecked)).toBe(mixTotal);
    const [uncheckedCount] = await uncheckedEngine.multiSearch([{ indexUid: INDEX, q: '', limit: 0, facets: ['outlet'] }]);
    expect(uncheckedCount?.estimatedTotalHits).toBe(mixTotal);

    // With it, every kind of request sees the mix by itself.
    for (const k of kinds) await expect(k.run(k.engine).then(() => k.name)).rejects.toBeInstanceOf(IndexSwapInProgressError);

    // The patient API's requests wait while the nodes disagree...
    let settled = 0;
    const waiting = paths.map((p) => patient.get<SearchResponse>(p).finally(() => (settled += 1)));

    // ...and the quick one refuses, on every path, each time it is asked, with a code and Retry-After.
    for (let round = 0; round < 2; round++) {
      for (const p of paths) {
        const res = await fetch(`${quick.server.url}${p}`);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('1');
        expect(await res.json()).toEqual({ error: { code: 'index_swap_in_progress', message: expect.any(String) } });
      }
    }
    expect(settled).toBe(0);

    // The other nodes swap too: the network is whole again, on generation 2.
    await Promise.all([0, 2].map((i) => sharded.nodes[i]?.engine.swapIndexes(INDEX, build)));
    expect((await documentsPerNode()).reduce((a, b) => a + b, 0)).toBe(newTotal);

    const answers = await Promise.all(waiting);
    for (const a of answers) expect(a.status).toBe(200);
    const [all, relevance, filtered] = answers.map((a) => a.body as SearchResponse);
    expect(all?.total).toBe(newTotal);
    for (const r of [all, relevance, filtered]) expect(r?.partial).toBe(false);

    // No restart: the quick API answers whole, from generation 2, and equal to the patient one's answers.
    expect(await total(quick)).toBe(newTotal);
    for (const [i, p] of paths.entries()) {
      const res = await quick.get<SearchResponse>(p);
      expect(res.status).toBe(200);
      const { tookMs: _a, ...mine } = res.body as SearchResponse;
      const { tookMs: _b, ...theirs } = answers[i]?.body as SearchResponse;
      expect(mine).toEqual(theirs);
    }
    await sharded.deleteIndexIfExists(build);
  }, 180_000);

  it('answers from the old or the new generation, or 503, while `npm run reindex` swaps: never in between', async () => {
    const before = await sharded.countDocuments(INDEX);
    const seen: Array<number | string> = [];
    let done = false;
    const hammer = (async () => {
      while (!done) {
        const res = await fetch(`${quick.server.url}/api/search${everything}`);
        const body = (await res.json()) as SearchResponse & { error?: { code: string } };
        seen.push(res.status === 200 ? body.total : `${res.status} ${body.error?.code ?? ''}`);
      }
    })();
    const result = await reindex({ engine: sharded, liveIndex: INDEX, files: [SAMPLE_CORPUS, oldCorpus], log: silentLogger, minRatio: 0 });
    done = true;
    await hammer;
    expect(result).toMatchObject({ generation: 3, previousCount: before });
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect([before, result.count, '503 index_swap_in_progress']).toContain(s);
    expect(await total(quick)).toBe(result.count);
  }, 180_000);
});
