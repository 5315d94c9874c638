import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBenchArgs } from '../../scripts/bench/args';
import { serviceEnv } from '../../scripts/bench/engine-setup';
import { runClosedLoop, searchOutcome, type SearchPlan } from '../../scripts/bench/load';
import { RecordingEngine, stagesOf, type EngineCall } from '../../scripts/bench/queries';
import { checkGoals, engineSearchesPerSec, renderMarkdown, renderShards, type BenchResults, type SearchSection } from '../../scripts/bench/report';
import type { LoadRun } from '../../scripts/bench/search';
import type { ShardSection } from '../../scripts/bench/shards';

/**
 * The per-search load runner and the recording it replays. The HTTP server here stands in for "some server" the
 * runner drives (it logs when each request arrives and is answered), not for Meilisearch: the engine side itself is
 * exercised by `npm run bench`.
 */

interface Hit {
  path: string;
  arrived: number;
  answered: number;
}

async function withServer(delayMs: (path: string) => number, status: (path: string) => number, fn: (origin: string, hits: Hit[]) => Promise<void>): Promise<void> {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const arrived = performance.now();
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      setTimeout(() => {
        hits.push({ path, arrived, answered: performance.now() });
        res.writeHead(status(path), { 'content-type': 'application/json' });
        res.end(JSON.stringify({ results: [], path }));
      }, delayMs(path));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const call = (n: number): EngineCall => ({ queries: [n] });

describe('engine request stages', () => {
  it('puts requests sent before any answer in one stage and a request sent after an answer in the next', () => {
    expect(
      stagesOf([
        { call: call(1), answeredBefore: 4 },
        { call: call(2), answeredBefore: 4 },
        { call: call(3), answeredBefore: 4 },
        { call: call(4), answeredBefore: 7 },
        { call: call(5), answeredBefore: 8 },
      ]),
    ).toEqual([[call(1), call(2), call(3)], [call(4)], [call(5)]]);
    expect(stagesOf([])).toEqual([]);
  });

  it('records parallel engine calls as one stage and a follow-up as the next', async () => {
    await withServer(
      () => 20,
      () => 200,
      async (origin) => {
        const engine = new RecordingEngine({ url: origin, apiKey: 'k', timeoutMs: 5_000 });
        await Promise.all([engine.multiSearch([{ indexUid: 'a', q: 'x' }]), engine.federatedSearch([{ indexUid: 'a', q: 'y' }], { limit: 1 })]);
        await engine.multiSearch([{ indexUid: 'a', q: 'z' }]);
        const stages = stagesOf(engine.calls);
        expect(stages.map((s) => s.length)).toEqual([2, 1]);
        expect(stages[0]?.[1]).toEqual({ queries: [{ indexUid: 'a', q: 'y' }], federation: { limit: 1 } });
      },
    );
  });
});

describe('closed-loop runner', () => {
  it('counts a search as its worst request', () => {
    expect(searchOutcome(['ok', 'ok'])).toBe('ok');
    expect(searchOutcome(['ok', 'non2xx'])).toBe('non2xx');
    expect(searchOutcome(['non2xx', 'error'])).toBe('error');
    expect(searchOutcome(['error', 'timeout'])).toBe('timeout');
  });

  it('sends a stage in parallel, waits for it before the next, and times the whole search', async () => {
    const plan: SearchPlan = [
      [
        { method: 'POST', path: '/a', body: '{}' },
        { method: 'POST', path: '/b', body: '{}' },
      ],
      [{ method: 'GET', path: '/c' }],
    ];
    // 150 ms answers: long enough that a loaded machine (the whole suite runs in parallel) cannot delay the second
    // request's arrival past the first one's answer, which failed this test once with 40 ms.
    await withServer(
      () => 150,
      () => 200,
      async (origin, hits) => {
        const r = await runClosedLoop({ origin, plans: [plan], concurrency: 1, durationSec: 0.01 });
        expect(r.completed).toBe(1);
        expect(r.httpRequests).toBe(3);
        const by = Object.fromEntries(hits.map((h) => [h.path, h]));
        const [a, b, c] = [by['/a'], by['/b'], by['/c']];
        if (!a || !b || !c) throw new Error(`missing requests: ${hits.map((h) => h.path).join()}`);
        // /a and /b were both in flight together; /c went out only after both answered.
        expect(Math.max(a.arrived, b.arrived)).toBeLessThan(Math.min(a.answered, b.answered));
        expect(c.arrived).toBeGreaterThanOrEqual(Math.max(a.answered, b.answered));
        // The search's time covers both stages (two 150 ms answers in a row), not just the first.
        expect(r.latencies[0]).toBeGreaterThanOrEqual(298);
      },
    );
  });

  it('keeps `concurrency` searches in flight and counts failed searches apart from latencies', async () => {
    const plans: SearchPlan[] = [[[{ method: 'GET', path: '/ok' }]], [[{ method: 'GET', path: '/fail' }], [{ method: 'GET', path: '/never' }]]];
    await withServer(
      () => 30,
      (p) => (p === '/fail' ? 503 : 200),
      async (origin, hits) => {
        const r = await runClosedLoop({ origin, plans, concurrency: 4, durationSec: 0.2 });
        expect(r.non2xx).toBeGreaterThan(0);
        expect(r.completed).toBeGreaterThan(0);
        expect(r.latencies).toHaveLength(r.completed);
        expect(r.errors).toBe(0);
        // A failed first stage ends the search: the follow-up that needed its answer is not sent.
        expect(hits.some((h) => h.path === '/never')).toBe(false);
        // One worker could finish at most eight 30 ms searches in about 200 ms; four do more.
        expect(r.completed + r.non2xx).toBeGreaterThan(10);
      },
    );
  });

  it('counts a refused connection as an error', async () => {
    const r = await runClosedLoop({ origin: 'http://127.0.0.1:1', plans: [[[{ method: 'GET', path: '/' }]]], concurrency: 1, durationSec: 0.05 });
    expect(r.completed).toBe(0);
    expect(r.errors).toBeGreaterThan(0);
  });
});

describe('bench options and service environment', () => {
  it('runs the sharded section with 3 nodes unless told otherwise', () => {
    expect(parseBenchArgs([]).shards).toBe(3);
    expect(parseBenchArgs(['--shards', '4']).shards).toBe(4);
    expect(parseBenchArgs(['--no-shards']).shards).toBe(0);
    expect(() => parseBenchArgs(['--shards', '1'])).toThrow(/shards/);
  });

  it("replaces the shell's engine location with the started engine's", () => {
    const env = serviceEnv({ PATH: '/bin', MEILI_URL: 'http://elsewhere', MEILI_SHARDS: '3', MEILI_SEARCH_KEY: 's', MEILI_SEARCH_KEY_FILE: '/run/k' }, { env: { MEILI_NETWORK: 'n0=http://a,n1=http://b', MEILI_MASTER_KEY: 'k' } }, { MEILI_INDEX: 'i' });
    expect(env).toEqual({ PATH: '/bin', MEILI_NETWORK: 'n0=http://a,n1=http://b', MEILI_MASTER_KEY: 'k', MEILI_INDEX: 'i' });
  });
});

describe('per-search report', () => {
  const run = (target: 'engine' | 'api', concurrency: number, rps: number, p50: number, p99: number, errors = 0): LoadRun => ({
    target, concurrency, requests: rps * 10, rps, p50, p99, errors, non2xx: 0, timeouts: 0, cpuMsPerRequest: 1, maxRssBytes: null,
  });
  const search: SearchSection = {
    articles: 100,
    queries: { count: 10, seed: 1, kinds: { zh: 10 }, filtered: 0, engineRequests: 23, engineStages: 12 },
    timing: 'per-search',
    durationSec: 5,
    runs: [{ concurrency: 8, engine: run('engine', 8, 50, 100, 200), api: run('api', 8, 45, 110, 230) }],
  };

  it('takes the engine rate as searches/s when timed per search, and divides older per-request rates', () => {
    expect(engineSearchesPerSec(search, run('engine', 8, 50, 1, 1))).toBe(50);
    expect(engineSearchesPerSec({ ...search, timing: undefined }, run('engine', 8, 46, 1, 1))).toBeCloseTo(20);
  });

  const shards: ShardSection = {
    articles: 2000,
    queries: 200,
    durationSec: 5,
    columns: [
      { setup: '1 node', nodes: 1, documentsPerNode: [2000], indexing: { ms: 10_000, articlesPerSec: 200, mbPerSec: 0.2, peakRssBytes: 1, engineCpuMs: 5000 }, runs: [run('api', 8, 20, 300, 700)], partial: false },
      { setup: '3 nodes', nodes: 3, documentsPerNode: [600, 700, 700], indexing: { ms: 12_500, articlesPerSec: 160, mbPerSec: 0.16, peakRssBytes: 1, engineCpuMs: 9000 }, runs: [run('api', 8, 5, 1200, 2000, 2)], partial: false },
    ],
  };

  it('renders the sharded columns against one node, with the note on shared cores', () => {
    const md = renderShards(shards, 2).join('\n');
    expect(md).toContain('| documents per node | 2,000 | 600 / 700 / 700 |  |');
    expect(md).toContain('| indexing art/s (MB/s) | 200 (0.20) | 160 (0.16) | 0.80× |');
    expect(md).toContain('| searches/s, c=8 | 20 | 5 | 0.25× |');
    expect(md).toContain('| p50 / p99, c=8 | 300 / 700 ms | 1200 / 2000 ms | 4.00× |');
    expect(md).toContain('| errors / partial answers | 0 / no | 2 / no |');
    expect(md).toContain('2-core machine');
  });

  it('fails the zero-errors goal on sharded errors and says per search in the search table', () => {
    const results: BenchResults = {
      startedAt: '', finishedAt: '2025-01-01T00:00:00Z', machine: { cores: 2, cpu: 't', node: '20', loadBefore: [0], loadAfter: [0] }, engineSetup: '1 node',
      corpus: { source: 't', base: 2000, batchSize: 10 }, segmentation: null, indexing: [], search, shards, failures: [],
    };
    const goals = Object.fromEntries(checkGoals(results).map((g) => [g.goal, g.pass]));
    expect(goals['zero errors']).toBe(true);
    expect(goals['zero errors, no partial answers (sharded section)']).toBe(false);
    expect(goals['API p50 at c=8 ≤ 1.15× engine']).toBe(true);
    const md = renderMarkdown(results);
    expect(md).toContain('2.30 per search in 1.20 round trips');
    expect(md).toContain('| 8 | 50 | 45 | 90% | 100 ms | 110 ms | 1.10× |');
    expect(md).toContain('**Sharding**');
  });
});
