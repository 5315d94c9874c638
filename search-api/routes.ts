import { Router } from 'express';
import type { Engine } from '../services/meili/engine';
import { articleIdSchema, facetNameSchema, facetValueParamsSchema, searchParamsSchema } from './search/params';
import type { SearchService } from './search/search-service';
import { BadRequestError, fromZodError } from './errors';
import { EngineRequestError, EngineUnavailableError } from '../services/meili/errors';

/** Thin routes: parse with zod, call one use case, answer. Errors go to the central handler. */
export function apiRoutes(service: SearchService): Router {
  const router = Router();

  router.get('/search', async (req, res) => {
    const parsed = searchParamsSchema.safeParse(req.query);
    if (!parsed.success) throw fromZodError(parsed.error);
    res.json(await service.search(parsed.data));
  });

  router.get('/facets/:facet', async (req, res) => {
    const facet = facetNameSchema.safeParse(req.params.facet);
    // The path segment has no zod path of its own: name it, so the 400 says which parameter is wrong.
    if (!facet.success) throw new BadRequestError(`facet: ${facet.error.issues[0]?.message ?? 'unknown facet'}`, 'facet');
    const parsed = facetValueParamsSchema.safeParse(req.query);
    if (!parsed.success) throw fromZodError(parsed.error);
    res.json(await service.searchFacetValues(facet.data, parsed.data));
  });

  router.get('/articles/:id', async (req, res) => {
    const id = articleIdSchema.safeParse(req.params.id);
    if (!id.success) throw fromZodError(id.error);
    res.json(await service.article(id.data));
  });

  return router;
}

/** Shared with the server's shutdown: while draining, readiness fails so load balancers stop sending traffic. */
export interface Lifecycle {
  draining: boolean;
}

export type Readiness =
  | { ready: true }
  | { ready: false; reason: 'draining' | 'engine_unavailable' | 'index_missing' | 'engine_error'; message: string };

/** Ready = not shutting down, the engine answers, and the index exists and can be searched with the API's key. */
export async function checkReadiness(engine: Engine, indexUid: string, lifecycle: Lifecycle): Promise<Readiness> {
  if (lifecycle.draining) return { ready: false, reason: 'draining', message: 'the server is shutting down' };
  try {
    // A search rather than an index lookup: the API's search-only key may not read index metadata.
    await engine.search(indexUid, '', { limit: 0 });
    return { ready: true };
  } catch (err) {
    if (err instanceof EngineRequestError && err.code === 'index_not_found') {
      return { ready: false, reason: 'index_missing', message: `index ${indexUid} does not exist yet` };
    }
    if (err instanceof EngineUnavailableError) return { ready: false, reason: 'engine_unavailable', message: 'search engine is not answering' };
    return { ready: false, reason: 'engine_error', message: 'search engine refused the readiness search' };
  }
}

/** How long /healthz waits for the engine's own health answer before reporting it unavailable. */
export const LIVENESS_ENGINE_PROBE_MS = 500;

/**
 * `/healthz` is liveness: 200 while the process can answer at all (restarting it would not bring the engine back);
 * the engine's state is reported beside it, labelled as such. `/readyz` is readiness: 503 unless searches can succeed.
 */
export function healthRoutes(engine: Engine, indexUid: string, lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    // Bounded well below a probe's usual timeout: a hanging engine must not make the API look dead.
    const engineUp = await Promise.race([engine.isHealthy(), new Promise<boolean>((r) => setTimeout(r, LIVENESS_ENGINE_PROBE_MS, false).unref())]);
    res.json({ status: 'ok', check: 'liveness', engine: engineUp ? 'available' : 'unavailable' });
  });
  router.get('/readyz', async (_req, res) => {
    const r = await checkReadiness(engine, indexUid, lifecycle);
    if (r.ready) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'not_ready', reason: r.reason, message: r.message });
  });
  return router;
}
