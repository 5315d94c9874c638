import { existsSync } from 'node:fs';
import express, { type Express } from 'express';
import helmet from 'helmet';
import cors from 'cors';
import { rateLimit } from 'express-rate-limit';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../services/logger';
import { WEB_DIST_DIR } from '../services/paths';
import type { Engine } from '../services/meili/engine';
import { isSharded } from '../services/meili/sharded-engine';
import { shardReadinessRoutes, watchNodeHealth } from './shard-readiness';
import { errorHandler, NotFoundError } from './errors';
import { engineErrorCounter, METRICS_CONTENT_TYPE, metricsMiddleware, noteMount, processMetrics, type Metrics } from './metrics';
import { apiRoutes, healthRoutes, type Lifecycle } from './routes';
import type { SearchService } from './search/search-service';

export interface AppOptions {
  service: SearchService;
  engine: Engine;
  /** The live index, for the readiness check. */
  indexUid: string;
  log: Logger;
  corsOrigins: readonly string[];
  rateLimitPerMinute: number;
  /** Folder of the built web page; not served when missing. */
  webDir?: string;
  /** Defaults to the process-wide metrics. */
  metrics?: Metrics;
  /** Set `draining` on shutdown so /readyz fails while in-flight requests finish. */
  lifecycle?: Lifecycle;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', 'loopback');
  const metrics = options.metrics ?? processMetrics();
  app.use(metricsMiddleware(metrics));

  app.use(
    pinoHttp({
      logger: options.log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(
    helmet({
      contentSecurityPolicy: {
        // No upgrade-insecure-requests: the service is reached over plain http on localhost and behind TLS proxies alike.
        directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"], upgradeInsecureRequests: null },
      },
    }),
  );
  app.use(cors({ origin: options.corsOrigins.length > 0 ? [...options.corsOrigins] : false }));
  app.use(express.json({ limit: '16kb' }));

  if (isSharded(options.engine)) {
    watchNodeHealth(options.engine, metrics, options.log);
    app.use(shardReadinessRoutes(options.engine, options.indexUid, options.lifecycle ?? { draining: false }));
  }
  app.use(healthRoutes(options.engine, options.indexUid, options.lifecycle ?? { draining: false }));
  app.get('/metrics', async (_req, res) => {
    res.type(METRICS_CONTENT_TYPE).send(await metrics.registry.metrics());
  });
  const api = express.Router();
  api.use(noteMount);
  if (options.rateLimitPerMinute > 0) {
    api.use(rateLimit({ windowMs: 60_000, limit: options.rateLimitPerMinute, standardHeaders: 'draft-8', legacyHeaders: false,
      handler: (_req, res) => res.status(429).json({ error: { code: 'rate_limited', message: 'Too many requests; slow down.' } }) }));
  }
  api.use(apiRoutes(options.service));
  api.use((_req, _res, next) => next(new NotFoundError('no such API endpoint')));
  app.use('/api', api);

  const webDir = options.webDir ?? WEB_DIST_DIR;
  if (existsSync(webDir)) app.use(express.static(webDir, { index: 'index.html', maxAge: '1h' }));

  app.use(engineErrorCounter(metrics));
  app.use(errorHandler(options.log));
  return app;
}
