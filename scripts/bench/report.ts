import type { LoadRun } from './search';
import { SHARD_CORES_NOTE, type ShardSection } from './shards';

/** Everything one benchmark run measured; written as JSON and rendered as the Markdown table. */
export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: { cores: number; cpu: string; node: string; loadBefore: number[]; loadAfter: number[] };
  engineSetup: string;
  corpus: { source: string; base: number; batchSize: number };
  segmentation: { mbPerSec: number; mb: number } | null;
  indexing: IndexingRow[];
  search: SearchSection | null;
  /** One node against a sharded network on the same corpus (absent in runs before it, null when skipped). */
  shards?: ShardSection | null;
  /** Parts of the run that failed; the rest of the figures stand. */
  failures: string[];
}

export interface IndexingRow {
  multiple: number;
  articles: number;
  mb: number;
  /** Pooled over `runs` (articles/s of each run, in order; absent in results of single-run benchmarks). */
  direct: { ms: number; docs: number; articlesPerSec: number; mbPerSec: number; engineCpuMs?: number; runs?: number[] };
  indexer: { ms: number; docs: number; articlesPerSec: number; mbPerSec: number; peakRssBytes: number; cpuMs?: number; engineCpuMs?: number; runs?: number[] };
}

export interface SearchSection {
  articles: number;
  /** engineRequests: the recorded engine requests of all queries; engineStages: their round trips (one per stage). */
  queries: { count: number; seed: number; kinds: Record<string, number>; filtered: number; engineRequests?: number; engineStages?: number };
  /**
   * 'per-search': the engine side replayed each search's requests as a group, so both sides' figures are per search.
   * Absent in older runs, whose engine side was timed per engine request.
   */
  timing?: 'per-search';
  durationSec: number;
  /** `plain`: the same queries as one plain engine search each (facets, highlighting); absent in older runs. */
  runs: Array<{ concurrency: number; engine: LoadRun; api: LoadRun; plain?: LoadRun }>;
}

export interface GoalCheck {
  goal: string;
  measured: string;
  pass: boolean | null;
}

const MB = 1024 * 1024;
const f = (n: number, digits = 1) => n.toFixed(digits);
const x = (n: number) => `${n.toFixed(2)}×`;
const pct = (n: number) => `${Math.round(n * 100)}%`;
export const ratio = (a: number, b: number) => (b === 0 ? NaN : a / b);

/** Engine requests the API makes per search (1 when the run predates the recording). */
export function requestsPerSearch(s: SearchSection): number {
  return s.queries.engineRequests ? s.queries.engineRequests / s.queries.count : 1;
}

/** The engine's throughput in searches (older runs timed single requests: their rate over the requests per search). */
export function engineSearchesPerSec(s: SearchSection, run: LoadRun): number {
  return s.timing === 'per-search' ? run.rps : run.rps / requestsPerSearch(s);
}

const errorsOf = (run: LoadRun) => run.errors + run.non2xx;

/** The issue's goals against this run's figures; null where the run did not measure it. */
export function checkGoals(r: BenchResults): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const c8 = r.search?.runs.find((run) => run.concurrency === 8);
  if (c8) {
    const p50 = ratio(c8.api.p50, c8.engine.p50);
    goals.push({ goal: 'API p50 at c=8 ≤ 1.15× engine', measured: x(p50), pass: p50 <= 1.15 });
    const rps = ratio(c8.api.rps, engineSearchesPerSec(r.search as SearchSection, c8.engine));
    goals.push({ goal: 'API throughput at c=8 ≥ 85% of engine', measured: pct(rps), pass: rps >= 0.85 });
  }
  if (r.search) {
    // The goal names concurrency 8 (the p50 goal's load); lower concurrencies are shown too, as they should also hold.
    for (const run of r.search.runs.filter((x) => x.concurrency <= 8)) {
      goals.push({ goal: `API p99 < 50 ms at c=${run.concurrency} (1x corpus)`, measured: `${f(run.api.p99, 0)} ms (engine ${f(run.engine.p99, 0)} ms)`, pass: run.api.p99 < 50 });
    }
    const plainC8 = r.search.runs.find((run) => run.concurrency === 8)?.plain;
    if (c8 && plainC8) {
      const share = ratio(c8.api.rps, plainC8.rps);
      goals.push({ goal: 'API throughput at c=8 ≥ 0.6× plain Meilisearch search', measured: x(share), pass: share >= 0.6 });
    }
    const errors = r.search.runs.reduce((s, run) => s + errorsOf(run.api) + errorsOf(run.engine) + (run.plain ? errorsOf(run.plain) : 0), 0);
    goals.push({ goal: 'zero errors', measured: String(errors), pass: errors === 0 });
    const c32 = r.search.runs.find((run) => run.concurrency === 32) ?? r.search.runs[r.search.runs.length - 1];
    if (c32?.api.maxRssBytes) {
      goals.push({ goal: `API RSS < 200 MB at c=${c32.concurrency}`, measured: `${f(c32.api.maxRssBytes / MB, 0)} MB`, pass: c32.api.maxRssBytes < 200 * MB });
    }
  }
  if (r.shards) {
    const errors = r.shards.columns.reduce((s, col) => s + col.runs.reduce((t, run) => t + errorsOf(run), 0), 0);
    const partial = r.shards.columns.filter((c) => c.partial).map((c) => c.setup);
    goals.push({ goal: 'zero errors, no partial answers (sharded section)', measured: `${errors}${partial.length > 0 ? `; partial: ${partial.join(', ')}` : ''}`, pass: errors === 0 && partial.length === 0 });
  }
  if (r.indexing.length > 0) {
    const worst = Math.min(...r.indexing.map((row) => ratio(row.indexer.articlesPerSec, row.direct.articlesPerSec)));
    goals.push({ goal: 'indexer ≥ 80% of direct ingest (every size)', measured: pct(worst), pass: worst >= 0.8 });
    const base = r.indexing[0];
    const top = r.indexing[r.indexing.length - 1];
    if (base && top && top !== base) {
      const growth = ratio(top.indexer.peakRssBytes, base.indexer.peakRssBytes);
      goals.push({ goal: `indexer RSS at ${top.multiple}x ≤ 1.5× RSS at ${base.multiple}x`, measured: x(growth), pass: growth <= 1.5 });
    }
    if (r.segmentation) {
      const fastest = Math.max(...r.indexing.map((row) => row.indexer.mbPerSec));
      const headroom = ratio(r.segmentation.mbPerSec, fastest);
      goals.push({ goal: 'segmentation not the bottleneck (jieba MB/s ≫ indexer MB/s)', measured: `${x(headroom)} the indexer's rate`, pass: headroom >= 2 });
    }
  }
  return goals;
}

function cpuPair(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b) ? '–' : `${f(a / 1000, 0)} / ${f(b / 1000, 0)}`;
}

export function renderMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  lines.push(`Benchmark of ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC — ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}, engine: ${r.engineSetup}; load average before ${load(r.machine.loadBefore)}, after ${load(r.machine.loadAfter)}.`);
  lines.push(`Corpus: ${r.corpus.source}; 1x = ${r.corpus.base.toLocaleString('en')} articles; batches of ${r.corpus.batchSize}.`);
  lines.push('');
  if (r.indexing.length > 0) {
    lines.push('**Indexing** (until every engine task succeeded; ratio = indexer ÷ direct ingest of the same documents)');
    lines.push('');
    lines.push('| size | articles | MB | direct ingest art/s (MB/s) | indexer art/s (MB/s) | indexer ÷ direct | indexer peak RSS | RSS ÷ 1x | indexer CPU busy | engine CPU s direct / indexer |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const base = r.indexing[0];
    for (const row of r.indexing) {
      lines.push(
        `| ${row.multiple}x | ${row.articles.toLocaleString('en')} | ${f(row.mb)} | ${f(row.direct.articlesPerSec, 0)} (${f(row.direct.mbPerSec, 2)}) | ${f(row.indexer.articlesPerSec, 0)} (${f(row.indexer.mbPerSec, 2)}) | ${pct(ratio(row.indexer.articlesPerSec, row.direct.articlesPerSec))} | ${f(row.indexer.peakRssBytes / MB, 0)} MB | ${base ? x(ratio(row.indexer.peakRssBytes, base.indexer.peakRssBytes)) : ''} | ${row.indexer.cpuMs !== undefined ? pct(row.indexer.cpuMs / row.indexer.ms) : '–'} | ${cpuPair(row.direct.engineCpuMs, row.indexer.engineCpuMs)} |`,
      );
    }
    const repeated = r.indexing.filter((row) => (row.direct.runs?.length ?? 1) > 1 || (row.indexer.runs?.length ?? 1) > 1);
    if (repeated.length > 0) {
      const runs = (xs: readonly number[] | undefined) => (xs ?? []).map((v) => f(v, 0)).join(' / ');
      lines.push('', `Interleaved runs (ABBA), pooled above; art/s per run: ${repeated.map((row) => `${row.multiple}x direct ${runs(row.direct.runs)}, indexer ${runs(row.indexer.runs)}`).join('; ')}.`);
    }
    if (r.segmentation) lines.push('', `jieba segmentation alone (one thread, titles + bodies, ${f(r.segmentation.mb)} MB): **${f(r.segmentation.mbPerSec)} MB/s**.`);
    lines.push('');
  }
  if (r.search) {
    const s = r.search;
    const perSearch = requestsPerSearch(s);
    const how =
      s.timing === 'per-search'
        ? `Both sides per search, same closed-loop runner and concurrency: the engine side replays, search by search, the API's own engine requests (${f(perSearch, 2)} per search${s.queries.engineStages ? ` in ${f(s.queries.engineStages / s.queries.count, 2)} round trips` : ''}), parallel where the API sends them together, in sequence where one waits for another; a search's latency runs from its first request to its last answer`
        : `The engine side replays the API's own engine requests, ${f(perSearch, 2)} per search: engine searches/s = its requests/s ÷ ${f(perSearch, 2)}; its latencies are per request`;
    lines.push(`**Search** (${s.articles.toLocaleString('en')} articles; ${s.queries.count} queries: ${Object.entries(s.queries.kinds).map(([k, n]) => `${n} ${k}`).join(', ')}, ${s.queries.filtered} with filters, seed ${s.queries.seed}; ${s.durationSec} s per cell. ${how}. Ratio = API ÷ engine)`);
    lines.push('');
    lines.push('| concurrency | engine searches/s | API searches/s | API ÷ engine | engine p50 | API p50 | ratio | engine p99 | API p99 | ratio | errors (API/engine) | API RSS | CPU ms/search API (engine) |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const { concurrency, engine, api } of s.runs) {
      lines.push(
        `| ${concurrency} | ${f(engineSearchesPerSec(s, engine), 0)} | ${f(api.rps, 0)} | ${pct(ratio(api.rps, engineSearchesPerSec(s, engine)))} | ${f(engine.p50, 0)} ms | ${f(api.p50, 0)} ms | ${x(ratio(api.p50, engine.p50))} | ${f(engine.p99, 0)} ms | ${f(api.p99, 0)} ms | ${x(ratio(api.p99, engine.p99))} | ${errorsOf(api)}/${errorsOf(engine)} | ${api.maxRssBytes ? `${f(api.maxRssBytes / MB, 0)} MB` : '–'} | ${api.cpuMsPerRequest !== null ? f(api.cpuMsPerRequest, 2) : '–'} (${engine.cpuMsPerRequest !== null ? f(engine.cpuMsPerRequest, 2) : '–'}) |`,
      );
    }
    lines.push('');
    if (s.runs.some((run) => run.plain)) {
      lines.push(
        "**Against a plain Meilisearch search** (the same queries, each as one search with the same filters and order, facet counts of outlet, themes, lang and day, highlighting and a cropped snippet; what a user of the bare engine gets. The service adds collapsing of republished copies, disjunctive counts, exact-first widening and the second language)",
        '',
        '| concurrency | plain searches/s | API searches/s | API ÷ plain | plain p50 | API p50 | API p50 ÷ plain | plain p99 | API p99 |',
        '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      );
      for (const { concurrency, api, plain } of s.runs) {
        if (!plain) continue;
        lines.push(
          `| ${concurrency} | ${f(plain.rps, 0)} | ${f(api.rps, 0)} | ${x(ratio(api.rps, plain.rps))} | ${f(plain.p50, 0)} ms | ${f(api.p50, 0)} ms | ${x(ratio(api.p50, plain.p50))} | ${f(plain.p99, 0)} ms | ${f(api.p99, 0)} ms |`,
        );
      }
      lines.push('');
    }
  }
  if (r.shards) lines.push(...renderShards(r.shards, r.machine.cores), '');
  if (r.failures.length > 0) lines.push('**Failed parts of this run**', '', ...r.failures.map((f) => `- ${f}`), '');
  const goals = checkGoals(r);
  if (goals.length > 0) {
    lines.push('**Goals**', '', '| goal | measured | |', '|---|---|---|');
    for (const g of goals) lines.push(`| ${g.goal} | ${g.measured} | ${g.pass === null ? '–' : g.pass ? 'pass' : 'FAIL'} |`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The sharded section: one column per setup, the last against the first. */
export function renderShards(sh: ShardSection, cores: number): string[] {
  const cols = sh.columns;
  const base = cols[0];
  const last = cols[cols.length - 1];
  const compare = base && last && last !== base;
  const head = ['', ...cols.map((c) => c.setup), ...(compare ? [`${last.setup} ÷ ${base.setup}`] : [])];
  const row = (label: string, cell: (c: (typeof cols)[number]) => string, rel?: (c: (typeof cols)[number]) => number) =>
    `| ${[label, ...cols.map(cell), ...(compare ? [rel ? x(ratio(rel(last), rel(base))) : ''] : [])].join(' | ')} |`;
  const lines = [
    `**Sharding** (the 1x corpus, ${sh.articles.toLocaleString('en')} articles, indexed by the indexer into each setup started fresh; then the same ${sh.queries} queries through /api/search, ${sh.durationSec} s per cell, per search; the network reaches the API and the indexer as MEILI_NETWORK)`,
    '',
    `| ${head.join(' | ')} |`,
    `|---|${head.slice(1).map(() => '---:').join('|')}|`,
    row('documents per node', (c) => c.documentsPerNode.map((d) => d.toLocaleString('en')).join(' / ')),
    row('indexing art/s (MB/s)', (c) => `${f(c.indexing.articlesPerSec, 0)} (${f(c.indexing.mbPerSec, 2)})`, (c) => c.indexing.articlesPerSec),
    row('indexing wall time', (c) => `${f(c.indexing.ms / 1000)} s`, (c) => c.indexing.ms),
    row('engine CPU s, indexing (all nodes)', (c) => (Number.isNaN(c.indexing.engineCpuMs) ? '–' : f(c.indexing.engineCpuMs / 1000, 0)), (c) => c.indexing.engineCpuMs),
  ];
  const concurrencies = [...new Set(cols.flatMap((c) => c.runs.map((r) => r.concurrency)))];
  const at = (c: (typeof cols)[number], n: number) => c.runs.find((r) => r.concurrency === n);
  for (const n of concurrencies) {
    lines.push(row(`searches/s, c=${n}`, (c) => f(at(c, n)?.rps ?? NaN, 0), (c) => at(c, n)?.rps ?? NaN));
    lines.push(row(`p50 / p99, c=${n}`, (c) => `${f(at(c, n)?.p50 ?? NaN, 0)} / ${f(at(c, n)?.p99 ?? NaN, 0)} ms`, (c) => at(c, n)?.p50 ?? NaN));
  }
  lines.push(row('errors / partial answers', (c) => `${c.runs.reduce((s, r) => s + errorsOf(r), 0)} / ${c.partial ? 'yes' : 'no'}`));
  lines.push('', SHARD_CORES_NOTE(cores));
  return lines;
}
