import { Router } from 'express';
import type { ShardedEngine } from '../services/meili/sharded-engine';
import type { Lifecycle } from './routes';

/**
 * `/readyz` of a sharded deployment: every node listed (name, url, healthy, searchable, documents). Not ready while any node is
 * missing, so a load balancer prefers replicas that see the whole archive; searches still answer meanwhile, marked
 * `partial`. Mounted before the single-engine health routes, which it shadows only in sharded mode.
 */
export function shardReadinessRoutes(engine: ShardedEngine, indexUid: string, lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/readyz', async (_req, res) => {
    const nodes = await engine.nodeStatus(indexUid);
    if (lifecycle.draining) {
      res.status(503).json({ status: 'not_ready', reason: 'draining', message: 'the server is shutting down', nodes });
      return;
    }
    const missing = nodes.filter((n) => !n.healthy).map((n) => n.name);
    // An index missing on a healthy node is as bad as the node being away.
    const noIndex = nodes.filter((n) => n.healthy && !n.searchable).map((n) => n.name);
    if (missing.length === 0 && noIndex.length === 0) {
      res.json({ status: 'ready', nodes });
      return;
    }
    const reason = missing.length > 0 ? 'nodes_unavailable' : 'index_missing';
    res.status(503).json({ status: 'not_ready', reason, missingNodes: [...missing, ...noIndex], nodes });
  });
  return router;
}
