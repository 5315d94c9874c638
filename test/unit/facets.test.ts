import { buildQueries, collapsedCorrection, dateInterval, MAX_DAY_BUCKET_SPAN_DAYS } from '../../services/meili/news-search';
import { collapseByGroupKeys, extraCopiesByGroupKeys, groupFacetFields, groupKeysTruncated } from '../../services/meili/group-facets';
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
  const browseXinhua = { q: '', filters: { outlet: ['xinhua'] }, sort: 'newest' as const, limit: 10, collapse: true };

  it('folds page 1 from copies, so its hits query counts the filtered set itself', () => {
    const { queries, countingSets } = buildQueries('news', { ...browseXinhua, page: 1 });
    // No distinct anywhere: the engine would count a group under the one copy it keeps.
    expect(queries.every((q) => q.distinct === undefined)).toBe(true);
    expect(queries[0]?.limit).toBe(15);
    expect(queries[0]?.filter).toBe('outlet IN ["xinhua"]');
    expect(queries[0]?.facets).toEqual(['themes', 'lang', 'day', 'month', 'timestamp', 'sharedThemes', 'sharedLang', 'sharedDay', 'sharedMonth', 'sharedGroup']);
    // One round trip, one query fewer than with distinct: the outlet counts leave the outlet filter out.
    expect(countingSets.map((s) => [s.except, s.countsAt])).toEqual([[undefined, 0], ['outlet', 1]]);
    expect(queries).toHaveLength(2);
    expect(queries[1]?.filter).toBeUndefined();
    expect(queries[1]?.facets).toEqual(['outlet', 'sharedOutlet']);
  });

  it('pages beyond the first with distinct, counting in queries of their own', () => {
    const { queries, countingSets } = buildQueries('news', { ...browseXinhua, page: 2 });
    expect(queries[0]?.distinct).toBe('dupGroup');
    expect(queries[0]).toMatchObject({ page: 2, hitsPerPage: 10, facets: [] });
    expect(queries.slice(1).every((q) => q.distinct === undefined)).toBe(true);
    expect(countingSets.map((s) => [s.except, s.countsAt])).toEqual([[undefined, 1], ['outlet', 2]]);
    expect(queries[1]?.facets).toEqual(['themes', 'lang', 'day', 'month', 'timestamp', 'sharedThemes', 'sharedLang', 'sharedDay', 'sharedMonth', 'sharedGroup']);
  });

  it('still asks folded hits for the group keys when every facet is filtered (the collapsed total)', () => {
    const filters = { outlet: ['xinhua'], theme: ['summit'], lang: ['zh' as const], fromTimestamp: 0 };
    const { queries, countingSets } = buildQueries('news', { ...browseXinhua, filters, page: 1 });
    expect(queries[0]?.facets).toEqual(['sharedGroup']);
    expect(countingSets.map((s) => s.except)).toEqual([undefined, 'outlet', 'theme', 'lang', 'date']);
  });

  it('counts inside the hits query when not collapsing', () => {
    const { queries, countingSets } = buildQueries('news', { q: 'x', filters: {}, sort: 'relevance', page: 1, limit: 10, collapse: false });
    expect(queries).toHaveLength(1);
    expect(countingSets.map((s) => [s.except, s.countsAt])).toEqual([[undefined, 0]]);
    expect(queries[0]?.facets).toEqual(['outlet', 'themes', 'lang', 'day', 'month', 'timestamp']);
  });

  it('counts a value once per group from the group keys the copies carry', () => {
    const copies = [
      { dupGroup: 'g1', dupOf: ['b', 'c'], outlet: 'xinhua', day: '2025-08-28', month: '2025-08', lang: ['zh' as const], themes: ['summit', 'spirit'] },
      { dupGroup: 'g1', dupOf: ['a', 'c'], outlet: 'xinhua', day: '2025-08-29', month: '2025-08', lang: ['zh' as const], themes: ['summit', 'spirit'] },
      { dupGroup: 'g1', dupOf: ['a', 'b'], outlet: 'xinhua', day: '2025-08-29', month: '2025-08', lang: ['zh' as const], themes: ['summit'] },
    ];
    const single = { dupGroup: 's', dupOf: [], outlet: 'cctv', day: '2025-08-29', month: '2025-08', lang: ['zh' as const], themes: ['summit'] };
    // What the engine's facet count of these documents gives: copies per value, and copies per group key.
    const distribution: Record<string, Record<string, number>> = {};
    for (const doc of [...copies, single]) {
      const keyed = { ...doc, ...groupFacetFields(doc) };
      for (const field of ['outlet', 'day', 'themes', 'sharedGroup', 'sharedOutlet', 'sharedDay', 'sharedThemes'] as const) {
        const raw = keyed[field];
        for (const v of raw === null ? [] : Array.isArray(raw) ? raw : [raw]) distribution[field] = { ...distribution[field], [v]: (distribution[field]?.[v] ?? 0) + 1 };
      }
    }
    expect(groupFacetFields(single)).toEqual({ sharedGroup: null, sharedOutlet: [], sharedThemes: [], sharedLang: [], sharedDay: [], sharedMonth: [] });
    expect(extraCopiesByGroupKeys(distribution)).toBe(2);
    expect(collapseByGroupKeys(distribution, ['outlet', 'day', 'themes'])).toEqual({
      outlet: { xinhua: 1, cctv: 1 },
      // The story is on both days: each day keeps it once.
      day: { '2025-08-28': 1, '2025-08-29': 2 },
      themes: { summit: 2, spirit: 1 },
    });
  });

  it('falls back when a group key list is full, since the engine (or each shard) may have cut it', () => {
    const full = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`g${i}|xinhua`, 1]));
    expect(groupKeysTruncated({ sharedOutlet: full }, ['sharedOutlet'], 500)).toBe(true);
    expect(groupKeysTruncated({ sharedOutlet: { 'g1|xinhua': 2 } }, ['sharedOutlet'], 500)).toBe(false);
    expect(groupKeysTruncated({}, ['sharedOutlet', 'sharedGroup'], 500)).toBe(false);
  });

  it('counts a value once per group that carries it, however many copies carry it (members fallback)', () => {
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
