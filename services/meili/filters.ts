import type { Lang } from '../article';

/** Filters in domain terms; the only path from user input to the engine's filter syntax. */
export interface FilterCriteria {
  outlet?: readonly string[];
  theme?: readonly string[];
  lang?: readonly Lang[];
  /** Inclusive bounds in seconds since the epoch. */
  fromTimestamp?: number;
  toTimestamp?: number;
  ids?: readonly string[];
}

/** The facets a user can filter on; disjunctive counting leaves one of them out at a time. */
export type FacetName = 'outlet' | 'theme' | 'lang' | 'date';

/** Quotes a value for the filter grammar: backslash first, then the double quote, so no value can close its string. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function anyOf(field: string, values: readonly string[] | undefined): string | null {
  if (!values || values.length === 0) return null;
  return `${field} IN [${values.map(quoteFilterValue).join(', ')}]`;
}

/**
 * Builds the engine filter for the criteria, leaving out the facet named in `except` (disjunctive counting).
 * Values within a facet OR together (`IN`), facets AND together. Returns undefined when nothing filters.
 */
export function buildFilter(criteria: FilterCriteria, except?: FacetName): string | undefined {
  const clauses: string[] = [];
  const push = (c: string | null) => {
    if (c) clauses.push(c);
  };
  if (except !== 'outlet') push(anyOf('outlet', criteria.outlet));
  if (except !== 'theme') push(anyOf('themes', criteria.theme));
  if (except !== 'lang') push(anyOf('lang', criteria.lang));
  if (except !== 'date') {
    if (criteria.fromTimestamp !== undefined) push(`timestamp >= ${Math.trunc(criteria.fromTimestamp)}`);
    if (criteria.toTimestamp !== undefined) push(`timestamp <= ${Math.trunc(criteria.toTimestamp)}`);
  }
  push(anyOf('id', criteria.ids));
  return clauses.length > 0 ? clauses.join(' AND ') : undefined;
}
