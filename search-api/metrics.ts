import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { EngineError, EngineUnavailableError } from '../services/meili/errors';

/**
 * Prometheus metrics of one process: HTTP traffic by route and status, engine failures, and the indexer's counts.
 * Each Metrics owns its registry, so tests can build apps side by side without "already registered" clashes; the
 * server process uses the one from processMetrics(), which also carries Node's default metrics (RSS, event loop lag…).
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from request to last byte of the answer, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly engineErrors = new Counter({
    name: 'engine_errors_total',
    help: 'Requests that failed because of the search engine (unavailable: down or timed out; request: engine refused)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  /** Sharded engines only (search-api/shard-readiness.ts watchNodeHealth). */
  readonly nodeExclusions = new Counter({
    name: 'engine_node_exclusions_total',
    help: 'Times a node of a sharded engine was left out of searches because it stopped answering',
    labelNames: ['node'] as const,
    registers: [this.registry],
  });
  readonly nodeRecoveries = new Counter({
    name: 'engine_node_recoveries_total',
    help: 'Times a left-out node of a sharded engine answered its probe again and was taken back into searches',
    labelNames: ['node'] as const,
    registers: [this.registry],
  });
  readonly nodeUp = new Gauge({
    name: 'engine_node_up',
    help: 'Whether searches include a node of a sharded engine (1) or leave it out because it stopped answering (0)',
    labelNames: ['node'] as const,
    registers: [this.registry],
  });
  readonly indexedDocuments = new Counter({
    name: 'indexer_documents_indexed_total',
    help: 'Documents sent to the engine by indexer runs in this process',
    registers: [this.registry],
  });
  readonly skippedRecords = new Counter({
    name: 'indexer_records_skipped_total',
    help: 'Source records the indexer skipped as malformed, in this process',
    registers: [this.registry],
  });
  readonly failedTasks = new Counter({
    name: 'indexer_failed_tasks_total',
    help: 'Engine tasks of indexer runs that did not succeed, in this process',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }

  /** Adds an indexer run's counts (IndexSummary) to the counters. */
  recordIndexRun(summary: { indexed: number; skipped: number; failedTasks: readonly unknown[] }): void {
    this.indexedDocuments.inc(summary.indexed);
    this.skippedRecords.inc(summary.skipped);
    this.failedTasks.inc(summary.failedTasks.length);
  }
}

let shared: Metrics | undefined;
/** The process-wide metrics, with Node's default metrics; created on first use. */
export function processMetrics(): Metrics {
  shared ??= new Metrics({ defaultMetrics: true });
  return shared;
}

/**
 * The route label: the route pattern (`/api/articles/:id`), never the raw path, so a scan of random URLs cannot
 * create unbounded label values.
 */
export function routeLabel(req: Request, matched: string | undefined, status: number): string {
  if (matched) return matched;
  if (status === 429) return 'rate_limited';
  if (status === 404) return 'unmatched';
  return req.originalUrl.startsWith('/api') ? 'api' : 'static';
}

/** Times every request and counts it by route pattern and status. */
export function metricsMiddleware(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.once('finish', () => {
      const pattern = req.route ? `${(res.locals.mount as string | undefined) ?? ''}${String(req.route.path)}` : undefined;
      const labels = { method: req.method, route: routeLabel(req, pattern, res.statusCode), status: String(res.statusCode) };
      end(labels);
      metrics.httpRequests.inc(labels);
    });
    next();
  };
}

/** Put at the top of a mounted router: notes where it is mounted, which Express forgets once the router exits. */
export const noteMount: RequestHandler = (req, res, next) => {
  res.locals.mount = req.baseUrl;
  next();
};

/** Counts engine failures on their way to the error handler. */
export function engineErrorCounter(metrics: Metrics): ErrorRequestHandler {
  return (err, _req, _res, next) => {
    if (err instanceof EngineError) metrics.engineErrors.inc({ kind: err instanceof EngineUnavailableError ? 'unavailable' : 'request' });
    next(err);
  };
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
