import type { Lang } from '../../services/article';
import type { Engine } from '../../services/meili/engine';
import type { FilterCriteria } from '../../services/meili/filters';
import { searchByIds, searchNews, type EngineHit, type FacetCounts, type NewsQuery, type SortOrder, type StoredDocument } from '../../services/meili/news-search';
import { RETRIEVED_FIELDS } from '../../services/meili/settings';
import type { OutletRegistry } from '../../services/outlets';
import { byteRangesToTextRanges, markText, snippet } from '../../services/text/highlight';
import { normalizeQuery } from '../../services/text/normalize';
import { NotFoundError } from '../errors';
import type { SearchParams } from './params';

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

export interface SearchResponse {
  query: string;
  total: number;
  page: number;
  limit: number;
  sort: SortOrder;
  tookMs: number;
  hits: SearchHit[];
  facets: { outlet: FacetValue[]; theme: FacetValue[]; lang: FacetValue[]; date: DateFacet };
}

const LANG_LABELS: Record<string, { name: string; nameEn: string }> = {
  zh: { name: '中文', nameEn: 'Chinese' },
  en: { name: '英文', nameEn: 'English' },
};

const DAY_SECONDS = 86_400;
const BEIJING_OFFSET_SECONDS = 8 * 3600;
/** Beyond this span the date facet switches from day to month buckets, so a histogram stays readable. */
export const MAX_DAY_BUCKET_SPAN_DAYS = 60;

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

/** API parameters to the engine-level query (the benchmark builds the engine's requests with this too). */
export function toNewsQuery(params: SearchParams): NewsQuery {
  const q = normalizeQuery(params.q);
  const sort: SortOrder = params.sort ?? (q === '' ? 'newest' : 'relevance');
  return { q, filters: toFilterCriteria(params), sort, page: params.page, limit: params.limit, collapse: params.collapse };
}

export interface SearchServiceDeps {
  engine: Engine;
  indexUid: string;
  outlets: OutletRegistry;
  themes: ThemeLabels;
}

/** The search use case: domain parameters in, display-ready response out. Stateless; one per process. */
export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  async search(params: SearchParams): Promise<SearchResponse> {
    const started = performance.now();
    const query = toNewsQuery(params);
    const { q, filters, sort } = query;
    const result = await searchNews(this.deps.engine, this.deps.indexUid, query);
    const hits = params.collapse ? await this.showEarliestOfGroups(result.hits, q, filters) : result.hits;

    return {
      query: params.q,
      total: result.total,
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
    };
  }

  async article(id: string): Promise<Article> {
    const doc = await this.deps.engine.getDocument<StoredDocument>(this.deps.indexUid, id, RETRIEVED_FIELDS);
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
  const span = range ? (range.max - range.min) / DAY_SECONDS : 0;
  const interval = span > MAX_DAY_BUCKET_SPAN_DAYS ? 'month' : 'day';
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
