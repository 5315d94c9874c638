import {
  andFilter,
  collapseCorrection,
  collapseHits,
  duplicateProbe,
  mergeDistributions,
  mergeStats,
  missingNodesOf,
  multiMemberGroups,
  representative,
  subtractFacets,
  toFederatedRequest,
  toSearchResult,
  windowOf,
} from '../../services/meili/federation';

describe('toFederatedRequest', () => {
  it('sends the query once per node and moves pagination and facets to the federation', () => {
    const req = toFederatedRequest(
      { indexUid: 'news', q: '上合', filter: 'lang IN ["zh"]', page: 3, hitsPerPage: 10, facets: ['outlet'], distinct: 'dupGroup' },
      { nodes: ['a', 'b'], offset: 20, limit: 10, maxValuesPerFacet: 500 },
    );
    expect(req.federation).toEqual({ offset: 20, limit: 10, facetsByIndex: { news: ['outlet'] }, mergeFacets: { maxValuesPerFacet: 500 } });
    expect(req.queries).toEqual(
      ['a', 'b'].map((remote) => ({ indexUid: 'news', q: '上合', filter: 'lang IN ["zh"]', distinct: 'dupGroup', federationOptions: { weight: 1, remote } })),
    );
  });

  it("searches the receiving node's own share locally", () => {
    const req = toFederatedRequest({ indexUid: 'news', q: 'x' }, { nodes: ['a', 'b'], offset: 0, limit: 5, maxValuesPerFacet: 100, self: 'a' });
    expect(req.queries.map((q) => q.federationOptions)).toEqual([{ weight: 1 }, { weight: 1, remote: 'b' }]);
  });

  it('asks for no facets when the query has none', () => {
    const req = toFederatedRequest({ indexUid: 'news', q: 'x', limit: 5 }, { nodes: ['a'], offset: 0, limit: 5, maxValuesPerFacet: 100 });
    expect(req.federation).toEqual({ offset: 0, limit: 5 });
  });
});

describe('windowOf', () => {
  it('turns page/hitsPerPage into offset/limit and remembers the caller wants exhaustive totals', () => {
    expect(windowOf({ indexUid: 'i', page: 3, hitsPerPage: 10 })).toEqual({ offset: 20, limit: 10, finite: true });
    expect(windowOf({ indexUid: 'i', limit: 0 })).toEqual({ offset: 0, limit: 0, finite: false });
  });
});

describe('andFilter', () => {
  it('adds a clause to any form of filter', () => {
    expect(andFilter(undefined, 'x = 1')).toBe('x = 1');
    expect(andFilter('a = 1 OR b = 2', 'x = 1')).toBe('(a = 1 OR b = 2) AND x = 1');
    expect(andFilter(['a = 1'], 'x = 1')).toEqual(['a = 1', 'x = 1']);
  });
});

describe('duplicateProbe', () => {
  it('keeps the search, drops distinct, pagination and highlighting, narrows to group members', () => {
    const probe = duplicateProbe(
      { indexUid: 'news', q: 'q', filter: 'lang IN ["en"]', distinct: 'dupGroup', facets: ['outlet', 'lang'], sort: ['timestamp:desc'], showMatchesPosition: true, page: 1, hitsPerPage: 10, attributesToRetrieve: ['title'] },
      'dupOf IS NOT EMPTY',
      'id',
    );
    expect(probe).toEqual({
      indexUid: 'news',
      q: 'q',
      filter: '(lang IN ["en"]) AND dupOf IS NOT EMPTY',
      sort: ['timestamp:desc'],
      attributesToRetrieve: ['id', 'dupGroup', 'outlet', 'lang', 'timestamp'],
      showRankingScore: true,
    });
  });
});

describe('collapse arithmetic', () => {
  // Group g1: head g1 (xinhua) and copy c1 (reuters); group g2: copies only (head filtered out); s: a lone article.
  const probeHits = [
    { id: 'c1', dupGroup: 'g1', outlet: 'reuters', lang: ['en'], _rankingScore: 0.9, timestamp: 20 },
    { id: 'x2', dupGroup: 'g2', outlet: 'bbc', lang: ['en'], _rankingScore: 0.8, timestamp: 30 },
    { id: 'g1', dupGroup: 'g1', outlet: 'xinhua', lang: ['en', 'zh'], _rankingScore: 0.9, timestamp: 10 },
    { id: 'y2', dupGroup: 'g2', outlet: 'xinhua', lang: ['en'], _rankingScore: 0.5, timestamp: 31 },
    { id: 's', dupGroup: 's', outlet: 'cctv', lang: ['zh'], _rankingScore: 0.95, timestamp: 5 },
  ];

  it('keeps only groups with more than one matching member, in ranking order', () => {
    const groups = multiMemberGroups(probeHits, 'dupGroup');
    expect([...groups.keys()]).toEqual(['g1', 'g2']);
    expect(groups.get('g1')?.map((h) => h.id)).toEqual(['c1', 'g1']);
  });

  it('counts the best ranked member of a ranked group, ties going to the head', () => {
    const g1 = multiMemberGroups(probeHits, 'dupGroup').get('g1') ?? [];
    expect(representative(g1, 'g1', 'id', [], true)?.id).toBe('g1');
    // Sorted by time, the tie is broken by the sort value: the newer copy ranks first.
    expect(representative(g1, 'g1', 'id', ['timestamp'], true)?.id).toBe('c1');
    expect(representative(g1, 'g1', 'id', ['timestamp'], false)?.id).toBe('g1');
  });

  it('takes the uncounted members off the total and the facet counts', () => {
    const groups = multiMemberGroups(probeHits, 'dupGroup');
    const c = collapseCorrection(groups, ['outlet', 'lang'], 'id', [], new Set(['g1', 'g2']));
    expect(c.extraHits).toBe(2);
    expect(c.facetExcess).toEqual({ outlet: { reuters: 1, xinhua: 1 }, lang: { en: 2 } });
    expect(subtractFacets({ outlet: { reuters: 1, xinhua: 5, bbc: 2 }, lang: { en: 9, zh: 3 } }, c.facetExcess)).toEqual({
      outlet: { xinhua: 4, bbc: 2 },
      lang: { en: 7, zh: 3 },
    });
  });

  it('collapses merged hits to the first of each group', () => {
    expect(collapseHits(probeHits, 'dupGroup').map((h) => h.id)).toEqual(['c1', 'x2', 's']);
  });
});

describe('toSearchResult', () => {
  const base = { query: 'q', hits: [{ id: 'a', _federation: { remote: 'n' } }], facetDistribution: undefined, facetStats: undefined, processingTimeMs: 3, missingNodes: ['node-2'] };

  it('answers page/hitsPerPage like one engine, total capped at maxTotalHits, without _federation', () => {
    const r = toSearchResult({ ...base, window: { offset: 10, limit: 10, finite: true }, total: 1234, maxTotalHits: 1000 });
    expect(r).toMatchObject({ totalHits: 1000, page: 2, hitsPerPage: 10, totalPages: 100, hits: [{ id: 'a' }], missingNodes: ['node-2'] });
    expect(r.hits[0]).not.toHaveProperty('_federation');
    expect(missingNodesOf(r)).toEqual(['node-2']);
  });

  it('answers offset/limit with an estimated total', () => {
    expect(toSearchResult({ ...base, window: { offset: 0, limit: 0, finite: false }, total: 5, maxTotalHits: 1000 })).toMatchObject({ estimatedTotalHits: 5, offset: 0, limit: 0 });
  });

  it('reports no missing nodes for a plain engine result', () => {
    expect(missingNodesOf({ hits: [] })).toEqual([]);
  });
});

describe('merging counting answers of several nodes', () => {
  it('adds facet counts per value and keeps the most frequent values', () => {
    const merged = mergeDistributions([{ outlet: { a: 2, b: 1 }, lang: { zh: 3 } }, { outlet: { b: 4, c: 1 } }], 2);
    expect(merged).toEqual({ outlet: { b: 5, a: 2 }, lang: { zh: 3 } });
  });

  it('takes the smallest minimum and the largest maximum', () => {
    expect(mergeStats([{ timestamp: { min: 5, max: 9 } }, { timestamp: { min: 2, max: 7 } }, {}])).toEqual({ timestamp: { min: 2, max: 9 } });
  });
});
