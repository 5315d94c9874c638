import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeEngine } from '../../services/meili/node-engine';
import { EngineUnavailableError } from '../../services/meili/errors';
import { testEngine, uniqueIndex } from '../support/harness';

const engine = testEngine();
const index = uniqueIndex('tasks');

afterAll(async () => {
  await engine.deleteIndexIfExists(index);
});

describe('waiting for engine tasks', () => {
  it('returns only the tasks that failed, with the engine reason', async () => {
    const ok = await engine.addDocuments(index, [{ id: 'a1', title: 'fine' }], 'id');
    const bad = await engine.addDocuments(index, [{ id: 'not a valid id!', title: 'refused' }], 'id');
    const ok2 = await engine.addDocuments(index, [{ id: 'a2', title: 'fine too' }], 'id');
    const failed = await engine.waitForTasks([ok, bad, ok2]);
    expect(failed.map((f) => f.uid)).toEqual([bad]);
    expect(failed[0]?.error).toMatch(/invalid_document_id/);
    expect(await engine.countDocuments(index)).toBe(2);
  });

  it('gives up on a task that never finishes after the timeout', async () => {
    // Fault injection: an "engine" whose task stays processing forever.
    let polls = 0;
    const stuck = http.createServer((req, res) => {
      polls += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ uid: 7, indexUid: 'x', status: 'processing', type: 'documentAdditionOrUpdate', enqueuedAt: new Date().toISOString() }));
    });
    await new Promise<void>((r) => stuck.listen(0, '127.0.0.1', () => r()));
    const e = new NodeEngine({ url: `http://127.0.0.1:${(stuck.address() as AddressInfo).port}`, timeoutMs: 2_000 });
    try {
      const started = Date.now();
      await expect(e.waitForTasks([7], 600)).rejects.toBeInstanceOf(EngineUnavailableError);
      expect(Date.now() - started).toBeLessThan(2_000);
      // Backing off: a handful of polls in 600 ms, not one every few milliseconds.
      expect(polls).toBeGreaterThan(2);
      expect(polls).toBeLessThan(15);
    } finally {
      stuck.closeAllConnections();
      await new Promise((r) => stuck.close(r));
    }
  });
});
