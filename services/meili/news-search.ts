import type { MultiSearchQuery, SearchResponse } from 'meilisearch';
import type { NewsDocument } from '../article';
import type { ByteRange } from '../text/highlight';
import type { Engine } from './engine';
import { buildFilter, type FacetName, type FilterCriteria } from './filters';
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

/** The engine queries for one search: [hits query, ...one facet query per facet that has its own filter]. */
export function buildQueries(indexUid: string, query: NewsQuery): { queries: MultiSearchQuery[]; facetOrder: FacetName[] } {
  const distinct = query.collapse ? 'dupGroup' : undefined;
  const common = { indexUid, q: query.q, distinct, locales: ['cmn', 'eng'] as const };
  const ownFacets = ALL_FACETS.filter((f) => !hasFilter(query.filters, f));
  const disjunctive = ALL_FACETS.filter((f) => hasFilter(query.filters, f));
  const main: MultiSearchQuery = {
    ...common,
    locales: [...common.locales],
    filter: buildFilter(query.filters),
    sort: sortParam(query.sort, query.q),
    page: query.page,
    hitsPerPage: query.limit,
    attributesToRetrieve: [...RETRIEVED_FIELDS],
    showMatchesPosition: query.q !== '',
    facets: ownFacets.flatMap((f) => FACETS_OF[f]),
  };
  const facetQueries: MultiSearchQuery[] = disjunctive.map((f) => ({
    ...common,
    locales: [...common.locales],
    filter: buildFilter(query.filters, f),
    limit: 0,
    facets: FACETS_OF[f],
  }));
  return { queries: [main, ...facetQueries], facetOrder: disjunctive };
}

type Distribution = Record<string, Record<string, number>>;

export async function searchNews(engine: Engine, indexUid: string, query: NewsQuery): Promise<NewsResult> {
  const { queries, facetOrder } = buildQueries(indexUid, query);
  const results = (await engine.multiSearch(queries)) as Array<SearchResponse<Record<string, unknown>>>;
  const [main, ...facetResults] = results;
  if (!main) throw new Error('engine returned no result for the hits query');

  const distribution: Distribution = { ...(main.facetDistribution ?? {}) };
  let stats = main.facetStats?.timestamp;
  facetResults.forEach((res, i) => {
    Object.assign(distribution, res.facetDistribution ?? {});
    if (facetOrder[i] === 'date') stats = res.facetStats?.timestamp;
  });

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
    dateRange: stats ? { min: stats.min, max: stats.max } : null,
    engineMs: Math.max(...results.map((r) => r.processingTimeMs ?? 0)),
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
