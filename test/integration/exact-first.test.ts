import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SearchResponse } from '../../search-api/search/search-service';
import { WIDEN_BELOW } from '../../services/lexicon/phrasings';
import { indexInto, qs, startTestApi, testEngine, uniqueIndex, type TestApi } from '../support/harness';

/**
 * Result sets without typo and prefix noise: where the exact words have hits of their own, a typo's neighbours and a
 * prefix's longer words stay out of the result set and its counts; where they have few, the search widens, so a
 * misspelt query and search-as-you-type still find. Real indexer, engine and API; queries in no evaluation set.
 */

const dir = mkdtempSync(path.join(os.tmpdir(), 'news-exact-first-'));
const engine = testEngine();
const index = uniqueIndex('exactfirst');
let api: TestApi;

let n = 0;
const article = (title: string, body: string) => ({
  title: `${title} ${++n}`,
  body,
  outlet: 'Reuters',
  published: `2023-05-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00+08:00`,
});
const times = <T>(k: number, make: (i: number) => T): T[] => Array.from({ length: k }, (_, i) => make(i));

// "grain" has plenty of hits; "gain" and "brain" are one typo away; "EUROFIMA" and "European" start with "EU".
const GRAIN = WIDEN_BELOW + 2;
const ARCHIVE = [
  ...times(GRAIN, () => article('Grain exports rise', 'Grain shipments rose sharply this month.')),
  ...times(15, () => article('Shares gain in early trade', 'Stocks made a modest gain on Monday.')),
  ...times(5, () => article('Brain research funded', 'A new brain research centre opened.')),
  ...times(4, () => article('EU ministers meet', 'EU ministers met in Brussels to discuss the budget.')),
  ...times(6, () => article('EUROFIMA issues bonds', 'EUROFIMA, the European rail financing body, priced a bond.')),
  ...times(6, () => article('European markets close higher', 'European shares closed higher on Friday.')),
];

const search = async (q: string) => {
  const res = await api.get<SearchResponse>(`/api/search${qs({ q, collapse: false, limit: 100 })}`);
  expect(res.status).toBe(200);
  return res.body;
};
const outletCount = (body: SearchResponse) => body.facets.outlet.reduce((sum, v) => sum + v.count, 0);

beforeAll(async () => {
  const file = path.join(dir, 'archive.jsonl');
  writeFileSync(file, `${ARCHIVE.map((a) => JSON.stringify(a)).join('\n')}\n`);
  const summary = await indexInto(engine, index, [file]);
  expect(summary.failedTasks).toEqual([]);
  api = await startTestApi(index);
}, 120_000);

afterAll(async () => {
  await api?.close();
  await engine.deleteIndexIfExists(index);
  rmSync(dir, { recursive: true, force: true });
});

describe('exact words first', () => {
  it('does not inflate a common word with its typo neighbours, in the total or the counts', async () => {
    const body = await search('grain');
    expect(body.total).toBe(GRAIN);
    expect(outletCount(body)).toBe(GRAIN);
    expect(body.hits.every((h) => /grain/i.test(h.title))).toBe(true);
  });

  it('never matches an acronym to a longer word that starts with it', async () => {
    const body = await search('EU');
    expect(body.hits.map((h) => h.title.replace(/ \d+$/, ''))).not.toEqual(expect.arrayContaining(['EUROFIMA issues bonds']));
    expect(body.hits.some((h) => /european markets/i.test(h.title))).toBe(false);
    expect(body.total).toBe(4);
  });

  it('still finds what a misspelt word means where the exact word finds nothing', async () => {
    const body = await search('grian');
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits[0]?.title).toMatch(/^Grain/);
  });

  it('still completes the last word as it is typed', async () => {
    const body = await search('EUROF');
    expect(body.hits.map((h) => h.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^EUROFIMA/)]));
  });
});
