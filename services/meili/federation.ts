import type { FacetDistribution, FacetStats, FederatedMultiSearchParams, Filter, MultiSearchQuery } from 'meilisearch';
import { z } from 'zod';
import type { FederatedResponse, Hit, SearchResult } from './results';

/**
 * One search over a sharded index, as federated multi-search across the engine's network: the pure half (requests,
 * merging, collapse arithmetic). A query that would run on one engine is sent once per node
 * (`federationOptions.remote`), and the engine merges hits in ranking order and facet counts with `mergeFacets`.
 *
 * What the engine does not do across nodes is `distinct`, and in federated (offset/limit) mode it does not even apply
 * it exhaustively within a node: facet counts and totals are then only partly collapsed. So a sharded search with
 * `distinct` runs without it and collapses itself, exactly, with one more small federated query (the probe): the same
 * search restricted to members of multi-member groups, without distinct. For each group with m > 1 matching members
 * the merged total is m - 1 too high and the members that one engine would not count (all but the one it counts: see
 * `representative`) are taken off the facet counts; the merged hits are collapsed to the first (best ranked) member of each group, reading
 * m - 1 more hits per group so a page is always full.
 *
 * One engine collapses counts only when it counts exhaustively (page/hitsPerPage); an offset/limit query with
 * `limit: 0` (a facet-only query) counts every member. The sharded answer does the same, so both topologies agree.
 */

/**
 * Facet counts of several nodes added up, as the engine's `mergeFacets` does: per field, the most frequent values
 * first (ties by value), at most `maxValues` of them.
 */
export function mergeDistributions(parts: readonly FacetDistribution[], maxValues: number): FacetDistribution {
  const out: FacetDistribution = {};
  for (const part of parts) {
    for (const [field, counts] of Object.entries(part)) {
      const merged = (out[field] ??= {});
      for (const [value, n] of Object.entries(counts)) merged[value] = (merged[value] ?? 0) + n;
    }
  }
  for (const [field, counts] of Object.entries(out)) {
    out[field] = Object.fromEntries(Object.entries(counts).sort(([va, a], [vb, b]) => b - a || va.localeCompare(vb)).slice(0, maxValues));
  }
  return out;
}

/** Facet stats of several nodes: the smallest minimum and the largest maximum. */
export function mergeStats(parts: readonly FacetStats[]): FacetStats {
  const out: FacetStats = {};
  for (const part of parts) {
    for (const [field, st] of Object.entries(part)) {
      const cur = out[field];
      out[field] = cur ? { min: Math.min(cur.min, st.min), max: Math.max(cur.max, st.max) } : { ...st };
    }
  }
  return out;
}

/** Where a query's page starts and how long it is, whichever pagination style the caller used. */
export interface Window {
  offset: number;
  limit: number;
  /** page/hitsPerPage: the caller expects exhaustive `totalHits`, `page`, `totalPages`. */
  finite: boolean;
}

export function windowOf(query: MultiSearchQuery): Window {
  if (query.page !== undefined || query.hitsPerPage !== undefined) {
    const hitsPerPage = query.hitsPerPage ?? 20;
    const page = Math.max(1, query.page ?? 1);
    return { offset: (page - 1) * hitsPerPage, limit: hitsPerPage, finite: true };
  }
  return { offset: query.offset ?? 0, limit: query.limit ?? 20, finite: false };
}

export interface FederationOptions {
  nodes: readonly string[];
  offset: number;
  limit: number;
  /** Cap of merged facet values; the engine's default (100) is lower than the index setting, so it is passed on. */
  maxValuesPerFacet: number;
  /**
   * The node the request is sent to: its own share is searched locally (no `remote`), which spares it a call to itself
   * over HTTP (measured: a remote query to self costs about twice a local one).
   */
  self?: string;
}

/** The federated request that runs `query` once on every node. Pagination and facets move to the federation. */
export function toFederatedRequest(query: MultiSearchQuery, options: FederationOptions): FederatedMultiSearchParams {
  const { page: _p, hitsPerPage: _h, limit: _l, offset: _o, facets, ...perNode } = query;
  const hasFacets = facets !== undefined && facets.length > 0;
  return {
    federation: {
      offset: options.offset,
      limit: options.limit,
      ...(hasFacets ? { facetsByIndex: { [query.indexUid]: [...facets] }, mergeFacets: { maxValuesPerFacet: options.maxValuesPerFacet } } : {}),
    },
    queries: options.nodes.map((remote) => ({ ...perNode, federationOptions: remote === options.self ? { weight: 1 } : { weight: 1, remote } })),
  };
}

/** `filter AND extra`, whatever form the caller's filter has (string, array of ANDed clauses, or none). */
export function andFilter(filter: Filter | undefined, extra: string): Filter {
  if (filter === undefined || filter === '' || (Array.isArray(filter) && filter.length === 0)) return extra;
  if (Array.isArray(filter)) return [...filter, extra];
  return `(${filter}) AND ${extra}`;
}

/**
 * The probe: the same search restricted to members of multi-member groups, without distinct, with only the fields the
 * correction needs and the ranking score (to tell ties).
 */
export function duplicateProbe(query: MultiSearchQuery, membersFilter: string | undefined, primaryKey: string): MultiSearchQuery {
  const distinct = query.distinct as string;
  const { page: _p, hitsPerPage: _h, limit: _l, offset: _o, facets, showMatchesPosition: _m, attributesToRetrieve: _a, distinct: _d, ...rest } = query;
  return {
    ...rest,
    filter: membersFilter ? andFilter(query.filter, membersFilter) : query.filter,
    attributesToRetrieve: [...new Set([primaryKey, distinct, ...(facets ?? []), ...sortFieldsOf(query)])],
    showRankingScore: true,
  };
}

/** The query itself without distinct: the collapse is done on the merged answer (see the module comment). */
export function withoutDistinct(query: MultiSearchQuery): MultiSearchQuery {
  const { distinct: _d, ...rest } = query;
  return rest;
}

/** Groups with more than one matching member: group id -> members, in merged ranking order. */
export function multiMemberGroups(probeHits: readonly Hit[], distinct: string): Map<string, Hit[]> {
  const byGroup = new Map<string, Hit[]>();
  for (const hit of probeHits) {
    const group = String(hit[distinct]);
    const list = byGroup.get(group);
    if (list) list.push(hit);
    else byGroup.set(group, [hit]);
  }
  for (const [group, hits] of byGroup) if (hits.length < 2) byGroup.delete(group);
  return byGroup;
}

/**
 * The member one engine counts for a group when it collapses exhaustively (measured on 1.21). It ranks until the page
 * is full, keeping the first member of each group it meets: for those groups, the best ranked (among members ranked
 * equal, same score and sort values, the lowest internal id: the first indexed). The rest it collapses in internal-id
 * order: the first indexed member, the group's head, which the indexer sends first.
 */
export function representative(
  members: readonly Hit[],
  group: string,
  primaryKey: string,
  sortFields: readonly string[],
  ranked: boolean,
): Hit | undefined {
  const best = members[0];
  if (!best) return undefined;
  const isHead = (h: Hit) => String(h[primaryKey]) === group;
  if (!ranked) return members.find(isHead) ?? best;
  const tied = (h: Hit) => h._rankingScore === best._rankingScore && sortFields.every((f) => h[f] === best[f]);
  return members.find((h) => tied(h) && isHead(h)) ?? best;
}

/** The fields a query sorts on (`timestamp:desc` -> timestamp). */
export function sortFieldsOf(query: MultiSearchQuery): string[] {
  return (query.sort ?? []).map((s) => s.split(':')[0] ?? s);
}

export interface CollapseCorrection {
  /** How many more hits the merged total counts than there are groups. */
  extraHits: number;
  /** Counts to take off the merged facet distribution: field -> value -> n. */
  facetExcess: FacetDistribution;
}

/** What the members beyond each group's representative add to the merged total and facet counts. */
export function collapseCorrection(
  groups: ReadonlyMap<string, readonly Hit[]>,
  facets: readonly string[],
  primaryKey: string,
  sortFields: readonly string[] = [],
  /** Groups that rank within the page one engine fills (their best ranked member counts; see representative). */
  rankedGroups: ReadonlySet<string> = new Set(),
): CollapseCorrection {
  const facetExcess: FacetDistribution = {};
  let extraHits = 0;
  for (const [group, hits] of groups) {
    const keep = representative(hits, group, primaryKey, sortFields, rankedGroups.has(group));
    for (const hit of hits) {
      if (hit === keep) continue;
      extraHits += 1;
      for (const field of facets) {
        for (const value of facetValues(hit[field])) {
          const counts = (facetExcess[field] ??= {});
          counts[value] = (counts[value] ?? 0) + 1;
        }
      }
    }
  }
  return { extraHits, facetExcess };
}

function facetValues(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  // A document counts once per distinct value of an array field, as the engine counts it.
  if (Array.isArray(v)) return [...new Set(v.filter((x) => x !== null && x !== undefined).map(String))];
  return [String(v)];
}

/** The merged distribution minus the excess; values that drop to zero disappear, as they would on one engine. */
export function subtractFacets(distribution: FacetDistribution | undefined, excess: FacetDistribution): FacetDistribution | undefined {
  if (!distribution) return distribution;
  const out: FacetDistribution = {};
  for (const [field, counts] of Object.entries(distribution)) {
    const minus = excess[field] ?? {};
    const corrected: Record<string, number> = {};
    for (const [value, n] of Object.entries(counts)) {
      const left = n - (minus[value] ?? 0);
      if (left > 0) corrected[value] = left;
    }
    out[field] = corrected;
  }
  return out;
}

/** Keeps the first (best ranked) hit of each group. */
export function collapseHits(hits: readonly Hit[], distinct: string): Hit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const group = String(h[distinct]);
    if (seen.has(group)) return false;
    seen.add(group);
    return true;
  });
}

/** The engine's `_federation` annotation is internal to the merge; callers get hits as one engine returns them. */
export function stripFederation(hit: Hit): Hit {
  const { _federation: _f, ...rest } = hit;
  return rest;
}

/** Nodes that did not answer: the names in `remoteErrors`. */
export function missingRemotes(response: Pick<FederatedResponse, 'remoteErrors'>): string[] {
  return Object.keys(response.remoteErrors ?? {}).sort();
}

export function toSearchResult(args: {
  query: string;
  window: Window;
  hits: Hit[];
  total: number;
  maxTotalHits: number;
  facetDistribution: FacetDistribution | undefined;
  facetStats: FacetStats | undefined;
  processingTimeMs: number;
  missingNodes: string[];
}): SearchResult {
  const { window } = args;
  // One engine stops counting at maxTotalHits; so does the merged answer, or totals would differ by topology.
  const total = Math.max(0, Math.min(args.total, args.maxTotalHits));
  const base = {
    hits: args.hits.map(stripFederation),
    processingTimeMs: args.processingTimeMs,
    query: args.query,
    ...(args.facetDistribution ? { facetDistribution: args.facetDistribution } : {}),
    ...(args.facetStats ? { facetStats: args.facetStats } : {}),
    missingNodes: args.missingNodes,
  };
  if (window.finite) {
    const page = window.limit > 0 ? Math.floor(window.offset / window.limit) + 1 : 1;
    return { ...base, totalHits: total, hitsPerPage: window.limit, page, totalPages: window.limit > 0 ? Math.ceil(total / window.limit) : 0 };
  }
  return { ...base, estimatedTotalHits: total, offset: window.offset, limit: window.limit };
}

/**
 * Built once: zod 4 compiles a parser for each new object schema (new Function), so one built per call cost the API
 * about 5% of its CPU in schema construction and compilation, on every search.
 */
const missingNodesSchema = z.array(z.string());

/** The missing nodes a result reports (results of a single engine report none). */
export function missingNodesOf(result: unknown): string[] {
  if (typeof result !== 'object' || result === null) return [];
  const parsed = missingNodesSchema.safeParse((result as { missingNodes?: unknown }).missingNodes);
  return parsed.success ? parsed.data : [];
}

