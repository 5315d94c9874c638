import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SearchResponse } from '../../search-api/search/search-service';
import { MAX_TOTAL_HITS } from '../../services/meili/settings';
import { indexInto, qs, startTestApi, testEngine, uniqueIndex, type TestApi } from '../support/harness';
import { writeSyntheticCorpus } from '../support/synthetic-corpus';

/**
 * Totals beyond the engine's maxTotalHits (1,000): generated corpora of 2,400 articles (one with a republication now
 * and then, one where every story has two copies), grouped by the real indexer, and the truth read back from the
 * index document by document, or listed outlet by outlet below the cap. "Everything" must say 2,400, not 1,000;
 * collapsed, the number of stories; a total the service cannot know exactly says it is a lower bound.
 */

const ARTICLES = 2_400;
const engine = testEngine(60_000);
const index = uniqueIndex('sizes');
/** Every article republished once: more multi-copy groups than the engine lists facet values, more members than one query returns. */
const allCopied = uniqueIndex('sizes-copied');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'news-sizes-'));
let api: TestApi;
let copiedApi: TestApi;

interface Truth {
  docs: number;
  /** dupGroup of every document, by outlet. */
  byOutlet: Map<string, string[]>;
}
let truth: Truth;
let copiedTruth: Truth;

async function readTruth(uid: string): Promise<Truth> {
  const byOutlet = new Map<string, string[]>();
  let docs = 0;
  for await (const page of engine.documentPages<{ outlet: string; dupGroup: string }>(uid, ['outlet', 'dupGroup'], Infinity, 1_000)) {
    for (const d of page) {
      docs += 1;
      byOutlet.set(d.outlet, [...(byOutlet.get(d.outlet) ?? []), d.dupGroup]);
    }
  }
  return { docs, byOutlet };
}

/** Documents and stories (groups) among the given outlets, or all. */
function expected(t: Truth, outlets?: readonly string[]): { copies: number; groups: number } {
  const groups = [...t.byOutlet].filter(([o]) => !outlets || outlets.includes(o)).flatMap(([, g]) => g);
  return { copies: groups.length, groups: new Set(groups).size };
}

async function search(target: TestApi, params: Parameters<typeof qs>[0]): Promise<SearchResponse & { totalIsLowerBound: boolean }> {
  const res = await target.get<SearchResponse & { totalIsLowerBound: boolean }>(`/api/search${qs(params)}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** Matching copies and stories of a query, listed outlet by outlet (each below the cap) through the API itself. */
async function storiesMatching(target: TestApi, q: string, outlets: readonly string[]): Promise<{ copies: number; groups: number }> {
  const groups = new Set<string>();
  let copies = 0;
  for (const outlet of outlets) {
    for (let page = 1; ; page++) {
      const res = await search(target, { q, outlet: [outlet], collapse: false, limit: 100, page });
      expect(res.total).toBeLessThan(MAX_TOTAL_HITS);
      copies += res.hits.length;
      // A hit names the other copies of its story: the story is the set of them all.
      for (const hit of res.hits) groups.add([hit.id, ...(hit.duplicates?.ids ?? [])].sort().join(','));
      if (res.hits.length < 100) break;
    }
  }
  return { copies, groups: groups.size };
}

const sum = (facet: ReadonlyArray<{ count: number }>) => facet.reduce((a, v) => a + v.count, 0);

beforeAll(async () => {
  const main = writeSyntheticCorpus(path.join(tmp, 'main.jsonl'), { count: ARTICLES, seed: 21 });
  const copied = writeSyntheticCorpus(path.join(tmp, 'copied.jsonl'), { count: 2_400, seed: 22, dupEvery: 1 });
  const [a, b] = await Promise.all([indexInto(engine, index, [path.join(tmp, 'main.jsonl')]), indexInto(engine, allCopied, [path.join(tmp, 'copied.jsonl')])]);
  expect(a).toMatchObject({ indexed: main.articles, failedTasks: [] });
  expect(b).toMatchObject({ indexed: copied.articles, failedTasks: [] });
  [truth, copiedTruth] = await Promise.all([readTruth(index), readTruth(allCopied)]);
  expect(truth.docs).toBe(ARTICLES);
  [api, copiedApi] = await Promise.all([startTestApi(index), startTestApi(allCopied)]);
}, 300_000);

afterAll(async () => {
  await Promise.all([api?.close(), copiedApi?.close()]);
  await Promise.all([engine.deleteIndexIfExists(index), engine.deleteIndexIfExists(allCopied)]);
  rmSync(tmp, { recursive: true, force: true });
});

describe('totals beyond maxTotalHits', () => {
  it('counts every article of an empty query, equal to the sum of its outlet counts', async () => {
    const all = await search(api, { collapse: false });
    expect(all.total).toBe(ARTICLES);
    expect(all.total).toBe(sum(all.facets.outlet));
    expect(all.totalIsLowerBound).toBe(false);
  });

  it('counts every story of an empty query when collapsing, on page 1 and beyond', async () => {
    const { groups } = expected(truth);
    expect(groups).toBeGreaterThan(MAX_TOTAL_HITS);
    expect(groups).toBeLessThan(ARTICLES);
    for (const page of [1, 3]) {
      const collapsed = await search(api, { page });
      expect({ page, total: collapsed.total, lowerBound: collapsed.totalIsLowerBound }).toEqual({ page, total: groups, lowerBound: false });
    }
  });

  it('counts exactly when filtering on outlets, collapsed or not', async () => {
    const chosen = [...truth.byOutlet.keys()].sort((a, b) => (truth.byOutlet.get(b)?.length ?? 0) - (truth.byOutlet.get(a)?.length ?? 0)).slice(0, 3);
    const { copies, groups } = expected(truth, chosen);
    expect(copies).toBeGreaterThan(MAX_TOTAL_HITS);
    const all = await search(api, { outlet: chosen, collapse: false });
    expect(all.total).toBe(copies);
    expect(all.total).toBe(sum(all.facets.outlet.filter((f) => chosen.includes(f.value))));
    expect((await search(api, { outlet: chosen })).total).toBe(groups);
  });

  it('counts every match of a query with more than 1,000 matches: the sum of its per-outlet totals', async () => {
    const all = await search(api, { q: 'the', collapse: false, sort: 'newest' });
    expect(all.total).toBeGreaterThan(MAX_TOTAL_HITS);
    const perOutlet = await Promise.all(all.facets.outlet.map((f) => search(api, { q: 'the', outlet: [f.value], collapse: false, sort: 'newest' })));
    // Each outlet's share is below the cap, where the engine's own count is exact.
    for (const p of perOutlet) expect(p.total).toBeLessThan(MAX_TOTAL_HITS);
    expect(all.total).toBe(perOutlet.reduce((a, p) => a + p.total, 0));
    expect(all.totalIsLowerBound).toBe(false);
  });

  it('counts every story exactly where more copies of shared stories match than one query lists', async () => {
    const { copies, groups } = expected(copiedTruth);
    expect(copies - groups).toBeGreaterThan(MAX_TOTAL_HITS / 2);
    expect(await search(copiedApi, { collapse: false })).toMatchObject({ total: copies, totalIsLowerBound: false });
    expect(await search(copiedApi, {})).toMatchObject({ total: groups, totalIsLowerBound: false });
  });

  // Relevance queries searched with their cross-language phrasing (合作 with "cooperation"): the member lists of the
  // phrasings are not folded into one, so where they are incomplete the collapsed total can only be bounded.
  it.each(['合作', 'security', 'trade'])('counts %s exactly, or says its collapsed total is a lower bound and never overstates it', async (q) => {
    const all = await search(copiedApi, { q, collapse: false });
    const truthOf = await storiesMatching(copiedApi, q, all.facets.outlet.map((f) => f.value));
    expect(truthOf.copies).toBeGreaterThan(MAX_TOTAL_HITS);
    expect(all).toMatchObject({ total: truthOf.copies, totalIsLowerBound: false });
    const collapsed = await search(copiedApi, { q });
    if (collapsed.totalIsLowerBound) {
      expect(collapsed.total).toBeLessThanOrEqual(truthOf.groups);
      expect(collapsed.total).toBeGreaterThan(truthOf.groups * 0.9);
    } else {
      expect(collapsed.total).toBe(truthOf.groups);
    }
  });
});
