import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyUid } from '../../services/meili/keys';
import { engineFromEnv } from '../support/engine-choice';
import { testEngine, uniqueIndex } from '../support/harness';
import { collect, spawnTs, syntheticArticles, waitFor, writeJsonl } from '../support/reliability';

/**
 * Nothing lost, nothing twice: the indexer CLI is killed (SIGKILL, no chance to clean up) halfway through a few
 * thousand articles, run again to the end, and run once more. Every article must be in the index exactly once.
 */

const N = 4_000;
const choice = engineFromEnv();
const engine = testEngine(30_000);
const index = uniqueIndex('crash');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-crash-'));
const articles = syntheticArticles(N, 'crashtest');
const file = writeJsonl(path.join(dir, 'articles.jsonl'), articles);
const env = { MEILI_URL: choice.url, MEILI_MASTER_KEY: choice.apiKey, MEILI_INDEX: index, INDEX_BATCH_SIZE: '50', LOG_LEVEL: 'warn' };

afterAll(async () => {
  await engine.deleteIndexIfExists(index);
  for (const role of ['search', 'indexer'] as const) await engine.client.deleteKey(keyUid(role, index)).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until the engine has no unfinished task for the index (killed runs leave enqueued batches behind). */
async function settle(): Promise<void> {
  await waitFor('the index tasks to finish', async () => {
    const pending = await engine.client.tasks.getTasks({ indexUids: [index], statuses: ['enqueued', 'processing'], limit: 1 });
    return pending.results.length === 0 ? true : undefined;
  }, 120_000, 200);
}

async function titlesInIndex(): Promise<string[]> {
  const titles: string[] = [];
  for (let offset = 0; ; offset += 1_000) {
    const page = await engine.client.index(index).getDocuments<{ title: string }>({ fields: ['title'], offset, limit: 1_000 });
    titles.push(...page.results.map((d) => d.title));
    if (page.results.length < 1_000) return titles;
  }
}

async function runToEnd(): Promise<string> {
  const io = collect(spawnTs('indexer/cli.ts', [file], env));
  expect(await io.exit).toEqual({ code: 0, signal: null });
  return io.out();
}

it('ends with every article exactly once after a SIGKILL mid-run, a rerun, and a second rerun', async () => {
  const child = spawnTs('indexer/cli.ts', [file], env);
  const io = collect(child);
  // Kill while batches are still being sent: the engine has some of them queued, the rest were never sent.
  const additions = async () =>
    (await engine.client.tasks.getTasks({ indexUids: [index], types: ['documentAdditionOrUpdate'], limit: 1 })).total;
  await waitFor('the first batches to be sent', async () => ((await additions()) >= 5 ? true : undefined), 60_000, 5);
  child.kill('SIGKILL');
  expect((await io.exit).signal).toBe('SIGKILL');
  await settle();
  // The kill really interrupted the run: fewer batches reached the engine than the file needs.
  expect(await additions()).toBeLessThan(N / 50);
  expect(await engine.countDocuments(index)).toBeLessThan(N);

  expect(await runToEnd()).toMatch(new RegExp(`read ${N}, indexed ${N}, skipped 0, failed engine tasks 0`));
  const titles = await titlesInIndex();
  expect(titles).toHaveLength(N);
  expect(new Set(titles)).toEqual(new Set(articles.map((a) => a.title)));

  // Idempotent: the same input again changes nothing.
  await runToEnd();
  expect(await engine.countDocuments(index)).toBe(N);
  expect((await titlesInIndex()).sort()).toEqual(titles.sort());
}, 240_000);
