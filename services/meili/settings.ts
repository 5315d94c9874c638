import type { Settings } from 'meilisearch';

/**
 * The index schema and settings: the one place that says which document fields the engine searches, filters, sorts
 * and facets on. Applied idempotently by the indexer (the engine skips work when nothing changed).
 */

export const PRIMARY_KEY = 'id';

/**
 * Searched in this order of importance: a title match outranks a body match. The originals are searched, and beside
 * each its copy folded to simplified Chinese where the article is written in traditional characters (the engine does
 * not fold them itself: measured on 1.21, 上海合作组织 finds no match position in 上海合作組織).
 */
export const SEARCHABLE_FIELDS = ['title', 'titleSearch', 'body', 'bodySearch'] as const;

/** The index generation each document was built for (generation.ts); never returned with hits. */
export const GENERATION_FIELD = 'generation';

/**
 * Keys that copies in multi-copy groups carry for collapsed counting (group-facets.ts): the group, and "group|value"
 * for each counted facet field. Filterable only so that the engine counts them; never returned with hits.
 */
export const GROUP_KEY_FIELD = 'sharedGroup';
export const GROUP_FACET_FIELDS: Readonly<Record<string, string>> = {
  outlet: 'sharedOutlet',
  themes: 'sharedThemes',
  lang: 'sharedLang',
  day: 'sharedDay',
  month: 'sharedMonth',
};
export const SHARED_COPY_FIELDS = [GROUP_KEY_FIELD, ...Object.values(GROUP_FACET_FIELDS)];

// dupOf is filterable so a sharded search can find members of multi-member groups (DUPLICATE_MEMBERS_FILTER);
// generation so a sharded search can tell a node that already swapped in a reindex from one that has not.
export const FILTERABLE_FIELDS = ['id', 'outlet', 'themes', 'lang', 'day', 'month', 'timestamp', 'dupGroup', 'dupOf', GENERATION_FIELD, ...SHARED_COPY_FIELDS] as const;

/** Members of near-duplicate groups with more than one article: the only documents collapse can split across shards. */
export const DUPLICATE_MEMBERS_FILTER = 'dupOf IS NOT EMPTY';

/** Engine field behind each user-facing facet. */
export const FACET_FIELDS = { outlet: 'outlet', theme: 'themes', lang: 'lang', day: 'day', month: 'month' } as const;

/** Fields returned with hits: the folded search copies are never sent back (they would repeat title and body). */
export const RETRIEVED_FIELDS = [
  'id',
  'title',
  'body',
  'outlet',
  'outletName',
  'outletNameEn',
  'published',
  'timestamp',
  'lang',
  'titleLang',
  'bodyLang',
  'themes',
  'wordCount',
  'url',
  'category',
  'dupGroup',
  'dupOf',
] as const;

/** Query words the engine may use are capped; it ignores the rest silently, so the API caps them visibly. */
export const ENGINE_MAX_QUERY_WORDS = 10;
export const MAX_TOTAL_HITS = 1000;
export const MAX_VALUES_PER_FACET = 500;

/** The words and synonyms that shape tokenisation and cross-language matching (services/lexicon). */
export interface LexiconSettings {
  dictionary: readonly string[];
  synonyms: Readonly<Record<string, readonly string[]>>;
}

export function buildIndexSettings(lexicon: LexiconSettings): Settings {
  return {
    searchableAttributes: [...SEARCHABLE_FIELDS],
    filterableAttributes: [...FILTERABLE_FIELDS],
    sortableAttributes: ['timestamp'],
    displayedAttributes: ['*'],
    // `sort` first: a reader who asks for newest or oldest wants date order among the matches, not relevance with
    // dates breaking ties. Without a sort parameter the rule does nothing and relevance decides.
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
    // Chinese is otherwise open to being detected as Japanese; only these two languages are ever indexed.
    localizedAttributes: [{ attributePatterns: [...SEARCHABLE_FIELDS], locales: ['cmn', 'eng'] }],
    dictionary: [...lexicon.dictionary].sort(),
    synonyms: Object.fromEntries(Object.entries(lexicon.synonyms).map(([k, v]) => [k, [...v]])),
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 12 },
      disableOnNumbers: true,
      disableOnAttributes: [],
    },
    faceting: { maxValuesPerFacet: MAX_VALUES_PER_FACET, sortFacetValuesBy: { '*': 'count' } },
    pagination: { maxTotalHits: MAX_TOTAL_HITS },
  };
}
