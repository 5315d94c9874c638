import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_MARKER, LEASE_MARKER, reindex, ReindexRefused, type ReindexResult } from '../../indexer/reindex';
import { silentLogger } from '../../services/logger';
import { keyUid } from '../../services/meili/keys';
import { engineFromEnv } from '../support/engine-choice';
import { testEngine, uniqueIndex } from '../support/harness';
import { collect, sleep, spawnTs, syntheticArticles, waitFor, writeJsonl } from '../support/reliability';

/**
 * Two reindexes of one index at once: the second must be refused with a clear message, whatever process or machine it
 * runs on, and must not touch the build index the first is filling. The first reads its corpus from a named pipe, so
 * the test decides how long it runs (no race with the clock): it is held mid-build while the second starts.
 */

const choice = engineFromEnv();
const engine = testEngine(30_000);
const live = uniqueIndex('lease');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-lease-'));
const env = { MEILI_URL: choice.url, MEILI_MASTER_KEY: choice.apiKey, MEILI_INDEX: live, LOG_LEVEL: 'warn' };
const lines = (records: readonly object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');

afterAll(async () => {
  for (const uid of await engine.listIndexUids(live)) await engine.deleteIndexIfExists(uid);
  for (const role of ['search', 'indexer'] as const) await engine.client.deleteKey(keyUid(role, live)).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const leases = () => engine.listIndexUids(`${live}${LEASE_MARKER}_`);
const builds = () => engine.listIndexUids(`${live}${BUILD_MARKER}`);

/** A reindex reading a named pipe: it runs until `finish` closes the pipe. */
function heldReindex(name: string, first: readonly object[]): { result: Promise<ReindexResult>; finish(rest: readonly object[]): void } {
  const fifo = path.join(dir, `${name}.jsonl`);
  execFileSync('mkfifo', [fifo]);
  const result = reindex({ engine, liveIndex: live, files: [fifo], batchSize: 20, log: silentLogger, minRatio: 0 });
  const pipe: WriteStream = createWriteStream(fifo);
  pipe.write(lines(first));
  return {
    result,
    finish(rest) {
      pipe.end(lines(rest));
    },
  };
}

it('refuses a second reindex, from another process, while one is building, and leaves the first to finish', async () => {
  const articles = syntheticArticles(300, 'leased');
  const first = heldReindex('first', articles.slice(0, 100));
  // The first is building: its build index has documents.
  await waitFor('the first reindex to be building', async () => {
    const [build] = await builds();
    return build && (await engine.countDocuments(build)) > 0 ? true : undefined;
  }, 60_000, 100);
  const [building] = await builds();
  expect(await leases()).toHaveLength(1);

  const second = collect(spawnTs('indexer/reindex.ts', [writeJsonl(path.join(dir, 'second.jsonl'), syntheticArticles(50, 'other'))], env));
  expect((await second.exit).code).toBe(1);
  expect(second.out()).toMatch(new RegExp(`reindex refused, live index ${live} unchanged: another reindex of it is running, held by \\S+ \\(last heartbeat \\d+ s ago\\)`));
  // The second removed only its own lease, and nothing of the first.
  expect(await builds()).toEqual([building]);
  expect(await leases()).toHaveLength(1);

  first.finish(articles.slice(100));
  const r = await first.result;
  expect(r).toMatchObject({ count: 300, summary: { failedTasks: [] } });
  expect(await engine.countDocuments(live)).toBe(300);
  expect(await leases()).toEqual([]);
  expect(await builds()).toEqual([]);
}, 180_000);

it('refuses to swap when its lease was taken for dead while it built', async () => {
  const held = heldReindex('lost', syntheticArticles(40, 'lost'));
  await waitFor('the reindex to hold its lease', async () => ((await leases()).length === 1 ? true : undefined), 60_000, 100);
  // What a contender does to a lease it found stale.
  for (const uid of await leases()) await engine.deleteIndexIfExists(uid);
  held.finish([]);
  await expect(held.result).rejects.toThrow(/its lease \S+ was taken for dead/);
  expect(await engine.countDocuments(live)).toBe(300);
  expect(await builds()).toEqual([]);
}, 120_000);

it('removes the lease and the build index of a reindex that died, once its heartbeat is stale, and runs', async () => {
  const deadLease = `${live}${LEASE_MARKER}_crashed-host-4242-abcdef`;
  const deadBuild = `${live}${BUILD_MARKER}20000101000000000`;
  await engine.createIndex(deadLease);
  await engine.prepareIndex(deadBuild, 'id', {});
  const file = writeJsonl(path.join(dir, 'after-crash.jsonl'), syntheticArticles(300, 'leased'));

  // While its heartbeat is recent, the dead run still counts as running.
  await expect(reindex({ engine, liveIndex: live, files: [file], log: silentLogger, lease: { staleMs: 60_000 } })).rejects.toBeInstanceOf(ReindexRefused);
  expect(await builds()).toEqual([deadBuild]);

  await sleep(2_500);
  const r = await reindex({ engine, liveIndex: live, files: [file], log: silentLogger, lease: { staleMs: 2_000 } });
  expect(r.count).toBe(300);
  expect(await leases()).toEqual([]);
  expect(await builds()).toEqual([]);
}, 180_000);
