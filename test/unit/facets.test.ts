import { buildQueries, collapsedCountQueries, dateInterval, MAX_DAY_BUCKET_SPAN_DAYS } from '../../services/meili/news-search';
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
    const { queries } = buildQueries('news', { q: '', filters: { outlet: ['xinhua'] }, sort: 'newest', page: 1, limit: 10, collapse: true });
    expect(queries[0]?.distinct).toBe('dupGroup');
    expect(queries.slice(1).every((q) => q.distinct === undefined)).toBe(true);
    expect(queries[2]?.filter).toBeUndefined(); // the outlet counts leave the outlet filter out
  });

  it('asks one quoted, collapsed query per value found on more than one document', () => {
    const { queries, keys } = collapsedCountQueries('news', 'q', { outlet: ['xinhua'], theme: ['x'] }, [
      { field: 'outlet', facet: 'outlet', values: { xinhua: 4, cctv: 1, 'a" OR id EXISTS': 2 } },
    ]);
    expect(keys).toEqual([{ field: 'outlet', value: 'xinhua' }, { field: 'outlet', value: 'a" OR id EXISTS' }]);
    expect(queries.map((q) => q.filter)).toEqual([
      'themes IN ["x"] AND outlet = "xinhua"',
      'themes IN ["x"] AND outlet = "a\\" OR id EXISTS"',
    ]);
    expect(queries.every((q) => q.distinct === 'dupGroup' && q.hitsPerPage === 0)).toBe(true);
  });
});
