import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runIndexer } from '../../indexer/pipeline';
import type { NewsDocument } from '../../services/article';
import { silentLogger } from '../../services/logger';
import { keyUid } from '../../services/meili/keys';
import { OutletRegistry } from '../../services/outlets';
import { engineFromEnv } from '../support/engine-choice';
import { testEngine, uniqueIndex } from '../support/harness';
import { collect, spawnTs, syntheticArticles, writeJsonl } from '../support/reliability';
import { ExactDuplicateGrouper } from '../support/synthetic-corpus';

/**
 * One bad record must not cost the records beside it. A lone surrogate escape is valid JSON in valid UTF-8, so it
 * reads fine, but the engine fails the whole batch holding it (and the batches processed with it) when it decodes
 * the document: the indexer refuses the record itself, naming file, line and reason, and indexes the rest.
 */

const choice = engineFromEnv();
const engine = testEngine(30_000);
const index = uniqueIndex('badrecord');
const splitIndex = uniqueIndex('bisect');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-badrecord-'));
const env = { MEILI_URL: choice.url, MEILI_MASTER_KEY: choice.apiKey, MEILI_INDEX: index, LOG_LEVEL: 'warn' };

afterAll(async () => {
  await engine.deleteIndexIfExists(index);
  await engine.deleteIndexIfExists(splitIndex);
  for (const role of ['search', 'indexer'] as const) await engine.client.deleteKey(keyUid(role, index)).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

it('indexes the good record beside one with a lone surrogate escape and names the bad line', async () => {
  const file = path.join(dir, 'mixed.jsonl');
  // Written by hand: JSON.stringify would never produce the escape on its own line like a broken exporter does.
  writeFileSync(
    file,
    '{"title":"good quokka report","body":"A good record.","outlet":"Reuters","published":"2025-09-01T10:00:00+08:00","url":null}\n' +
      '{"title":"bad \\ud800","body":"A bad record.","outlet":"Reuters","published":"2025-09-01T11:00:00+08:00","url":null}\n',
  );
  const io = collect(spawnTs('indexer/cli.ts', [file], env));
  expect(await io.exit).toEqual({ code: 0, signal: null });
  expect(io.out()).toContain('read 2, indexed 1, skipped 1, failed engine tasks 0');
  expect(io.out()).toContain(`skipped ${file}:2: title contains an unpaired UTF-16 surrogate`);

  const hits = await engine.search(index, 'quokka', { limit: 5 });
  expect(hits.hits.map((h) => h.title)).toEqual(['good quokka report']);
  expect(await engine.countDocuments(index)).toBe(1);
}, 120_000);

/**
 * Defence in depth: a document the indexer's checks let through but the engine refuses. The refusal is made real by
 * giving two articles a theme with a lone surrogate (the theme tagger is the pipeline's own extension point), so the
 * engine fails their batches, and every batch autobatched with them. The writer must find the two documents by
 * splitting, report them with file and line, and store every other document with current group fields.
 */
it('splits a batch the engine refuses until the bad document is isolated, and loses no good document', async () => {
  const articles = syntheticArticles(60, 'bisect');
  const poisoned = new Set([7, 31]);
  for (const i of poisoned) (articles[i] as { title: string }).title += ' POISON';
  // Copies across batch boundaries, one of them of an article in a refused batch: their group updates are sent while
  // the first copy's batch is still in flight and must survive its batch being sent again.
  const copies = [
    [8, 14],
    [33, 52],
    [2, 40],
  ] as const;
  for (const [from, to] of copies) Object.assign(articles[to] as object, { title: articles[from]?.title, body: articles[from]?.body, outlet: 'Reuters' === articles[from]?.outlet ? 'BBC' : 'Reuters' });
  const file = writeJsonl(path.join(dir, 'poisoned.jsonl'), articles);

  const summary = await runIndexer({
    engine,
    indexUid: splitIndex,
    files: [file],
    lexicon: { dictionary: [], synonyms: {} },
    context: {
      outlets: OutletRegistry.fromFile(),
      words: (text) => text.split(/\s+/),
      tagThemes: (a) => (a.title.endsWith('POISON') ? ['bad \ud800'] : []),
    },
    duplicates: new ExactDuplicateGrouper(),
    batchSize: 5,
    log: silentLogger,
  });

  expect(summary.failedTasks).toEqual([]);
  expect(summary.indexed).toBe(58);
  expect(summary.skippedRecords.map((s) => [s.file, s.line])).toEqual([...poisoned].map((i) => [file, i + 1]));
  for (const s of summary.skippedRecords) expect(s.reason).toMatch(/^the engine refused it: internal: .*hex escape/);

  const stored = new Map<string, NewsDocument>();
  for await (const page of engine.documentPages<NewsDocument>(splitIndex, ['*'])) for (const d of page) stored.set(d.id, d);
  expect(stored.size).toBe(58);
  const titles = new Set([...stored.values()].map((d) => d.title));
  articles.forEach((a, i) => expect(titles.has(a.title)).toBe(!poisoned.has(i)));
  // Every copy of a group names the others and carries the group's keys, whichever batch was sent again.
  for (const [from] of copies) {
    const group = [...stored.values()].filter((d) => d.title === articles[from]?.title);
    expect(group).toHaveLength(2);
    const [a, b] = group as [NewsDocument, NewsDocument];
    expect(a.dupGroup).toBe(b.dupGroup);
    expect(a.dupOf).toEqual([b.id]);
    expect(b.dupOf).toEqual([a.id]);
    for (const d of group) expect(d.sharedGroup).toBe(a.dupGroup);
  }
}, 180_000);
