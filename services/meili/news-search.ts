import type { MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { NewsDocument } from '../article';
import type { ByteRange } from '../text/highlight';
import type { Engine } from './engine';
import { buildFilter, quoteFilterValue, type FacetName, type FilterCriteria } from './filters';
import { FACET_FIELDS, RETRIEVED_FIELDS } from './settings';

/**
 * Turns a search in domain terms into the engine's multi-search and back. Disjunctive faceting: the hits query carries
 * every filter; each facet that has a filter of its own gets one more query (no hits) with all filters but its own,
 * so its counts show what choosing another value would add. All of it is one round trip.
 */

export type SortOrder = 'relevance' | 'newest' | 'oldest';

export interface NewsQuery {
  /** Normalised query text; empty lists everything. */
  q: string;
  filters: FilterCriteria;
  sort: SortOrder;
  page: number;
  limit: number;
  /** Fold each near-duplicate group into one hit. */
  collapse: boolean;
}

export type StoredDocument = Omit<NewsDocument, 'titleSearch' | 'bodySearch'>;

export interface EngineHit {
  doc: StoredDocument;
  /** Byte ranges into title/body (the search copies have the same bytes as the originals). */
  matches: { title: ByteRange[]; body: ByteRange[] };
}

export type FacetCounts = Record<string, number>;

export interface NewsResult {
  total: number;
  hits: EngineHit[];
  facets: { outlet: FacetCounts; theme: FacetCounts; lang: FacetCounts; day: FacetCounts; month: FacetCounts };
  /** Span of the dates in the result set (without the date filter), seconds since the epoch. */
  dateRange: { min: number; max: number } | null;
  engineMs: number;
}

const FACETS_OF: Record<FacetName, string[]> = {
  outlet: [FACET_FIELDS.outlet],
  theme: [FACET_FIELDS.theme],
  lang: [FACET_FIELDS.lang],
  date: [FACET_FIELDS.day, FACET_FIELDS.month, 'timestamp'],
};

export function hasFilter(filters: FilterCriteria, facet: FacetName): boolean {
  switch (facet) {
    case 'outlet':
      return (filters.outlet?.length ?? 0) > 0;
    case 'theme':
      return (filters.theme?.length ?? 0) > 0;
    case 'lang':
      return (filters.lang?.length ?? 0) > 0;
    case 'date':
      return filters.fromTimestamp !== undefined || filters.toTimestamp !== undefined;
  }
}

export function sortParam(sort: SortOrder, q: string): string[] | undefined {
  if (sort === 'newest' || (sort === 'relevance' && q === '')) return ['timestamp:desc'];
  if (sort === 'oldest') return ['timestamp:asc'];
  return undefined;
}

const ALL_FACETS: FacetName[] = ['outlet', 'theme', 'lang', 'date'];

/** Beyond this span the date facet switches from day to month buckets, so a histogram stays readable. */
export const MAX_DAY_BUCKET_SPAN_DAYS = 60;

export function dateInterval(range: { min: number; max: number } | null): 'day' | 'month' {
  const span = range ? (range.max - range.min) / 86_400 : 0;
  return span > MAX_DAY_BUCKET_SPAN_DAYS ? 'month' : 'day';
}

/**
 * The engine queries for one search: [hits query, counting queries...]. Counting queries never collapse: with
 * `distinct`, the engine counts each group only under the values of the one member it keeps, so a story whose copies
 * differ (published either side of midnight, tagged differently) would be missing from a value that clicking finds.
 * Collapsed counts are made exact in a second round (collapsedCountQueries).
 */
export function buildQueries(indexUid: string, query: NewsQuery): { queries: MultiSearchQuery[]; facetOrder: Array<FacetName | null> } {
  const common = { indexUid, q: query.q, locales: ['cmn', 'eng'] as const };
  const ownFacets = ALL_FACETS.filter((f) => !hasFilter(query.filters, f));
  const disjunctive = ALL_FACETS.filter((f) => hasFilter(query.filters, f));
  const main: MultiSearchQuery = {
    ...common,
    locales: [...common.locales],
    distinct: query.collapse ? 'dupGroup' : undefined,
    filter: buildFilter(query.filters),
    sort: sortParam(query.sort, query.q),
    page: query.page,
    hitsPerPage: query.limit,
    attributesToRetrieve: [...RETRIEVED_FIELDS],
    showMatchesPosition: query.q !== '',
    facets: query.collapse ? [] : ownFacets.flatMap((f) => FACETS_OF[f]),
  };
  const counting: MultiSearchQuery[] = [];
  const facetOrder: Array<FacetName | null> = [];
  if (query.collapse && ownFacets.length > 0) {
    counting.push({ ...common, locales: [...common.locales], filter: buildFilter(query.filters), limit: 0, facets: ownFacets.flatMap((f) => FACETS_OF[f]) });
    facetOrder.push(null);
  }
  for (const f of disjunctive) {
    counting.push({ ...common, locales: [...common.locales], filter: buildFilter(query.filters, f), limit: 0, facets: FACETS_OF[f] });
    facetOrder.push(f);
  }
  return { queries: [main, ...counting], facetOrder };
}

/** Facet fields whose collapsed counts are made exact, with the facet whose filter their counts leave out. */
const COUNTED: Array<{ field: string; facet: FacetName }> = [
  { field: FACET_FIELDS.outlet, facet: 'outlet' },
  { field: FACET_FIELDS.theme, facet: 'theme' },
  { field: FACET_FIELDS.lang, facet: 'lang' },
];

/** Above this many values a collapsed facet keeps the engine's approximate counts rather than asking per value. */
export const MAX_EXACT_COLLAPSED_VALUES = 150;

/**
 * One query per facet value: the number of groups with at least one member carrying the value, under every filter
 * but the facet's own - exactly what clicking the value returns. A value on a single document needs no query.
 */
export function collapsedCountQueries(
  indexUid: string,
  q: string,
  filters: FilterCriteria,
  counts: Array<{ field: string; facet: FacetName; values: FacetCounts }>,
): { queries: MultiSearchQuery[]; keys: Array<{ field: string; value: string }> } {
  const queries: MultiSearchQuery[] = [];
  const keys: Array<{ field: string; value: string }> = [];
  for (const { field, facet, values } of counts) {
    const base = buildFilter(filters, hasFilter(filters, facet) ? facet : undefined);
    for (const [value, n] of Object.entries(values)) {
      if (n < 2) continue;
      const own = `${field} = ${quoteFilterValue(value)}`;
      queries.push({
        indexUid,
        q,
        locales: ['cmn', 'eng'],
        distinct: 'dupGroup',
        filter: base ? `${base} AND ${own}` : own,
        page: 1,
        hitsPerPage: 0,
        attributesToRetrieve: ['id'],
      });
      keys.push({ field, value });
    }
  }
  return { queries, keys };
}

type Distribution = Record<string, Record<string, number>>;

export async function searchNews(engine: Engine, indexUid: string, query: NewsQuery): Promise<NewsResult> {
  const { queries, facetOrder } = buildQueries(indexUid, query);
  const results = (await engine.multiSearch(queries)) as Array<SearchResponse<Record<string, unknown>>>;
  const [main, ...facetResults] = results;
  if (!main) throw new Error('engine returned no result for the hits query');

  const distribution: Distribution = query.collapse ? {} : { ...(main.facetDistribution ?? {}) };
  let stats = query.collapse ? undefined : main.facetStats?.timestamp;
  facetResults.forEach((res, i) => {
    Object.assign(distribution, res.facetDistribution ?? {});
    const f = facetOrder[i];
    if (f === 'date' || (f === null && !hasFilter(query.filters, 'date'))) stats = res.facetStats?.timestamp;
  });
  const dateRange = stats ? { min: stats.min, max: stats.max } : null;
  let engineMs = Math.max(...results.map((r) => r.processingTimeMs ?? 0));

  if (query.collapse) {
    const dateField = dateInterval(dateRange) === 'day' ? FACET_FIELDS.day : FACET_FIELDS.month;
    const counted = [...COUNTED, { field: dateField, facet: 'date' as const }].map((c) => ({ ...c, values: distribution[c.field] ?? {} }));
    const exact = counted.filter((c) => Object.keys(c.values).length <= MAX_EXACT_COLLAPSED_VALUES);
    const { queries: countQueries, keys } = collapsedCountQueries(indexUid, query.q, query.filters, exact);
    if (countQueries.length > 0) {
      const countResults = (await engine.multiSearch(countQueries)) as Array<SearchResponse<Record<string, unknown>>>;
      countResults.forEach((res, i) => {
        const key = keys[i];
        const values = key ? distribution[key.field] : undefined;
        if (key && values) values[key.value] = res.totalHits ?? res.estimatedTotalHits ?? 0;
      });
      engineMs += Math.max(...countResults.map((r) => r.processingTimeMs ?? 0));
    }
  }

  return {
    total: main.totalHits ?? main.estimatedTotalHits ?? 0,
    hits: main.hits.map(toEngineHit),
    facets: {
      outlet: distribution[FACET_FIELDS.outlet] ?? {},
      theme: distribution[FACET_FIELDS.theme] ?? {},
      lang: distribution[FACET_FIELDS.lang] ?? {},
      day: distribution[FACET_FIELDS.day] ?? {},
      month: distribution[FACET_FIELDS.month] ?? {},
    },
    dateRange,
    engineMs,
  };
}

function toEngineHit(hit: Record<string, unknown>): EngineHit {
  const { _matchesPosition, ...doc } = hit as Record<string, unknown> & { _matchesPosition?: Record<string, ByteRange[]> };
  return {
    doc: doc as unknown as StoredDocument,
    matches: { title: _matchesPosition?.titleSearch ?? [], body: _matchesPosition?.bodySearch ?? [] },
  };
}

/** Documents by id, in one request (for collapsed groups whose earliest member was not the best-ranked one). */
export async function searchByIds(
  engine: Engine,
  indexUid: string,
  q: string,
  filters: FilterCriteria,
  ids: readonly string[],
): Promise<EngineHit[]> {
  if (ids.length === 0) return [];
  const [res] = (await engine.multiSearch([
    {
      indexUid,
      q,
      locales: ['cmn', 'eng'],
      filter: buildFilter({ ...filters, ids }),
      limit: ids.length,
      attributesToRetrieve: [...RETRIEVED_FIELDS],
      showMatchesPosition: q !== '',
      matchingStrategy: 'last',
    },
  ])) as Array<SearchResponse<Record<string, unknown>>>;
  return (res?.hits ?? []).map(toEngineHit);
}

/** Engine field of each facet whose values can be searched (dates by day). */
export const FACET_VALUE_FIELDS: Record<FacetName, string> = {
  outlet: FACET_FIELDS.outlet,
  theme: FACET_FIELDS.theme,
  lang: FACET_FIELDS.lang,
  date: FACET_FIELDS.day,
};

export interface FacetValueQuery {
  facet: FacetName;
  /** Text the values must match; empty lists them all (most frequent first). */
  facetQuery: string;
  /** The search's own query text and filters: counts are those of the current result set. */
  q: string;
  filters: FilterCriteria;
  collapse: boolean;
}

/**
 * Values of one facet with counts under the current search, computed like the search's own facet counts: every
 * filter but the facet's own (disjunctive), groups rather than copies when collapsing (searchNews does the counting).
 * The engine's facet search matches `facetQuery` against the raw values (prefix, typo-tolerant); its own counts are
 * not used because facet search ignores `distinct` (measured on 1.21: it counts copies, not groups).
 */
export async function searchFacetValues(
  engine: Engine,
  indexUid: string,
  query: FacetValueQuery,
): Promise<{ counts: FacetCounts; engineMatches: ReadonlySet<string>; interval: 'day' | 'month' }> {
  const field = FACET_VALUE_FIELDS[query.facet];
  const [result, matches] = await Promise.all([
    searchNews(engine, indexUid, { q: query.q, filters: query.filters, sort: 'relevance', page: 1, limit: 1, collapse: query.collapse }),
    query.facetQuery
      ? engine.searchFacetValues(indexUid, {
          facetName: field,
          facetQuery: query.facetQuery,
          q: query.q,
          filter: buildFilter(query.filters, query.facet),
          locales: ['cmn', 'eng'],
        })
      : Promise.resolve(null),
  ]);
  const interval = dateInterval(result.dateRange);
  const counts =
    query.facet === 'date' ? (interval === 'day' ? result.facets.day : result.facets.month) : result.facets[query.facet];
  return { counts, engineMatches: new Set((matches?.facetHits ?? []).map((h) => h.value)), interval };
}
