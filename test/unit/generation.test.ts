import {
  canCarryProbe,
  censusVerdict,
  foreignGenerations,
  generationProbeFilter,
  generationsIn,
  nodeGenerations,
  orFilter,
  settleDelays,
  withoutGenerationFacet,
} from '../../services/meili/generation';
import { toHttpError } from '../../search-api/errors';
import { IndexSwapInProgressError } from '../../services/meili/errors';

const node = (name: string, documents: number, generations: number[]) => ({ node: name, documents, generations });

describe('generationsIn', () => {
  it('reads the generations a facet counts documents of, in order, ignoring zero counts and non-numbers', () => {
    expect(generationsIn({ generation: { '7': 3, '12': 1, '9': 0, x: 4 } }, 'generation')).toEqual([7, 12]);
    expect(generationsIn({ outlet: { a: 1 } }, 'generation')).toEqual([]);
    expect(generationsIn(undefined, 'generation')).toEqual([]);
  });
});

describe('nodeGenerations', () => {
  it('takes the exhaustive total when there is one, else the estimate', () => {
    expect(nodeGenerations('n', { totalHits: 5, estimatedTotalHits: 9, facetDistribution: { g: { '2': 5 } } }, 'g')).toEqual(node('n', 5, [2]));
    expect(nodeGenerations('n', { estimatedTotalHits: 9 }, 'g')).toEqual(node('n', 9, []));
  });
});

describe('censusVerdict', () => {
  it('agrees when every node with documents holds the same one generation', () => {
    expect(censusVerdict([node('a', 10, [4]), node('b', 12, [4]), node('c', 0, [])])).toEqual({ kind: 'consistent', generation: 4 });
  });

  it('calls unstamped documents generation 0 and an empty network generation 0', () => {
    expect(censusVerdict([node('a', 10, []), node('b', 3, [])])).toEqual({ kind: 'consistent', generation: 0 });
    expect(censusVerdict([])).toEqual({ kind: 'consistent', generation: 0 });
  });

  it('finds a mix between nodes, naming each node with its generation', () => {
    const v = censusVerdict([node('a', 10, [4]), node('b', 12, [5]), node('c', 11, [4])]);
    expect(v.kind).toBe('mixed');
    expect(v.kind === 'mixed' && v.detail).toBe('a: 4, b: 5, c: 4');
  });

  it('finds a mix between a stamped node and one built before generations', () => {
    expect(censusVerdict([node('a', 10, [1]), node('b', 12, [])]).kind).toBe('mixed');
  });

  it('finds a mix inside one node (documents of two generations in one index)', () => {
    const v = censusVerdict([node('a', 10, [4, 5]), node('b', 12, [5])]);
    expect(v.kind === 'mixed' && v.detail).toBe('node a holds generations 4, 5');
  });
});

describe('generationProbeFilter', () => {
  it('matches every stamped document in generation 0, and every document of another generation otherwise', () => {
    expect(generationProbeFilter('generation', 0)).toBe('generation EXISTS');
    expect(generationProbeFilter('generation', 3)).toBe('generation != 3');
  });
});

describe('orFilter', () => {
  it('ORs the probe with a string filter, keeping the filter whole', () => {
    expect(orFilter('outlet = "a" OR outlet = "b"', 'generation != 2')).toBe('((outlet = "a" OR outlet = "b")) OR generation != 2');
  });

  it('ANDs array clauses (inner arrays ORed) before ORing the probe', () => {
    expect(orFilter(['lang = "zh"', ['outlet = "a"', 'outlet = "b"']], 'g EXISTS')).toBe('((lang = "zh") AND ((outlet = "a") OR (outlet = "b"))) OR g EXISTS');
  });

  it('adds nothing to a query without a filter: it already matches every document', () => {
    expect(orFilter(undefined, 'g EXISTS')).toBeUndefined();
    expect(orFilter('', 'g EXISTS')).toBe('');
    expect(orFilter([], 'g EXISTS')).toEqual([]);
  });
});

describe('canCarryProbe', () => {
  it('is true only for queries without text', () => {
    expect(canCarryProbe({ q: '' })).toBe(true);
    expect(canCarryProbe({})).toBe(true);
    expect(canCarryProbe({ q: null })).toBe(true);
    expect(canCarryProbe({ q: '合作' })).toBe(false);
  });
});

describe('foreignGenerations', () => {
  it('is empty when the answer counts only the expected generation (or nothing)', () => {
    expect(foreignGenerations({ generation: { '3': 40 } }, 'generation', 3)).toEqual([]);
    expect(foreignGenerations({}, 'generation', 3)).toEqual([]);
    expect(foreignGenerations(undefined, 'generation', 0)).toEqual([]);
  });

  it('names the other generations the probes brought in', () => {
    expect(foreignGenerations({ generation: { '3': 40, '4': 300 } }, 'generation', 3)).toEqual([4]);
    expect(foreignGenerations({ generation: { '1': 30 } }, 'generation', 0)).toEqual([1]);
  });
});

describe('withoutGenerationFacet', () => {
  const answer = {
    hits: [],
    facetDistribution: { outlet: { a: 2 }, generation: { '3': 2 } },
    facetStats: { timestamp: { min: 1, max: 2 }, generation: { min: 3, max: 3 } },
  };

  it('drops the facets entirely when the caller asked for none', () => {
    expect(withoutGenerationFacet(answer, 'generation', false)).toEqual({ hits: [] });
  });

  it('keeps the caller’s facets and drops only the generation', () => {
    expect(withoutGenerationFacet(answer, 'generation', true)).toEqual({
      hits: [],
      facetDistribution: { outlet: { a: 2 } },
      facetStats: { timestamp: { min: 1, max: 2 } },
    });
  });
});

describe('settleDelays', () => {
  it('starts short, backs off to a cap and stays within the budget', () => {
    const d = settleDelays(2_000);
    expect(d.slice(0, 4)).toEqual([25, 50, 100, 200]);
    expect(Math.max(...d)).toBe(400);
    expect(d.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2_000);
  });

  it('waits not at all without a budget', () => {
    expect(settleDelays(0)).toEqual([]);
  });
});

describe('toHttpError for a swap in progress', () => {
  it('answers 503 index_swap_in_progress with Retry-After and no engine detail', () => {
    const http = toHttpError(new IndexSwapInProgressError('the nodes of index news answer from different generations (a: 1, b: 2)'));
    expect(http).toEqual({
      status: 503,
      headers: { 'Retry-After': '1' },
      body: { error: { code: 'index_swap_in_progress', message: expect.any(String) as string } },
    });
    expect(JSON.stringify(http.body)).not.toContain('generations');
  });
});
