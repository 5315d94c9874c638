import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SearchResponse } from '../../search-api/search/search-service';
import { indexInto, qs, startTestApi, testEngine, uniqueIndex, type TestApi } from '../support/harness';

/**
 * An article published in traditional characters: the engine searches its copy folded to simplified, and the API
 * highlights the text as published. Articles already in simplified characters carry no copy at all.
 */

const engine = testEngine();
const index = uniqueIndex('traditional');
const dir = mkdtempSync(path.join(os.tmpdir(), 'traditional-'));
let api: TestApi;

const TRADITIONAL = {
  title: '上海合作組織峰會在天津開幕',
  body: '習近平主席出席上海合作組織成員國元首理事會會議並發表重要講話。',
  outlet: '中央社',
  published: '2025-09-01T10:00:00+08:00',
  url: null,
  category: null,
};
const SIMPLIFIED = { ...TRADITIONAL, title: '上海合作组织峰会在天津开幕', body: '习近平主席出席上海合作组织成员国元首理事会会议并发表重要讲话。', published: '2025-09-01T11:00:00+08:00' };

beforeAll(async () => {
  const file = path.join(dir, 'articles.jsonl');
  writeFileSync(file, `${JSON.stringify(TRADITIONAL)}\n${JSON.stringify(SIMPLIFIED)}\n`);
  expect(await indexInto(engine, index, [file])).toMatchObject({ read: 2, indexed: 2, failedTasks: [] });
  api = await startTestApi(index);
});

afterAll(async () => {
  await api?.close();
  await engine.deleteIndexIfExists(index);
  rmSync(dir, { recursive: true, force: true });
});

const search = async (q: string) => {
  const res = await api.get<SearchResponse>(`/api/search${qs({ q, collapse: false })}`);
  expect(res.status).toBe(200);
  return res.body;
};

describe('articles in traditional characters', () => {
  it('keeps a folded copy only for the article that needs one', async () => {
    const docs = await engine.client.index(index).getDocuments({ fields: ['title', 'titleSearch', 'bodySearch'] });
    const byTitle = new Map(docs.results.map((d) => [String(d.title), d]));
    expect(byTitle.get(TRADITIONAL.title)).toMatchObject({ titleSearch: SIMPLIFIED.title, bodySearch: SIMPLIFIED.body });
    expect(byTitle.get(SIMPLIFIED.title)).toMatchObject({ titleSearch: null, bodySearch: null });
  });

  it('answers a simplified query with both and marks the traditional text as published', async () => {
    const body = await search('上海合作组织');
    const traditional = body.hits.find((h) => h.title === TRADITIONAL.title);
    expect(traditional?.highlight.title).toContain('<mark>上海合作組織</mark>');
    expect(traditional?.highlight.snippet).toContain('<mark>上海合作組織</mark>');
    expect(body.hits.find((h) => h.title === SIMPLIFIED.title)?.highlight.title).toContain('<mark>上海合作组织</mark>');
  });

  it('answers a traditional query with the simplified article too', async () => {
    const body = await search('元首理事會');
    expect(body.hits.map((h) => h.title).sort()).toEqual([SIMPLIFIED.title, TRADITIONAL.title].sort());
  });
});
