import { condense, dcg, meanScores, ndcgAt, recallAt, reciprocalRankAt, scoreRanking } from '../../../scripts/eval/metrics';

const grades = new Map([
  ['a', 2],
  ['b', 1],
  ['c', 0],
]);

describe('ranking metrics', () => {
  it('computes DCG with exponential gain and a log2 discount', () => {
    expect(dcg([2, 1])).toBeCloseTo(3 + 1 / Math.log2(3), 10);
    expect(dcg([])).toBe(0);
  });

  it('gives nDCG 1 to the ideal order and less to any other', () => {
    expect(ndcgAt(['a', 'b', 'x'], grades, 10)).toBeCloseTo(1, 10);
    const swapped = (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3));
    expect(ndcgAt(['b', 'a'], grades, 10)).toBeCloseTo(swapped, 10);
    expect(ndcgAt(['x', 'y'], grades, 10)).toBe(0);
  });

  it('cuts at k', () => {
    expect(ndcgAt(['x', 'a', 'b'], grades, 1)).toBe(0);
    expect(recallAt(['x', 'a', 'b'], grades, 2)).toBe(0.5);
    expect(reciprocalRankAt(['x', 'x2', 'b'], grades, 2)).toBe(0);
  });

  it('counts recall and the first relevant rank over grades 1 and 2', () => {
    expect(recallAt(['c', 'b'], grades, 10)).toBe(0.5);
    expect(reciprocalRankAt(['c', 'x', 'b', 'a'], grades, 10)).toBeCloseTo(1 / 3, 10);
  });

  it('counts a repeated key once, at its first position', () => {
    expect(recallAt(['b', 'b', 'b'], grades, 10)).toBe(0.5);
    expect(ndcgAt(['a', 'a', 'b'], grades, 10)).toBeCloseTo(1, 10);
  });

  it('condenses a ranking to judged articles, keeping their order', () => {
    expect(condense(['x', 'b', 'y', 'a'], new Set(['a', 'b', 'c']))).toEqual(['b', 'a']);
  });

  it('averages every query equally', () => {
    const perfect = scoreRanking(['a', 'b'], grades, 10);
    const empty = scoreRanking([], grades, 10);
    expect(meanScores([perfect, empty])).toEqual({ ndcg: 0.5, recall: 0.5, mrr: 0.5 });
    expect(Number.isNaN(meanScores([]).ndcg)).toBe(true);
  });
});
