import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MultiSearchResponse } from 'meilisearch';
import { freePort } from '../../services/meili/embedded';
import { EngineRequestError, EngineUnavailableError } from '../../services/meili/errors';
import { JsonTransport } from '../../services/meili/json-transport';
import { engineFromEnv } from '../support/engine-choice';
import { indexInto, testEngine, uniqueIndex } from '../support/harness';

const engine = testEngine();
const index = uniqueIndex('transport');
const choice = engineFromEnv();
const transport = new JsonTransport({ url: choice.url, apiKey: choice.apiKey, timeoutMs: 10_000 });

beforeAll(async () => {
  await indexInto(engine, index);
});
afterAll(async () => {
  transport.close();
  await engine.deleteIndexIfExists(index);
});

describe('the search transport against the real engine', () => {
  it('answers a multi-search exactly as the client library does', async () => {
    const queries = [{ indexUid: index, q: '上海合作组织', facets: ['outlet'], attributesToRetrieve: ['id'] }];
    const ours = await transport.post<MultiSearchResponse>('/multi-search', JSON.stringify({ queries }));
    const theirs = await engine.client.multiSearch({ queries });
    const strip = (r: MultiSearchResponse) => r.results.map(({ processingTimeMs: _t, ...rest }) => rest);
    expect(strip(ours)).toEqual(strip(theirs));
    expect(ours.results[0]?.hits.length).toBeGreaterThan(0);
  });

  it('reports an engine rejection with the engine error code', async () => {
    const bad = JSON.stringify({ queries: [{ indexUid: index, q: 'x', filter: 'nosuchfield = 1' }] });
    const err = await transport.post('/multi-search', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineRequestError);
    expect((err as EngineRequestError).code).toBe('invalid_search_filter');
  });

  it('reports a wrong key as a rejection, not as an outage', async () => {
    const wrong = new JsonTransport({ url: choice.url, apiKey: 'not-the-key-0123456789', timeoutMs: 5_000 });
    const err = await wrong.post('/multi-search', JSON.stringify({ queries: [] })).catch((e: unknown) => e);
    wrong.close();
    expect(err).toBeInstanceOf(EngineRequestError);
    expect((err as EngineRequestError).code).toBe('invalid_api_key');
  });

  it('reports an engine that is not listening as unavailable', async () => {
    const nobody = new JsonTransport({ url: `http://127.0.0.1:${await freePort()}`, timeoutMs: 5_000 });
    await expect(nobody.post('/multi-search', '{}')).rejects.toBeInstanceOf(EngineUnavailableError);
    nobody.close();
  });

  it('gives up after the timeout with unavailable', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const slow = new JsonTransport({ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, timeoutMs: 200 });
    const started = Date.now();
    await expect(slow.post('/multi-search', '{}')).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(2_000);
    slow.close();
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });

  it('retries once when the engine closed a kept-alive socket in between', async () => {
    // A server that drops a kept-alive connection when a second request arrives on it, without answering: what a
    // client sees when the engine's keep-alive timer fires just as a request goes out.
    let answered = 0;
    const served = new WeakSet<object>();
    const flaky = http.createServer((req, res) => {
      if (served.has(req.socket)) {
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
      answered += 1;
      res.setHeader('content-type', 'application/json');
      res.end('{"results":[]}');
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', () => r()));
    const t = new JsonTransport({ url: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`, timeoutMs: 2_000 });
    try {
      await expect(t.post('/multi-search', '{}')).resolves.toEqual({ results: [] });
      await expect(t.post('/multi-search', '{}')).resolves.toEqual({ results: [] });
      expect(answered).toBe(2);
    } finally {
      t.close();
      flaky.closeAllConnections();
      await new Promise((r) => flaky.close(r));
    }
  });
});
