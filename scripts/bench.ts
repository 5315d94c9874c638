import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../services/paths';
import { parseBenchArgs, type BenchOptions } from './bench/args';
import { findCorpus, writeCorpus, type CorpusSource } from './bench/corpus';
import { ENGINE_SETUPS, type StartedEngine } from './bench/engine-setup';
import { adminEngine, directIngest, indexerIngest, prebuildDocuments, segmentationThroughput } from './bench/indexing';
import { apiPath, collectPool, generateQueries, recordEngineCalls, RecordingEngine } from './bench/queries';
import { freePort } from '../services/meili/embedded';
import { readCpuMs, startService } from './bench/proc';
import { load, type LoadTarget } from './bench/search';
import { checkGoals, renderMarkdown, type BenchResults, type IndexingRow, type SearchSection } from './bench/report';
import type { Engine } from '../services/meili/engine';

/**
 * `npm run bench`: the service against the bare engine, side by side in one run (on a shared machine only ratios
 * hold). Indexing: the indexer process vs the same documents posted straight to the engine, at 1x/4x/16x. Search:
 * autocannon on /api/search vs the identical multi-search requests sent to the engine. Writes bench-results/.
 */

const MB = 1024 * 1024;
const SEARCH_INDEX = 'bench_search';

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function distCommand(entry: string): string[] {
  return [process.execPath, path.join(PROJECT_ROOT, 'dist', entry)];
}

async function runIndexing(opts: BenchOptions, engine: StartedEngine, admin: Engine, source: CorpusSource, tmp: string, results: BenchResults): Promise<string> {
  let searchCorpus = '';
  for (const multiple of opts.multiples) {
    try {
      searchCorpus = (await indexOneSize(opts, engine, admin, source, tmp, results, multiple)) || searchCorpus;
    } catch (err) {
      // One size failing (an engine timeout at 16x, say) must not throw away the other sizes and the search figures.
      const message = err instanceof Error ? err.message : String(err);
      log(`${multiple}x FAILED: ${message}`);
      results.failures.push(`indexing ${multiple}x: ${message.slice(0, 500)}`);
    }
  }
  return searchCorpus;
}

async function indexOneSize(opts: BenchOptions, engine: StartedEngine, admin: Engine, source: CorpusSource, tmp: string, results: BenchResults, multiple: number): Promise<string> {
  let searchCorpus = '';
  {
    const size = opts.base * multiple;
    const corpusFile = path.join(tmp, `corpus-${multiple}x.jsonl`);
    const docsFile = path.join(tmp, `docs-${multiple}x.ndjson`);
    log(`${multiple}x: writing ${size} articles`);
    const corpus = await writeCorpus(source, size, corpusFile);
    await prebuildDocuments(corpusFile, docsFile);
    if (multiple === opts.multiples[0]) {
      log(`${multiple}x: jieba segmentation alone`);
      results.segmentation = await segmentationThroughput(corpusFile);
    }
    const uid = multiple === opts.multiples[0] ? SEARCH_INDEX : `bench_indexer_${multiple}x`;
    // The engine's own CPU time per side: wall times swing with the machine's load, the engine's work for the same
    // documents should not, so this shows whether the indexer makes the engine work harder.
    const engineCpu = () => engine.pids.reduce((sum, pid) => sum + (readCpuMs(pid) ?? NaN), 0);
    const runDirect = async () => {
      log(`${multiple}x: direct ingest`);
      const cpu0 = engineCpu();
      const run = { ...(await directIngest(admin, `bench_direct_${multiple}x`, docsFile, corpus.bytes, corpus.articles, opts.batch)), engineCpuMs: 0 };
      run.engineCpuMs = engineCpu() - cpu0;
      await admin.deleteIndexIfExists(`bench_direct_${multiple}x`);
      log(`${multiple}x: direct ${run.articlesPerSec.toFixed(0)} art/s`);
      return run;
    };
    const runIndexer = async () => {
      log(`${multiple}x: indexer`);
      const cpu0 = engineCpu();
      const run = { ...(await indexerIngest(engine, admin, uid, corpusFile, corpus.bytes, corpus.articles, opts.batch, distCommand('indexer/cli.js'))), engineCpuMs: 0 };
      run.engineCpuMs = engineCpu() - cpu0;
      log(`${multiple}x: indexer ${run.articlesPerSec.toFixed(0)} art/s, peak RSS ${(run.peakRssBytes / MB).toFixed(0)} MB, CPU ${(run.cpuMs / 1000).toFixed(1)} s (${run.stdout})`);
      return run;
    };
    // Which side goes first alternates with the size, so a drift in the machine's load does not always favour one.
    const directFirst = opts.multiples.indexOf(multiple) % 2 === 0;
    let direct: Awaited<ReturnType<typeof runDirect>>;
    let indexer: Awaited<ReturnType<typeof runIndexer>>;
    if (directFirst) {
      direct = await runDirect();
      indexer = await runIndexer();
    } else {
      indexer = await runIndexer();
      direct = await runDirect();
    }
    if (indexer.docs !== direct.docs) throw new Error(`indexer left ${indexer.docs} documents, direct ingest ${direct.docs}: not the same work`);
    const row: IndexingRow = { multiple, articles: corpus.articles, mb: corpus.bytes / MB, direct, indexer };
    results.indexing.push(row);
    rmSync(docsFile, { force: true });
    if (uid === SEARCH_INDEX) searchCorpus = corpusFile;
    else {
      await admin.deleteIndexIfExists(uid);
      rmSync(corpusFile, { force: true });
    }
  }
  return searchCorpus;
}

async function runSearch(opts: BenchOptions, engine: StartedEngine, admin: Engine, corpusFile: string, tmp: string): Promise<SearchSection> {
  const pool = await collectPool(corpusFile);
  const queries = generateQueries(pool, opts.queries, opts.seed);
  const port = await freePort();
  const api = await startService(
    process.execPath,
    [
      ...(opts.profileApi ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profileApi)}`] : []),
      // BENCH_API_ENTRY: another build of the API (e.g. the commit before an optimisation) for before/after runs.
      process.env.BENCH_API_ENTRY ?? path.join(PROJECT_ROOT, 'dist', 'scripts', 'start.js'),
    ],
    {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      MEILI_URL: engine.url,
      MEILI_MASTER_KEY: engine.masterKey,
      MEILI_INDEX: SEARCH_INDEX,
      INDEX_ON_START: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info',
    },
    path.join(tmp, 'api.log'),
    /search API and web page ready/,
  );
  try {
    // The engine side replays exactly what the API sent for each query (recorded once, live, before any clock).
    const recorder = new RecordingEngine({ url: engine.url, apiKey: engine.masterKey, timeoutMs: 30_000 });
    const calls = (await recordEngineCalls(recorder, SEARCH_INDEX, queries)).flat();
    const engineTarget: LoadTarget = {
      target: 'engine',
      url: engine.url,
      pids: engine.pids,
      sampleRss: false,
      requests: calls.map((call) => ({
        method: 'POST',
        path: '/multi-search',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${engine.masterKey}` },
        body: JSON.stringify(call),
      })),
    };
    const apiTarget: LoadTarget = {
      target: 'api',
      url: `http://127.0.0.1:${port}`,
      pids: [api.pid],
      sampleRss: true,
      requests: queries.map((q) => ({ method: 'GET', path: apiPath(q) })),
    };
    log('search: warm-up');
    await load(engineTarget, 8, Math.min(5, opts.durationSec));
    await load(apiTarget, 8, Math.min(5, opts.durationSec));
    const runs: SearchSection['runs'] = [];
    for (const c of opts.concurrency) {
      const e = await load(engineTarget, c, opts.durationSec);
      const a = await load(apiTarget, c, opts.durationSec);
      log(`search c=${c}: engine ${e.rps.toFixed(0)} req/s p50 ${e.p50.toFixed(1)} p99 ${e.p99.toFixed(1)}; API ${a.rps.toFixed(0)} req/s p50 ${a.p50.toFixed(1)} p99 ${a.p99.toFixed(1)}; errors ${a.errors + a.non2xx}/${e.errors + e.non2xx}`);
      runs.push({ concurrency: c, engine: e, api: a });
    }
    const kinds: Record<string, number> = {};
    for (const q of queries) kinds[q.kind] = (kinds[q.kind] ?? 0) + 1;
    return {
      articles: await admin.countDocuments(SEARCH_INDEX),
      queries: { count: queries.length, seed: opts.seed, kinds, filtered: queries.filter((q) => q.filtered).length, engineRequests: calls.length },
      durationSec: opts.durationSec,
      runs,
    };
  } finally {
    await api.stop();
  }
}

async function main(): Promise<void> {
  const opts = parseBenchArgs(process.argv.slice(2));
  if (opts.render) {
    const earlier = JSON.parse(readFileSync(opts.render, 'utf8')) as BenchResults;
    process.stdout.write(`${renderMarkdown({ ...earlier, failures: earlier.failures ?? [] })}\n`);
    return;
  }
  const setupFactory = ENGINE_SETUPS[opts.engine];
  if (!setupFactory) throw new Error(`unknown --engine ${opts.engine}; known: ${Object.keys(ENGINE_SETUPS).join(', ')}`);
  log('building dist/ (the indexer and the API run compiled, as in production)');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'inherit' });

  const setup = setupFactory(path.join(PROJECT_ROOT, '.data', 'bench'));
  const source = await findCorpus(path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus'), path.join(PROJECT_ROOT, 'data', 'sample', 'sco-summit-2025.txt'));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'news-bench-'));
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: { cores: os.cpus().length, cpu: os.cpus()[0]?.model.trim() ?? 'unknown', node: process.versions.node, loadBefore: os.loadavg(), loadAfter: [] },
    engineSetup: setup.name,
    corpus: { source: source.label, base: opts.base, batchSize: opts.batch },
    segmentation: null,
    indexing: [],
    search: null,
    failures: [],
  };
  log(`corpus: ${source.label}; engine: ${setup.name}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const engine = await setup.start();
  const stop = async () => {
    await engine.stop().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    const admin = adminEngine(engine);
    let searchCorpus = '';
    if (!opts.skipIndexing) searchCorpus = await runIndexing(opts, engine, admin, source, tmp, results);
    if (!opts.skipSearch) {
      if (!searchCorpus || !existsSync(searchCorpus)) {
        // Search alone still needs the 1x index: built by the indexer, not timed.
        searchCorpus = path.join(tmp, 'corpus-1x.jsonl');
        await writeCorpus(source, opts.base, searchCorpus);
        const existing = (await admin.indexExists(SEARCH_INDEX)) ? await admin.countDocuments(SEARCH_INDEX) : 0;
        if (existing !== opts.base) {
          log(`search: indexing the ${opts.base} articles at 1x (not timed)`);
          await indexerIngest(engine, admin, SEARCH_INDEX, searchCorpus, 0, opts.base, opts.batch, distCommand('indexer/cli.js'));
        }
      }
      results.search = await runSearch(opts, engine, admin, searchCorpus, tmp);
    }
  } finally {
    await stop();
  }
  results.machine.loadAfter = os.loadavg();
  results.finishedAt = new Date().toISOString();

  const markdown = renderMarkdown(results);
  const outDir = path.resolve(PROJECT_ROOT, opts.out);
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
  const stamp = results.finishedAt.replace(/[:.]/g, '-').slice(0, 19);
  const json = JSON.stringify({ ...results, goals: checkGoals(results) }, null, 2);
  for (const name of [`bench-${stamp}`, 'latest']) {
    writeFileSync(path.join(outDir, `${name}.json`), `${json}\n`);
    writeFileSync(path.join(outDir, `${name}.md`), `${markdown}\n`);
  }
  process.stdout.write(`${markdown}\nResults: ${path.relative(PROJECT_ROOT, path.join(outDir, `bench-${stamp}.json`))} (and latest.json/.md)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
