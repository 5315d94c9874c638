import type { NewsDocument } from '../article';
import { GROUP_FACET_FIELDS, GROUP_KEY_FIELD, SHARED_COPY_FIELDS } from './settings';

/**
 * Collapsed facet counts from the counting query itself. A value's collapsed count is the number of near-duplicate
 * groups among the matching documents that carry it; the engine counts copies. Every copy in a multi-copy group also
 * carries "group|value" keys, one field per counted facet, so the same counting query that counts a value's copies
 * says, for each group, how many of its matching copies carry the value: a group seen n > 1 times under one value
 * counts n - 1 times too many. Singletons carry no keys, so these fields stay as small as the duplicates are few.
 *
 * Measured on 1.21 with the bench's 12,500 articles: asking for these facets costs nothing visible, while the
 * separate members query per counted set that this replaces was a whole text search each (a quarter to a third of
 * the engine's time for a cross-language search with a filter).
 */

/** Group ids are hex (indexer/document.ts articleId), so the first separator ends the group. */
const SEPARATOR = '|';

/** The keys as document fields (their meaning is documented on NewsDocument). */
export type GroupFacetFields = Pick<NewsDocument, 'sharedGroup' | 'sharedOutlet' | 'sharedThemes' | 'sharedLang' | 'sharedDay' | 'sharedMonth'>;

/** What the keys are made of: a document's group fields and its facet values. */
export type GroupFacetSource = Pick<NewsDocument, 'dupGroup' | 'dupOf' | 'outlet' | 'themes' | 'lang' | 'day' | 'month'>;

/** The fields to read back from the engine to rebuild a stored document's keys. */
export const GROUP_FACET_SOURCE_FIELDS = ['outlet', 'themes', 'lang', 'day', 'month'] as const;

export function groupFacetFields(doc: GroupFacetSource): GroupFacetFields {
  const shared = doc.dupOf.length > 0;
  const keys = (values: ReadonlyArray<string | null>): string[] =>
    shared ? [...new Set(values.filter((v): v is string => v !== null))].map((v) => `${doc.dupGroup}${SEPARATOR}${v}`) : [];
  return {
    sharedGroup: shared ? doc.dupGroup : null,
    sharedOutlet: keys([doc.outlet]),
    sharedThemes: keys(doc.themes),
    sharedLang: keys(doc.lang),
    sharedDay: keys([doc.day]),
    sharedMonth: keys([doc.month]),
  };
}

/** The group facet fields to ask for beside these counted engine fields (unknown fields have none). */
export function groupFieldsFor(fields: readonly string[]): string[] {
  return fields.flatMap((f) => (GROUP_FACET_FIELDS[f] ? [GROUP_FACET_FIELDS[f]] : []));
}

type Distribution = Record<string, Record<string, number>>;

/**
 * Whether the engine may have left out keys of a group facet: it returns at most `maxValues` values per facet (the
 * most frequent first), and in a sharded network each node cuts its own list before the lists are added up, so a
 * full list is the only safe sign. The caller then counts another way.
 */
export function groupKeysTruncated(distribution: Distribution, groupFields: readonly string[], maxValues: number): boolean {
  return groupFields.some((f) => Object.keys(distribution[f] ?? {}).length >= maxValues);
}

/**
 * Copy counts to group counts, in place: for each counted field, a value carried by n > 1 matching copies of one
 * group loses n - 1. Returns `distribution` (without the group facet fields).
 */
export function collapseByGroupKeys(distribution: Distribution, fields: readonly string[]): Distribution {
  for (const field of fields) {
    const groupField = GROUP_FACET_FIELDS[field];
    const counts = distribution[field];
    if (!groupField || !counts) continue;
    for (const [key, n] of Object.entries(distribution[groupField] ?? {})) {
      const value = key.slice(key.indexOf(SEPARATOR) + 1);
      if (n > 1 && counts[value] !== undefined) counts[value] -= n - 1;
    }
  }
  return withoutGroupKeys(distribution);
}

/** The distribution without the group facet fields (in place). */
export function withoutGroupKeys(distribution: Distribution): Distribution {
  for (const f of SHARED_COPY_FIELDS) delete distribution[f];
  return distribution;
}

/** Matching copies beyond the first of each group: what collapsing takes off a count of copies. */
export function extraCopiesByGroupKeys(distribution: Distribution): number {
  let extra = 0;
  for (const n of Object.values(distribution[GROUP_KEY_FIELD] ?? {})) if (n > 1) extra += n - 1;
  return extra;
}
