import path from 'node:path';
import { z } from 'zod';
import { NodeEngine } from '../../services/meili/node-engine';
import { indexerCommand, startApi } from './api';
import { adminEngineFor, type EngineSetup, type StartedEngine } from './engine-setup';
import { indexerIngest } from './indexing';
import { readCpuMs } from './proc';
import type { BenchQuery } from './queries';
import { apiPath } from './queries';
import { load, type LoadRun } from './search';
import type { SearchPlan } from './load';

/**
 * The sharded section of `npm run bench`: one embedded engine against a sharded network of N embedded engines, on the
 * same 1x corpus and the same query mix in the same run. Indexing through the indexer process (settings on every
 * node, documents sharded by the engine, every node's tasks awaited), then /api/search at each concurrency through
 * the API process, which finds the network through MEILI_NETWORK as in a deployment.
 */

export interface ShardColumn {
  /** "1 node", "3 nodes". */
  setup: string;
  nodes: number;
  documentsPerNode: number[];
  indexing: { ms: number; articlesPerSec: number; mbPerSec: number; peakRssBytes: number; engineCpuMs: number };
  runs: LoadRun[];
  /** Whether the probe search came back partial (a node missing): the figures would then not be comparable. */
  partial: boolean;
}

export interface ShardSection {
  articles: number;
  queries: number;
  durationSec: number;
  columns: ShardColumn[];
}

export interface ShardRunOptions {
  setups: readonly EngineSetup[];
  indexUid: string;
  corpusFile: string;
  corpusBytes: number;
  articles: number;
  batch: number;
  queries: readonly BenchQuery[];
  concurrency: readonly number[];
  durationSec: number;
  tmp: string;
  log: (msg: string) => void;
}

const probeSchema = z.object({ partial: z.boolean(), missingNodes: z.array(z.string()) });

async function documentsPerNode(engine: StartedEngine, indexUid: string): Promise<number[]> {
  const nodes = engine.nodes ?? [{ name: 'node', url: engine.url }];
  return Promise.all(nodes.map((n) => new NodeEngine({ url: n.url, apiKey: engine.masterKey, timeoutMs: 30_000 }).countDocuments(indexUid)));
}

async function measureColumn(setup: EngineSetup, o: ShardRunOptions): Promise<ShardColumn> {
  o.log(`shards ${setup.name}: starting`);
  const engine = await setup.start();
  try {
    const admin = adminEngineFor(engine);
    const engineCpu = () => engine.pids.reduce((sum, pid) => sum + (readCpuMs(pid) ?? NaN), 0);
    o.log(`shards ${setup.name}: indexing ${o.articles} articles`);
    const cpu0 = engineCpu();
    const run = await indexerIngest(engine, admin, o.indexUid, o.corpusFile, o.corpusBytes, o.articles, o.batch, indexerCommand());
    const engineCpuMs = engineCpu() - cpu0;
    const documents = await documentsPerNode(engine, o.indexUid);
    o.log(`shards ${setup.name}: ${run.articlesPerSec.toFixed(0)} art/s, documents per node ${documents.join('/')}`);

    const api = await startApi(engine, o.indexUid, path.join(o.tmp, `api-${engine.pids.length}-nodes.log`));
    try {
      const first = o.queries[0];
      const probe = probeSchema.parse(await (await fetch(`${api.url}${first ? apiPath(first) : '/api/search'}`)).json());
      if (probe.partial) o.log(`shards ${setup.name}: WARNING the probe search was partial, missing ${probe.missingNodes.join(', ')}`);
      const target = {
        target: 'api' as const,
        url: api.url,
        pids: [api.pid],
        sampleRss: true,
        plans: o.queries.map((q): SearchPlan => [[{ method: 'GET', path: apiPath(q) }]]),
      };
      await load(target, 8, Math.min(3, o.durationSec));
      const runs: LoadRun[] = [];
      for (const c of o.concurrency) {
        const r = await load(target, c, o.durationSec);
        o.log(`shards ${setup.name} c=${c}: ${r.rps.toFixed(0)} searches/s p50 ${r.p50.toFixed(1)} p99 ${r.p99.toFixed(1)} errors ${r.errors + r.non2xx}`);
        runs.push(r);
      }
      return {
        setup: setup.name,
        nodes: engine.nodes?.length ?? 1,
        documentsPerNode: documents,
        indexing: { ms: run.ms, articlesPerSec: run.articlesPerSec, mbPerSec: run.mbPerSec, peakRssBytes: run.peakRssBytes, engineCpuMs },
        runs,
        partial: probe.partial,
      };
    } finally {
      await api.stop();
    }
  } finally {
    await engine.stop();
  }
}

/** Every setup in turn, each started fresh and stopped before the next (they would otherwise share the cores). */
export async function runShards(o: ShardRunOptions): Promise<ShardSection> {
  const columns: ShardColumn[] = [];
  for (const setup of o.setups) columns.push(await measureColumn(setup, o));
  const totals = new Set(columns.map((c) => c.documentsPerNode.reduce((a, b) => a + b, 0)));
  if (totals.size > 1) throw new Error(`the setups hold different document counts (${columns.map((c) => `${c.setup}: ${c.documentsPerNode.join('+')}`).join('; ')}): not the same corpus`);
  return { articles: o.articles, queries: o.queries.length, durationSec: o.durationSec, columns };
}

export const SHARD_CORES_NOTE = (cores: number) =>
  `All nodes run on this one ${cores}-core machine: the nodes of the network compete for the same cores (and with the API and the load generator), so this measures the cost of the network (fan-out, merging), not the gain of spreading the archive over machines.`;
