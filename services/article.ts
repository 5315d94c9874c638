/**
 * The data flowing one way through the product: a source file yields ParsedArticles, the indexer turns each into a
 * NewsDocument stored in the engine, and the API answers with SearchHits built from those documents.
 */

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** Where a record came from, so every problem can be reported with file and line. */
export interface SourceLocation {
  file: string;
  line: number;
}

/** An article as read from a source file, validated but not yet normalised. */
export interface ParsedArticle {
  location: SourceLocation;
  title: string;
  body: string;
  /** The outlet as the source spells it ("Xin Hua She", "新华社", "Reuters"). */
  outlet: string;
  /** Publication instant; null when the source has none. */
  published: Date | null;
  url: string | null;
  category: string | null;
  /** Themes the source already assigned; merged with the ones the indexer detects. */
  themes: string[];
}

/** The document stored in the engine. Field names are the index schema (services/meili/settings.ts). */
export interface NewsDocument {
  id: string;
  /** Title and body as published: what is displayed and highlighted. */
  title: string;
  body: string;
  /**
   * Title and body folded from traditional to simplified (same UTF-8 length as the originals), searched with them;
   * null where folding changes nothing, which is nearly always: the engine then neither stores nor tokenises the text
   * twice (match positions are computed by tokenising every displayed text of a hit again).
   */
  titleSearch: string | null;
  bodySearch: string | null;
  outlet: string;
  outletName: string;
  outletNameEn: string;
  /** ISO 8601 in Beijing time (+08:00), or null when the source has no date. */
  published: string | null;
  /** Seconds since the epoch; null sorts last. */
  timestamp: number | null;
  /** Beijing-time calendar day and month buckets for the date facet. */
  day: string | null;
  month: string | null;
  /** Languages present in the article (title and body), for the language facet. */
  lang: Lang[];
  titleLang: Lang;
  bodyLang: Lang;
  themes: string[];
  /** Searchable words in title and body, Chinese counted as jieba words: ranks exact ties, shorter first. */
  wordCount: number;
  url: string | null;
  category: string | null;
  /** Near-duplicate group: the id of the group's earliest article (its own id when it stands alone). */
  dupGroup: string;
  /** Ids of the other articles in the same group, earliest first. */
  dupOf: string[];
  /**
   * Collapsed-counting keys, set only on copies in multi-copy groups (services/meili/group-facets.ts): the group, and
   * "group|value" for each facet value of the copy. Derived from the fields above whenever the group changes.
   */
  sharedGroup: string | null;
  sharedOutlet: string[];
  sharedThemes: string[];
  sharedLang: string[];
  sharedDay: string[];
  sharedMonth: string[];
  /** The index generation the document was written for (services/meili/generation.ts); absent in generation 0. */
  generation?: number;
}
