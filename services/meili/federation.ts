import type { FacetDistribution, FacetStats, FederatedMultiSearchParams, Filter, MultiSearchQuery } from 'meilisearch';
import { z } from 'zod';

/**
 * One search over a sharded index, as federated multi-search across the engine's network: the pure half (requests,
 * merging, collapse arithmetic). A query that would run on one engine is sent once per node
 * (`federationOptions.remote`), and the engine merges hits in ranking order and facet counts with `mergeFacets`.
 *
 * What the engine does not do across nodes is `distinct`: each node keeps one document per group, so a group whose
 * members sit on two nodes comes back twice and counts twice. That is corrected here with one more small federated
 * query per search (only the documents of multi-member groups that match, one per group per node): every group seen
 * on k > 1 nodes makes the merged total k - 1 too high, its extra copies are dropped from the merged hits, and their
 * facet values are taken off the merged counts. The copy that stays is the group's own head (the document whose id
 * is the group id) when it matches, otherwise the best ranked.
 */

export type Hit = Record<string, unknown>;

/** The part of the engine's answer to a federated multi-search that is used; validated at the edge. */
export const federatedResponseSchema = z.object({
  hits: z.array(z.record(z.string(), z.unknown())),
  processingTimeMs: z.number().default(0),
  estimatedTotalHits: z.number().int().nonnegative().default(0),
  facetDistribution: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  facetStats: z.record(z.string(), z.object({ min: z.number(), max: z.number() })).optional(),
  remoteErrors: z.record(z.string(), z.unknown()).optional(),
});
export type FederatedResponse = z.infer<typeof federatedResponseSchema>;

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
    queries: options.nodes.map((remote) => ({ ...perNode, federationOptions: { weight: 1, remote } })),
  };
}

/** `filter AND extra`, whatever form the caller's filter has (string, array of ANDed clauses, or none). */
export function andFilter(filter: Filter | undefined, extra: string): Filter {
  if (filter === undefined || filter === '' || (Array.isArray(filter) && filter.length === 0)) return extra;
  if (Array.isArray(filter)) return [...filter, extra];
  return `(${filter}) AND ${extra}`;
}

/**
 * The query that finds where collapse breaks across nodes: the same search restricted to members of multi-member
 * groups, one per group per node, with only the fields the correction needs.
 */
export function duplicateProbe(query: MultiSearchQuery, membersFilter: string | undefined, primaryKey: string): MultiSearchQuery {
  const distinct = query.distinct as string;
  const { page: _p, hitsPerPage: _h, limit: _l, offset: _o, facets, showMatchesPosition: _m, attributesToRetrieve: _a, ...rest } = query;
  return {
    ...rest,
    filter: membersFilter ? andFilter(query.filter, membersFilter) : query.filter,
    attributesToRetrieve: [...new Set([primaryKey, distinct, ...(facets ?? [])])],
  };
}

/** Groups whose members were returned by more than one node: group id -> those hits, in merged ranking order. */
export function splitGroups(probeHits: readonly Hit[], distinct: string): Map<string, Hit[]> {
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

export interface CollapseCorrection {
  /** How many more groups the merged total counts than there are. */
  extraHits: number;
  /** Counts to take off the merged facet distribution: field -> value -> n. */
  facetExcess: FacetDistribution;
}

/** What the extra copies of split groups added to the merged total and facet counts. */
export function collapseCorrection(split: ReadonlyMap<string, readonly Hit[]>, facets: readonly string[], primaryKey: string): CollapseCorrection {
  const facetExcess: FacetDistribution = {};
  let extraHits = 0;
  for (const [group, hits] of split) {
    const keep = hits.find((h) => String(h[primaryKey]) === group) ?? hits[0];
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

/** A per-query result shaped like one engine's, plus the nodes that were missing from it. */
export interface ShardedSearchResult {
  hits: Hit[];
  processingTimeMs: number;
  query: string;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
  totalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  estimatedTotalHits?: number;
  offset?: number;
  limit?: number;
  /** Nodes whose share of the index is missing from this answer (empty when whole). */
  missingNodes: string[];
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
}): ShardedSearchResult {
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

/** The missing nodes a result reports (results of a single engine report none). */
export function missingNodesOf(result: unknown): string[] {
  const parsed = z.object({ missingNodes: z.array(z.string()) }).safeParse(result);
  return parsed.success ? parsed.data.missingNodes : [];
}
