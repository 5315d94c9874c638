import type { MultiSearchQuery } from 'meilisearch';
import type { NewsDocument } from '../article';
import type { ByteRange } from '../text/highlight';
import type { Engine } from './engine';
import type { SearchResult } from './results';
import { buildFilter, quoteFilterValue, type FacetName, type FilterCriteria } from './filters';
import { foldCopies, foldFillsPage, foldWindow } from './fold-copies';
import { collapseByGroupKeys, extraCopiesByGroupKeys, groupFieldsFor, groupKeysTruncated, withoutGroupKeys, type GroupFacetFields } from './group-facets';
import { copiesFromOutletCounts, engineCount, groupsOf, type ResultSize } from './result-size';
import { FACET_FIELDS, GROUP_KEY_FIELD, MAX_TOTAL_HITS, MAX_VALUES_PER_FACET, RETRIEVED_FIELDS } from './settings';

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
  /** How the engine may set query words aside when too few articles match all of them (its default: 'last'). */
  matchingStrategy?: MatchingStrategy;
  /**
   * Other phrasings of the query (a cross-language translation) searched alongside it at a lower weight: the answer is
   * the union, ranked by weighted score, and every count covers the union. Used with relevance order only.
   */
  alternates?: readonly AlternateQuery[];
  /** Ranking weight of the query itself beside its alternates (default 1). */
  weight?: number;
}

export type MatchingStrategy = 'all' | 'last' | 'frequency';

export interface AlternateQuery {
  q: string;
  /** Ranking weight relative to the query itself (1). */
  weight: number;
  /** Default 'frequency': words of a translation that no article contains are set aside first. */
  matchingStrategy?: MatchingStrategy;
  /**
   * Only ranks: it finds nothing the other phrasings do not (a stricter copy of one of them, weighted higher), so the
   * counts leave it out.
   */
  rankingOnly?: boolean;
}

export type StoredDocument = Omit<NewsDocument, 'titleSearch' | 'bodySearch' | keyof GroupFacetFields>;

export interface EngineHit {
  doc: StoredDocument;
  /** Byte ranges into title/body (the search copies have the same bytes as the originals). */
  matches: { title: ByteRange[]; body: ByteRange[] };
  /** The engine's relevance score (weighted, in a federation); null in date order or without a query. */
  score: number | null;
}

export type FacetCounts = Record<string, number>;

export interface NewsResult {
  total: number;
  /** The total is only known to be at least this many (result-size.ts); exact otherwise. */
  totalIsLowerBound: boolean;
  hits: EngineHit[];
  facets: { outlet: FacetCounts; theme: FacetCounts; lang: FacetCounts; day: FacetCounts; month: FacetCounts };
  /** Span of the dates in the result set (without the date filter), seconds since the epoch. */
  dateRange: { min: number; max: number } | null;
  engineMs: number;
  /** Nodes of a sharded engine whose documents are missing from this answer (sharded-engine.ts); empty when whole. */
  missingNodes: string[];
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

function ranksByRelevance(query: Pick<NewsQuery, 'q' | 'sort'>): boolean {
  return query.q !== '' && query.sort === 'relevance';
}

const ALL_FACETS: FacetName[] = ['outlet', 'theme', 'lang', 'date'];

/** Beyond this span the date facet switches from day to month buckets, so a histogram stays readable. */
export const MAX_DAY_BUCKET_SPAN_DAYS = 60;

export function dateInterval(range: { min: number; max: number } | null): 'day' | 'month' {
  const span = range ? (range.max - range.min) / 86_400 : 0;
  return span > MAX_DAY_BUCKET_SPAN_DAYS ? 'month' : 'day';
}

const GROUP_FIELD = 'dupGroup';
/** The engine returns at most this many hits per query (settings' maxTotalHits). */
const MAX_MEMBERS = MAX_TOTAL_HITS;
/** Only documents of multi-copy groups have ids here, so this filter picks exactly the copies that counts must fold. */
const IN_SHARED_GROUP = 'dupOf IS NOT EMPTY';

/** One set of documents whose facet counts one counting query computes. */
export interface CountingSet {
  facets: FacetName[];
  /** The facet whose own filter is left out (disjunctive counts), or undefined for the filtered results. */
  except: FacetName | undefined;
  countsAt: number;
}

/** The engine fields a set counts (timestamp only gives the date range: nothing to collapse). */
function countedFields(set: Pick<CountingSet, 'facets'>): string[] {
  return set.facets.flatMap((f) => FACETS_OF[f]).filter((f) => f !== 'timestamp');
}

/**
 * What a counting query asks the engine to count: the set's facet fields and, when collapsing, their group keys
 * (group-facets.ts), plus each group's matching copies for the filtered set (the collapsed total).
 */
export function countingFacets(set: Pick<CountingSet, 'facets' | 'except'>, collapse: boolean): string[] {
  const fields = set.facets.flatMap((f) => FACETS_OF[f]);
  return collapse ? [...fields, ...groupKeyFields(set)] : fields;
}

function groupKeyFields(set: Pick<CountingSet, 'facets' | 'except'>): string[] {
  return [...groupFieldsFor(countedFields(set)), ...(set.except === undefined ? [GROUP_KEY_FIELD] : [])];
}

/**
 * Whether this search's hits are folded here (fold-copies.ts) rather than by the engine's `distinct`: page 1 of a
 * collapsed search, nearly every search. Deeper pages keep `distinct`, which pages over groups without fetching the
 * copies of every page before.
 */
export function foldsHits(query: Pick<NewsQuery, 'collapse' | 'page'>): boolean {
  return query.collapse && query.page === 1;
}

/**
 * The engine queries for one search, all sent in one multi-search: the hits query, then a counting query per counted
 * set that the hits query does not count itself. Counting never collapses: with `distinct` the engine counts a group
 * only under the values of the one copy it keeps, so a story whose copies differ (either side of midnight, tagged
 * differently) would be missing from a value that clicking finds, and distinct facet counting is slow. Copies are
 * counted, and beside each value the group keys that copies of multi-copy groups carry, from which
 * collapseByGroupKeys folds each group's copies into one. So the hits query counts the filtered set itself unless it
 * collapses with `distinct` (a collapsed page beyond the first).
 */
export function buildQueries(indexUid: string, query: NewsQuery): { queries: MultiSearchQuery[]; countingSets: CountingSet[] } {
  const common = { indexUid, q: query.q, locales: ['cmn', 'eng'] as const, matchingStrategy: query.matchingStrategy };
  const ownFacets = ALL_FACETS.filter((f) => !hasFilter(query.filters, f));
  const disjunctive = ALL_FACETS.filter((f) => hasFilter(query.filters, f));
  const folds = foldsHits(query);
  const distinct = query.collapse && !folds;
  const filteredSet: CountingSet = { facets: ownFacets, except: undefined, countsAt: 0 };
  // Folded hits need the filtered set's group keys even with every facet filtered: they give the collapsed total.
  const hitsCount = !distinct && (ownFacets.length > 0 || folds);
  const queries: MultiSearchQuery[] = [
    {
      ...common,
      locales: [...common.locales],
      distinct: distinct ? GROUP_FIELD : undefined,
      filter: buildFilter(query.filters),
      sort: sortParam(query.sort, query.q),
      ...(folds ? { limit: foldWindow(query.limit) } : { page: query.page, hitsPerPage: query.limit }),
      attributesToRetrieve: [...RETRIEVED_FIELDS],
      showMatchesPosition: query.q !== '',
      showRankingScore: ranksByRelevance(query) || undefined,
      facets: hitsCount ? countingFacets(filteredSet, query.collapse) : [],
    },
  ];
  const countingSets: CountingSet[] = hitsCount ? [filteredSet] : [];
  const addSet = (facets: FacetName[], except: FacetName | undefined) => {
    const set: CountingSet = { facets, except, countsAt: queries.length };
    queries.push({ ...common, locales: [...common.locales], filter: buildFilter(query.filters, except), limit: 0, facets: countingFacets(set, query.collapse) });
    countingSets.push(set);
  };
  if (distinct && ownFacets.length > 0) addSet(ownFacets, undefined);
  for (const f of disjunctive) addSet([f], f);
  return { queries, countingSets };
}

/** Copies beyond the first of each group among these members: what collapsing removes from a count of copies. */
export function extraCopies(members: Iterable<Record<string, unknown>>): number {
  const perGroup = new Map<string, number>();
  for (const m of members) perGroup.set(String(m[GROUP_FIELD]), (perGroup.get(String(m[GROUP_FIELD])) ?? 0) + 1);
  let extra = 0;
  for (const n of perGroup.values()) extra += n - 1;
  return extra;
}

/**
 * Turns copy counts into group counts from a list of members: a value carried by m > 1 members of one group counts
 * once, not m times. The fallback for a set whose group keys the engine cut short. Mutates and returns `distribution`.
 */
export function collapsedCorrection(distribution: Record<string, FacetCounts>, fields: readonly string[], members: ReadonlyArray<Record<string, unknown>>): Record<string, FacetCounts> {
  const perGroup = new Map<string, Array<Record<string, unknown>>>();
  for (const m of members) {
    const g = String(m[GROUP_FIELD]);
    perGroup.set(g, [...(perGroup.get(g) ?? []), m]);
  }
  for (const field of fields) {
    const counts = distribution[field];
    if (!counts) continue;
    for (const group of perGroup.values()) {
      const carriers = new Map<string, number>();
      for (const m of group) {
        const raw = m[field];
        const values = new Set(Array.isArray(raw) ? raw.map(String) : raw === null || raw === undefined ? [] : [String(raw)]);
        for (const v of values) carriers.set(v, (carriers.get(v) ?? 0) + 1);
      }
      for (const [v, n] of carriers) if (n > 1 && counts[v] !== undefined) counts[v] -= n - 1;
    }
  }
  return distribution;
}

type Distribution = Record<string, Record<string, number>>;

function facetsOf(distribution: Distribution): NewsResult['facets'] {
  return {
    outlet: distribution[FACET_FIELDS.outlet] ?? {},
    theme: distribution[FACET_FIELDS.theme] ?? {},
    lang: distribution[FACET_FIELDS.lang] ?? {},
    day: distribution[FACET_FIELDS.day] ?? {},
    month: distribution[FACET_FIELDS.month] ?? {},
  };
}
/** What the page, the counts and the missing nodes are read from: a search result or a federation's (results.ts). */
type Result = Pick<SearchResult, 'hits' | 'processingTimeMs' | 'estimatedTotalHits' | 'totalHits' | 'missingNodes'>;

/** A phrasing of the search: the reader's query (weight 1) or an alternate. */
interface Variant {
  q: string;
  weight: number;
  matchingStrategy?: MatchingStrategy;
}

/** One counted set's copy counts as the engine gave them, and what collapsing them found. */
interface SetCounts {
  set: CountingSet;
  /** Copy counts, with the group keys when collapsing. */
  distribution: Distribution;
  /** Matching copies in the set (the engine's count, before collapsing). */
  copies: number;
  stats: { min: number; max: number } | undefined;
}

/**
 * Folds each set's copy counts into group counts. From the group keys where the engine returned them whole; where it
 * may have cut a key list short (more shared copies match than it lists), from a second round trip listing the
 * set's members of multi-copy groups per phrasing, and where even those are too many for one query, without
 * alternates, the engine's own distinct counting. Returns the counts by field, the collapsed size of the filtered set
 * (null when there is no such set) and the engine time of the extra round trips.
 */
async function collapseSets(
  engine: Engine,
  indexUid: string,
  query: NewsQuery,
  variants: readonly Variant[],
  sets: readonly SetCounts[],
  copies: ResultSize,
): Promise<Counted> {
  const distribution: Distribution = {};
  let groups: ResultSize | null = null;
  const cutShort: SetCounts[] = [];
  for (const s of sets) {
    const fields = countedFields(s.set);
    const own: Distribution = { ...s.distribution };
    if (groupKeysTruncated(own, groupKeyFields(s.set), MAX_VALUES_PER_FACET)) {
      cutShort.push(s);
      continue;
    }
    if (s.set.except === undefined) groups = groupsOf(copies, { count: extraCopiesByGroupKeys(own) });
    Object.assign(distribution, collapseByGroupKeys(own, fields));
  }
  if (cutShort.length === 0) return { distribution, groups, engineMs: 0 };

  const memberQueries = cutShort.flatMap((s) =>
    variants.map((v): MultiSearchQuery => {
      const filter = buildFilter(query.filters, s.set.except);
      return {
        indexUid,
        q: v.q,
        locales: ['cmn', 'eng'],
        matchingStrategy: v.matchingStrategy,
        filter: filter ? `${filter} AND ${IN_SHARED_GROUP}` : IN_SHARED_GROUP,
        limit: MAX_MEMBERS,
        attributesToRetrieve: ['id', GROUP_FIELD, ...countedFields(s.set)],
        // How many members match in all, when the list stops at MAX_MEMBERS (result-size.ts).
        facets: [FACET_FIELDS.outlet],
      };
    }),
  );
  const members = await engine.multiSearch(memberQueries);
  let engineMs = Math.max(...members.map((m) => m.processingTimeMs ?? 0));
  const tooMany: CountingSet[] = [];
  cutShort.forEach((s, i) => {
    const own = withoutGroupKeys({ ...s.distribution });
    const lists = members.slice(i * variants.length, (i + 1) * variants.length);
    const united = new Map<string, Record<string, unknown>>();
    for (const res of lists) for (const h of res.hits) united.set(String(h.id), h);
    // The engine's own count of a list stops at MAX_MEMBERS as the list does: its outlet counts tell whether more match.
    const matching = lists.map((r) => membersMatching(r));
    const incomplete = lists.some((r, j) => (matching[j] ?? Infinity) > r.hits.length);
    // One phrasing only: the engine's distinct counting stands in when the members exceed one query's answer.
    if (variants.length === 1 && incomplete) tooMany.push(s.set);
    collapsedCorrection(own, countedFields(s.set), [...united.values()]);
    if (s.set.except === undefined) {
      // Several phrasings: a member matched by two counts twice in the sum, which keeps it an upper bound.
      const membersAtMost = Math.min(copies.total, matching.reduce<number>((a, n) => a + (n ?? copies.total), 0));
      const groupsSeen = new Set([...united.values()].map((m) => String(m[GROUP_FIELD]))).size;
      groups = incomplete ? groupsOf(copies, { membersMatching: membersAtMost, groupsSeen }) : groupsOf(copies, { count: extraCopies(united.values()) });
    }
    Object.assign(distribution, own);
  });
  if (tooMany.length > 0) {
    const distinct = await distinctCounts(engine, indexUid, query, tooMany, distribution);
    engineMs += distinct.engineMs;
    groups = distinct.groups ?? groups;
  }
  return { distribution, groups, engineMs };
}

/** How many members a member query matched in all (from its outlet counts), or null if those were cut short. */
function membersMatching(list: SearchResult): number | null {
  return copiesFromOutletCounts(list.facetDistribution?.[FACET_FIELDS.outlet] ?? {}, [], MAX_VALUES_PER_FACET)?.total ?? null;
}

/** Counts by field, the size of the result set (null when no counted set gives it) and the extra engine time. */
interface Counted {
  distribution: Distribution;
  /** Collapsed: the number of groups in the result set; null when the search does not collapse or cannot tell here. */
  groups: ResultSize | null;
  engineMs: number;
}

/**
 * The result set's matching copies, from the outlet counts of the filtered set (or, filtering on outlets, of the set
 * that leaves that filter out) before any collapsing (result-size.ts); from the engine's own count where those
 * cannot tell.
 */
export function filteredCopies(query: Pick<NewsQuery, 'filters'>, counted: ReadonlyArray<Pick<SetCounts, 'set' | 'distribution' | 'copies'>>, hitsCount: number): ResultSize {
  const chosen = query.filters.outlet ?? [];
  const source = counted.find((c) => c.set.except === (chosen.length > 0 ? 'outlet' : undefined));
  const outlets = source?.distribution[FACET_FIELDS.outlet];
  const exact = outlets ? copiesFromOutletCounts(outlets, chosen, MAX_VALUES_PER_FACET) : null;
  if (exact) return exact;
  return engineCount(counted.find((c) => c.set.except === undefined)?.copies ?? hitsCount);
}

export async function searchNews(engine: Engine, indexUid: string, query: NewsQuery): Promise<NewsResult> {
  if (query.alternates && query.alternates.length > 0) return searchWithAlternates(engine, indexUid, query, query.alternates);
  const { queries, countingSets } = buildQueries(indexUid, query);
  const results = await engine.multiSearch(queries);
  const [main] = results;
  const [hitsQuery] = queries;
  if (!main || !hitsQuery) throw new Error('engine returned no result for the hits query');

  const counted = countingSets.map((set): SetCounts => {
    const counts = results[set.countsAt];
    return { set, distribution: counts?.facetDistribution ?? {}, copies: counts?.estimatedTotalHits ?? 0, stats: counts?.facetStats?.timestamp };
  });
  const copies = filteredCopies(query, counted, main.totalHits ?? main.estimatedTotalHits ?? 0);
  const collapsed = await countsOf(engine, indexUid, query, [{ q: query.q, weight: 1, matchingStrategy: query.matchingStrategy }], counted, copies);
  const page = await pageOfHits(query, main, collapsed.groups?.total ?? null, async () => {
    const [res] = await engine.multiSearch([distinctHitsQuery(hitsQuery, query.limit)]);
    if (!res) throw new Error('engine returned no result for the hits query');
    return res;
  });

  return newsResult(query, main, results, counted, copies, collapsed, page);
}

/** The search's answer from its hits answer, every engine answer it took, its counts and its page of hits. */
function newsResult(
  query: NewsQuery,
  hitsAnswer: Result,
  answers: readonly Result[],
  counted: readonly SetCounts[],
  copies: ResultSize,
  collapsed: Counted,
  page: Awaited<ReturnType<typeof pageOfHits>>,
): NewsResult {
  // Collapsed without a counted filtered set (a later page with every facet filtered): the engine's count of groups.
  const size = !query.collapse ? copies : (collapsed.groups ?? engineCount(hitsAnswer.totalHits ?? hitsAnswer.estimatedTotalHits ?? 0));
  return {
    total: size.total,
    totalIsLowerBound: !size.exact,
    hits: shorterFirstAmongTies(page.hits),
    facets: facetsOf(collapsed.distribution),
    dateRange: dateRangeOf(query, counted),
    engineMs: Math.max(...answers.map((r) => r.processingTimeMs ?? 0)) + collapsed.engineMs + page.engineMs,
    missingNodes: [...new Set([...answers, ...page.extra].flatMap((a) => a.missingNodes))].sort(),
  };
}

/** Copy counts as they are, or folded into group counts when collapsing (with the collapsed size of the result set). */
async function countsOf(
  engine: Engine,
  indexUid: string,
  query: NewsQuery,
  variants: readonly Variant[],
  counted: readonly SetCounts[],
  copies: ResultSize,
): Promise<Counted> {
  if (query.collapse) return collapseSets(engine, indexUid, query, variants, counted, copies);
  return { distribution: Object.assign({}, ...counted.map((c) => c.distribution)) as Distribution, groups: null, engineMs: 0 };
}

/**
 * The page's hits from the hits answer: as they are, or folded into groups (fold-copies.ts). Where the fetched copies
 * fold into fewer groups than the page holds while more exist, one more request asks for the page with the engine's
 * `distinct`, which gives the same groups in the same order.
 */
async function pageOfHits(
  query: NewsQuery,
  answer: Result,
  groups: number | null,
  withDistinct: () => Promise<Result>,
): Promise<{ hits: EngineHit[]; engineMs: number; extra: Result[] }> {
  const hits = answer.hits.map(toEngineHit);
  // `distinct` holds per query: in a federation two copies of one story can come through different phrasings.
  if (!foldsHits(query)) return { hits: query.collapse ? foldCopies(hits) : hits, engineMs: 0, extra: [] };
  const folded = foldCopies(hits);
  if (foldFillsPage(folded.length, query.limit, groups, hits.length, answer.estimatedTotalHits ?? answer.totalHits ?? 0)) {
    return { hits: folded.slice(0, query.limit), engineMs: 0, extra: [] };
  }
  const again = await withDistinct();
  return { hits: foldCopies(again.hits.map(toEngineHit)), engineMs: again.processingTimeMs ?? 0, extra: [again] };
}

/** The hits query of a collapsed page 1 with the engine's own `distinct`, counting nothing. */
function distinctHitsQuery<Q extends MultiSearchQuery>(hitsQuery: Q, limit: number): Q {
  const { limit: _limit, facets: _facets, ...rest } = hitsQuery;
  return { ...rest, distinct: GROUP_FIELD, page: 1, hitsPerPage: limit } as Q;
}

/** The span of dates in the results without the date filter: from the set that leaves it out, else the filtered set. */
function dateRangeOf(query: NewsQuery, counted: readonly SetCounts[]): NewsResult['dateRange'] {
  let stats: SetCounts['stats'];
  for (const c of counted) if (c.set.except === 'date' || (c.set.except === undefined && !hasFilter(query.filters, 'date'))) stats = c.stats;
  return stats ? { min: stats.min, max: stats.max } : null;
}

/**
 * The query and its alternates as federations, one per answer: the hits (which count the filtered set themselves
 * unless they collapse with `distinct`, as in searchNews), and each further counted set (a federation cannot share a
 * request with other queries). All requests go out at once.
 */
async function searchWithAlternates(engine: Engine, indexUid: string, query: NewsQuery, alternates: readonly AlternateQuery[]): Promise<NewsResult> {
  const { queries, countingSets } = buildQueries(indexUid, query);
  const [main] = queries;
  if (!main) throw new Error('no hits query');
  // An alternate is a dictionary translation whose words may not be the ones the articles use (乐团 for "orchestra"
  // where the article says 管弦乐). Under the default strategy the engine, short of documents with every word, drops
  // words from the end of the query, so 乐团 音乐会 finds nothing; under 'frequency' it sets aside the words no
  // document contains and keeps the rest (measured on 1.21), so what the translation got right still matches. The
  // reader's own query keeps the default: there the words and their order are the reader's.
  const ranking: Array<Variant & { rankingOnly?: boolean }> = [
    { q: query.q, weight: query.weight ?? 1, matchingStrategy: query.matchingStrategy },
    ...alternates.map((a) => ({ q: a.q, weight: a.weight, matchingStrategy: a.matchingStrategy ?? ('frequency' as const), rankingOnly: a.rankingOnly })),
  ];
  const variants: Variant[] = ranking.filter((v) => !v.rankingOnly);
  const { page: _page, hitsPerPage: _perPage, limit: _limit, facets: _facets, ...hitsQuery } = main;
  const federate = (q: MultiSearchQuery, of: readonly Variant[] = variants) =>
    of.map((v) => ({ ...q, q: v.q, matchingStrategy: v.matchingStrategy, federationOptions: { weight: v.weight } }));
  const hitsSet = countingSets.find((set) => set.countsAt === 0);
  const window = foldsHits(query) ? { offset: 0, limit: foldWindow(query.limit) } : { offset: (query.page - 1) * query.limit, limit: query.limit };
  const hitsRequest = engine.federatedSearch(federate(hitsQuery, ranking), {
    ...window,
    ...(hitsSet ? { facetsByIndex: { [indexUid]: countingFacets(hitsSet, query.collapse) } } : {}),
  });
  const countRequests = countingSets.map((set) =>
    set === hitsSet
      ? hitsRequest
      : engine.federatedSearch(federate({ indexUid, q: query.q, locales: ['cmn', 'eng'], filter: queries[set.countsAt]?.filter }), {
          limit: 0,
          facetsByIndex: { [indexUid]: countingFacets(set, query.collapse) },
        }),
  );
  const [hits, counts] = await Promise.all([hitsRequest, Promise.all(countRequests)]);

  const counted = countingSets.map((set, i): SetCounts => {
    const facets = counts[i]?.facetsByIndex?.[indexUid];
    return { set, distribution: facets?.distribution ?? {}, copies: counts[i]?.estimatedTotalHits ?? 0, stats: facets?.stats?.timestamp };
  });
  // The engine's collapsed total would count copies reached through different phrasings separately: the filtered
  // set's copies minus each multi-copy group's extra copies is the number of groups.
  const copies = filteredCopies(query, counted, hits.estimatedTotalHits);
  const collapsed = await countsOf(engine, indexUid, query, variants, counted, copies);
  const page = await pageOfHits(query, hits, collapsed.groups?.total ?? null, () =>
    engine.federatedSearch(federate({ ...hitsQuery, distinct: GROUP_FIELD }, ranking), { offset: 0, limit: query.limit }),
  );
  return newsResult(query, hits, [hits, ...counts.filter((c) => c !== hits)], counted, copies, collapsed, page);
}

/**
 * A further round trip only where a counted set holds more than MAX_MEMBERS copies of multi-copy groups: those sets
 * take the engine's distinct counting (exact unless a group's copies differ in that facet). Counted exhaustively
 * (`page`/`hitsPerPage`, no hits): measured on 1.21, with `limit` the engine collapses only the copies among the hits
 * it returns and counts every other copy, while exhaustively it counts each group once, under the copy it keeps. So
 * the filtered set's outlet counts also add up to its number of groups, whichever outlets are chosen.
 */
async function distinctCounts(
  engine: Engine,
  indexUid: string,
  query: NewsQuery,
  sets: readonly CountingSet[],
  distribution: Distribution,
): Promise<{ groups: ResultSize | null; engineMs: number }> {
  const requests = sets.map((set) => {
    const fields = countedFields(set);
    const facets = set.except === undefined && !fields.includes(FACET_FIELDS.outlet) ? [...fields, FACET_FIELDS.outlet] : fields;
    const filter = buildFilter(query.filters, set.except);
    return { set, fields, query: { indexUid, q: query.q, matchingStrategy: query.matchingStrategy, locales: ['cmn', 'eng'], filter, page: 1, hitsPerPage: 0, distinct: GROUP_FIELD, facets } as MultiSearchQuery };
  });
  const results = await engine.multiSearch(requests.map((r) => r.query));
  let groups: ResultSize | null = null;
  results.forEach((res, i) => {
    const request = requests[i];
    if (!request) return;
    for (const field of request.fields) distribution[field] = res.facetDistribution?.[field] ?? {};
    if (request.set.except === undefined) groups = copiesFromOutletCounts(res.facetDistribution?.[FACET_FIELDS.outlet] ?? {}, [], MAX_VALUES_PER_FACET);
  });
  return { groups, engineMs: Math.max(...results.map((r) => r.processingTimeMs ?? 0)) };
}

type RawHit = Record<string, unknown> & {
  _matchesPosition?: Record<string, ByteRange[]>;
  _rankingScore?: number;
  _federation?: { weightedRankingScore?: number };
};

function toEngineHit(hit: Record<string, unknown>): EngineHit {
  const { _matchesPosition, _rankingScore, _federation, ...doc } = hit as RawHit;
  return {
    doc: doc as unknown as StoredDocument,
    // A folded copy, where there is one, has every match of its original and the same byte offsets.
    matches: {
      title: _matchesPosition?.titleSearch ?? _matchesPosition?.title ?? [],
      body: _matchesPosition?.bodySearch ?? _matchesPosition?.body ?? [],
    },
    score: _federation?.weightedRankingScore ?? _rankingScore ?? null,
  };
}

/**
 * The engine's rules ignore how long an article is, so a passing mention in a long piece ties with the same mention
 * in a short piece about the term. Among hits of exactly equal score the shorter article, where the match weighs more,
 * goes first: BM25's length normalisation, used only where every rule of the engine is silent. Within the page only,
 * so a hit never changes page and paging neither repeats nor loses one. Not the engine's own custom ranking rule
 * (`wordCount:asc`): with one, a query without text can no longer be federated with queries with text (1.21 answers
 * invalid_multi_search_query_ranking_rules), and the sharded engine's generation probe is such a query.
 */
export function shorterFirstAmongTies<T extends { score: number | null; doc: { wordCount?: number } }>(hits: readonly T[]): T[] {
  const out = [...hits];
  let start = 0;
  while (start < out.length) {
    const score = out[start]?.score ?? null;
    let end = start + 1;
    while (score !== null && end < out.length && out[end]?.score === score) end += 1;
    if (end - start > 1) {
      // Array.prototype.sort is stable: equal lengths keep the engine's order. Documents indexed before wordCount
      // existed have none and keep their place after the counted ones.
      const run = out.slice(start, end).sort((a, b) => (a.doc.wordCount ?? Infinity) - (b.doc.wordCount ?? Infinity));
      out.splice(start, run.length, ...run);
    }
    start = end;
  }
  return out;
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
  const [res] = await engine.multiSearch([
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
  ]);
  return (res?.hits ?? []).map(toEngineHit);
}

/**
 * One document by id, or null: through a search filtered on the id, because the API's search-only key may not read
 * documents by id (that needs `documents.get`), and a search reaches every node of a sharded engine.
 */
export async function documentById(engine: Engine, indexUid: string, id: string): Promise<StoredDocument | null> {
  const [hit] = await searchByIds(engine, indexUid, '', {}, [id]);
  return hit?.doc.id === id ? hit.doc : null;
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
  /** The search's own query text and filters: the engine's facet search matches values among its articles. */
  q: string;
  filters: FilterCriteria;
}

/**
 * Values of one facet with counts under the current search, computed like the search's own facet counts (`counted`:
 * the search itself, run for its counts): every filter but the facet's own (disjunctive), groups rather than copies
 * when collapsing. The engine's facet search matches `facetQuery` against the raw values (prefix, typo-tolerant); its
 * own counts are not used because facet search ignores `distinct` (measured on 1.21: it counts copies, not groups).
 */
export async function searchFacetValues(
  engine: Engine,
  indexUid: string,
  query: FacetValueQuery,
  counted: Promise<NewsResult>,
): Promise<{ counts: FacetCounts; engineMatches: ReadonlySet<string>; interval: 'day' | 'month' }> {
  const field = FACET_VALUE_FIELDS[query.facet];
  const [result, matches] = await Promise.all([
    counted,
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
