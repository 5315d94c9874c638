import type { Phrasings } from '../lexicon/phrasings';
import type { Engine } from './engine';
import { searchNews, type AlternateQuery, type MatchingStrategy, type NewsQuery, type NewsResult } from './news-search';

/**
 * The text of a search as the engine runs it: stages tried in order, each the query in one phrasing with its
 * other-language twin federated beside it (services/lexicon/phrasings.ts says what each phrasing is). A stage answers
 * unless it finds fewer than WIDEN_BELOW articles and a looser one follows: exact words first, typo tolerance and
 * prefix search only where the exact words find little.
 */

export interface TextStage {
  q: string;
  matchingStrategy?: MatchingStrategy;
  alternates: AlternateQuery[];
  /** Whether the stage searches the other-language twin (what the answer reports in `crossLanguage`). */
  crossed: boolean;
}

/** Fewer articles than a page of results: the exact stage widens. A constant, so every page of a search agrees. */
export const WIDEN_BELOW = 10;

/**
 * Ranking weights of the twins, measured with `npm run eval` (docs/search-quality.md): a twin's whole match ranks just
 * below the query's own whole match, so the reader's language keeps the lead among equals, and above partial matches.
 */
const EXACT_TWIN_WEIGHT = 0.9;
const LOOSE_TWIN_WEIGHT = 0.9;
/** Partial matches (some words set aside) count this much of a whole match, in either language. */
const PARTIAL_WEIGHT = 0.5;
/** A twin that says little of the query never weighs less than this share of a whole one. */
const MIN_COVERAGE = 0.3;

/**
 * The stages of a text search. `cross` false (the reader switched the crossing off, or a date order, where weighted
 * relevance means nothing) searches the query's own language only.
 */
export function textStages(typed: string, phrasings: Phrasings | null, cross: boolean): TextStage[] {
  if (typed === '' || !phrasings) return [{ q: typed, alternates: [], crossed: false }];
  const { exact, loose, coverage } = phrasings;
  const stages: TextStage[] = [];
  if (exact) {
    const twin = cross ? exact.crossLanguage : null;
    stages.push({
      q: cross ? exact.qCrossed : exact.q,
      matchingStrategy: 'all',
      alternates: twin ? [{ q: twin, weight: EXACT_TWIN_WEIGHT, matchingStrategy: 'all' }] : [],
      crossed: twin !== null,
    });
  }
  // Loose: articles matching every word, in either language, before articles matching some. The engine counts a
  // Chinese name as several words (尼日利亚 as 尼, 日利, 亚), so a Chinese article with that one name would otherwise
  // outrank an English one matching most of the twin.
  const twin = cross ? loose.crossLanguage : null;
  const q = cross ? loose.qCrossed : loose.q;
  // Alone, the engine's own order does that already (matching words first), in one plain query.
  if (!twin) return [...stages, { q, alternates: [], crossed: false }];
  const twinWeight = LOOSE_TWIN_WEIGHT * Math.max(coverage, MIN_COVERAGE);
  stages.push({
    q,
    matchingStrategy: 'all',
    alternates: [
      { q: twin, weight: twinWeight, matchingStrategy: 'all' },
      { q, weight: PARTIAL_WEIGHT, matchingStrategy: 'last' },
      { q: twin, weight: twinWeight * PARTIAL_WEIGHT, matchingStrategy: 'frequency' },
    ],
    crossed: true,
  });
  return stages;
}

export type StagedQuery = Omit<NewsQuery, 'q' | 'matchingStrategy' | 'alternates'>;

/** Runs the stages in order until one finds enough (or none is left); the answer and the stage that gave it. */
export async function searchStaged(engine: Engine, indexUid: string, query: StagedQuery, stages: readonly TextStage[]): Promise<{ result: NewsResult; stage: TextStage }> {
  let last: { result: NewsResult; stage: TextStage } | undefined;
  for (const [i, stage] of stages.entries()) {
    const result = await searchNews(engine, indexUid, { ...query, q: stage.q, matchingStrategy: stage.matchingStrategy, alternates: stage.alternates });
    last = { result, stage };
    if (result.total >= WIDEN_BELOW || i === stages.length - 1) return last;
  }
  if (!last) throw new Error('a search needs at least one text stage');
  return last;
}
