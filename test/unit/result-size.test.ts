import { filteredCopies, type CountingSet } from '../../services/meili/news-search';
import { copiesFromOutletCounts, engineCount, groupsOf } from '../../services/meili/result-size';
import { MAX_TOTAL_HITS } from '../../services/meili/settings';

describe('result size from outlet counts', () => {
  const outlets = { xinhua: 30_000, reuters: 15_228, bbc: 5_500 };

  it('adds up every outlet, or only the chosen ones when the counts leave the outlet filter out', () => {
    expect(copiesFromOutletCounts(outlets, [], 500)).toEqual({ total: 50_728, exact: true });
    expect(copiesFromOutletCounts(outlets, ['bbc', 'xinhua', 'bbc'], 500)).toEqual({ total: 35_500, exact: true });
    expect(copiesFromOutletCounts(outlets, ['unknown-outlet'], 500)).toEqual({ total: 0, exact: true });
  });

  it('cannot tell when the engine may have cut the list of outlets short', () => {
    expect(copiesFromOutletCounts(outlets, [], 3)).toBeNull();
    expect(copiesFromOutletCounts(outlets, [], 4)).not.toBeNull();
  });

  it("takes the engine's own count as exact only below its cap", () => {
    expect(engineCount(MAX_TOTAL_HITS - 1)).toEqual({ total: MAX_TOTAL_HITS - 1, exact: true });
    expect(engineCount(MAX_TOTAL_HITS)).toEqual({ total: MAX_TOTAL_HITS, exact: false });
  });

  it('counts groups as copies less extra copies, and as a lower bound from an incomplete member list', () => {
    expect(groupsOf({ total: 50_728, exact: true }, { count: 500 })).toEqual({ total: 50_228, exact: true });
    expect(groupsOf({ total: 1_000, exact: false }, { count: 10 })).toEqual({ total: 990, exact: false });
    // 1,600 copies, all 1,600 in pairs, 1,000 of them listed from 600 groups: at least 1,600 - 1,600 + 600 groups.
    expect(groupsOf({ total: 1_600, exact: true }, { membersMatching: 1_600, groupsSeen: 600 })).toEqual({ total: 600, exact: false });
  });
});

describe('filteredCopies', () => {
  const set = (except: CountingSet['except']): CountingSet => ({ facets: ['outlet'], except, countsAt: 0 });

  it("reads the filtered set's outlet counts, or the chosen outlets' counts of the set without the outlet filter", () => {
    const filtered = { set: set(undefined), distribution: { outlet: { xinhua: 700, bbc: 600 } }, copies: MAX_TOTAL_HITS };
    expect(filteredCopies({ filters: {} }, [filtered], MAX_TOTAL_HITS)).toEqual({ total: 1_300, exact: true });
    const withoutOutlet = { set: set('outlet'), distribution: { outlet: { xinhua: 700, bbc: 600, cctv: 900 } }, copies: MAX_TOTAL_HITS };
    expect(filteredCopies({ filters: { outlet: ['xinhua', 'cctv'] } }, [withoutOutlet], MAX_TOTAL_HITS)).toEqual({ total: 1_600, exact: true });
  });

  it("falls back to the engine's count, a lower bound at its cap", () => {
    const noOutlets = { set: set(undefined), distribution: {}, copies: MAX_TOTAL_HITS };
    expect(filteredCopies({ filters: {} }, [noOutlets], 5)).toEqual({ total: MAX_TOTAL_HITS, exact: false });
    expect(filteredCopies({ filters: {} }, [], 42)).toEqual({ total: 42, exact: true });
  });
});
