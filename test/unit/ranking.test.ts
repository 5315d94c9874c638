import { shorterFirstAmongTies } from '../../services/meili/news-search';

const hit = (id: string, score: number | null, wordCount?: number) => ({ id, score, doc: wordCount === undefined ? {} : { wordCount } });
const ids = (hits: ReadonlyArray<{ id: string }>) => hits.map((h) => h.id);

describe('shorterFirstAmongTies', () => {
  it('puts the shorter article first only among hits of exactly equal score', () => {
    const page = [hit('a', 0.9, 900), hit('b', 0.5, 800), hit('c', 0.5, 300), hit('d', 0.5, 500), hit('e', 0.4, 10)];
    expect(ids(shorterFirstAmongTies(page))).toEqual(['a', 'c', 'd', 'b', 'e']);
  });

  it('never lets length beat a higher score', () => {
    const page = [hit('long', 0.8, 5000), hit('short', 0.7, 10)];
    expect(ids(shorterFirstAmongTies(page))).toEqual(['long', 'short']);
  });

  it("keeps the engine's order for equal lengths, unscored hits and documents without a count", () => {
    expect(ids(shorterFirstAmongTies([hit('x', 0.5, 100), hit('y', 0.5, 100)]))).toEqual(['x', 'y']);
    expect(ids(shorterFirstAmongTies([hit('x', null, 900), hit('y', null, 100)]))).toEqual(['x', 'y']);
    expect(ids(shorterFirstAmongTies([hit('old', 0.5), hit('new', 0.5, 100), hit('old2', 0.5)]))).toEqual(['new', 'old', 'old2']);
  });

  it('returns a new array with the same hits', () => {
    const page = [hit('a', 0.5, 9), hit('b', 0.5, 1)];
    const out = shorterFirstAmongTies(page);
    expect(ids(page)).toEqual(['a', 'b']);
    expect(new Set(out)).toEqual(new Set(page));
  });
});
