import type { Express } from 'express';
import type { Logger } from '../services/logger';
import type { Engine } from '../services/meili/engine';
import { getCrossLanguageDictionary, GlossaryIndex, loadDictionaryWords, loadGlossary } from '../services/lexicon';
import { QueryCrossing } from '../services/lexicon/crossing';
import { phraseQuery, type Phrasings } from '../services/lexicon/phrasings';
import { TermFrequencies } from '../services/meili/term-frequencies';
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
 * The query's phrasings with their other-language twins: spans crossed by the glossary and CC-CEDICT, each
 * translation chosen by the archive's own usage (services/lexicon/phrasings.ts).
 */
export function crossLanguagePhrasings(
  engine: Engine,
  indexUid: string,
  segmenter: Segmenter = new Segmenter(loadDictionaryWords()),
): (q: string) => Promise<Phrasings> {
  const crossing = new QueryCrossing(new GlossaryIndex(loadGlossary()), getCrossLanguageDictionary(), segmenter);
  const archive = new TermFrequencies(engine, indexUid);
  return (q) => phraseQuery(q, crossing.spans(q), archive);
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
    phrasings: crossLanguagePhrasings(options.engine, options.indexUid),
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
