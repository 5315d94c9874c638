import { createHash } from 'node:crypto';
import type { Lang, NewsDocument, ParsedArticle } from '../services/article';
import { groupFacetFields, type GroupFacetFields } from '../services/meili/group-facets';
import type { OutletRegistry } from '../services/outlets';
import { detectLanguage } from '../services/text/language';
import { toSimplified } from '../services/text/normalize';

const BEIJING_OFFSET_MS = 8 * 3600 * 1000;

/** ISO 8601 in Beijing time, to the second: 2025-09-01T03:35:00+08:00. */
export function toBeijingIso(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/**
 * A stable id: the same article (outlet, time, title, body) always gets the same id, so re-runs replace instead of
 * duplicating. The body is part of it because one outlet may publish several items under one title on one day.
 */
export function articleId(outletId: string, published: Date | null, title: string, body: string): string {
  return createHash('sha256')
    .update([outletId, published ? published.toISOString() : '', title, body].join('\u0000'))
    .digest('hex')
    .slice(0, 24);
}

/** The text folded to simplified Chinese, or null when that changes nothing (the original is searched as it is). */
export function foldedCopy(text: string): string | null {
  const folded = toSimplified(text);
  return folded === text ? null : folded;
}

export interface DocumentContext {
  outlets: OutletRegistry;
  /** Detects themes for an article; returns theme ids (services/themes). */
  tagThemes?: (article: ParsedArticle) => string[];
  /** The searchable words of a text, as the indexer segments it: what wordCount counts. */
  words: (text: string) => readonly string[];
}

export function toNewsDocument(article: ParsedArticle, ctx: DocumentContext): NewsDocument {
  const outlet = ctx.outlets.resolve(article.outlet);
  const id = articleId(outlet.id, article.published, article.title, article.body);
  const iso = article.published ? toBeijingIso(article.published) : null;
  const titleLang = detectLanguage(article.title);
  const bodyLang = article.body ? detectLanguage(article.body) : titleLang;
  const lang: Lang[] = titleLang === bodyLang ? [titleLang] : [titleLang, bodyLang];
  const themes = new Set(article.themes);
  for (const t of ctx.tagThemes?.(article) ?? []) themes.add(t);
  const doc: Omit<NewsDocument, keyof GroupFacetFields> = {
    id,
    title: article.title,
    body: article.body,
    titleSearch: foldedCopy(article.title),
    bodySearch: foldedCopy(article.body),
    outlet: outlet.id,
    outletName: outlet.name,
    outletNameEn: outlet.nameEn,
    published: iso,
    timestamp: article.published ? Math.floor(article.published.getTime() / 1000) : null,
    day: iso ? iso.slice(0, 10) : null,
    month: iso ? iso.slice(0, 7) : null,
    lang,
    titleLang,
    bodyLang,
    themes: [...themes].sort(),
    wordCount: ctx.words(article.title).length + ctx.words(article.body).length,
    url: article.url,
    category: article.category,
    dupGroup: id,
    dupOf: [],
  };
  // A new document stands alone until the duplicate grouper says otherwise (the pipeline derives the keys again).
  return { ...doc, ...groupFacetFields(doc) };
}
