import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { z } from 'zod';
import { freePort } from '../services/meili/embedded';
import { PROJECT_ROOT } from '../services/paths';

/**
 * `npm run soak`: a bounded load test. Starts the real service (search-api/main.ts: embedded engine, sample corpus, API)
 * on free ports, or targets SOAK_URL, then drives a query mix at it with autocannon and prints requests, errors,
 * latency percentiles and the API process's RSS over time (read from its own /metrics). Exits 1 on any error or non-2xx
 * answer. It reports numbers; it asserts no timings.
 */

const env = z
  .object({
    SOAK_URL: z.url().optional(),
    SOAK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
    SOAK_CONNECTIONS: z.coerce.number().int().min(1).max(1_000).default(32),
    SOAK_SAMPLE_MS: z.coerce.number().int().min(500).default(5_000),
    /** Corpus the started service indexes before the run (default: the bundled sample). */
    SOAK_CORPUS: z.string().optional(),
    /** Log level of the started service; per-request logs at `info` cost throughput and fill the pipe. */
    SOAK_LOG_LEVEL: z.string().default('warn'),
  })
  .parse(process.env);

const q = (params: Record<string, string>) => `/api/search?${new URLSearchParams(params).toString()}`;

/** What the page sends: Chinese, English and mixed queries, filters, sorts, deep pages, and the empty listing. */
export const QUERY_MIX: readonly string[] = [
  q({ q: '上海合作组织' }),
  q({ q: 'Shanghai Cooperation Organisation' }),
  q({ q: '上海精神' }),
  q({ q: 'Tianjin Declaration' }),
  q({ q: '' }),
  q({ q: '峰会', sort: 'newest' }),
  q({ q: 'SCO summit', lang: 'en' }),
  q({ q: '合作', outlet: 'xinhua' }),
  q({ q: '发展', from: '2025-08-25', to: '2025-09-01' }),
  q({ q: 'security', page: '2', limit: '5' }),
  q({ q: '天津 SCO', collapse: 'false' }),
  q({ q: '一带一路 Belt and Road', sort: 'oldest' }),
];

interface Sample {
  atS: number;
  rssMb: number;
  heapMb: number;
}

async function scrape(base: string, startedAt: number): Promise<Sample | null> {
  try {
    const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(2_000) })).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
    return {
      atS: Math.round((Date.now() - startedAt) / 1000),
      rssMb: value('process_resident_memory_bytes') / 2 ** 20,
      heapMb: value('nodejs_heap_size_used_bytes') / 2 ** 20,
    };
  } catch {
    return null;
  }
}

async function startService(): Promise<{ url: string; child: ChildProcess; dataDir: string }> {
  const port = await freePort();
  const meiliPort = await freePort();
  const dataDir = path.join(PROJECT_ROOT, '.data', `soak-${process.pid}`);
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'search-api', 'main.ts')], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MEILI_PORT: String(meiliPort),
      MEILI_DATA_DIR: dataDir,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: env.SOAK_LOG_LEVEL,
      ...(env.SOAK_CORPUS ? { SAMPLE_CORPUS: path.resolve(env.SOAK_CORPUS) } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} during startup`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { url, child, dataDir };
    if (Date.now() > deadline) throw new Error('the service did not become ready');
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopService(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<number> {
  const started = env.SOAK_URL ? null : await startService();
  const base = env.SOAK_URL ?? started?.url ?? '';
  try {
    // One pass of the mix first, so the run starts warm and a broken query fails fast.
    for (const p of QUERY_MIX) {
      const res = await fetch(`${base}${p}`);
      if (!res.ok) throw new Error(`warm-up ${p} answered ${res.status}: ${await res.text()}`);
    }
    const t0 = Date.now();
    const samples: Sample[] = [];
    const first = await scrape(base, t0);
    if (first) samples.push(first);
    const timer = setInterval(() => void scrape(base, t0).then((s) => s && samples.push(s)), env.SOAK_SAMPLE_MS);

    process.stdout.write(`soak: ${env.SOAK_SECONDS} s, ${env.SOAK_CONNECTIONS} connections, ${QUERY_MIX.length} queries in the mix, against ${base}\n`);
    const result = await autocannon({
      url: base,
      connections: env.SOAK_CONNECTIONS,
      duration: env.SOAK_SECONDS,
      requests: QUERY_MIX.map((p) => ({ method: 'GET' as const, path: p })),
    });
    clearInterval(timer);
    const last = await scrape(base, t0);
    if (last) samples.push(last);

    const errors = result.errors + result.timeouts + result.non2xx;
    const lat = result.latency;
    const mid = samples[Math.floor(samples.length / 2)];
    const rows: Array<[string, string]> = [
      ['requests', `${result.requests.total} (${fmt(result.requests.average, 0)}/s average, ${result.requests.max}/s peak)`],
      ['errors', `${result.errors} connection errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx`],
      ['latency ms', `p50 ${lat.p50}, p90 ${lat.p90}, p99 ${lat.p99}, max ${lat.max} (mean ${fmt(lat.average)})`],
      ['throughput', `${fmt(result.throughput.average / 2 ** 20, 2)} MiB/s`],
    ];
    if (samples.length > 0) {
      const s = (x: Sample | undefined) => (x ? `${fmt(x.rssMb)} MiB @${x.atS}s` : 'n/a');
      rows.push(['API RSS', `start ${s(samples[0])}, middle ${s(mid)}, end ${s(samples[samples.length - 1])}`]);
      rows.push(['RSS samples', samples.map((x) => `${x.atS}s:${fmt(x.rssMb, 0)}`).join(' ')]);
      rows.push(['heap used', samples.map((x) => `${x.atS}s:${fmt(x.heapMb, 0)}`).join(' ')]);
    }
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(12)} ${v}\n`);
    process.stdout.write(errors === 0 ? 'soak: OK, zero errors\n' : `soak: FAILED, ${errors} errors\n`);
    return errors === 0 ? 0 : 1;
  } finally {
    if (started) {
      await stopService(started.child);
      rmSync(started.dataDir, { recursive: true, force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
