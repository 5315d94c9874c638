import { MAX_TOTAL_HITS } from './settings';

/**
 * How many documents a search matched. The engine's hit count stops at maxTotalHits (1,000), even for a search
 * without a query, so on an archive of 50,000 articles "everything" counted 1,000. Its facet counts do not stop there
 * (measured on 1.21: they cover the whole result set, with or without a query), and every document has exactly one
 * outlet, so the outlet counts add up to the exact number of matching copies.
 */
export interface ResultSize {
  total: number;
  /** False when the total is only known to be at least this (a count the engine capped or cut short). */
  exact: boolean;
}

type Counts = Readonly<Record<string, number>>;

/**
 * The matching copies from outlet copy counts: those of the result set itself, or, when the search filters on outlets,
 * those of the set without that filter (disjunctive counts), of which only the chosen outlets belong to the result.
 * Null when the engine may have cut the list of values short (it returns at most `maxValues` per facet): a chosen
 * outlet could be missing, or the remainder uncounted.
 */
export function copiesFromOutletCounts(outletCounts: Counts, chosen: readonly string[], maxValues: number): ResultSize | null {
  if (Object.keys(outletCounts).length >= maxValues) return null;
  const values = chosen.length > 0 ? [...new Set(chosen)].map((v) => outletCounts[v] ?? 0) : Object.values(outletCounts);
  return { total: values.reduce((a, n) => a + n, 0), exact: true };
}

/** A count as the engine reported it: exact below the cap, a lower bound at it. */
export function engineCount(count: number): ResultSize {
  return { total: count, exact: count < MAX_TOTAL_HITS };
}

/**
 * Collapsed: groups = matching copies - the copies beyond the first of each group. Exact when both parts are; where
 * the extra copies are known only from an incomplete list of group members, a lower bound: those members' groups
 * (`groupsSeen`) are certain, and at most `membersMatching - groupsSeen` of the copies are extra.
 */
export function groupsOf(copies: ResultSize, extra: { count: number } | { membersMatching: number; groupsSeen: number }): ResultSize {
  if ('count' in extra) return { total: Math.max(0, copies.total - extra.count), exact: copies.exact };
  return { total: Math.max(0, copies.total - extra.membersMatching + extra.groupsSeen), exact: false };
}
