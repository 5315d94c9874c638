/**
 * Collapsing near-duplicate copies into one hit per group here, from a ranked list of copies, instead of with the
 * engine's `distinct`. A query without `distinct` can count the result set's facets itself (with `distinct` the engine
 * counts each group under the one copy it keeps), so page 1 of a collapsed search needs one engine query where it
 * needed two: the hits query and a counting query that repeated the same text search.
 *
 * The order is the engine's: a group ranks where its best-ranked copy does, which is the copy `distinct` keeps, so
 * the groups come in the same order either way and paging over `distinct` on later pages neither repeats nor skips one.
 */

/** Copies fetched for a page of `limit` groups: near-duplicates are rare, so half a page more covers nearly all. */
export function foldWindow(limit: number): number {
  return limit + Math.ceil(limit / 2);
}

export interface FoldableHit {
  doc: { id: string; dupGroup: string };
  score: number | null;
}

/**
 * One hit per group, at the place of its best-ranked copy. A group is shown by its earliest article (its id is the
 * group's id): where the list holds that copy it stands in at the group's place and rank, which saves the round trip
 * that would fetch it.
 */
export function foldCopies<T extends FoldableHit>(copies: readonly T[]): T[] {
  const placeOf = new Map<string, number>();
  const out: T[] = [];
  for (const copy of copies) {
    const group = copy.doc.dupGroup;
    const at = placeOf.get(group);
    if (at === undefined) {
      placeOf.set(group, out.length);
      out.push(copy);
    } else if (copy.doc.id === group) {
      const best = out[at];
      out[at] = { ...copy, score: best ? best.score : copy.score };
    }
  }
  return out;
}

/**
 * Whether the folded copies fill the page: they do when they hold `limit` groups, or every group there is (`groups`,
 * the collapsed size of the result set), or when the engine returned every copy it found.
 */
export function foldFillsPage(folded: number, limit: number, groups: number | null, copiesFetched: number, copiesFound: number): boolean {
  if (folded >= limit) return true;
  if (groups !== null && folded >= groups) return true;
  return copiesFetched >= copiesFound;
}
