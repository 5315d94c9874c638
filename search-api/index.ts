import type { Express } from 'express';
import type { Logger } from '../services/logger';
import type { Engine } from '../services/meili/engine';
import { expandQuery, getCrossLanguageDictionary, loadDictionaryWords } from '../services/lexicon';
import type { AlternateQuery } from '../services/meili/news-search';
import { OutletRegistry } from '../services/outlets';
import { Segmenter } from '../services/text/segment';
import { ThemeCatalog } from '../services/themes';
import { createApp } from './app';
import type { Metrics } from './metrics';
import type { Lifecycle } from './routes';
import { SearchService } from './search/search-service';

export interface SearchApiOptions {
  engine: Engine;
  indexUid: string;
  log: Logger;
  corsOrigins?: readonly string[];
  rateLimitPerMinute?: number;
  webDir?: string;
  metrics?: Metrics;
  lifecycle?: Lifecycle;
}

/**
 * Weight of the CC-CEDICT translation of a query against the query itself: its matches come after the exact ones
 * (measured by `npm run eval`: 0.5 lifts cross-language nDCG@10 without pushing exact matches down).
 */
export const CROSS_LANGUAGE_WEIGHT = 0.5;

/** The cross-language fallback: a translation of the words the glossary's synonyms do not cover, or nothing. */
export function crossLanguageAlternates(
  segmenter: Segmenter = new Segmenter(loadDictionaryWords()),
  weight = CROSS_LANGUAGE_WEIGHT,
): (q: string) => AlternateQuery[] {
  return (q) => {
    const expansion = expandQuery(q, segmenter);
    return expansion.crossLanguage ? [{ q: expansion.crossLanguage, weight }] : [];
  };
}

/** The API wired with the project's own data: what `npm start`, the container and tests run. */
export function createSearchApi(options: SearchApiOptions): Express {
  // Build the cross-language dictionary (CC-CEDICT, ~1.5 s of CPU, in a child process so its build garbage is not
  // kept by this one) before serving rather than in the first search.
  getCrossLanguageDictionary();
  const service = new SearchService({
    engine: options.engine,
    indexUid: options.indexUid,
    outlets: OutletRegistry.fromFile(),
    themes: ThemeCatalog.fromFile(),
    alternates: crossLanguageAlternates(),
  });
  return createApp({
    service,
    engine: options.engine,
    indexUid: options.indexUid,
    log: options.log,
    corsOrigins: options.corsOrigins ?? [],
    rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
    webDir: options.webDir,
    metrics: options.metrics,
    lifecycle: options.lifecycle,
  });
}
