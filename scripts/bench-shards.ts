import { createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { z } from 'zod';
import { indexFiles } from '../indexer';
import { createSearchApi } from '../search-api';
import { startServer } from '../search-api/server';
import { loadConfig } from '../services/config';
import { silentLogger } from '../services/logger';
import { openEngine } from '../services/meili/topology';
import { PROJECT_ROOT } from '../services/paths';
import { writeSyntheticCorpus } from './synthetic-corpus';
import { consecutiveFreePorts } from '../services/meili/embedded';

/**
 * `npx tsx scripts/bench-shards.ts [--articles N] [--duration S] [--connections C] [--shards 1,3]`: one embedded engine
 * against a sharded network of N embedded engines (MEILI_SHARDS, the topology `npm start` uses), same corpus, same run:
 * indexing throughput through the indexer, then search latency and throughput through the API (autocannon over a
 * fixed query mix). Standalone until the project benchmark (scripts/bench.ts) takes pluggable engine setups.
 * All nodes run on this machine: with 2 cores, three nodes compete for the same cores.
 */

const argsSchema = z.object({
  articles: z.coerce.number().int().min(100).default(10_000),
  duration: z.coerce.number().positive().default(15),
  connections: z.coerce.number().int().positive().default(8),
  shards: z
    .string()
    .default('1,3')
    .transform((s) => s.split(',').map(Number))
    .pipe(z.array(z.number().int().min(1).max(8)).min(1)),
  out: z.string().default('bench-results'),
});

function parseArgs(argv: readonly string[]): z.infer<typeof argsSchema> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (!m?.[1]) throw new Error(`unexpected argument ${argv[i]}`);
    raw[m[1]] = m[2] ?? argv[++i] ?? '';
  }
  return argsSchema.parse(raw);
}

const log = (msg: string) => process.stderr.write(`[bench-shards ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The shared real corpus (first lines of each file, in proportion) when present, else a generated one. */
async function writeCorpus(file: string, articles: number): Promise<string> {
  const dir = path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => path.join(dir, f)) : [];
  if (files.length === 0) {
    writeSyntheticCorpus(file, { count: articles, seed: 3 });
    return `generated (${articles} articles)`;
  }
  const per = Math.ceil(articles / files.length);
  const lines: string[] = [];
  for (const f of files) {
    let n = 0;
    for await (const line of createInterface({ input: createReadStream(f), crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (++n >= per) break;
    }
  }
  writeFileSync(file, `${lines.slice(0, articles).join('\n')}\n`);
  return `shared corpus, first ${per} lines of ${files.map((f) => path.basename(f)).join(', ')}`;
}

/** A fixed mix: Chinese, English, cross-language, filtered, sorted, empty (browse). */
const QUERY_MIX = [
  '?q=%E4%B8%8A%E6%B5%B7%E5%90%88%E4%BD%9C%E7%BB%84%E7%BB%87', // 上海合作组织
  '?q=%E7%BB%8F%E6%B5%8E', // 经济
  '?q=%E4%B8%80%E5%B8%A6%E4%B8%80%E8%B7%AF&sort=newest', // 一带一路
  '?q=trade',
  '?q=Shanghai+Cooperation+Organization',
  '?q=climate+change&lang=en',
  '?q=SCO',
  '?q=%E5%8F%91%E5%B1%95&outlet=xinhua&outlet=cctv', // 发展
  '?q=economy&from=2025-01-01&to=2025-12-31',
  '?limit=20',
  '?q=%E7%A7%91%E6%8A%80%E5%88%9B%E6%96%B0&page=2', // 科技创新
  '?q=Tianjin+summit&collapse=false',
];



/** Bytes under a folder (the engine's LMDB files are sparse-free, so this is what the disk holds). */
function folderBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return total;
}

interface Row {
  nodes: number;
  documents: number[];
  /** Engine data on disk per node, MB. */
  diskMb: number[];
  indexSeconds: number;
  articlesPerSec: number;
  failedTasks: number;
  p50: number;
  p99: number;
  /** One connection: the latency of a search on an otherwise idle service. */
  p50Single: number;
  p99Single: number;
  reqPerSec: number;
  errors: number;
  partial: boolean;
}

async function measure(shards: number, corpusFile: string, opts: z.infer<typeof argsSchema>, tmp: string): Promise<Row> {
  const dataDir = path.join(tmp, `meili-${shards}`);
  const config = loadConfig({
    MEILI_SHARDS: String(shards),
    MEILI_PORT: String(await consecutiveFreePorts(shards)),
    MEILI_DATA_DIR: dataDir,
    MEILI_MASTER_KEY: 'bench-shards-master-key-0123456789',
    MEILI_TIMEOUT_MS: '60000',
    RATE_LIMIT_PER_MINUTE: '0',
  });
  const handle = await openEngine(config, silentLogger);
  try {
    log(`${shards} node(s): indexing`);
    const started = performance.now();
    const summary = await indexFiles({ engine: handle.admin, indexUid: config.MEILI_INDEX, files: [corpusFile], batchSize: config.INDEX_BATCH_SIZE, log: silentLogger });
    const indexSeconds = (performance.now() - started) / 1000;
    const documents = await Promise.all(
      (handle.nodes ?? [{ name: 'node', url: handle.url }]).map(async (n) => {
        const res = await fetch(`${n.url}/indexes/${config.MEILI_INDEX}/stats`, { headers: { authorization: `Bearer ${handle.adminKey ?? ''}` } });
        return z.object({ numberOfDocuments: z.number() }).parse(await res.json()).numberOfDocuments;
      }),
    );
    const dirs = shards > 1 ? Array.from({ length: shards }, (_, i) => path.join(dataDir, `node-${i}`)) : [dataDir];
    const diskMb = dirs.map((d) => folderBytes(path.join(d, 'data.ms')) / 1024 / 1024);
    log(`${shards} node(s): ${summary.indexed} articles in ${indexSeconds.toFixed(1)} s, per node ${documents.join('/')}; searching`);

    const server = await startServer(createSearchApi({ engine: handle.admin, indexUid: config.MEILI_INDEX, log: silentLogger }), 0, '127.0.0.1');
    try {
      const probe = await (await fetch(`${server.url}/api/search${QUERY_MIX[0]}`)).json();
      const partial = z.object({ partial: z.boolean() }).parse(probe).partial;
      // Warm-up, then the measured run.
      await autocannon({ url: `${server.url}/api/search`, connections: opts.connections, duration: 2, requests: QUERY_MIX.map((q) => ({ method: 'GET', path: `/api/search${q}` })) });
      const requests = QUERY_MIX.map((q) => ({ method: 'GET' as const, path: `/api/search${q}` }));
      const single = await autocannon({ url: `${server.url}/api/search`, connections: 1, duration: opts.duration, requests });
      const result = await autocannon({
        url: `${server.url}/api/search`,
        connections: opts.connections,
        duration: opts.duration,
        requests: QUERY_MIX.map((q) => ({ method: 'GET', path: `/api/search${q}` })),
      });
      return {
        nodes: shards,
        documents,
        diskMb,
        indexSeconds,
        articlesPerSec: summary.indexed / indexSeconds,
        failedTasks: summary.failedTasks.length,
        p50: result.latency.p50,
        p50Single: single.latency.p50,
        p99Single: single.latency.p99,
        p99: result.latency.p99,
        reqPerSec: result.requests.average,
        errors: result.errors + result.non2xx,
        partial,
      };
    } finally {
      await server.close(1_000);
    }
  } finally {
    await handle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function render(rows: readonly Row[], corpus: string, opts: z.infer<typeof argsSchema>): string {
  const cpus = os.cpus().length;
  const head = rows.map((r) => `${r.nodes} node${r.nodes > 1 ? 's' : ''}`);
  const line = (label: string, f: (r: Row) => string) => `| ${label} | ${rows.map(f).join(' | ')} |`;
  return [
    `Sharding benchmark, ${new Date().toISOString().slice(0, 16)}Z, ${cpus} cores (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end), Meilisearch 1.21.0 embedded, corpus: ${corpus}.`,
    `Search: autocannon, ${opts.connections} connections, ${opts.duration} s, ${QUERY_MIX.length}-query mix through /api/search (collapse on by default).`,
    '',
    `| | ${head.join(' | ')} |`,
    `|---|${rows.map(() => '---:').join('|')}|`,
    line('documents per node', (r) => r.documents.join(' / ')),
    line('engine data on disk per node', (r) => r.diskMb.map((m) => `${m.toFixed(0)} MB`).join(' / ')),
    line('indexing (indexer, wall)', (r) => `${r.indexSeconds.toFixed(1)} s`),
    line('indexing throughput', (r) => `${r.articlesPerSec.toFixed(0)} art/s`),
    line('failed engine tasks', (r) => String(r.failedTasks)),
    line('search p50 / p99, 1 connection', (r) => `${r.p50Single} / ${r.p99Single} ms`),
    line(`search p50 / p99, ${opts.connections} connections`, (r) => `${r.p50} / ${r.p99} ms`),
    line(`search throughput, ${opts.connections} connections`, (r) => `${r.reqPerSec.toFixed(0)} req/s`),
    line('errors / partial answers', (r) => `${r.errors} / ${r.partial ? 'yes' : 'no'}`),
    '',
    `All nodes run on this one ${cpus}-core machine: three nodes compete for the same cores, so this measures the cost`,
    'of the network (fan-out, merging, the collapse probe), not the gain of spreading the archive over machines.',
  ].join('\n');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-shards-'));
  try {
    const corpusFile = path.join(tmp, 'corpus.jsonl');
    const corpus = await writeCorpus(corpusFile, opts.articles);
    log(`corpus: ${corpus}`);
    const rows: Row[] = [];
    for (const n of opts.shards) rows.push(await measure(n, corpusFile, opts, tmp));
    const md = render(rows, corpus, opts);
    mkdirSync(opts.out, { recursive: true });
    const file = path.join(opts.out, `shards-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.md`);
    writeFileSync(file, `${md}\n`);
    process.stdout.write(`${md}\n\nwritten to ${file}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
