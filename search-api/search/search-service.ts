import type { Lang } from '../../services/article';
import type { Engine } from '../../services/meili/engine';
import type { FacetName, FilterCriteria } from '../../services/meili/filters';
import { dateInterval, documentById, searchByIds, searchFacetValues, searchNews, type EngineHit, type FacetCounts, type SortOrder, type StoredDocument } from '../../services/meili/news-search';
import { textSearch, type TextSearch } from '../../services/meili/text-search';
import type { OutletRegistry } from '../../services/outlets';
import { byteRangesToTextRanges, markText, snippet } from '../../services/text/highlight';
import { normalizeQuery, toSimplified } from '../../services/text/normalize';
import type { Phrasings } from '../../services/lexicon/phrasings';
import { NotFoundError } from '../errors';
import type { FacetValueParams, SearchParams } from './params';

/** Display names of a theme id in both languages (services/themes). */
export interface ThemeLabels {
  label(id: string): { name: string; nameEn: string };
}

export interface FacetValue {
  value: string;
  label: string;
  labelEn: string;
  count: number;
  selected: boolean;
}

export interface FacetValuesResponse {
  facet: FacetName;
  values: Array<{ value: string; label: string; labelEn: string; count: number }>;
}

/** Case, width and script folded, so 新華社, XINHUA and ｘｉｎｈｕａ all find 新华社/xinhua. */
export function foldForMatch(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase();
}

/** Whether a facet value matches what the user typed: its id or either label contains it. */
export function facetValueMatches(typed: string, value: string, label: { name: string; nameEn: string }): boolean {
  const q = foldForMatch(typed.trim());
  if (q === '') return true;
  return [value, label.name, label.nameEn].some((s) => foldForMatch(s).includes(q));
}

export interface DateFacet {
  interval: 'day' | 'month';
  buckets: Array<{ value: string; label: string; count: number }>;
  min: string | null;
  max: string | null;
}

export interface Article {
  id: string;
  title: string;
  body: string;
  outlet: { id: string; name: string; nameEn: string };
  published: string | null;
  lang: Lang[];
  themes: Array<{ value: string; label: string; labelEn: string }>;
  url: string | null;
  duplicates: { count: number; ids: string[] };
}

export interface SearchHit extends Article {
  highlight: { title: string; snippet: string };
}

/** A word of the query and what the search also looked for in the other language; `excluded` for a `-word`. */
export interface CrossedTerm {
  from: string;
  to: string;
  excluded?: true;
}

export interface SearchResponse {
  query: string;
  total: number;
  /** `total` is only a lower bound: the result set holds at least that many (docs/api.md). Normally false. */
  totalIsLowerBound: boolean;
  page: number;
  limit: number;
  sort: SortOrder;
  tookMs: number;
  hits: SearchHit[];
  facets: { outlet: FacetValue[]; theme: FacetValue[]; lang: FacetValue[]; date: DateFacet };
  /** What the search also looked for in the other language (none when `enabled` is false, or nothing crossed). */
  crossLanguage: { enabled: boolean; terms: CrossedTerm[] };
  /** True when some engine node did not answer: the results lack that node's share of the archive. */
  partial: boolean;
  /** Names of the engine nodes missing from this answer (sharded deployments only). */
  missingNodes: string[];
}

const LANG_LABELS: Record<string, { name: string; nameEn: string }> = {
  zh: { name: '中文', nameEn: 'Chinese' },
  en: { name: '英文', nameEn: 'English' },
};

const DAY_SECONDS = 86_400;
const BEIJING_OFFSET_SECONDS = 8 * 3600;
export { MAX_DAY_BUCKET_SPAN_DAYS } from '../../services/meili/news-search';

/** Start of a Beijing-time calendar day, in seconds since the epoch. */
export function beijingDayStart(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`) / 1000;
}

export function toFilterCriteria(params: Pick<SearchParams, 'outlet' | 'theme' | 'lang' | 'from' | 'to'>): FilterCriteria {
  return {
    outlet: params.outlet,
    theme: params.theme,
    lang: params.lang,
    fromTimestamp: params.from ? beijingDayStart(params.from) : undefined,
    // Inclusive: the whole of the `to` day, up to its last second.
    toTimestamp: params.to ? beijingDayStart(params.to) + DAY_SECONDS - 1 : undefined,
  };
}

export interface SearchServiceDeps {
  engine: Engine;
  indexUid: string;
  outlets: OutletRegistry;
  themes: ThemeLabels;
  /** The query's exact and loose phrasings with their other-language twins (services/lexicon/phrasings.ts). */
  phrasings?: (normalizedQuery: string) => Promise<Phrasings>;
}

/** The search use case: domain parameters in, display-ready response out. Stateless; one per process. */
export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  async search(params: SearchParams): Promise<SearchResponse> {
    const started = performance.now();
    const q = normalizeQuery(params.q);
    const filters = toFilterCriteria(params);
    const sort: SortOrder = params.sort ?? (q === '' ? 'newest' : 'relevance');
    const { text, terms } = await this.textOf(q, sort, params.cross, params.lang);
    const result = await searchNews(this.deps.engine, this.deps.indexUid, { ...text, filters, sort, page: params.page, limit: params.limit, collapse: params.collapse });
    const hits = params.collapse ? await this.showEarliestOfGroups(result.hits, text.q, filters) : result.hits;

    return {
      query: params.q,
      total: result.total,
      totalIsLowerBound: result.totalIsLowerBound,
      page: params.page,
      limit: params.limit,
      sort,
      tookMs: Math.round(performance.now() - started),
      hits: hits.map((h) => this.toSearchHit(h)),
      facets: {
        outlet: this.facetValues(result.facets.outlet, params.outlet, (id) => this.deps.outlets.label(id)),
        theme: this.facetValues(result.facets.theme, params.theme, (id) => this.deps.themes.label(id)),
        lang: this.facetValues(result.facets.lang, params.lang, (id) => LANG_LABELS[id] ?? { name: id, nameEn: id }),
        date: dateFacet(result.facets.day, result.facets.month, result.dateRange),
      },
      crossLanguage: { enabled: params.cross, terms: text.crossed ? terms : [] },
      partial: result.missingNodes.length > 0,
      missingNodes: result.missingNodes,
    };
  }

  /**
   * Values of one facet matching `q`, with the counts the search would show for them (disjunctive, collapsed). The
   * engine's facet search lists the values; labels are matched here in both languages (the lists are small), and the
   * engine's own prefix match on raw values (e.g. unknown outlets' names) is added to it.
   */
  async searchFacetValues(facet: FacetName, params: FacetValueParams): Promise<FacetValuesResponse> {
    const q = normalizeQuery(params.query);
    const filters = toFilterCriteria(params);
    const { text } = await this.textOf(q, params.sort ?? (q === '' ? 'newest' : 'relevance'), params.cross, params.lang);
    const counted = searchNews(this.deps.engine, this.deps.indexUid, { ...text, filters, sort: 'relevance', page: 1, limit: 1, collapse: params.collapse });
    const { counts, engineMatches } = await searchFacetValues(this.deps.engine, this.deps.indexUid, { facet, facetQuery: params.q, q, filters }, counted);
    const label = (v: string) => this.labelOf(facet, v);
    const values = Object.entries(counts)
      // Days match by prefix (2025-08 lists August); the engine splits 2025-08-2 into words and matches too loosely.
      .filter(([value, count]) => {
        if (count === 0) return false;
        if (facet === 'date') return value.startsWith(params.q);
        return engineMatches.has(value) || facetValueMatches(params.q, value, label(value));
      })
      .map(([value, count]) => {
        const l = label(value);
        return { value, label: l.name, labelEn: l.nameEn, count };
      })
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, params.limit);
    return { facet, values };
  }

  /**
   * The text search of a query (services/meili/text-search.ts) and what crosses into the other language. The twins
   * rank by weighted relevance, which means nothing in date order: newest/oldest search the query's own language.
   */
  private async textOf(q: string, sort: SortOrder, cross: boolean, langs: readonly Lang[]): Promise<{ text: TextSearch; terms: CrossedTerm[] }> {
    const phrasings = q !== '' && this.deps.phrasings ? await this.deps.phrasings(q) : null;
    // Filtered to the query's own language, the twin would find articles in the other one, which the filter leaves
    // out (or bilingual ones the query's own words find as well): not worth a second query.
    const ownLanguageOnly = phrasings?.lang != null && langs.length > 0 && langs.every((l) => l === phrasings.lang);
    return {
      text: textSearch(q, phrasings, cross && sort === 'relevance' && !ownLanguageOnly),
      terms: (phrasings?.terms ?? []).map(({ from, to, excluded }) => (excluded ? { from, to, excluded } : { from, to })),
    };
  }

  private labelOf(facet: FacetName, value: string): { name: string; nameEn: string } {
    if (facet === 'outlet') return this.deps.outlets.label(value);
    if (facet === 'theme') return this.deps.themes.label(value);
    if (facet === 'lang') return LANG_LABELS[value] ?? { name: value, nameEn: value };
    return { name: value, nameEn: value };
  }

  async article(id: string): Promise<Article> {
    const doc = await documentById(this.deps.engine, this.deps.indexUid, id);
    if (!doc) throw new NotFoundError(`no article with id ${id}`);
    return this.toArticle(doc);
  }

  /**
   * A collapsed group is shown by its earliest publication. The engine keeps the best-ranked member of each group, so
   * where that is a later copy, the earliest one is fetched (same query and filters, for its highlights) in one more
   * request; if filters exclude it, the copy the engine chose stays.
   */
  private async showEarliestOfGroups(hits: EngineHit[], q: string, filters: FilterCriteria): Promise<EngineHit[]> {
    const wanted = hits.filter((h) => h.doc.dupGroup !== h.doc.id).map((h) => h.doc.dupGroup);
    if (wanted.length === 0) return hits;
    const found = new Map((await searchByIds(this.deps.engine, this.deps.indexUid, q, filters, wanted)).map((h) => [h.doc.id, h]));
    return hits.map((h) => found.get(h.doc.dupGroup) ?? h);
  }

  private toArticle(doc: StoredDocument): Article {
    const outlet = this.deps.outlets.label(doc.outlet);
    return {
      id: doc.id,
      title: doc.title,
      body: doc.body,
      outlet: { id: doc.outlet, name: doc.outletName || outlet.name, nameEn: doc.outletNameEn || outlet.nameEn },
      published: doc.published,
      lang: doc.lang,
      themes: doc.themes.map((t) => {
        const l = this.deps.themes.label(t);
        return { value: t, label: l.name, labelEn: l.nameEn };
      }),
      url: doc.url,
      duplicates: { count: doc.dupOf.length, ids: doc.dupOf },
    };
  }

  private toSearchHit(hit: EngineHit): SearchHit {
    const { doc, matches } = hit;
    return {
      ...this.toArticle(doc),
      highlight: {
        title: markText(doc.title, byteRangesToTextRanges(doc.title, matches.title)),
        snippet: snippet(doc.body, byteRangesToTextRanges(doc.body, matches.body)),
      },
    };
  }

  private facetValues(counts: FacetCounts, selected: readonly string[], label: (v: string) => { name: string; nameEn: string }): FacetValue[] {
    const values = new Map(Object.entries(counts));
    // A chosen value stays visible (with its count, even 0) so it can be unticked.
    for (const s of selected) if (!values.has(s)) values.set(s, 0);
    return [...values.entries()]
      .map(([value, count]) => {
        const l = label(value);
        return { value, label: l.name, labelEn: l.nameEn, count, selected: selected.includes(value) };
      })
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  }
}

export function dateFacet(day: FacetCounts, month: FacetCounts, range: { min: number; max: number } | null): DateFacet {
  const toDay = (ts: number) => new Date((ts + BEIJING_OFFSET_SECONDS) * 1000).toISOString().slice(0, 10);
  const interval = dateInterval(range);
  const counts = interval === 'day' ? day : month;
  return {
    interval,
    buckets: Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([value, count]) => ({ value, label: value, count })),
    min: range ? toDay(range.min) : null,
    max: range ? toDay(range.max) : null,
  };
}
