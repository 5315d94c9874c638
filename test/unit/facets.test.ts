import { buildQueries, collapsedCorrection, dateInterval, MAX_DAY_BUCKET_SPAN_DAYS } from '../../services/meili/news-search';
import { dateFacet, facetValueMatches, toFilterCriteria } from '../../search-api/search/search-service';

const DAY = 86_400;

describe('date buckets', () => {
  it('uses days up to the span limit and months beyond it', () => {
    expect(dateInterval(null)).toBe('day');
    expect(dateInterval({ min: 0, max: MAX_DAY_BUCKET_SPAN_DAYS * DAY })).toBe('day');
    expect(dateInterval({ min: 0, max: MAX_DAY_BUCKET_SPAN_DAYS * DAY + 1 })).toBe('month');
    const facet = dateFacet({ '2025-08-29': 2 }, { '2025-08': 5 }, { min: 0, max: 90 * DAY });
    expect(facet.interval).toBe('month');
    expect(facet.buckets).toEqual([{ value: '2025-08', label: '2025-08', count: 5 }]);
  });

  it('turns from/to into inclusive Beijing-day bounds', () => {
    const c = toFilterCriteria({ outlet: [], theme: [], lang: [], from: '2025-08-29', to: '2025-08-29' });
    const at0033 = Date.parse('2025-08-29T00:33:00+08:00') / 1000;
    expect(c.fromTimestamp).toBe(Date.parse('2025-08-28T16:00:00Z') / 1000);
    expect(c.toTimestamp).toBe(Date.parse('2025-08-29T15:59:59Z') / 1000);
    expect(at0033).toBeGreaterThanOrEqual(c.fromTimestamp ?? Infinity);
    expect(at0033).toBeLessThanOrEqual(c.toTimestamp ?? -Infinity);
  });
});

describe('facet value matching', () => {
  const xinhua = { name: '新华社', nameEn: 'Xinhua' };
  it('matches the id or either label, folding case, width and script', () => {
    for (const typed of ['', '新华', '新華', 'XINHUA', 'ｘｉｎｈｕａ', 'hua']) expect(facetValueMatches(typed, 'xinhua', xinhua)).toBe(true);
    expect(facetValueMatches('reuters', 'xinhua', xinhua)).toBe(false);
  });
});

describe('collapsed counting queries', () => {
  it('never collapses the counting queries (the engine would count a group under one member only)', () => {
    const { queries, countingSets } = buildQueries('news', { q: '', filters: { outlet: ['xinhua'] }, sort: 'newest', page: 1, limit: 10, collapse: true });
    expect(queries[0]?.distinct).toBe('dupGroup');
    expect(queries.slice(1).every((q) => q.distinct === undefined)).toBe(true);
    // One round trip: hits, then counts + members of multi-copy groups for each counted set.
    expect(countingSets.map((s) => [s.except, s.countsAt, s.membersAt])).toEqual([[undefined, 1, 2], ['outlet', 3, 4]]);
    expect(queries[3]?.filter).toBeUndefined(); // the outlet counts leave the outlet filter out
    expect(queries[4]?.filter).toBe('dupOf IS NOT EMPTY');
    expect(queries[2]?.filter).toBe('outlet IN ["xinhua"] AND dupOf IS NOT EMPTY');
  });

  it('counts inside the hits query when not collapsing', () => {
    const { queries, countingSets } = buildQueries('news', { q: 'x', filters: {}, sort: 'relevance', page: 1, limit: 10, collapse: false });
    expect(queries).toHaveLength(1);
    expect(countingSets).toEqual([]);
    expect(queries[0]?.facets).toEqual(['outlet', 'themes', 'lang', 'day', 'month', 'timestamp']);
  });

  it('counts a value once per group that carries it, however many copies carry it', () => {
    const distribution = {
      outlet: { xinhua: 4, cctv: 1 },
      day: { '2025-08-28': 2, '2025-08-29': 4 },
      themes: { summit: 3, spirit: 2 },
    };
    const members = [
      { dupGroup: 'g1', outlet: 'xinhua', day: '2025-08-28', themes: ['summit', 'spirit'] },
      { dupGroup: 'g1', outlet: 'xinhua', day: '2025-08-29', themes: ['summit', 'spirit'] },
      { dupGroup: 'g1', outlet: 'xinhua', day: '2025-08-29', themes: ['summit'] },
    ];
    expect(collapsedCorrection(distribution, ['outlet', 'day', 'themes'], members)).toEqual({
      outlet: { xinhua: 2, cctv: 1 },
      // The story is on both days: each day keeps it once.
      day: { '2025-08-28': 2, '2025-08-29': 3 },
      themes: { summit: 1, spirit: 1 },
    });
  });
});
