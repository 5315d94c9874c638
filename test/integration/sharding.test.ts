import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIndexer, type IndexSummary } from '../../indexer/pipeline';
import { reindex } from '../../indexer/reindex';
import type { SearchResponse } from '../../search-api/search/search-service';
import { loadConfig } from '../../services/config';
import { loadLexicon } from '../../services/lexicon';
import { silentLogger } from '../../services/logger';
import type { Engine } from '../../services/meili/engine';
import { NodeEngine } from '../../services/meili/node-engine';
import { missingNodesOf } from '../../services/meili/federation';
import { isSharded, type ShardedEngine } from '../../services/meili/sharded-engine';
import { openEngine } from '../../services/meili/topology';
import { startShardNetwork, type ShardNetwork } from '../support/shard-network';
import { OutletRegistry } from '../../services/outlets';
import { qs, SAMPLE_CORPUS, startApiOn, startTestApi, testEngine, uniqueIndex, type TestApi } from '../support/harness';
import { ExactDuplicateGrouper, writeSyntheticCorpus } from '../support/synthetic-corpus';
import { waitFor } from '../support/reliability';

/**
 * Three embedded engines on loopback as one sharded network (MEILI_SHARDS=3 through the real topology code) against
 * the run's single engine, same corpus: the sample plus generated articles with duplicate pairs.
 */

const KEY = 'shard-test-master-key-0123456789';
const SHARDS = 3;
const EXTRA_ARTICLES = 1_200;
const INDEX = uniqueIndex('shards');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'news-search-shards-'));
const corpusFile = path.join(tmp, 'synthetic.jsonl');
let network: ShardNetwork;
let sharded: ShardedEngine;
const single: NodeEngine = testEngine(30_000);
let shardedApi: TestApi;
let singleApi: TestApi;
let pairs = 0;



async function index(engine: Engine): Promise<IndexSummary> {
  const lexicon = loadLexicon();
  return runIndexer({
    engine,
    indexUid: INDEX,
    files: [SAMPLE_CORPUS, corpusFile],
    lexicon: { dictionary: lexicon.words, synonyms: lexicon.synonyms },
    context: { outlets: OutletRegistry.fromFile(), words: (text) => text.split(/\s+/) },
    duplicates: new ExactDuplicateGrouper(),
    batchSize: 500,
    log: silentLogger,
  });
}

beforeAll(async () => {
  pairs = writeSyntheticCorpus(corpusFile, { count: EXTRA_ARTICLES, seed: 11 }).duplicatePairs;
  network = await startShardNetwork({ shards: SHARDS, dataDir: path.join(tmp, 'meili'), masterKey: KEY, index: INDEX });
  sharded = network.sharded;

  const [a, b] = await Promise.all([index(sharded), index(single)]);
  for (const s of [a, b]) expect(s).toMatchObject({ read: 10 + EXTRA_ARTICLES, skipped: 0, failedTasks: [] });
  // Both APIs search with the search-only key start-up derives: the network's as openEngine gave it, the single
  // engine's through the service's own start-up.
  shardedApi = await startApiOn(network.handle.search, INDEX);
  singleApi = await startTestApi(INDEX);
}, 600_000);

afterAll(async () => {
  await shardedApi?.close();
  await singleApi?.close();
  await single.deleteIndexIfExists(INDEX).catch(() => undefined);
  await network?.stop();
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

type Params = Parameters<typeof qs>[0];

async function searchBoth(params: Params): Promise<[SearchResponse, SearchResponse]> {
  const [s, o] = await Promise.all([shardedApi.get<SearchResponse>(`/api/search${qs(params)}`), singleApi.get<SearchResponse>(`/api/search${qs(params)}`)]);
  expect(s.status).toBe(200);
  expect(o.status).toBe(200);
  return [s.body, o.body];
}

/**
 * Everything of an answer that must not depend on the topology. Hits: in order where the order is fully determined
 * (sorted by time; timestamps are distinct), as a set where the whole result fits the page; otherwise hits on both
 * pages must agree in highlighting (which documents fill the last places among equally ranked ones is arbitrary on one
 * engine too; the ranking itself is compared score by score below).
 */
function expectSameAnswer(s: SearchResponse, o: SearchResponse, ordered: boolean): void {
  const view = (r: SearchResponse) => r.hits.map((h) => ({ id: h.id, title: h.highlight.title, snippet: h.highlight.snippet, duplicates: h.duplicates.count }));
  const facets = (r: SearchResponse) => ({
    outlet: Object.fromEntries(r.facets.outlet.map((f) => [f.value, [f.count, f.selected]])),
    theme: Object.fromEntries(r.facets.theme.map((f) => [f.value, [f.count, f.selected]])),
    lang: Object.fromEntries(r.facets.lang.map((f) => [f.value, [f.count, f.selected]])),
  });
  // The cross-language path recounts its collapsed total from the union of copies minus duplicate groups' extra
  // copies (news-search searchWithAlternates), so it too must equal one engine's exactly.
  expect(s.total).toBe(o.total);
  expect(facets(s)).toEqual(facets(o));
  expect(s.facets.date).toEqual(o.facets.date);
  const sh = view(s);
  const oh = view(o);
  expect(sh.length).toBe(oh.length);
  if (ordered) expect(sh).toEqual(oh);
  else if (o.total <= o.limit) expect([...sh].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...oh].sort((a, b) => a.id.localeCompare(b.id)));
  else {
    const mine = new Map(sh.map((h) => [h.id, h]));
    const common = oh.filter((h) => mine.has(h.id));
    expect(common.length).toBeGreaterThan(oh.length / 2);
    for (const h of common) expect(mine.get(h.id)).toEqual(h);
  }
}

describe('a three-node sharded network built by MEILI_SHARDS=3', () => {
  it('holds every document on exactly one node, no node empty', async () => {
    const perNode = await Promise.all(
      sharded.nodes.map(async (n) => {
        const res = await n.engine.client.index(INDEX).getDocuments({ fields: ['id'], limit: 10_000 });
        return res.results.map((d) => String(d.id));
      }),
    );
    const all = perNode.flat();
    for (const ids of perNode) expect(ids.length).toBeGreaterThan(0);
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(await single.countDocuments(INDEX));
    expect(all.length).toBe(10 + EXTRA_ARTICLES);
  });

  it('has duplicate pairs split across nodes, so collapse across nodes is exercised', async () => {
    const perNode = await Promise.all(
      sharded.nodes.map(async (n) => {
        const res = await n.engine.client.index(INDEX).getDocuments({ fields: ['id', 'dupGroup'], limit: 10_000 });
        return new Set(res.results.filter((d) => d.dupGroup !== d.id).map((d) => String(d.dupGroup)));
      }),
    );
    const headsOnNode = await Promise.all(sharded.nodes.map(async (n) => new Set((await n.engine.client.index(INDEX).getDocuments({ fields: ['id'], limit: 10_000 })).results.map((d) => String(d.id)))));
    let split = 0;
    perNode.forEach((groups, i) => {
      for (const g of groups) if (!headsOnNode[i]?.has(g)) split += 1;
    });
    expect(pairs).toBeGreaterThan(20);
    expect(split).toBeGreaterThan(5);
  });

  // Whole result sets (limit 100 covers them) or fully ordered ones (sort by time; timestamps are distinct).
  const cases: Array<[string, Params, boolean]> = [
    ['Chinese term', { q: '上海精神', limit: 100 }, false],
    ['Chinese phrase, page 2', { q: '数字经济', sort: 'newest', page: 2, limit: 20 }, true],
    ['English', { q: 'energy security', limit: 100 }, false],
    ['English, not collapsed', { q: 'Tianjin summit', collapse: false, sort: 'oldest', limit: 50 }, true],
    ['cross-language', { q: 'SCO', limit: 100 }, false],
    ['cross-language, Chinese for an English term', { q: '上合组织', limit: 100 }, false],
    ['everything, newest first', { limit: 100 }, true],
    ['filtered by outlet (two values)', { q: '合作', outlet: ['xinhua', 'reuters'], sort: 'newest', limit: 100 }, true],
    ['filtered by language and dates', { q: 'trade', lang: ['en'], from: '2025-07-01', to: '2025-07-31', limit: 100 }, false],
    ['filtered by theme and outlet', { theme: ['economy'], outlet: ['cctv'], sort: 'oldest', limit: 100 }, true],
  ];
  it.each(cases)('answers %s like a single engine', async (_name, params, ordered) => {
    const [s, o] = await searchBoth(params);
    expect(s.partial).toBe(false);
    expect(o.total).toBeGreaterThan(0);
    expectSameAnswer(s, o, ordered);
  });

  it('finds an article by id whichever node holds it', async () => {
    const [, o] = await searchBoth({ limit: 30 });
    for (const hit of o.hits) {
      const res = await shardedApi.get<{ id: string }>(`/api/articles/${hit.id}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(hit.id);
    }
  });

  it("pages through every node's documents and sums facet-value counts over the nodes", async () => {
    let seen = 0;
    for await (const page of sharded.documentPages<{ id: string }>(INDEX, ['id'], Infinity, 300)) seen += page.length;
    let lastSeen = 0;
    for await (const page of sharded.documentPages<{ id: string }>(INDEX, ['id'], 90, 50)) lastSeen += page.length;
    expect(lastSeen).toBe(90);
    expect(seen).toBe(10 + EXTRA_ARTICLES);
    const params = { facetName: 'outlet', facetQuery: 'x', q: '合作' };
    const [s, o] = await Promise.all([sharded.searchFacetValues(INDEX, params), single.client.index(INDEX).searchForFacetValues(params)]);
    expect(s.facetHits.length).toBeGreaterThan(0);
    expect(Object.fromEntries(s.facetHits.map((h) => [h.value, h.count]))).toEqual(Object.fromEntries(o.facetHits.map((h) => [h.value, h.count])));
  });

  it('lists every node in /readyz', async () => {
    const res = await shardedApi.get<{ status: string; nodes: Array<{ name: string; healthy: boolean; documents: number; searchable: boolean }> }>('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.nodes.map((n) => n.name)).toEqual(['node-0', 'node-1', 'node-2']);
    expect(res.body.nodes.reduce((a, n) => a + n.documents, 0)).toBe(10 + EXTRA_ARTICLES);
    // The API searches with the scoped search-only key, which may not read stats: counts still come back.
    expect(shardedApi.searchKey).not.toBe(KEY);
    expect(res.body.nodes.every((n) => n.searchable)).toBe(true);
  });

  it('reindexes a sharded index atomically: built on every node, swapped in on every node, build index gone', async () => {
    const live = `${INDEX}_live`;
    try {
      const first = await reindex({ engine: sharded, liveIndex: live, files: [SAMPLE_CORPUS], log: silentLogger });
      expect(first).toMatchObject({ previousCount: null, count: 10 });
      const second = await reindex({ engine: sharded, liveIndex: live, files: [SAMPLE_CORPUS, corpusFile], log: silentLogger, minRatio: 0 });
      expect(second).toMatchObject({ previousCount: 10, count: 10 + EXTRA_ARTICLES });
      for (const node of sharded.nodes) {
        expect(await node.engine.countDocuments(live)).toBeGreaterThan(0);
        expect(await node.engine.indexExists(second.buildIndex)).toBe(false);
      }
      expect(await sharded.listIndexUids(`${live}`)).toEqual([live]);
    } finally {
      await sharded.deleteIndexIfExists(live).catch(() => undefined);
    }
  }, 300_000);

  it('opens the same nodes through MEILI_NETWORK: configured with an admin key, verified with a lesser one', async () => {
    const spec = sharded.nodes.map((n) => `${n.name}=${n.url}`).join(',');
    const byAdmin = await openEngine(loadConfig({ MEILI_NETWORK: spec, MEILI_MASTER_KEY: KEY }), silentLogger);
    expect(isSharded(byAdmin.admin) && byAdmin.admin.nodeNames).toEqual(['node-0', 'node-1', 'node-2']);
    expect(await byAdmin.admin.countDocuments(INDEX)).toBe(10 + EXTRA_ARTICLES);

    // The same key (same uid, same master key) on every node, allowed to search and read the network only.
    const uid = '0b9a1c55-6f3e-4b8e-9a43-3c1d2f0e7a11';
    const masters = sharded.nodes.map((n) => new NodeEngine({ url: n.url, apiKey: KEY, timeoutMs: 10_000 }));
    for (const m of masters) await m.client.createKey({ uid, actions: ['search', 'network.get'], indexes: ['*'], expiresAt: null }).catch(() => undefined);
    const key = (await masters[0]!.client.getKey(uid)).key;
    const verified = await openEngine(loadConfig({ MEILI_NETWORK: spec, MEILI_API_KEY: key }), silentLogger);
    const [s] = await verified.admin.multiSearch([{ indexUid: INDEX, q: '上海精神', limit: 0 }]);
    expect(missingNodesOf(s)).toEqual([]);
    const wrong = spec.replace('node-2=', 'elsewhere=');
    await expect(openEngine(loadConfig({ MEILI_NETWORK: wrong, MEILI_API_KEY: key }), silentLogger)).rejects.toThrow(
      /node node-0 .*not configured for this network: remote elsewhere is missing; unexpected remote node-2/,
    );
  });

  it('swaps indexes on every node, or on none when one node lacks an index', async () => {
    const a = `${INDEX}_a`;
    const b = `${INDEX}_b`;
    const docs = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}`, tag }));
    try {
      for (const [uid, tag, n] of [[a, 'a', 30], [b, 'b', 45]] as const) {
        await sharded.prepareIndex(uid, 'id', { filterableAttributes: ['tag'] });
        expect(await sharded.waitForTasks([await sharded.addDocuments(uid, docs(tag, n), 'id')])).toEqual([]);
      }
      await sharded.swapIndexes(a, b);
      expect(await sharded.countDocuments(a)).toBe(45);
      expect(await sharded.countDocuments(b)).toBe(30);
      // Every node swapped: no node holds an `a` document under the name a.
      for (const node of sharded.nodes) expect((await node.engine.search(a, '', { filter: 'tag = a', limit: 0 })).estimatedTotalHits).toBe(0);

      // One node loses b: the swap is refused before any node changes.
      await sharded.nodes[1]?.engine.deleteIndexIfExists(b);
      await expect(sharded.swapIndexes(a, b)).rejects.toThrow(/node-1 .*no node was changed/);
      expect((await sharded.nodes[0]?.engine.search(a, '', { filter: 'tag = b', limit: 0 }))?.estimatedTotalHits).toBeGreaterThan(0);
      expect(await sharded.listIndexUids(`${INDEX}_`)).toEqual([a, b]);
    } finally {
      await sharded.deleteIndexIfExists(a).catch(() => undefined);
      for (const node of sharded.nodes) await node.engine.deleteIndexIfExists(b).catch(() => undefined);
    }
  }, 120_000);

  it.each([2, 0])('answers partially, naming node-%i, while it is down, and whole again once it is back', async (down) => {
    const [whole] = await searchBoth({ q: '合作', outlet: ['xinhua', 'reuters'] });
    await network.nodes[down]?.stop();
    try {
      const res = await shardedApi.get<SearchResponse>(`/api/search${qs({ q: '合作', outlet: ['xinhua', 'reuters'] })}`);
      expect(res.status).toBe(200);
      expect(res.body.partial).toBe(true);
      expect(res.body.missingNodes).toEqual([`node-${down}`]);
      expect(res.body.total).toBeLessThan(whole.total);
      expect(res.body.total).toBeGreaterThan(0);
      const ready = await shardedApi.get<{ status: string; nodes: Array<{ name: string; healthy: boolean }> }>('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.nodes.filter((n) => !n.healthy).map((n) => n.name)).toEqual([`node-${down}`]);
    } finally {
      await network.restart(down);
    }
    // The API left the stopped node out; its background probe takes it back once it answers (node-health.ts).
    await waitFor('the restarted node back in searches', async () => {
      const r = await shardedApi.get<SearchResponse>(`/api/search${qs({ q: '合作', outlet: ['xinhua', 'reuters'] })}`);
      return r.status === 200 && !r.body.partial ? r : undefined;
    }, 5_000, 100);
    const [again, o] = await searchBoth({ q: '合作', outlet: ['xinhua', 'reuters'] });
    expect(again.partial).toBe(false);
    expect(again.missingNodes).toEqual([]);
    expectSameAnswer(again, o, false);
    expect((await shardedApi.get('/readyz')).status).toBe(200);
  }, 120_000);
});
