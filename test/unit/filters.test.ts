import { buildFilter, quoteFilterValue } from '../../services/meili/filters';

describe('filter building', () => {
  it('quotes values, escaping backslash before quote', () => {
    expect(quoteFilterValue('a"b')).toBe('"a\\"b"');
    expect(quoteFilterValue('a\\"b')).toBe('"a\\\\\\"b"');
    expect(quoteFilterValue('新华社" OR outlet != "x')).toBe('"新华社\\" OR outlet != \\"x"');
  });

  it('ORs values within a facet and ANDs facets', () => {
    expect(buildFilter({ outlet: ['xinhua', 'cctv'], lang: ['en'] })).toBe('outlet IN ["xinhua", "cctv"] AND lang IN ["en"]');
  });

  it('leaves out the facet being counted (disjunctive)', () => {
    const criteria = { outlet: ['xinhua'], theme: ['security'], fromTimestamp: 100, toTimestamp: 200 };
    expect(buildFilter(criteria, 'outlet')).toBe('themes IN ["security"] AND timestamp >= 100 AND timestamp <= 200');
    expect(buildFilter(criteria, 'date')).toBe('outlet IN ["xinhua"] AND themes IN ["security"]');
  });

  it('returns undefined when nothing filters', () => {
    expect(buildFilter({})).toBeUndefined();
    expect(buildFilter({ outlet: [] })).toBeUndefined();
  });
});
