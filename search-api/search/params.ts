import { z } from 'zod';
import { LANGS } from '../../services/article';
import { MAX_TOTAL_HITS } from '../../services/meili/settings';

/** Bounds on every parameter: what the page and a careful client need, and nothing a crafted URL could abuse. */
export const LIMITS = {
  queryChars: 500,
  filterValues: 20,
  filterValueChars: 100,
  maxLimit: 100,
  maxTotalHits: MAX_TOTAL_HITS,
} as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A UTF-16 surrogate without its partner: not text, and the engine would reject or mangle it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0/C1 control characters (tab, newline and the rest) and DEL. */
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;

export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** Query text pasted from elsewhere may carry newlines or tabs: they separate words, so they become spaces. */
export function controlsToSpaces(s: string): string {
  return s.replace(CONTROL, ' ');
}

function isRealDay(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Query-string values arrive as a string or an array of strings (repeated parameter); both mean a list. */
const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(item).max(LIMITS.filterValues, `at most ${LIMITS.filterValues} values`))
    .transform((values) => [...new Set(values)]);

const filterValue = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.filterValueChars, `at most ${LIMITS.filterValueChars} characters`)
  // Filter values are identifiers (outlet ids, theme ids), never free text: control characters mean a crafted URL.
  .refine((v) => !/[\u0000-\u001F\u007F-\u009F]/.test(v), 'must not contain control characters')
  .refine((v) => !hasLoneSurrogate(v), 'is not valid text');

const day = z
  .string()
  .regex(DAY, 'must be a date as YYYY-MM-DD')
  .refine(isRealDay, 'is not a real calendar date')
  .optional();

const single = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v[v.length - 1] : v), schema);

/** The search's query text: the same rules wherever it arrives (the search itself, or facet value search). */
const queryText = single(
  z
    .string()
    .max(LIMITS.queryChars, `at most ${LIMITS.queryChars} characters`)
    .refine((v) => !hasLoneSurrogate(v), 'is not valid text')
    .transform(controlsToSpaces)
    .default(''),
);

const sortOrder = single(z.enum(['relevance', 'newest', 'oldest'], { message: 'must be relevance, newest or oldest' }).optional());

const limitOf = (defaultLimit: number) =>
  single(
    z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'at least 1')
      .max(LIMITS.maxLimit, `at most ${LIMITS.maxLimit}`)
      .default(defaultLimit),
  );

const boolean = (fallback: boolean) =>
  single(
    z
      .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1'),
  );

/** The filters and collapsing of a search: shared by the search and by facet value search, which counts under them. */
const filterFields = {
  outlet: list(filterValue),
  theme: list(filterValue),
  lang: list(z.enum(LANGS as unknown as ['zh', 'en'], { message: 'must be zh or en' })),
  from: single(day),
  to: single(day),
  collapse: boolean(true),
  // The query's twin in the other language: on by default, off for one search that must match as typed.
  cross: boolean(true),
};

function checkDateRange(p: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx): void {
  if (p.from && p.to && p.from > p.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must not be after to' });
}

export const searchParamsSchema = z
  .object({
    q: queryText,
    ...filterFields,
    sort: sortOrder,
    page: single(z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'starts at 1').default(1)),
    limit: limitOf(10),
  })
  .superRefine((p, ctx) => {
    if (p.page * p.limit > LIMITS.maxTotalHits) {
      ctx.addIssue({ code: 'custom', path: ['page'], message: `page × limit must not exceed ${LIMITS.maxTotalHits}` });
    }
    checkDateRange(p, ctx);
  });

export type SearchParams = z.output<typeof searchParamsSchema>;

export const articleIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a valid article id');

/** The facets whose values can be listed and searched (GET /api/facets/:facet). */
export const FACET_NAMES = ['outlet', 'theme', 'lang', 'date'] as const;
export const facetNameSchema = z.enum(FACET_NAMES, { message: `must be one of ${FACET_NAMES.join(', ')}` });

/** `q` searches the facet's values (ids and labels in both languages); `query` and the filters are the search's own. */
export const facetValueParamsSchema = z
  .object({
    q: single(z.string().trim().max(LIMITS.filterValueChars, `at most ${LIMITS.filterValueChars} characters`).default('')),
    query: queryText,
    // The search's order matters to its counts: only a relevance search also searches the cross-language phrasing.
    sort: sortOrder,
    ...filterFields,
    limit: limitOf(20),
  })
  .superRefine(checkDateRange);

export type FacetValueParams = z.output<typeof facetValueParamsSchema>;
