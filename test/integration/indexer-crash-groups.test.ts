import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexFiles } from '../../indexer';
import type { NewsDocument } from '../../services/article';
import { silentLogger } from '../../services/logger';
import { NodeEngine } from '../../services/meili/node-engine';
import { groupFacetFields } from '../../services/meili/group-facets';
import { seededRandom } from '../../scripts/seeded-random';
import { engineFromEnv } from '../support/engine-choice';
import { uniqueIndex } from '../support/harness';
import { waitFor, writeJsonl } from '../support/reliability';

/**
 * The indexer writes a batch in two steps: the batch's documents, then the group fields of documents of earlier
 * batches that a copy in this batch joined. A run that dies between the two leaves the earlier copies standing
 * alone while the new copy names them. The fault is injected around the real engine: the same client whose
 * partial-update call throws, as if the process had died there. A normal rerun of the same files must leave every
 * copy of every group agreeing with the others, with the collapsed-counting keys of its group.
 */

const choice = engineFromEnv();
const index = uniqueIndex('crashgroups');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-crashgroups-'));

class SimulatedCrash extends Error {}

/** The real engine, except that the process "dies" when it would write group updates. */
class DiesBeforeGroupUpdates extends NodeEngine {
  override async updateDocuments(): Promise<number> {
    throw new SimulatedCrash('killed between the additions and the group updates');
  }
}

const engine = new NodeEngine({ url: choice.url, apiKey: choice.apiKey, timeoutMs: 30_000 });

afterAll(async () => {
  await engine.deleteIndexIfExists(index);
  rmSync(dir, { recursive: true, force: true });
});

/** Articles with unrelated texts, and a republication of some of them a few batches later (same text, another outlet). */
function corpus(): object[] {
  const rand = seededRandom(18);
  const vocabulary = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}${Math.floor(rand() * 1e6).toString(36)}`);
  const words = (n: number) => Array.from({ length: n }, () => vocabulary[Math.floor(rand() * vocabulary.length)]).join(' ');
  const articles = Array.from({ length: 30 }, (_, i) => ({
    title: `Report ${i}: ${words(6)}`,
    body: words(40),
    outlet: 'Reuters',
    published: new Date(Date.UTC(2025, 8, 1, 0, i * 10)).toISOString(),
    url: null,
  }));
  // With batches of 5, each copy lands in a later batch than its original; the first two in the third batch.
  const copies = ([
    [1, 12],
    [3, 13],
    [20, 27],
  ] as const).map(([original, at]) => {
    const a = articles[original] as (typeof articles)[number];
    return { at, copy: { ...a, title: `Update: ${a.title}`, outlet: 'BBC', published: new Date(Date.parse(a.published) + 3_600_000).toISOString() } };
  });
  for (const { at, copy } of copies) articles.splice(at, 0, copy);
  return articles;
}

async function storedDocuments(): Promise<Map<string, NewsDocument>> {
  const docs = new Map<string, NewsDocument>();
  for await (const page of engine.documentPages<NewsDocument>(index, ['*'])) for (const d of page) docs.set(d.id, d);
  return docs;
}

/** Every way the stored group fields of the copies disagree with each other or with their keys. */
function groupProblems(docs: ReadonlyMap<string, NewsDocument>): string[] {
  const problems: string[] = [];
  for (const d of docs.values()) {
    const members = new Set([d.id, ...d.dupOf]);
    if (d.dupOf.length === 0 && d.dupGroup !== d.id) problems.push(`${d.id} stands alone but is in group ${d.dupGroup}`);
    for (const id of d.dupOf) {
      const other = docs.get(id);
      if (!other) {
        problems.push(`${d.id} names ${id}, which is not stored`);
        continue;
      }
      const theirs = new Set([other.id, ...other.dupOf]);
      if (other.dupGroup !== d.dupGroup || theirs.size !== members.size || [...members].some((m) => !theirs.has(m))) {
        problems.push(`${d.id} says group ${d.dupGroup} [${[...members].join(', ')}], ${id} says ${other.dupGroup} [${[...theirs].join(', ')}]`);
      }
    }
    const keys = groupFacetFields(d);
    for (const [field, value] of Object.entries(keys)) {
      if (JSON.stringify(d[field as keyof NewsDocument] ?? null) !== JSON.stringify(value)) problems.push(`${d.id} has ${field} ${JSON.stringify(d[field as keyof NewsDocument])}, its group says ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

async function settle(): Promise<void> {
  await waitFor('the index tasks to finish', async () => {
    const pending = await engine.client.tasks.getTasks({ indexUids: [index], statuses: ['enqueued', 'processing'], limit: 1 });
    return pending.results.length === 0 ? true : undefined;
  }, 120_000, 100);
}

it('leaves every copy of every group agreeing after a crash between a batch and its group updates and a rerun', async () => {
  const file = writeJsonl(path.join(dir, 'articles.jsonl'), corpus());
  const crashing = new DiesBeforeGroupUpdates({ url: choice.url, apiKey: choice.apiKey, timeoutMs: 30_000 });
  await expect(indexFiles({ engine: crashing, indexUid: index, files: [file], batchSize: 5, log: silentLogger })).rejects.toBeInstanceOf(SimulatedCrash);
  await settle();
  // The crash happened where it should: after the third batch's documents (two copies that joined groups of the
  // first batch), before their originals' group fields were written.
  const afterCrash = await storedDocuments();
  expect(afterCrash.size).toBe(15);
  expect(groupProblems(afterCrash)).not.toEqual([]);

  const summary = await indexFiles({ engine, indexUid: index, files: [file], batchSize: 5, log: silentLogger });
  expect(summary).toMatchObject({ read: 33, indexed: 33, skipped: 0, failedTasks: [] });
  const stored = await storedDocuments();
  expect(stored.size).toBe(33);
  expect(groupProblems(stored)).toEqual([]);
  // The three republications were grouped with their originals.
  expect([...stored.values()].filter((d) => d.dupOf.length > 0)).toHaveLength(6);
}, 180_000);
