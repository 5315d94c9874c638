import { Metrics, processMetrics } from '../../search-api/metrics';
import type { SearchResponse } from '../../search-api/search/search-service';
import type { RunningServer } from '../../search-api/server';
import { createLogger } from '../../services/logger';
import { freePort } from '../../services/meili/embedded';
import { NodeEngine } from '../../services/meili/node-engine';
import { engineFromEnv } from '../support/engine-choice';
import { indexInto, testEngine, uniqueIndex } from '../support/harness';
import { startApiWith } from '../support/reliability';

const choice = engineFromEnv();
const engine = testEngine();
const index = uniqueIndex('obs');
const DEAD_KEY = 'dead-engine-key-must-never-be-logged-0123456789';
let lines: string[] = [];
const log = createLogger('info', 'test', { write: (s: string) => void lines.push(s) });
let metrics: Metrics;
let live: RunningServer;
let dead: RunningServer;
let indexed: Awaited<ReturnType<typeof indexInto>>;

beforeAll(async () => {
  indexed = await indexInto(engine, index);
  metrics = new Metrics();
  live = await startApiWith({ engine, indexUid: index, log, metrics });
  const deadEngine = new NodeEngine({ url: `http://127.0.0.1:${await freePort()}`, apiKey: DEAD_KEY, timeoutMs: 500 });
  dead = await startApiWith({ engine: deadEngine, indexUid: index, log, metrics });
});
afterAll(async () => {
  await live?.close(1_000);
  await dead?.close(1_000);
  await engine.deleteIndexIfExists(index);
});
beforeEach(() => {
  lines = [];
});

const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, any>);

describe('logs', () => {
  it('writes one JSON line per request with its request id, and no credentials or documents', async () => {
    const res = await fetch(`${live.url}/api/search?q=${encodeURIComponent('上海精神')}`, {
      headers: { authorization: 'Bearer client-secret-token', cookie: 'session=client-secret-cookie' },
    });
    expect(res.status).toBe(200);
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await res.json()) as SearchResponse;
    const entry = parsed().find((l) => l.req?.id === id);
    expect(entry).toMatchObject({ name: 'test', msg: 'request completed', req: { method: 'GET' }, res: { statusCode: 200 } });
    const text = lines.join('');
    for (const secret of ['client-secret-token', 'client-secret-cookie', choice.apiKey]) expect(text).not.toContain(secret);
    for (const hit of body.hits) expect(text).not.toContain(hit.body.slice(0, 40));

    // A caller's own request id is kept when it is well-formed, replaced when it is not.
    const mine = await fetch(`${live.url}/api/search`, { headers: { 'x-request-id': 'trace-abc_123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-abc_123');
    const forged = await fetch(`${live.url}/api/search`, { headers: { 'x-request-id': 'a"} {"evil":1 ' + 'x'.repeat(100) } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs an engine failure with its request id but without the engine key', async () => {
    const res = await fetch(`${dead.url}/api/search?q=x`);
    expect(res.status).toBe(503);
    const id = res.headers.get('x-request-id');
    const failure = parsed().find((l) => l.msg === 'request failed');
    expect(failure).toMatchObject({ level: 50, err: { type: 'EngineUnavailableError' } });
    expect(failure?.req?.id ?? failure?.reqId).toBe(id);
    expect(lines.join('')).not.toContain(DEAD_KEY);
  });

  it('redacts keys wherever a logged object carries them', () => {
    log.info({ config: { MEILI_MASTER_KEY: 'k-master', MEILI_SEARCH_KEY: 'k-search' }, engine: { apiKey: 'k-api' } }, 'boot');
    expect(lines.join('')).not.toMatch(/k-master|k-search|k-api/);
    expect(parsed()[0]).toMatchObject({ config: { MEILI_MASTER_KEY: '[redacted]' }, engine: { apiKey: '[redacted]' } });
  });
});

describe('/metrics', () => {
  it('counts requests and times them by route pattern and status, never by raw path', async () => {
    // Fresh metrics, so the counts below are this test's alone.
    metrics = new Metrics();
    await live.close(1_000);
    await dead.close(1_000);
    live = await startApiWith({ engine, indexUid: index, log, metrics });
    dead = await startApiWith({ engine: new NodeEngine({ url: `http://127.0.0.1:${await freePort()}`, apiKey: DEAD_KEY, timeoutMs: 500 }), indexUid: index, log, metrics });
    for (let i = 0; i < 3; i++) expect((await fetch(`${live.url}/api/search?q=SCO`)).status).toBe(200);
    expect((await fetch(`${live.url}/api/search?limit=0`)).status).toBe(400);
    expect((await fetch(`${live.url}/api/articles/nosuchid123`)).status).toBe(404);
    expect((await fetch(`${live.url}/api/zz-random-path-987`)).status).toBe(404);
    expect((await fetch(`${dead.url}/api/search?q=SCO`)).status).toBe(503);

    const res = await fetch(`${live.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/search",status="200"\} 3$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/search",status="400"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/articles\/:id",status="404"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/search",status="503"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/api\/search",status="200"\} 3$/m);
    expect(text).toMatch(/^engine_errors_total\{kind="unavailable"\} 1$/m);
    expect(text).not.toContain('zz-random-path-987');
    expect(text).not.toContain('nosuchid123');
  });

  it('exposes the indexer counters of runs in this process, and Node process metrics in the server registry', async () => {
    metrics.recordIndexRun(indexed);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^indexer_documents_indexed_total 10$/m);
    expect(text).toMatch(/^indexer_records_skipped_total 0$/m);
    expect(await processMetrics().registry.metrics()).toMatch(/^process_resident_memory_bytes \d+/m);
  });
});
