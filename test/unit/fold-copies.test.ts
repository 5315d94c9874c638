import { foldCopies, foldFillsPage, foldWindow } from '../../services/meili/fold-copies';

const hit = (id: string, dupGroup: string, score: number | null) => ({ doc: { id, dupGroup }, score });

describe('folding ranked copies into groups', () => {
  it('keeps one hit per group at the place of its best-ranked copy', () => {
    const folded = foldCopies([hit('b', 'a', 0.9), hit('x', 'x', 0.8), hit('c', 'a', 0.7), hit('y', 'y', 0.6)]);
    expect(folded.map((h) => h.doc.dupGroup)).toEqual(['a', 'x', 'y']);
  });

  it("shows a group by its earliest article where the list holds it, at the group's place and score", () => {
    const folded = foldCopies([hit('b', 'a', 0.9), hit('x', 'x', 0.8), hit('a', 'a', 0.5)]);
    expect(folded).toEqual([hit('a', 'a', 0.9), hit('x', 'x', 0.8)]);
    // Without the earliest copy in the list, the best-ranked copy stands in (the service fetches the earliest).
    expect(foldCopies([hit('c', 'a', 0.9), hit('b', 'a', 0.4)])).toEqual([hit('c', 'a', 0.9)]);
  });

  it('fetches half a page more copies than the page holds', () => {
    expect(foldWindow(10)).toBe(15);
    expect(foldWindow(1)).toBe(2);
    expect(foldWindow(25)).toBe(38);
  });

  it('knows when the folded copies fill the page', () => {
    expect(foldFillsPage(10, 10, 500, 15, 900)).toBe(true); // a full page
    expect(foldFillsPage(4, 10, 4, 15, 20)).toBe(true); // every group there is
    expect(foldFillsPage(7, 10, null, 12, 12)).toBe(true); // every copy there is
    expect(foldFillsPage(7, 10, 40, 15, 60)).toBe(false); // more groups lie beyond the copies fetched
    expect(foldFillsPage(7, 10, null, 15, 60)).toBe(false);
  });
});
