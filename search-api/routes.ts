import { Router } from 'express';
import type { Engine } from '../services/meili/engine';
import { articleIdSchema, searchParamsSchema } from './search/params';
import type { SearchService } from './search/search-service';
import { fromZodError } from './errors';

/** Thin routes: parse with zod, call one use case, answer. Errors go to the central handler. */
export function apiRoutes(service: SearchService): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const parsed = searchParamsSchema.safeParse(req.query);
    if (!parsed.success) throw fromZodError(parsed.error);
    res.json(await service.search(parsed.data));
  });

  router.get('/articles/:id', async (req, res) => {
    const id = articleIdSchema.safeParse(req.params.id);
    if (!id.success) throw fromZodError(id.error);
    res.json(await service.article(id.data));
  });

  return router;
}

export function healthRoutes(engine: Engine): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const ok = await engine.isHealthy();
    if (ok) res.json({ status: 'ok' });
    else res.status(503).json({ status: 'unavailable', reason: 'search engine is not answering' });
  });
  return router;
}
