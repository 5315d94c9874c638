/**
 * Ranking metrics for the evaluation, as pure functions over a ranking (article keys, best first) and the judged
 * grades of one query (0 not relevant, 1 partly, 2 highly; an unjudged key counts as 0).
 *
 * nDCG uses exponential gain (2^grade - 1) and a log2(rank + 1) discount, normalised by the ideal ordering of all
 * judged grades; recall counts articles graded 1 or 2; MRR is the reciprocal rank of the first of those. All are cut
 * at k. A ranking with repeated keys counts each key at its first position only.
 */

export type Grades = ReadonlyMap<string, number>;

export interface QueryScores {
  ndcg: number;
  recall: number;
  mrr: number;
}

function firstOccurrences(ranking: readonly string[]): string[] {
  return [...new Set(ranking)];
}

function gain(grade: number): number {
  return 2 ** grade - 1;
}

export function dcg(grades: readonly number[]): number {
  return grades.reduce((sum, g, i) => sum + gain(g) / Math.log2(i + 2), 0);
}

export function ndcgAt(ranking: readonly string[], grades: Grades, k: number): number {
  const ideal = dcg([...grades.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k));
  if (ideal === 0) return 0;
  return dcg(firstOccurrences(ranking).slice(0, k).map((key) => grades.get(key) ?? 0)) / ideal;
}

export function recallAt(ranking: readonly string[], grades: Grades, k: number): number {
  const relevant = [...grades.values()].filter((g) => g > 0).length;
  if (relevant === 0) return 0;
  return firstOccurrences(ranking).slice(0, k).filter((key) => (grades.get(key) ?? 0) > 0).length / relevant;
}

export function reciprocalRankAt(ranking: readonly string[], grades: Grades, k: number): number {
  const index = firstOccurrences(ranking).slice(0, k).findIndex((key) => (grades.get(key) ?? 0) > 0);
  return index === -1 ? 0 : 1 / (index + 1);
}

export function scoreRanking(ranking: readonly string[], grades: Grades, k: number): QueryScores {
  return { ndcg: ndcgAt(ranking, grades, k), recall: recallAt(ranking, grades, k), mrr: reciprocalRankAt(ranking, grades, k) };
}

/**
 * The ranking without unjudged documents ("condensed list", Sakai 2007). With distractors from a real corpus, some of
 * them are truly relevant but were never judged; dropping them measures how the judged articles are ordered among
 * themselves, while the strict figures (distractors count as not relevant) also charge the system for noise.
 */
export function condense(ranking: readonly string[], judged: ReadonlySet<string>): string[] {
  return ranking.filter((key) => judged.has(key));
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Macro-averages (every query weighs the same) of each metric over the given per-query scores. */
export function meanScores(scores: readonly QueryScores[]): QueryScores {
  return {
    ndcg: mean(scores.map((s) => s.ndcg)),
    recall: mean(scores.map((s) => s.recall)),
    mrr: mean(scores.map((s) => s.mrr)),
  };
}
