import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { toNewsDocument } from '../../indexer/document';
import { readSource } from '../../indexer/sources';
import { indexerWordSplitter } from '../../indexer';
import { loadLexicon } from '../../services/lexicon';
import type { Engine } from '../../services/meili/engine';
import { buildIndexSettings, PRIMARY_KEY } from '../../services/meili/settings';
import { OutletRegistry } from '../../services/outlets';
import { Segmenter } from '../../services/text/segment';
import { loadThemesFile, ThemeTagger } from '../../services/themes';
import { adminEngineFor, serviceEnv, type StartedEngine } from './engine-setup';
import { runMeasured } from './proc';

export interface IngestRun {
  ms: number;
  docs: number;
  articlesPerSec: number;
  mbPerSec: number;
}

export interface IndexerRun extends IngestRun {
  peakRssBytes: number;
  /** The indexer process's own CPU time: how much of the wall time it was busy rather than waiting on the engine. */
  cpuMs: number;
  stdout: string;
}

const MB = 1024 * 1024;
/** Tasks at 16x can outlast the client's default wait; the run, not a timer, decides when it is done. */
const TASK_TIMEOUT_MS = 3 * 3600 * 1000;

export function adminEngine(engine: StartedEngine): Engine {
  return adminEngineFor(engine, 120_000);
}

export function settingsForBench() {
  const lexicon = loadLexicon();
  return buildIndexSettings({ dictionary: lexicon.words, synonyms: lexicon.synonyms });
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Several runs of one side as one: articles over total time, engine CPU per run. */
export function pooledRuns(runs: ReadonlyArray<{ ms: number; docs: number; engineCpuMs: number }>, corpusBytes: number) {
  const ms = runs.reduce((n, r) => n + r.ms, 0);
  const docs = runs[0]?.docs ?? 0;
  if (runs.some((r) => r.docs !== docs)) throw new Error(`runs of one side left ${runs.map((r) => r.docs).join(' and ')} documents`);
  return {
    ms: ms / runs.length,
    docs,
    articlesPerSec: (docs * runs.length * 1000) / ms,
    mbPerSec: (corpusBytes * runs.length * 1000) / ms / MB,
    engineCpuMs: mean(runs.map((r) => r.engineCpuMs)),
  };
}

/**
 * The documents the indexer would send, built before any clock starts (kept as NDJSON on disk so memory stays flat):
 * the bare-engine side of the comparison gets exactly the same documents and none of the service's work.
 */
export async function prebuildDocuments(corpusFile: string, outFile: string): Promise<number> {
  const outlets = OutletRegistry.fromFile();
  const themes = loadThemesFile();
  const words = indexerWordSplitter(loadLexicon().words, themes);
  const tagger = new ThemeTagger(themes, words);
  const out = createWriteStream(outFile);
  let n = 0;
  for await (const rec of readSource(corpusFile)) {
    if (!rec.ok) continue;
    const doc = toNewsDocument(rec.article, { outlets, words, tagThemes: (a) => tagger.tag(a.title, a.body) });
    if (!out.write(`${JSON.stringify(doc)}\n`)) await once(out, 'drain');
    n++;
  }
  out.end();
  await once(out, 'finish');
  return n;
}

/**
 * Bare engine: a fresh index with the service's settings, the same documents posted as JSON arrays with the meilisearch
 * client in batches of the same size (each batch sent after the previous one was enqueued, as the indexer does), until
 * every task succeeded.
 */
export async function directIngest(engine: Engine, indexUid: string, docsFile: string, corpusBytes: number, articles: number, batchSize: number): Promise<IngestRun> {
  await engine.deleteIndexIfExists(indexUid);
  const started = performance.now();
  await engine.prepareIndex(indexUid, PRIMARY_KEY, settingsForBench());
  const taskUids: number[] = [];
  let batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    taskUids.push(await engine.addDocuments(indexUid, batch, PRIMARY_KEY));
    batch = [];
  };
  for await (const line of createInterface({ input: createReadStream(docsFile), crlfDelay: Infinity })) {
    batch.push(JSON.parse(line) as Record<string, unknown>);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  const failed = await engine.waitForTasks(taskUids, TASK_TIMEOUT_MS);
  if (failed.length > 0) throw new Error(`direct ingest: ${failed.length} engine tasks failed: ${failed[0]?.error}`);
  const ms = performance.now() - started;
  const docs = await engine.countDocuments(indexUid);
  return { ms, docs, articlesPerSec: (articles / ms) * 1000, mbPerSec: corpusBytes / MB / (ms / 1000) };
}

/** The real indexer as its own process (so its RSS is its own), from file to every engine task succeeded. */
export async function indexerIngest(
  engine: StartedEngine,
  admin: Engine,
  indexUid: string,
  corpusFile: string,
  corpusBytes: number,
  articles: number,
  batchSize: number,
  indexerCommand: string[],
): Promise<IndexerRun> {
  await admin.deleteIndexIfExists(indexUid);
  const [cmd, ...args] = indexerCommand;
  const run = await runMeasured(cmd ?? 'node', [...args, corpusFile], serviceEnv(process.env, engine, {
    MEILI_INDEX: indexUid,
    MEILI_TIMEOUT_MS: '120000',
    INDEX_BATCH_SIZE: String(batchSize),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
  }));
  if (run.code !== 0) throw new Error(`indexer exited with ${run.code}:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  const docs = await admin.countDocuments(indexUid);
  return {
    ms: run.wallMs,
    docs,
    articlesPerSec: (articles / run.wallMs) * 1000,
    mbPerSec: corpusBytes / MB / (run.wallMs / 1000),
    peakRssBytes: run.peakRss,
    cpuMs: run.cpuMs,
    stdout: run.stdout.trim(),
  };
}

/** jieba alone over the corpus's titles and bodies, on one thread, in MB of UTF-8 text per second. */
export async function segmentationThroughput(corpusFile: string, maxBytes = 64 * MB): Promise<{ mbPerSec: number; mb: number; ms: number }> {
  const segmenter = new Segmenter(loadLexicon().words);
  const texts: string[] = [];
  let bytes = 0;
  for await (const rec of readSource(corpusFile)) {
    if (!rec.ok) continue;
    for (const t of [rec.article.title, rec.article.body]) {
      texts.push(t);
      bytes += Buffer.byteLength(t);
    }
    if (bytes >= maxBytes) break;
  }
  segmenter.words(texts[0] ?? '');
  const started = performance.now();
  let words = 0;
  for (const t of texts) words += segmenter.words(t).length;
  const ms = performance.now() - started;
  if (words === 0) throw new Error('segmentation produced no words');
  return { mbPerSec: bytes / MB / (ms / 1000), mb: bytes / MB, ms };
}

export function fileBytes(file: string): number {
  return statSync(file).size;
}
