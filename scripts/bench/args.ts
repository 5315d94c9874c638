import { z } from 'zod';

/** `npm run bench -- [options]`; --quick is a smoke run of the whole benchmark in a couple of minutes. */
export const USAGE = `usage: npm run bench -- [options]
  --quick              small sizes and short runs (1x = 2,000 articles, 4x only, 5 s per search run)
  --base N             articles at 1x (default 12500; the 16x run indexes 16 * N)
  --multiples 1,4,16   corpus sizes as multiples of --base
  --batch N            indexer and direct-ingest batch size (default 2000, the indexer's default)
  --rounds N           indexing runs per side at every size but the largest, interleaved ABBA (default 2)
  --duration S         seconds per search measurement (default 20)
  --concurrency 1,8,32 search concurrencies
  --queries N          size of the query mix (default 200)
  --seed N             seed of the query mix (default 42)
  --engine NAME        engine setup: single (default); external (BENCH_MEILI_URL, BENCH_MEILI_MASTER_KEY,
                       BENCH_MEILI_PIDS): an engine you run, kept between runs
  --skip-indexing | --skip-search
  --shards N           nodes of the sharded section: 1 node against N nodes on the 1x corpus (default 3)
  --no-shards          skip the sharded section (--skip-indexing --skip-search: the sharded section alone)
  --out DIR            results folder (default bench-results)
  --render FILE.json   print the Markdown of an earlier run's results and exit
  --profile-api DIR    run the API under node --cpu-prof, profiles into DIR (summarise: tsx scripts/bench/cpuprofile.ts FILE)`;

const csvInts = z
  .string()
  .transform((s) => s.split(',').map((v) => Number(v.trim())))
  .pipe(z.array(z.number().int().positive()).min(1));

export const benchOptionsSchema = z.object({
  quick: z.boolean().default(false),
  base: z.coerce.number().int().positive().optional(),
  multiples: csvInts.optional(),
  batch: z.coerce.number().int().positive().default(2000),
  rounds: z.coerce.number().int().min(1).max(6).optional(),
  duration: z.coerce.number().positive().optional(),
  concurrency: csvInts.optional(),
  queries: z.coerce.number().int().positive().default(200),
  seed: z.coerce.number().int().default(42),
  engine: z.string().default('single'),
  skipIndexing: z.boolean().default(false),
  skipSearch: z.boolean().default(false),
  shards: z.coerce.number().int().min(2).max(8).default(3),
  noShards: z.boolean().default(false),
  out: z.string().default('bench-results'),
  profileApi: z.string().optional(),
  render: z.string().optional(),
});

export interface BenchOptions {
  quick: boolean;
  base: number;
  multiples: number[];
  batch: number;
  /** Runs per side of each indexing size but the largest (interleaved, pooled). */
  indexingRounds: number;
  durationSec: number;
  concurrency: number[];
  queries: number;
  seed: number;
  engine: string;
  skipIndexing: boolean;
  skipSearch: boolean;
  /** Nodes of the sharded column, or 0 when the sharded section is skipped. */
  shards: number;
  out: string;
  profileApi: string | undefined;
  render: string | undefined;
}

const FLAGS = new Set(['quick', 'skip-indexing', 'skip-search', 'no-shards']);

/** Parses argv into options; throws with the usage text on anything unknown. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const name = m[1];
    const key = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (FLAGS.has(name)) raw[key] = true;
    else if (m[2] !== undefined) raw[key] = m[2];
    else if (i + 1 < argv.length) raw[key] = argv[++i] ?? '';
    else throw new Error(`--${name} needs a value\n${USAGE}`);
  }
  const parsed = benchOptionsSchema.strict().safeParse(raw);
  if (!parsed.success) throw new Error(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}`);
  const o = parsed.data;
  return {
    quick: o.quick,
    base: o.base ?? (o.quick ? 2_000 : 12_500),
    multiples: o.multiples ?? (o.quick ? [1, 4] : [1, 4, 16]),
    batch: o.batch,
    indexingRounds: o.rounds ?? (o.quick ? 1 : 2),
    durationSec: o.duration ?? (o.quick ? 5 : 20),
    concurrency: o.concurrency ?? [1, 8, 32],
    queries: o.queries,
    seed: o.seed,
    engine: o.engine,
    skipIndexing: o.skipIndexing,
    skipSearch: o.skipSearch,
    shards: o.noShards ? 0 : o.shards,
    out: o.out,
    profileApi: o.profileApi,
    render: o.render,
  };
}
