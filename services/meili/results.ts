import type { FacetDistribution, FacetStats } from 'meilisearch';
import { z } from 'zod';

/**
 * The engine's answers, validated where they arrive (node-engine.ts) and typed once: a search result is the same type
 * from one engine and from a sharded network (which adds the nodes missing from it), so callers need no casts.
 *
 * Built once: zod 4 compiles a parser for each new object schema, which costs more than the parse itself, so every
 * schema here is a module constant.
 */

/** One hit: a stored document with the engine's `_`-prefixed annotations (`_matchesPosition`, `_rankingScore`, …). */
export type Hit = Record<string, unknown>;

/** Only the shape of a hit is checked: its fields are the caller's documents, read by the caller. */
const hitSchema = z.custom<Hit>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a hit must be an object');
const count = z.number().int().nonnegative();
const distributionSchema = z.record(z.string(), z.record(z.string(), z.number()));
const statsSchema = z.record(z.string(), z.object({ min: z.number(), max: z.number() }));

/** One query's answer (a search or one query of a multi-search). `missingNodes`: empty from one engine. */
export const searchResultSchema = z.object({
  indexUid: z.string().optional(),
  hits: z.array(hitSchema).default([]),
  query: z.string().default(''),
  processingTimeMs: z.number().default(0),
  facetDistribution: distributionSchema.optional(),
  facetStats: statsSchema.optional(),
  totalHits: count.optional(),
  hitsPerPage: count.optional(),
  page: count.optional(),
  totalPages: count.optional(),
  estimatedTotalHits: count.optional(),
  offset: count.optional(),
  limit: count.optional(),
  /** Nodes of a sharded network whose share of the index is missing from this answer. */
  missingNodes: z.array(z.string()).default([]),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const multiSearchAnswerSchema = z.object({ results: z.array(searchResultSchema) });

/**
 * The engine's answer to a federated multi-search: merged facets at the top with `mergeFacets`, per index without;
 * `remoteErrors` names the remotes of a network search that did not answer.
 */
export const federatedResponseSchema = z.object({
  hits: z.array(hitSchema).default([]),
  processingTimeMs: z.number().default(0),
  estimatedTotalHits: count.default(0),
  facetDistribution: distributionSchema.optional(),
  facetStats: statsSchema.optional(),
  facetsByIndex: z.record(z.string(), z.object({ distribution: distributionSchema.default({}), stats: statsSchema.default({}) })).optional(),
  remoteErrors: z.record(z.string(), z.unknown()).optional(),
});
export type FederatedResponse = z.infer<typeof federatedResponseSchema>;

/** A federation's answer as callers get it, from one engine or a network: facets per index, missing nodes named. */
export interface FederatedResult {
  hits: Hit[];
  processingTimeMs: number;
  estimatedTotalHits: number;
  facetsByIndex?: Record<string, { distribution: FacetDistribution; stats: FacetStats }>;
  missingNodes: string[];
}

/** The engine's facet search (values of one facet matching a prefix, with counts). */
export const facetValuesSchema = z.object({
  facetHits: z.array(z.object({ value: z.string(), count: z.number() })),
  facetQuery: z.string().nullable().default(null),
  processingTimeMs: z.number().default(0),
});
export type FacetValuesResult = z.infer<typeof facetValuesSchema>;

/** `GET /health`. */
export const healthSchema = z.object({ status: z.string() });
