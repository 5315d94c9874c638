import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { foldWindow } from '../../services/meili/fold-copies';
import { searchNews, type NewsQuery } from '../../services/meili/news-search';
import { indexInto, testEngine, uniqueIndex } from '../support/harness';

/**
 * Page 1 of a collapsed search is folded from ranked copies in the API (fold-copies.ts), later pages by the engine's
 * `distinct`. Against a real engine: a story with more copies than the fold window reaches still leaves a full page,
 * page 1 and page 2 join without a repeat or a gap, and the cross-language federation behaves the same.
 */

const engine = testEngine();
const index = uniqueIndex('folded-pages');
let dir = '';

const STORIES = 30;
const COPIES = 8;
const QUERY = '峰会';

// Text from a fixed stream, so that stories differ and the grouper pairs only the copies of the one story.
function hanStream(seed0: number): (n: number) => string {
  let seed = seed0;
  return (n) =>
    Array.from({ length: n }, () => {
      seed = (seed * 48271) % 2147483647;
      return String.fromCodePoint(0x4e00 + (seed % 8000));
    }).join('');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'folded-pages-'));
  const file = path.join(dir, 'stories.jsonl');
  const lines: string[] = [];
  const start = Date.parse('2025-08-01T08:00:00+08:00');
  // One story published COPIES times, the query word in its title: its copies rank above every other story. Latest
  // first, so the earliest copy (which shows the story) ranks last among its equals.
  const han = hanStream(4242);
  const republished = { title: `${QUERY}${han(12)}`, body: `${han(30)}${QUERY}${han(30)}。${han(40)}。` };
  for (let c = COPIES - 1; c >= 0; c--) {
    lines.push(JSON.stringify({ ...republished, outlet: '新华社', published: new Date(start + c * 600_000).toISOString() }));
  }
  // Stories with the word in the body only, each published once.
  for (let i = 0; i < STORIES; i++) {
    const h = hanStream(i * 7919 + 17);
    lines.push(JSON.stringify({ title: h(14), body: `${h(30)}${QUERY}${h(30)}。${h(40)}。`, outlet: '中新网', published: new Date(start + (i + 10) * 3_600_000).toISOString() }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const summary = await indexInto(engine, index, [file]);
  expect(summary).toMatchObject({ indexed: STORIES + COPIES, failedTasks: [] });
});

afterAll(async () => {
  await engine.deleteIndexIfExists(index);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const query = (over: Partial<NewsQuery>): NewsQuery => ({ q: QUERY, filters: {}, sort: 'relevance', page: 1, limit: 4, collapse: true, ...over });

/** The engine's ranking of `n` hits, as id and group, with the engine's `distinct` or without. */
async function ranked(n: number, distinct: boolean): Promise<Array<{ id: string; group: string }>> {
  const [res] = await engine.multiSearch([
    { indexUid: index, q: QUERY, locales: ['cmn', 'eng'], distinct: distinct ? 'dupGroup' : undefined, limit: n, attributesToRetrieve: ['id', 'dupGroup'] },
  ]);
  return (res?.hits ?? []).map((h) => ({ id: String(h.id), group: String(h.dupGroup) }));
}

/** The engine's own collapsed ranking: the groups of the first `n` distinct hits, in order. */
const distinctGroups = async (n: number): Promise<string[]> => (await ranked(n, true)).map((h) => h.group);

describe('folded page 1', () => {
  it('has the premise: the republished story fills the fold window with its copies', async () => {
    const copies = await ranked(foldWindow(4), false);
    expect(copies).toHaveLength(foldWindow(4));
    expect(new Set(copies.map((h) => h.group)).size).toBe(1);
  });

  it('still holds a full page of stories, in the order the engine collapses them, and counts each story once', async () => {
    const found = await searchNews(engine, index, query({}));
    expect(found.hits.map((h) => h.doc.dupGroup)).toEqual(await distinctGroups(4));
    expect(new Set(found.hits.map((h) => h.doc.dupGroup)).size).toBe(4);
    expect(found.total).toBe(STORIES + 1);
    expect(found.facets.outlet).toEqual({ xinhua: 1, chinanews: STORIES });
  });

  it('joins page 2 (collapsed by the engine) without repeating or skipping a story', async () => {
    for (const limit of [3, 5]) {
      const first = await searchNews(engine, index, query({ limit }));
      const second = await searchNews(engine, index, query({ limit, page: 2 }));
      expect([...first.hits, ...second.hits].map((h) => h.doc.dupGroup)).toEqual(await distinctGroups(2 * limit));
      expect(second.total).toBe(first.total);
      expect(second.facets).toEqual(first.facets);
    }
  });

  it('shows the republished story by its earliest copy where the window holds it, though a later copy ranks first', async () => {
    // A page the window fills (COPIES copies and more than 20 other stories), so nothing is fetched again.
    const limit = 20;
    const window = await ranked(foldWindow(limit), false);
    const copies = window.filter((h) => h.group === window[0]?.group);
    expect(copies).toHaveLength(COPIES);
    expect(copies[0]?.id).not.toBe(copies[0]?.group);
    const found = await searchNews(engine, index, query({ limit }));
    expect(found.hits).toHaveLength(limit);
    expect(found.hits[0]?.doc.id).toBe(found.hits[0]?.doc.dupGroup);
    expect(found.hits[0]?.doc.dupOf).toHaveLength(COPIES - 1);
  });

  it('does the same through the cross-language federation', async () => {
    const alternates = [{ q: 'summit', weight: 0.5 }];
    const found = await searchNews(engine, index, query({ alternates }));
    expect(found.hits.map((h) => h.doc.dupGroup)).toEqual(await distinctGroups(4));
    expect(found.total).toBe(STORIES + 1);
    const second = await searchNews(engine, index, query({ alternates, page: 2 }));
    expect([...found.hits, ...second.hits].map((h) => h.doc.dupGroup)).toEqual(await distinctGroups(8));
  });
});
