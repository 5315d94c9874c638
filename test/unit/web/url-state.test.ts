import fc from 'fast-check';
import {
  INITIAL_STATE,
  apiSearchParams,
  clearFilters,
  filterCount,
  parseState,
  sameSearch,
  serializeState,
  toggleFacetValue,
  withDateRange,
  withPage,
  withQuery,
  withUi,
  type SearchState,
} from '../../../search-api/web/src/url-state';

describe('url state', () => {
  it('reads an empty query string as the initial state', () => {
    expect(parseState('')).toEqual(INITIAL_STATE);
    expect(serializeState(INITIAL_STATE)).toBe('');
  });

  it('reads every parameter, repeated facets in order', () => {
    const s = parseState(
      '?q=%E4%B8%8A%E6%B5%B7%E7%B2%BE%E7%A5%9E&outlet=xinhua&outlet=cctv&theme=shanghai-spirit&lang=en' +
        '&from=2025-08-28&to=2025-08-31&sort=oldest&page=3&collapse=false&cross=false&ui=en',
    );
    expect(s).toEqual({
      q: '上海精神',
      outlet: ['xinhua', 'cctv'],
      theme: ['shanghai-spirit'],
      lang: ['en'],
      from: '2025-08-28',
      to: '2025-08-31',
      sort: 'oldest',
      page: 3,
      collapse: false,
      cross: false,
      ui: 'en',
    });
  });

  it('falls back to defaults for mangled parameters and drops repeated or blank values', () => {
    const s = parseState('page=-2&sort=random&ui=fr&collapse=no&outlet=xinhua&outlet=xinhua&outlet=&from=%20');
    expect(s.page).toBe(1);
    expect(s.sort).toBeNull();
    expect(s.ui).toBe('zh');
    expect(s.collapse).toBe(true);
    expect(s.outlet).toEqual(['xinhua']);
    expect(s.from).toBeNull();
    expect(parseState('page=2.5').page).toBe(1);
    expect(parseState('page=abc').page).toBe(1);
  });

  it('keeps a malformed date for the API to reject by name', () => {
    expect(parseState('from=2025-02-30').from).toBe('2025-02-30');
  });

  it('writes defaults nowhere and facets as repeated keys', () => {
    const s: SearchState = { ...INITIAL_STATE, q: 'SCO summit', outlet: ['xinhua', 'economic-daily'], page: 2 };
    expect(serializeState(s)).toBe('q=SCO+summit&outlet=xinhua&outlet=economic-daily&page=2');
  });

  it('round-trips any state through the URL', () => {
    const value = fc.string({ minLength: 1, maxLength: 12 }).filter((v) => v.trim() === v && v !== '');
    const state = fc.record({
      q: fc.string({ maxLength: 20 }).filter((q) => q.trim() !== '' || q === ''),
      outlet: fc.uniqueArray(value, { maxLength: 3 }),
      theme: fc.uniqueArray(value, { maxLength: 3 }),
      lang: fc.uniqueArray(fc.constantFrom('zh', 'en'), { maxLength: 2 }),
      from: fc.option(fc.constantFrom('2025-08-23', '2025-09-01'), { nil: null }),
      to: fc.option(fc.constantFrom('2025-08-30', '2026-01-31'), { nil: null }),
      sort: fc.constantFrom(null, 'relevance', 'newest', 'oldest'),
      page: fc.integer({ min: 1, max: 500 }),
      collapse: fc.boolean(),
      cross: fc.boolean(),
      ui: fc.constantFrom('zh', 'en'),
    }) as fc.Arbitrary<SearchState>;
    fc.assert(
      fc.property(state, (s) => {
        expect(parseState(serializeState(s))).toEqual(s);
      }),
    );
  });

  it('asks the API for the page size and leaves out the interface language', () => {
    const s = { ...INITIAL_STATE, q: 'x', lang: ['zh'], collapse: false, cross: false, ui: 'en' as const };
    const p = new URLSearchParams(apiSearchParams(s));
    expect(p.get('limit')).toBe('10');
    expect(p.get('collapse')).toBe('false');
    expect(p.get('cross')).toBe('false');
    expect(p.getAll('lang')).toEqual(['zh']);
    expect(p.has('ui')).toBe(false);
  });

  it('goes back to page 1 whenever what is searched changes, but not for the interface language', () => {
    const on3 = withPage({ ...INITIAL_STATE, q: 'a' }, 3);
    expect(withQuery(on3, 'b').page).toBe(1);
    expect(toggleFacetValue(on3, 'outlet', 'xinhua', true).page).toBe(1);
    expect(withDateRange(on3, '2025-08-29', null).page).toBe(1);
    expect(clearFilters(on3).page).toBe(1);
    expect(withUi(on3, 'en').page).toBe(3);
    expect(sameSearch(on3, withUi(on3, 'en'))).toBe(true);
    expect(sameSearch(on3, withPage(on3, 2))).toBe(false);
  });

  it('toggles facet values without duplicates', () => {
    let s = toggleFacetValue(INITIAL_STATE, 'outlet', 'xinhua', true);
    s = toggleFacetValue(s, 'outlet', 'xinhua', true);
    s = toggleFacetValue(s, 'outlet', 'cctv', true);
    expect(s.outlet).toEqual(['xinhua', 'cctv']);
    expect(toggleFacetValue(s, 'outlet', 'xinhua', false).outlet).toEqual(['cctv']);
  });

  it('orders a date range brushed from right to left', () => {
    const s = withDateRange(INITIAL_STATE, '2025-08-31', '2025-08-28');
    expect([s.from, s.to]).toEqual(['2025-08-28', '2025-08-31']);
  });

  it('clears filters but keeps the query, sort and interface language', () => {
    const s: SearchState = { ...INITIAL_STATE, q: 'q', outlet: ['a'], theme: ['t'], lang: ['en'], from: '2025-08-01', sort: 'oldest', ui: 'en' };
    expect(filterCount(s)).toBe(4);
    expect(clearFilters(s)).toEqual({ ...INITIAL_STATE, q: 'q', sort: 'oldest', ui: 'en' });
  });
});
