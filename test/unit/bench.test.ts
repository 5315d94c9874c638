import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseBenchArgs } from '../../scripts/bench/args';
import { interleave, replicaLine, writeCorpus } from '../../scripts/bench/corpus';
import { parseProcStatus } from '../../scripts/bench/proc';
import { apiPath, generateQueries, seededRandom, type QueryPool } from '../../scripts/bench/queries';
import { checkGoals, renderMarkdown, type BenchResults } from '../../scripts/bench/report';
import { percentile } from '../../scripts/bench/search';
import { pooledRuns } from '../../scripts/bench/indexing';
import { owner } from '../../scripts/bench/cpuprofile';
import { articleId } from '../../indexer/document';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-unit-'));

describe('benchmark corpus', () => {
  const zh = path.join(dir, 'zh.jsonl');
  const en = path.join(dir, 'en.jsonl');
  const rec = (title: string, outlet: string) => JSON.stringify({ title, body: `${title} body`, outlet, published: null });
  writeFileSync(zh, ['甲', '乙', '丙', '丁', '戊', '己'].map((t) => rec(t, '央视网')).join('\n') + '\n');
  writeFileSync(en, ['a', 'b', 'c'].map((t) => rec(t, 'Reuters')).join('\n') + '\n');

  it('interleaves files in proportion to their lengths', async () => {
    const titles: string[] = [];
    for await (const line of interleave([zh, en])) titles.push((JSON.parse(line) as { title: string }).title);
    expect(titles).toHaveLength(9);
    // 2:1, so every prefix of three holds two Chinese lines and one English line.
    for (let i = 0; i < 9; i += 3) expect(titles.slice(i, i + 3).filter((t) => /[a-z]/.test(t))).toHaveLength(1);
  });

  it('replicates with distinct article ids and the same fields', async () => {
    const out = path.join(dir, 'out.jsonl');
    const written = await writeCorpus({ label: 't', files: [zh, en] }, 20, out);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(written.articles).toBe(20);
    expect(lines).toHaveLength(20);
    expect(written.bytes).toBe(Buffer.byteLength(readFileSync(out)));
    const ids = lines.map((l) => {
      const r = JSON.parse(l) as { title: string; body: string; outlet: string };
      return articleId(r.outlet, null, r.title, r.body);
    });
    expect(new Set(ids).size).toBe(20);
  });

  it('leaves copy 0 untouched and marks later copies in the title only', () => {
    const line = rec('标题', '央视网');
    expect(replicaLine(line, 0)).toBe(line);
    expect(JSON.parse(replicaLine(line, 3))).toEqual({ ...JSON.parse(line), title: '标题 (3)' });
  });
});

describe('benchmark query mix', () => {
  const pool: QueryPool = { zhWords: ['上合组织', '经济', '会议'], enWords: ['trade', 'china', 'summit'], outlets: ['cctv', 'reuters'], days: ['2025-09-01', '2025-09-02'] };

  it('is the same for the same seed and differs for another', () => {
    expect(generateQueries(pool, 30, 7)).toEqual(generateQueries(pool, 30, 7));
    expect(generateQueries(pool, 30, 7)).not.toEqual(generateQueries(pool, 30, 8));
  });

  it('mixes Chinese, English and mixed queries, half of them filtered', () => {
    const qs = generateQueries(pool, 60, 1);
    expect(qs.filter((q) => q.kind === 'zh')).toHaveLength(20);
    expect(qs.filter((q) => q.kind === 'mixed').every((q) => /\p{Script=Han}/u.test(String(q.params.q)) && /[a-z]/.test(String(q.params.q)))).toBe(true);
    expect(qs.filter((q) => q.filtered)).toHaveLength(30);
    expect(qs.filter((q) => !q.filtered).every((q) => Object.keys(q.params).join() === 'q')).toBe(true);
  });

  it('writes the query string the page would send', () => {
    const q = { kind: 'zh' as const, filtered: true, params: { q: '上合組織', outlet: 'cctv', from: '2025-09-01', to: '2025-09-02' } };
    expect(apiPath(q)).toBe('/api/search?q=%E4%B8%8A%E5%90%88%E7%B5%84%E7%B9%94&outlet=cctv&from=2025-09-01&to=2025-09-02');
  });

  it('draws numbers in [0, 1)', () => {
    const r = seededRandom(1);
    const xs = Array.from({ length: 1000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
  });
});

describe('benchmark measurement helpers', () => {
  it('reads RSS and its peak from /proc status text', () => {
    expect(parseProcStatus('Name:\tnode\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n')).toEqual({ rss: 100 * 1024 * 1024, hwm: 200 * 1024 * 1024 });
    expect(parseProcStatus('Name:\tzombie\n')).toBeNull();
  });

  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 0.5)).toBe(50);
    expect(percentile(xs, 0.99)).toBe(99);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('names the package a profiled function belongs to', () => {
    expect(owner('file:///w/node_modules/@pinojs/redact/index.js')).toBe('@pinojs/redact');
    expect(owner('node:internal/streams/writable')).toBe('node core');
    expect(owner('file:///w/dist/services/text/highlight.js')).toBe('project services/');
  });

  it('parses options, with --quick shrinking the defaults', () => {
    expect(parseBenchArgs([])).toMatchObject({ base: 12_500, multiples: [1, 4, 16], durationSec: 20, concurrency: [1, 8, 32] });
    expect(parseBenchArgs(['--quick', '--concurrency=4'])).toMatchObject({ base: 2_000, multiples: [1, 4], concurrency: [4] });
    expect(() => parseBenchArgs(['--base', '-3'])).toThrow(/base/);
    expect(() => parseBenchArgs(['--nope', '1'])).toThrow(/usage/);
  });
});

describe('benchmark report', () => {
  const run = (target: 'engine' | 'api', concurrency: number, rps: number, p50: number, p99: number) => ({
    target, concurrency, requests: rps * 10, rps, p50, p99, errors: 0, non2xx: 0, timeouts: 0, cpuMsPerRequest: 1, maxRssBytes: target === 'api' ? 150 * 1024 * 1024 : null,
  });
  const results: BenchResults = {
    startedAt: '2025-01-01T00:00:00Z',
    finishedAt: '2025-01-01T00:10:00Z',
    machine: { cores: 2, cpu: 'test', node: '20', loadBefore: [0, 0, 0], loadAfter: [0, 0, 0] },
    engineSetup: '1 node',
    corpus: { source: 'test', base: 100, batchSize: 10 },
    segmentation: { mbPerSec: 10, mb: 1 },
    indexing: [
      { multiple: 1, articles: 100, mb: 1, direct: { ms: 1000, docs: 100, articlesPerSec: 100, mbPerSec: 1 }, indexer: { ms: 1100, docs: 100, articlesPerSec: 90, mbPerSec: 0.9, peakRssBytes: 100 } },
      { multiple: 4, articles: 400, mb: 4, direct: { ms: 4000, docs: 400, articlesPerSec: 100, mbPerSec: 1 }, indexer: { ms: 5000, docs: 400, articlesPerSec: 70, mbPerSec: 0.8, peakRssBytes: 160 } },
    ],
    failures: [],
    search: { articles: 100, queries: { count: 3, seed: 1, kinds: { zh: 1, en: 1, mixed: 1 }, filtered: 1 }, durationSec: 10, runs: [{ concurrency: 8, engine: run('engine', 8, 100, 10, 20), api: run('api', 8, 90, 11, 30) }] },
  };

  it('checks each goal against the figures', () => {
    const goals = Object.fromEntries(checkGoals(results).map((g) => [g.goal, g.pass]));
    expect(goals['API p50 at c=8 ≤ 1.15× engine']).toBe(true);
    expect(goals['API throughput at c=8 ≥ 85% of engine']).toBe(true);
    expect(goals['indexer ≥ 80% of direct ingest (every size)']).toBe(false);
    expect(goals['indexer RSS at 4x ≤ 1.5× RSS at 1x']).toBe(false);
  });

  it('renders ratios to the engine in the table', () => {
    const md = renderMarkdown(results);
    expect(md).toContain('| 8 | 100 | 90 | 90% | 10 ms | 11 ms | 1.10× |');
    expect(md).toContain('| 4x | 400 | 4.0 | 100 (1.00) | 70 (0.80) | 70% |');
    expect(md).toContain('2 cores');
  });
});

describe('pooled indexing runs', () => {
  it('pools interleaved runs as articles over total time, and refuses runs that left different counts', () => {
    const pooled = pooledRuns([{ ms: 10_000, docs: 1000, engineCpuMs: 4000 }, { ms: 30_000, docs: 1000, engineCpuMs: 6000 }], 2 * 1024 * 1024);
    expect(pooled.articlesPerSec).toBeCloseTo(50);
    expect(pooled.mbPerSec).toBeCloseTo(0.1);
    expect(pooled.ms).toBe(20_000);
    expect(pooled.engineCpuMs).toBe(5000);
    expect(() => pooledRuns([{ ms: 1, docs: 1, engineCpuMs: 0 }, { ms: 1, docs: 2, engineCpuMs: 0 }], 1)).toThrow(/1 and 2 documents/);
  });

  it('runs every size but the largest twice by default, once with --quick or --rounds 1', () => {
    expect(parseBenchArgs([]).indexingRounds).toBe(2);
    expect(parseBenchArgs(['--quick']).indexingRounds).toBe(1);
    expect(parseBenchArgs(['--rounds', '1']).indexingRounds).toBe(1);
    expect(() => parseBenchArgs(['--rounds', '0'])).toThrow(/rounds/);
  });
});
