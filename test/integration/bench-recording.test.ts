import { recordEngineCalls, RecordingEngine } from '../../scripts/bench/queries';
import { JsonTransport } from '../../services/meili/json-transport';
import { engineFromEnv } from '../support/engine-choice';
import { indexInto, testEngine, uniqueIndex } from '../support/harness';

const engine = testEngine();
const index = uniqueIndex('bench-rec');
const choice = engineFromEnv();

beforeAll(async () => {
  await indexInto(engine, index);
});
afterAll(async () => {
  await engine.deleteIndexIfExists(index);
});

describe('the benchmark engine side', () => {
  it('records the engine requests the API makes per search, and they replay on the engine as they are', async () => {
    const recorder = new RecordingEngine({ url: choice.url, apiKey: choice.apiKey, timeoutMs: 10_000 });
    const calls = await recordEngineCalls(recorder, index, [
      { kind: 'zh', filtered: false, params: { q: '上海合作组织' } },
      { kind: 'en', filtered: true, params: { q: 'summit', outlet: 'xinhua' } },
    ]);
    expect(calls).toHaveLength(2);
    // Each search: its stages of requests (sent together within a stage), at least one stage of one request.
    expect(calls.every((stages) => stages.length >= 1 && stages.every((stage) => stage.length >= 1))).toBe(true);
    const filtered = JSON.stringify(calls[1]);
    expect(filtered).toContain(index);
    expect(filtered).toContain('outlet IN [\\"xinhua\\"]');
    const transport = new JsonTransport({ url: choice.url, apiKey: choice.apiKey, timeoutMs: 10_000 });
    try {
      for (const call of calls.flat(2)) await expect(transport.post('/multi-search', JSON.stringify(call))).resolves.toBeDefined();
    } finally {
      transport.close();
    }
  });
});
