import type { FacetDistribution, FacetStats, Filter } from 'meilisearch';
import { z } from 'zod';

/**
 * Index generations: what keeps a sharded search from mixing two versions of the index during a reindex swap.
 *
 * The engine swaps atomically per node only, and the nodes' swap tasks finish milliseconds apart, so for a moment one
 * node may answer from the new index and another from the old. Every document carries the generation of the index it
 * was built for (`npm run reindex` stamps the build index with the live generation + 1; `npm run index` stamps the live
 * index's own generation, read once per run; an index built before generations existed is generation 0: no stamp).
 * A sharded search pins the generation it expects and adds to each of its engine requests, per node, a probe that
 * matches only documents of *another* generation (generationProbeFilter): on a node of the expected generation it
 * matches nothing, so it costs nothing in the answer; on a node that swapped it matches everything, and the other
 * generation shows up in the `generation` facet of the answer. Such an answer is thrown away and the search retried
 * once the nodes agree again (census), or refused with 503 `index_swap_in_progress`: never served as a mix.
 *
 * Why a probe rather than the hits' own stamps: a node whose share of the answer is empty says nothing about its
 * generation, yet its emptiness may be the old index's; the probe makes every node that swapped speak up. Why in the
 * same request: the engine answers one federated request's queries for one index on one node from one read of that
 * index, so the probe sees exactly the index version the real query saw. Plain (not federated) multi-searches answer
 * query by query, so there the probe brackets the real queries (first and last): a swap between them shows in the
 * last. Single-node mode never pays for any of this: one engine's swap is atomic.
 */

/** A node's answer to the census query (`q: ''`, `limit: 0`, facets on the generation field), validated at the edge. */
export const censusResultSchema = z.object({
  estimatedTotalHits: z.number().int().nonnegative().optional(),
  totalHits: z.number().int().nonnegative().optional(),
  facetDistribution: z.record(z.string(), z.record(z.string(), z.number())).optional(),
});
export type CensusResult = z.infer<typeof censusResultSchema>;

/** What one node's census says: how many documents it has and which generations they carry. */
export interface NodeGenerations {
  node: string;
  documents: number;
  generations: number[];
}

export function nodeGenerations(node: string, result: CensusResult, field: string): NodeGenerations {
  return {
    node,
    documents: result.totalHits ?? result.estimatedTotalHits ?? 0,
    generations: generationsIn(result.facetDistribution, field),
  };
}

/** The generations a facet distribution counts documents of (unstamped documents are not counted: generation 0). */
export function generationsIn(distribution: FacetDistribution | undefined, field: string): number[] {
  const counts = distribution?.[field] ?? {};
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([g]) => Number(g))
    .filter((g) => Number.isInteger(g))
    .sort((a, b) => a - b);
}

export type CensusVerdict = { kind: 'consistent'; generation: number } | { kind: 'mixed'; detail: string };

/**
 * Whether the nodes agree on one generation. A node without documents says nothing (a tiny corpus may leave a node
 * empty); a node whose documents carry no stamp is generation 0; a node holding two generations is itself a mix
 * (documents written by `npm run index` into an index that a concurrent reindex swapped away) and stays one until
 * the next reindex.
 */
export function censusVerdict(nodes: readonly NodeGenerations[]): CensusVerdict {
  const per = nodes.filter((n) => n.documents > 0).map((n) => ({ node: n.node, generations: n.generations.length === 0 ? [0] : n.generations }));
  const split = per.find((n) => n.generations.length > 1);
  if (split) return { kind: 'mixed', detail: `node ${split.node} holds generations ${split.generations.join(', ')}` };
  const seen = new Set(per.map((n) => n.generations[0] as number));
  if (seen.size > 1) return { kind: 'mixed', detail: per.map((n) => `${n.node}: ${n.generations[0]}`).join(', ') };
  return { kind: 'consistent', generation: [...seen][0] ?? 0 };
}

/** Matches exactly the documents that do not belong to `generation`: nothing on a node of that generation. */
export function generationProbeFilter(field: string, generation: number): string {
  return generation === 0 ? `${field} EXISTS` : `${field} != ${generation}`;
}

/**
 * `filter OR extra`, whatever form the caller's filter has (string, array of ANDed clauses whose inner arrays are ORed,
 * or none: then nothing is added, as a query without a filter already matches everything the probe would).
 */
export function orFilter(filter: Filter | undefined, extra: string): Filter | undefined {
  if (filter === undefined || filter === '' || (Array.isArray(filter) && filter.length === 0)) return filter;
  const clause = (c: string | string[]) => (Array.isArray(c) ? `(${c.map((x) => `(${x})`).join(' OR ')})` : `(${c})`);
  const whole = Array.isArray(filter) ? filter.map(clause).join(' AND ') : `(${filter})`;
  return `(${whole}) OR ${extra}`;
}

/**
 * A query without text (a listing, a count) matches its documents by filter alone, so the probe can ride inside its
 * own filter instead of being a query of its own: on a node of another generation it then matches every document,
 * and each query checks the very read it was answered from. A query with text cannot carry it: where the text
 * matches nothing, the probe would show nothing either.
 */
export function canCarryProbe(query: { q?: string | null }): boolean {
  return query.q === undefined || query.q === null || query.q === '';
}

/** The generations other than `expected` that an answer carrying the probes counted (empty: the answer is whole). */
export function foreignGenerations(distribution: FacetDistribution | undefined, field: string, expected: number): number[] {
  return generationsIn(distribution, field).filter((g) => g !== expected);
}

/** The answer as the caller asked for it: the generation facet was ours, not the caller's. */
export function withoutGenerationFacet<T extends { facetDistribution?: FacetDistribution | undefined; facetStats?: FacetStats | undefined }>(
  response: T,
  field: string,
  callerAskedFacets: boolean,
): T {
  const { facetDistribution, facetStats, ...rest } = response;
  if (!callerAskedFacets) return rest as T;
  const { [field]: _d, ...distribution } = facetDistribution ?? {};
  const { [field]: _s, ...stats } = facetStats ?? {};
  return { ...rest, ...(facetDistribution ? { facetDistribution: distribution } : {}), ...(facetStats ? { facetStats: stats } : {}) } as T;
}

/** Waits between censuses while the nodes disagree: short at first (a swap takes milliseconds), then longer. */
export function settleDelays(budgetMs: number, first = 25, factor = 2, max = 400): number[] {
  const out: number[] = [];
  let total = 0;
  for (let d = first; total + d <= budgetMs; d = Math.min(max, d * factor)) {
    out.push(d);
    total += d;
  }
  return out;
}
