import { BatchWriter, type DocumentStore } from '../../indexer/batch-writer';
import type { FailedTask } from '../../services/meili/engine';
import { silentLogger } from '../../services/logger';

type Doc = { id: string } & Record<string, unknown>;

/**
 * The engine as far as the writer sees it, with the behaviour that matters: tasks run in order, everything enqueued
 * since the last run is processed as one autobatch, and a document whose title is 'bad' fails the whole autobatch
 * with the code the real engine gives a lone surrogate. An update of a missing document creates it (as the engine does).
 */
class AutobatchingStore implements DocumentStore {
  readonly docs = new Map<string, Doc>();
  private readonly queue: Array<{ uid: number; kind: 'add' | 'update' | 'delete'; docs: Doc[] }> = [];
  private readonly results = new Map<number, FailedTask | null>();
  private nextUid = 0;
  sent: Array<{ kind: string; ids: string[] }> = [];

  async addDocuments(_uid: string, docs: readonly object[]): Promise<number> {
    return this.enqueue('add', docs as Doc[]);
  }
  async updateDocuments(_uid: string, docs: readonly object[]): Promise<number> {
    return this.enqueue('update', docs as Doc[]);
  }
  async deleteDocuments(_uid: string, ids: readonly string[]): Promise<number> {
    return this.enqueue('delete', ids.map((id) => ({ id })));
  }
  async getDocument<T extends object>(_uid: string, id: string): Promise<T | null> {
    return (this.docs.get(id) as T | undefined) ?? null;
  }
  async waitForTasks(uids: readonly number[]): Promise<FailedTask[]> {
    if (uids.some((u) => !this.results.has(u))) this.process();
    return uids.flatMap((u) => {
      const r = this.results.get(u);
      return r ? [r] : [];
    });
  }
  /** Runs what is enqueued now as one autobatch (so tasks enqueued later wait for the next call). */
  process(): void {
    const batch = this.queue.splice(0);
    const bad = batch.some((t) => t.kind !== 'delete' && t.docs.some((d) => d.title === 'bad'));
    for (const t of batch) {
      if (bad) {
        this.results.set(t.uid, { uid: t.uid, type: 'documentAdditionOrUpdate', code: 'internal', error: 'internal: Index `x`: internal: unexpected end of hex escape at line 1 column 12.' });
        continue;
      }
      for (const d of t.docs) {
        if (t.kind === 'delete') this.docs.delete(d.id);
        else this.docs.set(d.id, t.kind === 'add' ? { ...d } : { ...this.docs.get(d.id), ...d });
      }
      this.results.set(t.uid, null);
    }
  }
  private enqueue(kind: 'add' | 'update' | 'delete', docs: Doc[]): number {
    const uid = this.nextUid++;
    // The engine has its own copy of the payload from the moment it answers.
    this.queue.push({ uid, kind, docs: docs.map((d) => structuredClone(d)) });
    this.sent.push({ kind, ids: docs.map((d) => d.id) });
    return uid;
  }
}

const doc = (id: string, extra: Record<string, unknown> = {}): Doc => ({ id, title: `t${id}`, group: [] as string[], ...extra });
const grouped = (id: string, group: string[]): Doc => ({ id, group });
const at = (line: number) => ({ file: 'f.jsonl', line });
const batch = (from: number, n: number, bad: number[] = []) => {
  const ids = Array.from({ length: n }, (_, i) => from + i);
  return { docs: ids.map((i) => doc(String(i), bad.includes(i) ? { title: 'bad' } : {})), locations: ids.map((i) => at(i)) };
};

function writer(store: DocumentStore, maxBatchesInFlight = 3): BatchWriter {
  return new BatchWriter(store, 'x', 'id', { maxBatchesInFlight, log: silentLogger });
}

describe('BatchWriter', () => {
  it('stores every good document of batches autobatched with a bad one and reports the bad one with its line', async () => {
    const store = new AutobatchingStore();
    const w = writer(store);
    for (const b of [batch(0, 8), batch(8, 8, [11]), batch(16, 8)]) await w.add(b.docs, b.locations);
    await w.finish();
    expect(w.failedTasks).toEqual([]);
    expect(w.accepted).toBe(23);
    expect(w.rejected).toEqual([{ id: '11', location: at(11), reason: expect.stringMatching(/^the engine refused it: internal: .*hex escape/) }]);
    expect([...store.docs.keys()].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 24 }, (_, i) => String(i)).filter((id) => id !== '11'));
  });

  it('keeps at most the configured number of batches unacknowledged', async () => {
    const store = new AutobatchingStore();
    const w = writer(store, 2);
    const waits: number[] = [];
    const wait = store.waitForTasks.bind(store);
    store.waitForTasks = async (uids) => {
      waits.push(...uids);
      return wait(uids);
    };
    for (let i = 0; i < 5; i++) {
      const b = batch(i * 4, 4);
      await w.add(b.docs, b.locations);
      // After the third batch the first is waited for, after the fourth the second, ...
      expect(waits).toEqual(Array.from({ length: Math.max(0, i - 1) }, (_, k) => k));
    }
    await w.finish();
    expect(w.accepted).toBe(20);
  });

  it('sends a refused batch again with the group fields of updates made while it was in flight', async () => {
    const store = new AutobatchingStore();
    const w = writer(store);
    const first = batch(0, 4, [2]);
    await w.add(first.docs, first.locations);
    // The engine runs the first batch alone (it fails); the update that follows is its own autobatch and succeeds.
    store.process();
    await w.update([grouped('1', ['1', '9'])]);
    store.process();
    await w.finish();
    expect(store.docs.get('1')).toEqual({ id: '1', title: 't1', group: ['1', '9'] });
    expect(w.accepted).toBe(3);
  });

  it('sends a refused batch again only once the batches in flight are done, so a bad one among them cannot fail it', async () => {
    const store = new AutobatchingStore();
    const w = writer(store, 1);
    const first = batch(0, 2, [1]);
    await w.add(first.docs, first.locations);
    await w.update([grouped('9', ['9', '0'])]);
    // The addition and the update fail together.
    store.process();
    const second = batch(2, 2);
    await w.add(second.docs, second.locations);
    // Enqueued, then the failed update is the oldest in flight and is settled while this bad batch still waits.
    const third = batch(4, 2, [5]);
    await w.add(third.docs, third.locations);
    await w.finish();
    expect(w.failedTasks).toEqual([]);
    expect(w.rejected.map((r) => r.id)).toEqual(['1', '5']);
    expect(w.accepted).toBe(4);
    expect(store.docs.get('9')).toEqual({ id: '9', group: ['9', '0'] });
  });

  it('removes the partial document an update made of a document the engine then refused, and sends it no more updates', async () => {
    const store = new AutobatchingStore();
    const w = writer(store);
    const first = batch(0, 2, [1]);
    await w.add(first.docs, first.locations);
    store.process();
    await w.update([grouped('1', ['1', '5'])]);
    store.process();
    expect(store.docs.get('1')).toEqual({ id: '1', group: ['1', '5'] });
    await w.finish();
    expect(store.docs.has('1')).toBe(false);
    store.sent = [];
    await w.update([grouped('1', ['1', '5', '6']), grouped('0', ['0', '6'])]);
    await w.finish();
    expect(store.sent).toEqual([{ kind: 'update', ids: ['0'] }]);
  });

  it('reports a failure that no document is to blame for, without splitting', async () => {
    const store = new AutobatchingStore();
    store.waitForTasks = async (uids) => uids.map((uid) => ({ uid, type: 'documentAdditionOrUpdate', code: 'no_space_left_on_device', error: 'no_space_left_on_device: No space left on device' }));
    const w = writer(store);
    const b = batch(0, 8);
    await w.add(b.docs, b.locations);
    await w.finish();
    expect(w.accepted).toBe(0);
    expect(w.rejected).toEqual([]);
    expect(w.failedTasks).toHaveLength(1);
    expect(store.sent).toHaveLength(1);
  });
});
