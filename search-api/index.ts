import type { Express } from 'express';
import type { Logger } from '../services/logger';
import type { Engine } from '../services/meili/engine';
import { OutletRegistry } from '../services/outlets';
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

/** The API wired with the project's own data: what `npm start`, the container and tests run. */
export function createSearchApi(options: SearchApiOptions): Express {
  const service = new SearchService({
    engine: options.engine,
    indexUid: options.indexUid,
    outlets: OutletRegistry.fromFile(),
    themes: new ThemeCatalog([]),
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
