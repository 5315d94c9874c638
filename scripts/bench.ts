import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../services/paths';
import { parseBenchArgs, type BenchOptions } from './bench/args';
import { findCorpus, writeCorpus, type CorpusSource } from './bench/corpus';
import { indexerCommand, startApi } from './bench/api';
import { ENGINE_SETUPS, shardedEmbeddedEngines, singleEmbeddedEngine, type StartedEngine } from './bench/engine-setup';
import { adminEngine, directIngest, fileBytes, indexerIngest, mean, pooledRuns, prebuildDocuments, segmentationThroughput } from './bench/indexing';
import { apiPath, collectPool, generateQueries, plainSearchBody, recordEngineCalls, RecordingEngine, type BenchQuery } from './bench/queries';
import { readCpuMs } from './bench/proc';
import { load, type LoadTarget } from './bench/search';
import { runShards, SHARD_CORES_NOTE } from './bench/shards';
import { checkGoals, renderMarkdown, type BenchResults, type IndexingRow, type SearchSection } from './bench/report';
import type { Engine } from '../services/meili/engine';

/**
 * `npm run bench`: the service against the bare engine, side by side in one run (on a shared machine only ratios
 * hold). Indexing: the indexer process vs the same documents posted straight to the engine, at 1x/4x/16x. Search: one
 * closed-loop runner (scripts/bench/load.ts) on /api/search and on the engine requests the API makes for the same
 * searches, per search on both sides. Sharding: 1 node against a network of N nodes on the 1x corpus, indexing and
 * search through the service. Writes bench-results/.
 */

const MB = 1024 * 1024;
const SEARCH_INDEX = 'bench_search';

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
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
      const run = { ...(await indexerIngest(engine, admin, uid, corpusFile, corpus.bytes, corpus.articles, opts.batch, indexerCommand())), engineCpuMs: 0 };
      run.engineCpuMs = engineCpu() - cpu0;
      log(`${multiple}x: indexer ${run.articlesPerSec.toFixed(0)} art/s, peak RSS ${(run.peakRssBytes / MB).toFixed(0)} MB, CPU ${(run.cpuMs / 1000).toFixed(1)} s (${run.stdout})`);
      return run;
    };
    // Which side goes first alternates with the size, so a drift in the machine's load does not always favour one.
    // Sizes below the largest run the pair again in the other order (ABBA): a 20-second run swings by 10-20% with the
    // machine's load and with how the engine happens to batch the queued tasks, and one pair showed it both ways.
    const directFirst = opts.multiples.indexOf(multiple) % 2 === 0;
    const rounds = multiple === Math.max(...opts.multiples) ? 1 : opts.indexingRounds;
    const directRuns: Array<Awaited<ReturnType<typeof runDirect>>> = [];
    const indexerRuns: Array<Awaited<ReturnType<typeof runIndexer>>> = [];
    for (let round = 0; round < rounds; round++) {
      if (directFirst === (round % 2 === 0)) {
        directRuns.push(await runDirect());
        indexerRuns.push(await runIndexer());
      } else {
        indexerRuns.push(await runIndexer());
        directRuns.push(await runDirect());
      }
    }
    const direct = { ...pooledRuns(directRuns, corpus.bytes), runs: directRuns.map((r) => r.articlesPerSec) };
    const indexer = {
      ...pooledRuns(indexerRuns, corpus.bytes),
      peakRssBytes: Math.max(...indexerRuns.map((r) => r.peakRssBytes)),
      cpuMs: mean(indexerRuns.map((r) => r.cpuMs)),
      stdout: indexerRuns.map((r) => r.stdout).join(' / '),
      runs: indexerRuns.map((r) => r.articlesPerSec),
    };
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

/** The fixed query mix, drawn from the 1x corpus (both search sections send the same one). */
async function queryMix(opts: BenchOptions, corpusFile: string): Promise<BenchQuery[]> {
  return generateQueries(await collectPool(corpusFile), opts.queries, opts.seed);
}

async function runSearch(opts: BenchOptions, engine: StartedEngine, admin: Engine, queries: readonly BenchQuery[], tmp: string): Promise<SearchSection> {
  const api = await startApi(engine, SEARCH_INDEX, path.join(tmp, 'api.log'), { profileDir: opts.profileApi });
  try {
    // The engine side replays exactly what the API sent for each query (recorded once, live, before any clock), in
    // the API's stages: parallel requests together, a follow-up after the answer it needs.
    const recorder = new RecordingEngine({ url: engine.url, apiKey: engine.masterKey, timeoutMs: 30_000 });
    const recorded = await recordEngineCalls(recorder, SEARCH_INDEX, queries);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${engine.masterKey}` };
    const engineTarget: LoadTarget = {
      target: 'engine',
      url: engine.url,
      pids: engine.pids,
      sampleRss: false,
      plans: recorded.map((stages) => stages.map((stage) => stage.map((call) => ({ method: 'POST' as const, path: '/multi-search', headers, body: JSON.stringify(call) })))),
    };
    // What a user of the bare engine would send instead of the service: one plain search per query.
    const plainTarget: LoadTarget = {
      target: 'plain',
      url: engine.url,
      pids: engine.pids,
      sampleRss: false,
      plans: queries.map((q) => [[{ method: 'POST' as const, path: `/indexes/${SEARCH_INDEX}/search`, headers, body: JSON.stringify(plainSearchBody(q)) }]]),
    };
    const apiTarget: LoadTarget = {
      target: 'api',
      url: api.url,
      pids: [api.pid],
      sampleRss: true,
      plans: queries.map((q) => [[{ method: 'GET' as const, path: apiPath(q) }]]),
    };
    log('search: warm-up');
    await load(engineTarget, 8, Math.min(5, opts.durationSec));
    await load(plainTarget, 8, Math.min(5, opts.durationSec));
    await load(apiTarget, 8, Math.min(5, opts.durationSec));
    const runs: SearchSection['runs'] = [];
    for (const c of opts.concurrency) {
      const e = await load(engineTarget, c, opts.durationSec);
      const p = await load(plainTarget, c, opts.durationSec);
      const a = await load(apiTarget, c, opts.durationSec);
      log(`search c=${c}: engine ${e.rps.toFixed(0)} searches/s p50 ${e.p50.toFixed(1)} p99 ${e.p99.toFixed(1)}; plain ${p.rps.toFixed(0)} searches/s p50 ${p.p50.toFixed(1)}; API ${a.rps.toFixed(0)} searches/s p50 ${a.p50.toFixed(1)} p99 ${a.p99.toFixed(1)}; errors ${a.errors + a.non2xx}/${e.errors + e.non2xx}/${p.errors + p.non2xx}`);
      runs.push({ concurrency: c, engine: e, api: a, plain: p });
    }
    const kinds: Record<string, number> = {};
    for (const q of queries) kinds[q.kind] = (kinds[q.kind] ?? 0) + 1;
    return {
      articles: await admin.countDocuments(SEARCH_INDEX),
      queries: {
        count: queries.length,
        seed: opts.seed,
        kinds,
        filtered: queries.filter((q) => q.filtered).length,
        engineRequests: recorded.reduce((n, stages) => n + stages.flat().length, 0),
        engineStages: recorded.reduce((n, stages) => n + stages.length, 0),
      },
      timing: 'per-search',
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
    shards: null,
    failures: [],
  };
  log(`corpus: ${source.label}; engine: ${setup.name}; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  let engine: StartedEngine | null = null;
  const stopEngine = async () => {
    const running = engine;
    engine = null;
    await running?.stop().catch(() => undefined);
  };
  process.once('SIGINT', () =>
    void stopEngine().then(() => {
      rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    }),
  );
  try {
    let corpus1x = '';
    let queries: BenchQuery[] | null = null;
    if (!opts.skipIndexing || !opts.skipSearch) {
      const started = await setup.start();
      engine = started;
      try {
        const admin = adminEngine(started);
        if (!opts.skipIndexing) corpus1x = await runIndexing(opts, started, admin, source, tmp, results);
        if (!opts.skipSearch) {
          if (!corpus1x || !existsSync(corpus1x)) {
            // Search alone still needs the 1x index: built by the indexer, not timed.
            corpus1x = path.join(tmp, 'corpus-1x.jsonl');
            await writeCorpus(source, opts.base, corpus1x);
            const existing = (await admin.indexExists(SEARCH_INDEX)) ? await admin.countDocuments(SEARCH_INDEX) : 0;
            if (existing !== opts.base) {
              log(`search: indexing the ${opts.base} articles at 1x (not timed)`);
              await indexerIngest(started, admin, SEARCH_INDEX, corpus1x, 0, opts.base, opts.batch, indexerCommand());
            }
          }
          queries = await queryMix(opts, corpus1x);
          results.search = await runSearch(opts, started, admin, queries, tmp);
        }
      } finally {
        // Stopped before the sharded section, whose engines would otherwise share the cores with it.
        await stopEngine();
      }
    }
    if (opts.shards > 0) {
      if (!corpus1x || !existsSync(corpus1x)) {
        corpus1x = path.join(tmp, 'corpus-1x.jsonl');
        await writeCorpus(source, opts.base, corpus1x);
      }
      log(`sharding: 1 node against ${opts.shards} nodes. ${SHARD_CORES_NOTE(os.cpus().length)}`);
      try {
        results.shards = await runShards({
          setups: [singleEmbeddedEngine(path.join(PROJECT_ROOT, '.data', 'bench')), shardedEmbeddedEngines(path.join(PROJECT_ROOT, '.data', 'bench'), opts.shards)],
          indexUid: SEARCH_INDEX,
          corpusFile: corpus1x,
          corpusBytes: fileBytes(corpus1x),
          articles: opts.base,
          batch: opts.batch,
          queries: queries ?? (await queryMix(opts, corpus1x)),
          concurrency: opts.concurrency,
          durationSec: opts.durationSec,
          tmp,
          log,
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log(`sharding FAILED: ${message}`);
        results.failures.push(`sharding: ${message.slice(0, 500)}`);
      }
    }
  } finally {
    await stopEngine();
    rmSync(tmp, { recursive: true, force: true });
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
