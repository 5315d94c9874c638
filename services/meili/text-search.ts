import { WIDEN_BELOW, type Phrasings } from '../lexicon/phrasings';
import type { AlternateQuery, MatchingStrategy } from './news-search';

/**
 * The text of a search as the engine runs it: the query in one phrasing, with its other-language twin federated
 * beside it (services/lexicon/phrasings.ts says what each phrasing is). The exact phrasing where its words find enough
 * in the archive, else the loose one: exact words first, typo tolerance and prefix search only where the exact words
 * find little. The choice is made before searching, from counts the phrasings remember, so a search is one search.
 */

export interface TextSearch {
  q: string;
  matchingStrategy?: MatchingStrategy;
  /** Ranking weight of the query itself beside its alternates (default 1). */
  weight?: number;
  alternates: AlternateQuery[];
  /** Whether it searches the other-language twin (what the answer reports in `crossLanguage`). */
  crossed: boolean;
}

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
 * The text search for a query. `cross` false (the reader switched the crossing off, or a date order, where weighted
 * relevance means nothing) searches the query's own language only.
 */
export function textSearch(typed: string, phrasings: Phrasings | null, cross: boolean): TextSearch {
  if (typed === '' || !phrasings) return { q: typed, alternates: [], crossed: false };
  const { exact, loose, coverage } = phrasings;
  if (exact) {
    const twin = cross ? exact.crossLanguage : null;
    const found = twin ? (exact.counts?.withTwin ?? 0) : (exact.counts?.own ?? 0);
    if (!exact.counts || found >= WIDEN_BELOW) {
      return {
        q: cross ? exact.qCrossed : exact.q,
        matchingStrategy: 'all',
        alternates: twin ? [{ q: twin, weight: EXACT_TWIN_WEIGHT, matchingStrategy: 'all' }] : [],
        crossed: twin !== null,
      };
    }
  }
  const twin = cross ? loose.crossLanguage : null;
  const q = cross ? loose.qCrossed : loose.q;
  // Alone, the engine's own order does the rest (matching words first), in one plain query.
  if (!twin) return { q, alternates: [], crossed: false };
  const twinWeight = LOOSE_TWIN_WEIGHT * Math.max(coverage, MIN_COVERAGE);
  if (phrasings.contentSpans <= 1) {
    // One word or name: the engine ranks whole matches first within each phrasing already, and a partial match of
    // one name is no rival across languages.
    return { q, alternates: [{ q: twin, weight: twinWeight, matchingStrategy: 'frequency' }], crossed: true };
  }
  // Several: articles matching every word, in either language, before articles matching some. The engine counts a
  // Chinese name as several words (尼日利亚 as 尼, 日利, 亚), so a Chinese article with that one name would otherwise
  // outrank an English one matching most of the twin. The whole-match tiers only rank: they find nothing the partial
  // ones do not, so the counts leave them out.
  return {
    q,
    matchingStrategy: 'last',
    weight: PARTIAL_WEIGHT,
    alternates: [
      { q: twin, weight: twinWeight * PARTIAL_WEIGHT, matchingStrategy: 'frequency' },
      { q, weight: 1, matchingStrategy: 'all', rankingOnly: true },
      { q: twin, weight: twinWeight, matchingStrategy: 'all', rankingOnly: true },
    ],
    crossed: true,
  };
}
