import * as z from 'zod/mini';

/**
 * The HTTP contract (docs/api.md) as the page reads it. Responses are validated at the edge so a contract drift shows
 * as one clear error state instead of `undefined` deep inside rendering. zod/mini keeps the bundle small.
 * Optional fields are those the page can do without; unknown fields are ignored.
 */

const labelled = z.object({ value: z.string(), label: z.string(), labelEn: z.string() });

export const facetValueSchema = z.object({
  value: z.string(),
  label: z.string(),
  labelEn: z.string(),
  count: z.number(),
  selected: z.optional(z.boolean()),
});

export const dateBucketSchema = z.object({ value: z.string(), label: z.optional(z.string()), count: z.number() });

export const articleSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  outlet: z.object({ id: z.string(), name: z.string(), nameEn: z.string() }),
  published: z.nullable(z.string()),
  lang: z.array(z.string()),
  themes: z.array(labelled),
  url: z.optional(z.nullable(z.string())),
  duplicates: z.optional(z.object({ count: z.number(), ids: z.array(z.string()) })),
});

export const hitSchema = z.extend(articleSchema, {
  highlight: z.optional(z.object({ title: z.optional(z.string()), snippet: z.optional(z.string()) })),
});

export const searchResponseSchema = z.object({
  query: z.string(),
  total: z.number(),
  /** The result set holds at least `total` (docs/api.md); absent means exact. */
  totalIsLowerBound: z.optional(z.boolean()),
  page: z.number(),
  limit: z.number(),
  tookMs: z.number(),
  sort: z.string(),
  hits: z.array(hitSchema),
  /** What the search also looked for in the other language (docs/api.md). */
  crossLanguage: z.optional(
    z.object({
      enabled: z.boolean(),
      terms: z.array(z.object({ from: z.string(), to: z.string(), excluded: z.optional(z.boolean()) })),
    }),
  ),
  facets: z.object({
    outlet: z.array(facetValueSchema),
    theme: z.array(facetValueSchema),
    lang: z.array(facetValueSchema),
    date: z.object({
      interval: z.enum(['day', 'month']),
      buckets: z.array(dateBucketSchema),
      min: z.optional(z.nullable(z.string())),
      max: z.optional(z.nullable(z.string())),
    }),
  }),
});

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.optional(z.string()) }),
});

export type FacetValue = z.infer<typeof facetValueSchema>;
export type DateBucket = z.infer<typeof dateBucketSchema>;
export type Article = z.infer<typeof articleSchema>;
export type Hit = z.infer<typeof hitSchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;
export type DateInterval = SearchResponse['facets']['date']['interval'];
