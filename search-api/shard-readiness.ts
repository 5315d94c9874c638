import { Router } from 'express';
import type { Logger } from '../services/logger';
import type { ShardedEngine } from '../services/meili/sharded-engine';
import type { Metrics } from './metrics';
import type { Lifecycle } from './routes';

/**
 * `/readyz` of a sharded deployment: every node listed (name, url, healthy, searchable, documents). Not ready while any node is
 * missing, so a load balancer prefers replicas that see the whole archive; searches still answer meanwhile, marked
 * `partial`. A node the engine has left out because it stopped answering is reported from that memory at once, not
 * after a timeout (services/meili/node-health.ts). Mounted before the single-engine health routes, which it shadows
 * only in sharded mode.
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

/** Counts and logs the nodes the engine leaves out and takes back (for alerts: a node out for long needs a look). */
export function watchNodeHealth(engine: ShardedEngine, metrics: Metrics, log: Logger): () => void {
  for (const node of engine.nodeNames) metrics.nodeUp.set({ node }, engine.isNodeUp(node) ? 1 : 0);
  return engine.onNodeChange((event) => {
    if (event.kind === 'excluded') {
      metrics.nodeExclusions.inc({ node: event.node });
      metrics.nodeUp.set({ node: event.node }, 0);
      log.warn({ node: event.node, reason: event.reason }, 'engine node left out of searches: it does not answer');
    } else {
      metrics.nodeRecoveries.inc({ node: event.node });
      metrics.nodeUp.set({ node: event.node }, 1);
      log.info({ node: event.node, downMs: event.downMs }, 'engine node answers again: searches include it');
    }
  });
}
