/**
 * `npm run eval`: search quality of the product against a raw-Meilisearch baseline, in one run, on the judged query
 * set (data/eval/judgments.json) over the bundled sample, with the real corpus in ../shared/corpus as distractors
 * when it is there.
 *
 *   npm run eval                        all distractors found in ../shared/corpus
 *   npm run eval -- --distractors 5000  an evenly spread subset of them
 *   npm run eval -- --no-distractors    the ten sample articles only
 *   options: --k 10  --verbose  --out bench-results
 *
 * Systems, on the same documents:
 * - baseline: title and body in an index with default settings, the query sent as typed.
 * - product: the real indexer (settings, dictionary, synonyms) and the search service in-process without its
 *   cross-language alternate query (glossary synonyms only), duplicates not collapsed (the baseline has no such
 *   feature; collapsing would hide judged copies).
 * - product+fallback: the search service as shipped: exact words first, the query federated with its
 *   other-language twin (search-api/index.ts crossLanguagePhrasings).
 *
 * Two conditions, in one run: the ten sample articles alone (every document judged: exact figures, the ones the goals
 * are checked on), then the same with the distractors (strict: unjudged articles count as not relevant; judged-only:
 * they are removed from each ranking first). Rankings are read to the engine's 1000-hit cap.
 *
 * With the whole archive as distractors and ../shared/eval present, the development sets over the archive too
 * (scripts/eval/dev-sets.ts): known-item MRR@10 and success@10 per kind, top-10 and result-set precision, for the
 * service as shipped and for raw Meilisearch on the same documents.
 *
 * Engine: MEILI_URL (+ MEILI_MASTER_KEY or MEILI_API_KEY) if set, else an embedded Meilisearch on a free port with its
 * data in .data/eval-<pid>, removed at the end. Writes a JSON report to bench-results/ (git-ignored).
 */
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { indexFiles } from '../indexer';
import { toNewsDocument } from '../indexer/document';
import { readSource } from '../indexer/sources';
import { crossLanguagePhrasings } from '../search-api';
import { SearchService } from '../search-api/search/search-service';
import { searchParamsSchema } from '../search-api/search/params';
import { loadDictionaryWords } from '../services/lexicon';
import type { Phrasings } from '../services/lexicon/phrasings';
import { silentLogger } from '../services/logger';
import { startEmbeddedEngine, type RunningEngine } from '../services/meili/embedded';
import { NodeEngine } from '../services/meili/node-engine';
import { OutletRegistry } from '../services/outlets';
import { PROJECT_ROOT } from '../services/paths';
import { ThemeCatalog } from '../services/themes';
import { normalizeQuery } from '../services/text/normalize';
import { Segmenter } from '../services/text/segment';
import { articleKeyOf, loadJudgments, type JudgedQuery, type Judgments, type QueryKind } from './eval/judgments';
import { condense, scoreRanking, type QueryScores } from './eval/metrics';
import { markdownTable, summarize, type Row, type ScoredQuery } from './eval/report';
import { knownItemTable, loadDevSets, precisionTable, scoreKnownItems, scorePrecision, type DevHit, type DevSets } from './eval/dev-sets';

const SAMPLE = path.join(PROJECT_ROOT, 'data', 'sample', 'sco-summit-2025.txt');
const CORPUS_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'corpus');
const CORPUS_FILES = ['zh-news.jsonl', 'en-news.jsonl'];
/**
 * How deep each system's ranking is read: the engine's cap on reachable hits. The strict figures use the top k; the
 * judged-only figures condense the whole depth, so a judged article under hundreds of distractors still counts.
 */
const DEPTH = 1000;
/** The API's page size cap: the product's ranking is read page by page, as a client would. */
const PAGE = 100;
const SYSTEMS = ['baseline', 'product', 'product+fallback'] as const;
type SystemName = (typeof SYSTEMS)[number];

interface Options {
  distractors: number | 'all' | 'none';
  k: number;
  verbose: boolean;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      distractors: { type: 'string' },
      'no-distractors': { type: 'boolean', default: false },
      k: { type: 'string', default: '10' },
      verbose: { type: 'boolean', default: false },
      out: { type: 'string', default: path.join(PROJECT_ROOT, 'bench-results') },
    },
    strict: true,
  });
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > DEPTH) throw new Error(`--k must be a whole number from 1 to ${DEPTH}`);
  let distractors: Options['distractors'] = 'all';
  if (values['no-distractors'] || values.distractors === '0' || values.distractors === 'none') distractors = 'none';
  else if (values.distractors !== undefined && values.distractors !== 'all') {
    const n = Number(values.distractors);
    if (!Number.isInteger(n) || n < 0) throw new Error('--distractors takes a whole number, "all" or "none"');
    distractors = n;
  }
  return { distractors, k, verbose: values.verbose, out: values.out };
}

/** Every `step`-th line of the corpus files, so a subset spans all outlets and dates. */
async function writeDistractorSubset(files: readonly string[], wanted: number, dir: string): Promise<string[]> {
  const counts: number[] = [];
  for (const file of files) {
    let n = 0;
    for await (const _ of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) n += 1;
    counts.push(n);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const step = Math.max(1, total / Math.max(1, wanted));
  const out: string[] = [];
  let next = 0;
  let seen = 0;
  let written = 0;
  for (const file of files) {
    const target = path.join(dir, path.basename(file));
    const sink = createWriteStream(target);
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      if (seen >= next && written < wanted) {
        sink.write(`${line}\n`);
        written += 1;
        next += step;
      }
      seen += 1;
    }
    await new Promise<void>((resolve, reject) => sink.end((err?: Error | null) => (err ? reject(err) : resolve())));
    out.push(target);
  }
  return out;
}

interface Corpus {
  files: string[];
  /** Product/baseline document id -> judged article key, for the sample's articles. */
  keyOfId: Map<string, string>;
  documents: Array<{ id: string; title: string; body: string; published: string | null }>;
  distractors: number;
}

async function readCorpus(files: readonly string[], outlets: OutletRegistry): Promise<Corpus> {
  const keyOfId = new Map<string, string>();
  const documents: Corpus['documents'] = [];
  const seen = new Set<string>();
  let distractors = 0;
  for (const file of files) {
    for await (const record of readSource(file)) {
      if (!record.ok) continue;
      // Only the id, title and body are read from it: the words are never counted here.
      const doc = toNewsDocument(record.article, { outlets, words: () => [] });
      if (seen.has(doc.id)) continue;
      seen.add(doc.id);
      documents.push({ id: doc.id, title: doc.title, body: doc.body, published: doc.published });
      if (file === SAMPLE) {
        const key = articleKeyOf(doc.outlet, doc.published);
        if (key) keyOfId.set(doc.id, key);
      } else {
        distractors += 1;
      }
    }
  }
  return { files: [...files], keyOfId, documents, distractors };
}

interface Run {
  query: JudgedQuery;
  rankings: Record<SystemName, string[]>;
  expansion: Phrasings;
}

async function openEngine(dataDir: string): Promise<{ engine: NodeEngine; running: RunningEngine | null }> {
  const url = process.env.MEILI_URL;
  if (url) {
    return { engine: new NodeEngine({ url, apiKey: process.env.MEILI_MASTER_KEY ?? process.env.MEILI_API_KEY, timeoutMs: 60_000 }), running: null };
  }
  const masterKey = randomBytes(24).toString('base64url');
  const running = await startEmbeddedEngine({ dataDir, port: 0, masterKey });
  return { engine: new NodeEngine({ url: running.url, apiKey: masterKey, timeoutMs: 60_000 }), running };
}

async function waitAll(engine: NodeEngine, uids: number[]): Promise<void> {
  const failed = await engine.waitForTasks(uids, 3_600_000);
  if (failed.length > 0) throw new Error(`engine tasks failed: ${JSON.stringify(failed)}`);
}

function fmt(x: number): string {
  return x.toFixed(3);
}

interface Condition {
  label: string;
  /** The two indexes of its documents: the product's and raw Meilisearch's. */
  indexes: { product: string; baseline: string };
  corpus: Corpus;
  runs: Run[];
  strict: Record<SystemName, ScoredQuery[]>;
  judgedOnly: Record<SystemName, ScoredQuery[]>;
  titles: Map<string, string>;
}

interface Context {
  engine: NodeEngine;
  outlets: OutletRegistry;
  judgments: Judgments;
  judgedKeys: ReadonlySet<string>;
  segmenter: Segmenter;
  options: Options;
  indexes: string[];
}

/** Indexes one document set twice (product, baseline), runs every judged query on both, and scores the rankings. */
async function evaluate(ctx: Context, label: string, files: readonly string[]): Promise<Condition> {
  const { engine, options } = ctx;
  const corpus = await readCorpus(files, ctx.outlets);
  const found = new Set(corpus.keyOfId.values());
  const missing = [...ctx.judgedKeys].filter((k) => !found.has(k));
  if (missing.length > 0) throw new Error(`judged articles not found in the sample: ${missing.join(', ')}`);

  const suffix = randomBytes(4).toString('hex');
  const productIndex = `eval-product-${suffix}`;
  const baselineIndex = `eval-baseline-${suffix}`;
  ctx.indexes.push(productIndex, baselineIndex);

  let t = Date.now();
  const summary = await indexFiles({ engine, indexUid: productIndex, files, log: silentLogger, batchSize: 5_000 });
  if (summary.failedTasks.length > 0) throw new Error(`product indexing failed: ${JSON.stringify(summary.failedTasks)}`);
  const productSeconds = (Date.now() - t) / 1000;
  t = Date.now();
  const uids: number[] = [];
  for (let i = 0; i < corpus.documents.length; i += 5_000) {
    uids.push(await engine.addDocuments(baselineIndex, corpus.documents.slice(i, i + 5_000), 'id'));
  }
  await waitAll(engine, uids);
  console.log(
    `${label}: ${corpus.keyOfId.size} judged articles + ${corpus.distractors} distractors; indexed in ` +
      `${productSeconds.toFixed(1)} s (product), ${((Date.now() - t) / 1000).toFixed(1)} s (baseline)`,
  );

  // The product as shipped (glossary synonyms + the CC-CEDICT alternate query), and the same without the alternate.
  const common = { engine, indexUid: productIndex, outlets: ctx.outlets, themes: new ThemeCatalog([]) };
  const synonymsOnly = new SearchService(common);
  const phrase = crossLanguagePhrasings(engine, productIndex, ctx.segmenter);
  const shipped = new SearchService({ ...common, phrasings: phrase });
  const keyOf = (id: string): string => corpus.keyOfId.get(id) ?? `distractor:${id}`;
  const titles = new Map<string, string>();
  const ranking = async (service: SearchService, q: string): Promise<string[]> => {
    const keys: string[] = [];
    for (let page = 1; page <= DEPTH / PAGE; page++) {
      const params = searchParamsSchema.parse({ q, limit: String(PAGE), page: String(page), collapse: 'false' });
      const result = await service.search(params);
      for (const hit of result.hits) {
        keys.push(keyOf(hit.id));
        titles.set(keyOf(hit.id), hit.title);
      }
      if (page * PAGE >= result.total || result.hits.length === 0) break;
    }
    return keys;
  };
  const runs: Run[] = [];
  for (const query of ctx.judgments.queries) {
    const base = await engine.search(baselineIndex, query.q, { limit: DEPTH, attributesToRetrieve: ['id'] });
    const baseline = base.hits.map((h) => keyOf(String(h.id)));
    const product = await ranking(synonymsOnly, query.q);
    const fallback = await ranking(shipped, query.q);
    const expansion = await phrase(normalizeQuery(query.q));
    runs.push({ query, rankings: { baseline, product, 'product+fallback': fallback }, expansion });
  }

  const score = (condensed: boolean): Record<SystemName, ScoredQuery[]> => {
    const out = {} as Record<SystemName, ScoredQuery[]>;
    for (const system of SYSTEMS) {
      out[system] = runs.map((run) => {
        const grades = new Map(Object.entries(run.query.relevant));
        const ranking = condensed ? condense(run.rankings[system], ctx.judgedKeys) : run.rankings[system];
        return { id: run.query.id, kind: run.query.kind as QueryKind, scores: scoreRanking(ranking, grades, options.k) };
      });
    }
    return out;
  };
  return { label, indexes: { product: productIndex, baseline: baselineIndex }, corpus, runs, strict: score(false), judgedOnly: score(true), titles };
}

function printGoals(rows: readonly Row[]): void {
  for (const system of ['product', 'product+fallback'] as const) console.log(`- ${system}: ${goals(rows, system).join('; ')}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const judgments = loadJudgments();
  const startedAt = new Date();
  const corpusFiles = CORPUS_FILES.map((f) => path.join(CORPUS_DIR, f)).filter((f) => existsSync(f));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'news-eval-'));
  const dataDir = path.join(PROJECT_ROOT, '.data', `eval-${process.pid}`);
  let running: RunningEngine | null = null;
  let engine: NodeEngine | null = null;
  const indexes: string[] = [];
  try {
    let distractorFiles: string[] = [];
    if (options.distractors !== 'none' && corpusFiles.length === 0) {
      console.log(`no distractor corpus at ${CORPUS_DIR}: evaluating on the sample alone`);
    } else if (options.distractors === 'all') {
      distractorFiles = corpusFiles;
    } else if (typeof options.distractors === 'number' && options.distractors > 0) {
      distractorFiles = await writeDistractorSubset(corpusFiles, options.distractors, tmp);
    }

    const opened = await openEngine(dataDir);
    engine = opened.engine;
    running = opened.running;
    const ctx: Context = {
      engine,
      outlets: OutletRegistry.fromFile(),
      judgments,
      judgedKeys: new Set(Object.keys(judgments.articles)),
      segmenter: new Segmenter(loadDictionaryWords()),
      options,
      indexes,
    };
    // The sample alone is fully judged: its figures are exact and are the ones the goals are checked on. With
    // distractors, articles nobody judged compete; many are relevant (the archive covers the same events).
    const conditions = [await evaluate(ctx, 'sample', [SAMPLE])];
    if (distractorFiles.length > 0) conditions.push(await evaluate(ctx, 'distractors', [SAMPLE, ...distractorFiles]));

    const [sample, withDistractors] = conditions as [Condition, Condition | undefined];
    const sampleRows = summarize(sample.strict);
    const n = judgments.queries.length;
    console.log(`\n## Search quality: ${n} judged queries over the ten sample articles (all judged)\n`);
    console.log(markdownTable(sampleRows, SYSTEMS, options.k));
    console.log('\nGoals (cross-language >= 0.80, zh and en >= 0.95, every kind >= baseline):');
    printGoals(sampleRows);

    let distractorRows: { strict: Row[]; judgedOnly: Row[] } | undefined;
    if (withDistractors) {
      distractorRows = { strict: summarize(withDistractors.strict), judgedOnly: summarize(withDistractors.judgedOnly) };
      const d = withDistractors.corpus.distractors;
      console.log(`\n## With ${d} distractors from ../shared/corpus: unjudged articles count as not relevant\n`);
      console.log(markdownTable(distractorRows.strict, SYSTEMS, options.k));
      console.log(`\n## With ${d} distractors, judged articles only (unjudged ones removed from the top ${DEPTH} before the cut-off)\n`);
      console.log(markdownTable(distractorRows.judgedOnly, SYSTEMS, options.k));
      console.log('\nGoals with distractors, strict:');
      printGoals(distractorRows.strict);
      console.log('Goals with distractors, judged articles only:');
      printGoals(distractorRows.judgedOnly);
    }

    printFailures(sample, options.k, false);
    if (withDistractors && options.verbose) printFailures(withDistractors, options.k, true);

    // The development sets need the whole archive: their targets are articles of ../shared/corpus.
    const devSets = loadDevSets();
    let dev: Awaited<ReturnType<typeof scoreDevSets>> | null = null;
    if (devSets && withDistractors && options.distractors === 'all') dev = await scoreDevSets(ctx, withDistractors, devSets, options.verbose);
    else if (devSets) console.log('\n(development sets not scored: they need the whole archive as distractors)');

    mkdirSync(options.out, { recursive: true });
    const file = path.join(options.out, `eval-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    const queriesOf = (c: Condition) =>
      c.runs.map((run) => ({
        id: run.query.id,
        kind: run.query.kind,
        q: run.query.q,
        crossLanguage: run.expansion.loose.crossLanguage,
        scores: Object.fromEntries(SYSTEMS.map((s) => [s, c.strict[s].find((x) => x.id === run.query.id)?.scores])),
        top: Object.fromEntries(SYSTEMS.map((s) => [s, run.rankings[s].slice(0, options.k)])),
      }));
    const report = {
      startedAt: startedAt.toISOString(),
      k: options.k,
      sample: { rows: sampleRows, queries: queriesOf(sample) },
      distractors: withDistractors
        ? { count: withDistractors.corpus.distractors, ...distractorRows, queries: queriesOf(withDistractors) }
        : null,
      devSets: dev,
    };
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nreport: ${path.relative(PROJECT_ROOT, file)}`);
  } finally {
    if (engine && !running) for (const uid of indexes) await engine.deleteIndexIfExists(uid).catch(() => undefined);
    await running?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The development sets (scripts/eval/dev-sets.ts) on the archive's two indexes: the service as shipped, and raw
 * Meilisearch on the same documents with default settings, each as a client would call it.
 */
async function scoreDevSets(ctx: Context, condition: Condition, sets: DevSets, verbose: boolean) {
  const { engine } = ctx;
  const service = new SearchService({
    engine,
    indexUid: condition.indexes.product,
    outlets: ctx.outlets,
    themes: new ThemeCatalog([]),
    phrasings: crossLanguagePhrasings(engine, condition.indexes.product, ctx.segmenter),
  });
  const page = async (q: string, n: number, limit: number) =>
    service.search(searchParamsSchema.parse({ q, limit: String(limit), page: String(n), collapse: 'false' }));
  const raw = (q: string, limit: number) =>
    engine.search(condition.indexes.baseline, q, { limit, attributesToRetrieve: ['title', 'body', 'published'] });
  const asHits = (hits: ReadonlyArray<Record<string, unknown>>): DevHit[] =>
    hits.map((h) => ({ title: String(h.title ?? ''), body: String(h.body ?? ''), published: typeof h.published === 'string' ? h.published : null }));
  const systems = {
    service: {
      top10: async (q: string) => asHits((await page(q, 1, 10)).hits as unknown as Array<Record<string, unknown>>),
      upTo500: async (q: string) => {
        const hits: DevHit[] = [];
        let total = 0;
        for (let n = 1; n <= 5; n++) {
          const r = await page(q, n, 100);
          total = r.total;
          hits.push(...asHits(r.hits as unknown as Array<Record<string, unknown>>));
          if (r.hits.length < 100) break;
        }
        return { total, hits };
      },
    },
    'raw Meilisearch': {
      top10: async (q: string) => asHits((await raw(q, 10)).hits),
      upTo500: async (q: string) => {
        const r = await raw(q, 500);
        return { total: r.estimatedTotalHits ?? r.hits.length, hits: asHits(r.hits) };
      },
    },
  };
  const known: Record<string, Awaited<ReturnType<typeof scoreKnownItems>>> = {};
  const precision: Record<string, Awaited<ReturnType<typeof scorePrecision>>> = {};
  for (const [name, system] of Object.entries(systems)) {
    known[name] = await scoreKnownItems(sets.knownItems, system.top10);
    precision[name] = await scorePrecision(sets.precision, system.upTo500);
  }
  console.log(`\n## Development sets over the archive (${condition.corpus.documents.length} articles): known items\n`);
  console.log(knownItemTable(Object.fromEntries(Object.entries(known).map(([n, k]) => [n, k.byKind]))));
  console.log('\n## Development sets: result-set precision (up to 500 hits, duplicates not collapsed)\n');
  console.log(precisionTable(precision));
  const s = known.service?.byKind ?? {};
  const p = precision.service;
  const check = (label: string, value: number, goal: number) => `${label} ${fmt(value)} ${value >= goal ? `>= ${goal} ok` : `< ${goal} MISSED`}`;
  console.log('\nGoals (service):');
  console.log(
    `- ${[
      check('en->zh MRR@10', s['en-zh']?.mrr ?? 0, 0.6),
      check('zh->en MRR@10', s['zh-en']?.mrr ?? 0, 0.6),
      check('zh', s.zh?.mrr ?? 0, 0.93),
      check('en', s.en?.mrr ?? 0, 0.93),
      check('traditional', s.trad?.mrr ?? 0, 0.9),
      check('result-set precision', p?.meanSet ?? 0, 0.95),
      check('top-10 precision', p?.meanTop10 ?? 0, 0.95),
    ].join('; ')}`,
  );
  if (p && p.empty.length > 0) console.log(`- queries that found nothing: ${p.empty.join(', ')}`);
  if (verbose) {
    for (const r of known.service?.ranks ?? []) if (r.rank !== 1) console.log(`  rank ${r.rank || '-'} [${r.kind}] ${r.q}`);
    for (const r of p?.rows ?? []) if (r.set < 0.95) console.log(`  precision ${fmt(r.set)} (${r.fetched} of ${r.total}) ${r.q}: ${r.noise.join(' | ')}`);
  }
  return { known, precision };
}

/** The issue's targets, checked on one table. */
function goals(rows: readonly Row[], system: SystemName): string[] {
  const get = (group: string): QueryScores | undefined => rows.find((r) => r.group === group)?.bySystem[system];
  const out: string[] = [];
  const cross = get('cross-language')?.ndcg ?? 0;
  out.push(`cross-language nDCG ${fmt(cross)} ${cross >= 0.8 ? '>= 0.80 ok' : '< 0.80 MISSED'}`);
  for (const kind of ['zh', 'en']) {
    const v = get(kind)?.ndcg ?? 0;
    out.push(`${kind} ${fmt(v)} ${v >= 0.95 ? '>= 0.95 ok' : '< 0.95 MISSED'}`);
  }
  const below = rows
    .filter((r) => !['all', 'cross-language'].includes(r.group))
    .filter((r) => (r.bySystem[system]?.ndcg ?? 0) < (r.bySystem.baseline?.ndcg ?? 0) - 1e-9)
    .map((r) => r.group);
  out.push(below.length === 0 ? 'every kind >= baseline' : `below baseline: ${below.join(', ')}`);
  return out;
}

/** Queries the product does not answer perfectly, with what came back, so a miss can be explained. */
function printFailures(condition: Condition, k: number, showDistractors: boolean): void {
  const { runs, strict, titles } = condition;
  console.log(`\n## ${condition.label}: queries where the product's nDCG@${k} < 1\n`);
  for (const run of runs) {
    const product = strict.product.find((s) => s.id === run.query.id)?.scores;
    const fallback = strict['product+fallback'].find((s) => s.id === run.query.id)?.scores;
    const baseline = strict.baseline.find((s) => s.id === run.query.id)?.scores;
    if (!product || !fallback || !baseline || product.ndcg > 0.9999) continue;
    const grades = run.query.relevant;
    const show = (ranking: readonly string[]): string =>
      ranking
        .slice(0, k)
        .map((key) => (key.startsWith('distractor:') ? '·' : `${key.split('@')[0]}@${key.slice(-11)}(${grades[key] ?? 0})`))
        .join(' ') || '(nothing)';
    const missing = Object.entries(grades)
      .filter(([key, g]) => g > 0 && !run.rankings.product.slice(0, k).includes(key))
      .map(([key, g]) => `${key}(${g})`);
    console.log(
      `- ${run.query.id} [${run.query.kind}] "${run.query.q}": baseline ${fmt(baseline.ndcg)}, product ${fmt(product.ndcg)}, ` +
        `+fallback ${fmt(fallback.ndcg)}` +
        (run.expansion.loose.crossLanguage ? ` (second query: "${run.expansion.loose.crossLanguage}")` : ' (no second query)'),
    );
    console.log(`    product top ${k}: ${show(run.rankings.product)}`);
    if (showDistractors) {
      // Distractors above the judged articles: noise, or relevant articles nobody judged?
      for (const key of run.rankings.product.slice(0, 5).filter((x) => x.startsWith('distractor:'))) {
        console.log(`      · ${(titles.get(key) ?? '').slice(0, 60)}`);
      }
    }
    if (missing.length > 0) console.log(`    relevant, not in product top ${k}: ${missing.join(' ')}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

