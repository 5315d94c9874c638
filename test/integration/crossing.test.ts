import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SearchResponse } from '../../search-api/search/search-service';
import { indexInto, qs, SAMPLE_CORPUS, startTestApi, testEngine, uniqueIndex, type TestApi } from '../support/harness';

/**
 * Crossing into the other language, through the real indexer, engine and API (search-only key), on a small archive
 * built here: names and companies CC-CEDICT knows cross, the answer says what crossed, and the search box's operators
 * cross too. The queries are in no evaluation set.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'news-crossing-'));
const engine = testEngine();
const index = uniqueIndex('crossing');
let api: TestApi;

let day = 0;
const article = (title: string, body: string, outlet = 'Reuters') => ({
  title,
  body,
  outlet,
  published: `2024-03-${String(1 + (day++ % 28)).padStart(2, '0')}T10:00:00+08:00`,
});

const ARCHIVE = [
  article('默克尔出席欧洲议会会议', '德国前总理默克尔在布鲁塞尔发表讲话，谈到能源和移民问题。', '央视网'),
  article('德国政坛人物访问北京', '代表团与中方就贸易合作交换意见。', '央视网'),
  article('Volkswagen recalls cars over brake fault', 'Volkswagen said it would recall 30,000 cars in Europe after a brake fault was found.'),
  article('Carmaker profits fall', 'Several carmakers reported falling profits in the quarter.'),
  article('冰岛火山再次喷发', '冰岛西南部一座火山再次喷发，附近居民已经撤离。', '央视网'),
  article('Iceland tourism grows', 'Visitor numbers to Iceland rose again this year.'),
  article('Volcano monitoring improves', 'Scientists installed new sensors on the volcano.'),
];

const search = async (params: Record<string, string | boolean | number>) => {
  const res = await api.get<SearchResponse>(`/api/search${qs({ collapse: false, limit: 20, ...params })}`);
  expect(res.status).toBe(200);
  return res.body;
};

beforeAll(async () => {
  const file = path.join(dir, 'archive.jsonl');
  writeFileSync(file, `${ARCHIVE.map((a) => JSON.stringify(a)).join('\n')}\n`);
  const summary = await indexInto(engine, index, [file, SAMPLE_CORPUS]);
  expect(summary.failedTasks).toEqual([]);
  api = await startTestApi(index);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await engine.deleteIndexIfExists(index);
  rmSync(dir, { recursive: true, force: true });
});

describe('crossing into the other language', () => {
  it('finds a Chinese article for an English name, and says so', async () => {
    const body = await search({ q: 'Merkel' });
    expect(body.hits.map((h) => h.title)).toContain('默克尔出席欧洲议会会议');
    expect(body.crossLanguage).toEqual({ enabled: true, terms: [{ from: 'merkel', to: '默克尔' }] });
  });

  it('finds an English article for a Chinese company name', async () => {
    const body = await search({ q: '大众汽车' });
    expect(body.hits.map((h) => h.title)).toContain('Volkswagen recalls cars over brake fault');
    expect(body.crossLanguage.terms).toEqual([{ from: '大众汽车', to: 'Volkswagen' }]);
  });

  it('crosses the words it can translate, and reports each', async () => {
    const body = await search({ q: 'volcano Iceland' });
    expect(body.hits[0]?.title).toBe('冰岛火山再次喷发');
    expect(body.crossLanguage.terms).toEqual([
      { from: 'volcano', to: '火山' },
      { from: 'iceland', to: '冰岛' },
    ]);
  });

  it('searches the query as typed only when the reader switches the crossing off', async () => {
    const body = await search({ q: 'Merkel', cross: false });
    expect(body.hits.map((h) => h.title)).not.toContain('默克尔出席欧洲议会会议');
    expect(body.crossLanguage).toEqual({ enabled: false, terms: [] });
  });

  it('excludes an excluded word in both languages', async () => {
    const all = await search({ q: 'SCO' });
    const mentions = (h: SearchResponse['hits'][number]) => /天津|tianjin/i.test(`${h.title}\n${h.body}`);
    // Without the exclusion, Tianjin is in the sample's SCO coverage in both languages: the test can fail.
    expect(all.hits.some(mentions)).toBe(true);
    const body = await search({ q: 'SCO -Tianjin' });
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits.filter(mentions).map((h) => h.title)).toEqual([]);
    expect(body.crossLanguage.terms).toContainEqual({ from: 'tianjin', to: '天津', excluded: true });
  });

  it('answers 400 naming the parameter for a crossing switch it does not understand', async () => {
    const res = await api.get<{ error: { field?: string } }>(`/api/search${qs({ q: 'Merkel', cross: 'maybe' })}`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('cross');
  });
});
