/**
 * The page's whole state, and its one representation in the URL. Everything a person can change (query, filters,
 * sort, page, collapsing, interface language) lives here so that a copied link reproduces the view and the browser's
 * back and forward buttons walk through searches. Pure functions only: no DOM, no fetch.
 */

export type Sort = 'relevance' | 'newest' | 'oldest';
export type UiLang = 'zh' | 'en';
export type FacetName = 'outlet' | 'theme' | 'lang';

export const SORTS: readonly Sort[] = ['relevance', 'newest', 'oldest'];
export const FACETS: readonly FacetName[] = ['outlet', 'theme', 'lang'];
export const PAGE_SIZE = 10;

export interface SearchState {
  q: string;
  outlet: string[];
  theme: string[];
  lang: string[];
  /** `YYYY-MM-DD` as typed or linked. Not validated here: the API owns date validation and answers 400 naming it. */
  from: string | null;
  to: string | null;
  /** null leaves the choice to the API (relevance with a query, newest without), so a link stays short. */
  sort: Sort | null;
  page: number;
  collapse: boolean;
  /** Also search the query's other-language twin (the API's `cross`); off searches the text as typed only. */
  cross: boolean;
  ui: UiLang;
}

export const INITIAL_STATE: SearchState = {
  q: '',
  outlet: [],
  theme: [],
  lang: [],
  from: null,
  to: null,
  sort: null,
  page: 1,
  collapse: true,
  cross: true,
  ui: 'zh',
};

/** Keeps the first occurrence of each non-empty value, in order: `?outlet=a&outlet=a` is one filter. */
function distinct(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    if (v && !seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

function optionalText(value: string | null): string | null {
  const v = value?.trim() ?? '';
  return v === '' ? null : v;
}

/** Reads a query string (with or without `?`). Tolerant: a mangled parameter falls back to its default. */
export function parseState(search: string): SearchState {
  const p = new URLSearchParams(search);
  const sort = p.get('sort');
  const page = Number(p.get('page'));
  return {
    q: p.get('q') ?? '',
    outlet: distinct(p.getAll('outlet')),
    theme: distinct(p.getAll('theme')),
    lang: distinct(p.getAll('lang')),
    from: optionalText(p.get('from')),
    to: optionalText(p.get('to')),
    sort: SORTS.includes(sort as Sort) ? (sort as Sort) : null,
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
    collapse: p.get('collapse') !== 'false',
    cross: p.get('cross') !== 'false',
    ui: p.get('ui') === 'en' ? 'en' : 'zh',
  };
}

/** Filters and paging in the API's own parameter names; shared by the page URL and the API request. */
function appendSearchParams(p: URLSearchParams, s: SearchState): void {
  if (s.q.trim() !== '') p.set('q', s.q);
  for (const facet of FACETS) for (const v of s[facet]) p.append(facet, v);
  if (s.from) p.set('from', s.from);
  if (s.to) p.set('to', s.to);
  if (s.sort) p.set('sort', s.sort);
  if (s.page > 1) p.set('page', String(s.page));
  if (!s.collapse) p.set('collapse', 'false');
  if (!s.cross) p.set('cross', 'false');
}

/** The canonical query string (without `?`): defaults are left out, so equal states give equal links. */
export function serializeState(s: SearchState): string {
  const p = new URLSearchParams();
  appendSearchParams(p, s);
  if (s.ui !== 'zh') p.set('ui', s.ui);
  return p.toString();
}

/** Query string for `GET /api/search`. */
export function apiSearchParams(s: SearchState, limit = PAGE_SIZE): string {
  const p = new URLSearchParams();
  appendSearchParams(p, s);
  p.set('limit', String(limit));
  return p.toString();
}

export function sameState(a: SearchState, b: SearchState): boolean {
  return serializeState(a) === serializeState(b);
}

/** Equal except for the interface language: switching language must not refetch results. */
export function sameSearch(a: SearchState, b: SearchState): boolean {
  return serializeState({ ...a, ui: 'zh' }) === serializeState({ ...b, ui: 'zh' });
}

export function hasFilters(s: SearchState): boolean {
  return s.outlet.length + s.theme.length + s.lang.length > 0 || s.from !== null || s.to !== null;
}

export function filterCount(s: SearchState): number {
  return s.outlet.length + s.theme.length + s.lang.length + (s.from || s.to ? 1 : 0);
}

// Transitions. Any change to what is searched goes back to page 1: page 3 of another result set means nothing.

export function withQuery(s: SearchState, q: string): SearchState {
  return { ...s, q, page: 1 };
}

export function toggleFacetValue(s: SearchState, facet: FacetName, value: string, on: boolean): SearchState {
  const rest = s[facet].filter((v) => v !== value);
  return { ...s, [facet]: on ? [...rest, value] : rest, page: 1 };
}

/** Sets the inclusive date range; a reversed range (from a brush dragged leftwards) is put in order. */
export function withDateRange(s: SearchState, from: string | null, to: string | null): SearchState {
  if (from && to && from > to) [from, to] = [to, from];
  return { ...s, from, to, page: 1 };
}

export function withSort(s: SearchState, sort: Sort | null): SearchState {
  return { ...s, sort, page: 1 };
}

export function withCollapse(s: SearchState, collapse: boolean): SearchState {
  return { ...s, collapse, page: 1 };
}

export function withCross(s: SearchState, cross: boolean): SearchState {
  return { ...s, cross, page: 1 };
}

export function withPage(s: SearchState, page: number): SearchState {
  return { ...s, page: Math.max(1, Math.floor(page)) };
}

export function withUi(s: SearchState, ui: UiLang): SearchState {
  return { ...s, ui };
}

/** "Clear all" removes the filters but keeps what was typed and how it is sorted. */
export function clearFilters(s: SearchState): SearchState {
  return { ...s, outlet: [], theme: [], lang: [], from: null, to: null, page: 1 };
}
