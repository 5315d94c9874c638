import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FacetValuesResponse, SearchHit, SearchResponse } from '../../search-api/search/search-service';
import { searchNews } from '../../services/meili/news-search';
import { MAX_VALUES_PER_FACET } from '../../services/meili/settings';
import { loadThemesFile, ThemeCatalog } from '../../services/themes';
import { indexInto, qs, sampleApiSuite, uniqueIndex } from '../support/harness';

/**
 * The facet contract of issue 4 on the sample corpus (ten articles, two republished pairs), against a real engine.
 * Expected numbers are facts about the sample; every count is also checked against what filtering by it returns.
 */

const { engine, api } = sampleApiSuite('facets');

type Params = Parameters<typeof qs>[0];

const search = async (params: Params): Promise<SearchResponse> => {
  const res = await api.get<SearchResponse>(`/api/search${qs({ limit: 100, ...params })}`);
  expect(res.status).toBe(200);
  return res.body;
};

const facetValues = async (facet: string, params: Params): Promise<FacetValuesResponse> => {
  const res = await api.get<FacetValuesResponse>(`/api/facets/${facet}${qs(params)}`);
  expect(res.status).toBe(200);
  return res.body;
};

const counts = (values: Array<{ value: string; count: number }>) => Object.fromEntries(values.map((v) => [v.value, v.count]));
const byTime = (hits: SearchHit[], published: string) => hits.find((h) => h.published === published);

const XINHUA_FIRST = '2025-08-28T15:41:00+08:00';
const XINHUA_SECOND = '2025-08-29T00:33:00+08:00';
const ED_FIRST = '2025-08-30T23:20:00+08:00';
const ED_SECOND = '2025-08-31T01:43:00+08:00';

describe('outlet counts', () => {
  it('counts every article with collapse=false (4/3/2/1), each equal to what filtering by it returns', async () => {
    const body = await search({ collapse: false });
    expect(counts(body.facets.outlet)).toEqual({ xinhua: 4, 'economic-daily': 3, chinanews: 2, cctv: 1 });
    for (const f of body.facets.outlet) {
      const filtered = await search({ collapse: false, outlet: f.value });
      expect(filtered.total).toBe(f.count);
      expect(filtered.hits).toHaveLength(f.count);
    }
  });

  it('counts collapsed groups with collapse on (3/2/2/1), each equal to the collapsed hits that value returns', async () => {
    const body = await search({});
    expect(counts(body.facets.outlet)).toEqual({ xinhua: 3, 'economic-daily': 2, chinanews: 2, cctv: 1 });
    for (const f of body.facets.outlet) {
      const filtered = await search({ outlet: f.value });
      expect(filtered.total).toBe(f.count);
      expect(filtered.hits).toHaveLength(f.count);
    }
  });
});

describe('duplicate stories', () => {
  it('collapses the two pairs: 8 hits for an empty query, 10 with collapse=false', async () => {
    const collapsed = await search({});
    const all = await search({ collapse: false });
    expect([collapsed.total, collapsed.hits.length]).toEqual([8, 8]);
    expect([all.total, all.hits.length]).toEqual([10, 10]);
  });

  it('shows each pair by its earliest publication, listing the other id, and merges nothing else', async () => {
    const all = (await search({ collapse: false })).hits;
    const collapsed = (await search({})).hits;
    const id = (published: string) => byTime(all, published)?.id;

    expect(byTime(collapsed, XINHUA_FIRST)?.duplicates).toEqual({ count: 1, ids: [id(XINHUA_SECOND)] });
    expect(byTime(collapsed, ED_FIRST)?.duplicates).toEqual({ count: 1, ids: [id(ED_SECOND)] });
    expect(byTime(collapsed, XINHUA_SECOND)).toBeUndefined();
    expect(byTime(collapsed, ED_SECOND)).toBeUndefined();

    // Uncollapsed, the later copies point back at the earliest; everything else stands alone.
    expect(byTime(all, XINHUA_SECOND)?.duplicates.ids).toEqual([id(XINHUA_FIRST)]);
    expect(byTime(all, ED_SECOND)?.duplicates.ids).toEqual([id(ED_FIRST)]);
    const paired = new Set([XINHUA_FIRST, XINHUA_SECOND, ED_FIRST, ED_SECOND]);
    const alone = all.filter((h) => !paired.has(h.published ?? ''));
    expect(alone).toHaveLength(6);
    for (const h of alone) expect(h.duplicates).toEqual({ count: 0, ids: [] });
  });

  it('shows the earliest copy even when a query ranks the later one higher', async () => {
    const body = await search({ q: '专访 三项重大使命' });
    const xinhua = body.hits.filter((h) => h.outlet.id === 'xinhua' && h.title.includes('三项重大使命'));
    expect(xinhua).toHaveLength(1);
    expect(xinhua[0]?.published).toBe(XINHUA_FIRST);
  });
});

describe('disjunctive counts', () => {
  it('keeps the other outlets\' counts under an outlet filter, and each count equals what clicking it returns', async () => {
    const unfiltered = await search({ collapse: false });
    const filtered = await search({ collapse: false, outlet: 'xinhua' });
    expect(filtered.total).toBe(4);
    expect(counts(filtered.facets.outlet)).toEqual(counts(unfiltered.facets.outlet));
    expect(filtered.facets.outlet.find((f) => f.value === 'xinhua')?.selected).toBe(true);
    for (const f of filtered.facets.outlet.filter((v) => v.value !== 'xinhua')) {
      // Clicking adds the value: outlets OR together, so the result grows by exactly that count.
      const clicked = await search({ collapse: false, outlet: ['xinhua', f.value] });
      expect(clicked.total).toBe(filtered.total + f.count);
    }
  });

  it('narrows the other facets by the outlet filter (AND across facets), counts equal to the filtered results', async () => {
    for (const collapse of [false, true]) {
      const filtered = await search({ collapse, outlet: 'xinhua' });
      const langTotal = filtered.facets.lang.reduce((s, f) => s + f.count, 0);
      expect(langTotal).toBeGreaterThanOrEqual(filtered.total);
      for (const f of filtered.facets.lang) {
        expect((await search({ collapse, outlet: 'xinhua', lang: f.value })).total).toBe(f.count);
      }
      for (const f of filtered.facets.theme) {
        expect((await search({ collapse, outlet: 'xinhua', theme: f.value })).total).toBe(f.count);
      }
    }
  });
});

describe('dates', () => {
  it('buckets by Beijing day over a short span, each bucket equal to a from/to search of that day', async () => {
    for (const collapse of [false, true]) {
      const body = await search({ collapse });
      expect(body.facets.date.interval).toBe('day');
      expect([body.facets.date.min, body.facets.date.max]).toEqual(['2025-08-23', '2025-09-01']);
      const total = body.facets.date.buckets.reduce((s, b) => s + b.count, 0);
      // Collapsed, a story whose copies straddle midnight is found on both days (as clicking either day shows).
      if (collapse) expect(total).toBe(body.total + 2);
      else expect(total).toBe(body.total);
      for (const b of body.facets.date.buckets) {
        expect((await search({ collapse, from: b.value, to: b.value })).total).toBe(b.count);
      }
    }
  });

  it('puts 00:33 Beijing time in its Beijing day and treats from/to as inclusive at both edges', async () => {
    const body = await search({ collapse: false });
    expect(body.facets.date.buckets.find((b) => b.value === '2025-08-29')?.count).toBe(4);
    const at = (r: SearchResponse) => r.hits.some((h) => h.published === XINHUA_SECOND);
    expect(at(await search({ collapse: false, to: '2025-08-29' }))).toBe(true);
    expect(at(await search({ collapse: false, from: '2025-08-29' }))).toBe(true);
    expect(at(await search({ collapse: false, from: '2025-08-29', to: '2025-08-29' }))).toBe(true);
    expect(at(await search({ collapse: false, to: '2025-08-28' }))).toBe(false);
    expect(at(await search({ collapse: false, from: '2025-08-30' }))).toBe(false);
    // The day before holds only the 02:49 and 15:41 articles.
    const day28 = await search({ collapse: false, from: '2025-08-28', to: '2025-08-28' });
    expect(day28.hits.map((h) => h.published).sort()).toEqual(['2025-08-28T02:49:00+08:00', XINHUA_FIRST]);
  });

  it('keeps date counts disjunctive under a date filter', async () => {
    const unfiltered = await search({ collapse: false });
    const filtered = await search({ collapse: false, from: '2025-08-29', to: '2025-08-29' });
    expect(counts(filtered.facets.date.buckets)).toEqual(counts(unfiltered.facets.date.buckets));
  });
});

describe('themes', () => {
  const catalog = ThemeCatalog.fromFile();

  it('gives a Chinese-bodied and an English-bodied article on one subject the same themes', async () => {
    const all = (await search({ collapse: false })).hits;
    // The same press conference: Xinhua reports it in Chinese, China News Service summarises it in English.
    const zh = byTime(all, '2025-08-29T11:51:00+08:00');
    const en = byTime(all, '2025-08-29T08:36:00+08:00');
    expect(zh?.lang).toEqual(['zh']);
    expect(en?.lang).toEqual(['zh', 'en']);
    const themesOf = (h: SearchHit | undefined) => (h?.themes ?? []).map((t) => t.value);
    const shared = themesOf(zh).filter((t) => themesOf(en).includes(t));
    expect(shared).toEqual(expect.arrayContaining(['tianjin-summit', 'shared-future']));
    const summit = zh?.themes.find((t) => t.value === 'tianjin-summit');
    expect(summit).toEqual({ value: 'tianjin-summit', label: catalog.label('tianjin-summit').name, labelEn: catalog.label('tianjin-summit').nameEn });
  });

  it('labels theme facet values in both languages and filters by them', async () => {
    const body = await search({ collapse: false });
    expect(body.facets.theme.length).toBeGreaterThan(0);
    for (const f of body.facets.theme) {
      expect(f.label).toBe(catalog.label(f.value).name);
      expect(f.labelEn).toBe(catalog.label(f.value).nameEn);
      const filtered = await search({ collapse: false, theme: f.value });
      expect(filtered.total).toBe(f.count);
      expect(filtered.hits.every((h) => h.themes.some((t) => t.value === f.value))).toBe(true);
    }
  });
});

describe('GET /api/facets/:facet', () => {
  it('finds outlets by id or label in either language, with the counts the search shows', async () => {
    const searchCounts = counts((await search({})).facets.outlet);
    for (const typed of ['新华', 'xinhua', 'XIN', 'Xinhua']) {
      const body = await facetValues('outlet', { q: typed });
      expect(body.facet).toBe('outlet');
      expect(body.values.map((v) => v.value)).toEqual(['xinhua']);
      expect(body.values[0]).toMatchObject({ label: '新华社', labelEn: 'Xinhua', count: searchCounts.xinhua });
    }
    expect((await facetValues('outlet', { q: 'Economic' })).values.map((v) => v.value)).toEqual(['economic-daily']);
    expect(counts((await facetValues('outlet', {})).values)).toEqual(searchCounts);
    expect(counts((await facetValues('outlet', { collapse: false })).values)).toEqual(counts((await search({ collapse: false })).facets.outlet));
  });

  it('counts disjunctively under the current filters and query text', async () => {
    const filtered = await search({ outlet: 'xinhua', lang: 'en' });
    const values = await facetValues('outlet', { outlet: 'xinhua', lang: 'en' });
    expect(counts(values.values)).toEqual(counts(filtered.facets.outlet.filter((f) => f.count > 0)));
    const langs = await facetValues('lang', { outlet: 'xinhua', q: 'English' });
    expect(langs.values.map((v) => v.value)).toEqual(['en']);
    expect(langs.values[0]?.count).toBe((await search({ outlet: 'xinhua', lang: 'en' })).total);
    const withText = await facetValues('outlet', { query: '上海精神' });
    expect(counts(withText.values)).toEqual(counts((await search({ q: '上海精神' })).facets.outlet));
  });

  it('finds themes by label and dates by prefix', async () => {
    const theme = await facetValues('theme', { q: 'tianjin' });
    expect(theme.values.map((v) => v.value)).toEqual(['tianjin-summit']);
    expect(theme.values[0]?.count).toBe((await search({ theme: 'tianjin-summit' })).total);
    expect((await facetValues('theme', { q: '天津峰会' })).values.map((v) => v.value)).toEqual(['tianjin-summit']);
    const days = await facetValues('date', { q: '2025-08-2', collapse: false });
    expect(days.values.every((v) => v.value.startsWith('2025-08-2'))).toBe(true);
    expect(counts(days.values)['2025-08-29']).toBe(4);
  });

  it('answers 400 naming the parameter for an unknown facet or bad filters', async () => {
    const unknown = await api.get<{ error: { field: string } }>('/api/facets/colour');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('facet');
    const badDate = await api.get<{ error: { field: string } }>(`/api/facets/outlet${qs({ from: '2025-13-01' })}`);
    expect([badDate.status, badDate.body.error.field]).toEqual([400, 'from']);
  });
});

describe('filter injection', () => {
  const attempts = [
    '新华社" OR outlet != "x',
    'xinhua" OR outlet = "cctv',
    'xinhua"',
    '"xinhua"',
    'xinhua\\',
    'xinhua\\" OR outlet != \\"x',
    'a\\"',
    '] OR outlet EXISTS OR outlet IN [',
    'xinhua] OR id EXISTS',
    "xinhua' OR '1'='1",
    '(outlet = xinhua)',
  ];

  it.each(attempts)('outlet=%j returns only what an exact value would (nothing), never a 500', async (value) => {
    for (const param of ['outlet', 'theme']) {
      const res = await api.get<SearchResponse>(`/api/search${qs({ [param]: value, collapse: false })}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(0);
      const facets = await api.get<FacetValuesResponse>(`/api/facets/lang${qs({ [param]: value })}`);
      expect(facets.status).toBe(200);
      expect(facets.body.values.every((v) => v.count === 0)).toBe(true);
    }
  });

  it('still matches exactly when an injection attempt is ORed with a real value', async () => {
    const body = await search({ collapse: false, outlet: ['cctv', 'cctv" OR outlet = "xinhua'] });
    expect(body.total).toBe(1);
    expect(body.hits[0]?.outlet.id).toBe('cctv');
  });
});

describe('duplicate groups across runs', () => {
  const index2 = uniqueIndex('facets-runs');
  let dir = '';
  afterAll(async () => {
    await engine.deleteIndexIfExists(index2);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const groupFields = async () => {
    const docs = await engine.client.index(index2).getDocuments({ fields: ['id', 'published', 'dupGroup', 'dupOf'], limit: 100 });
    return Object.fromEntries(docs.results.map((d) => [d.published as string, { id: d.id as string, dupGroup: d.dupGroup as string, dupOf: d.dupOf as string[] }]));
  };

  it('keeps group fields on a re-run and moves the group to an earlier copy indexed later', async () => {
    await indexInto(engine, index2);
    const first = await groupFields();
    expect(first[XINHUA_SECOND]?.dupGroup).toBe(first[XINHUA_FIRST]?.id);

    const summary = await indexInto(engine, index2);
    expect(summary.failedTasks).toEqual([]);
    expect(await groupFields()).toEqual(first);

    // A third copy of the interview, published before both, arrives in a later run (built from the bundled sample).
    const all = (await search({ collapse: false })).hits;
    const source = byTime(all, XINHUA_SECOND);
    dir = mkdtempSync(path.join(os.tmpdir(), 'facets-'));
    const file = path.join(dir, 'earlier-copy.jsonl');
    const copy = { title: `新华社快讯|${source?.title}`, body: source?.body, outlet: '新华社', published: '2025-08-28T10:00:00+08:00', url: null, category: null };
    writeFileSync(file, `${JSON.stringify(copy)}\n`);
    await indexInto(engine, index2, [file]);

    const after = await groupFields();
    const earliest = after['2025-08-28T10:00:00+08:00'];
    expect(earliest?.dupOf).toEqual([after[XINHUA_FIRST]?.id, after[XINHUA_SECOND]?.id]);
    for (const t of [XINHUA_FIRST, XINHUA_SECOND]) expect(after[t]?.dupGroup).toBe(earliest?.id);
    expect(after[XINHUA_FIRST]?.dupOf).toEqual([earliest?.id, after[XINHUA_SECOND]?.id]);
    // The other pair and the singletons are untouched.
    for (const t of Object.keys(first).filter((k) => k !== XINHUA_FIRST && k !== XINHUA_SECOND)) expect(after[t]).toEqual(first[t]);

    // The earlier copies' collapsed-counting keys moved with their group (partial updates of another run's documents,
    // their facet values read back from the engine), so the new copy folds into the same story in every count.
    const keys = await engine.client.index(index2).getDocuments({ fields: ['published', 'sharedGroup', 'sharedOutlet'], limit: 100 });
    for (const d of keys.results.filter((r) => [XINHUA_FIRST, XINHUA_SECOND, '2025-08-28T10:00:00+08:00'].includes(r.published as string))) {
      expect(d).toMatchObject({ sharedGroup: earliest?.id, sharedOutlet: [`${earliest?.id}|xinhua`] });
    }
    const browse = { q: '', sort: 'newest' as const, page: 1, limit: 100, collapse: true };
    const all2 = await searchNews(engine, index2, { ...browse, filters: {} });
    const xinhua = await searchNews(engine, index2, { ...browse, filters: { outlet: ['xinhua'] } });
    expect(all2.total).toBe(all2.hits.length);
    expect(all2.facets.outlet.xinhua).toBe(xinhua.hits.length);
    expect(all2.facets.day['2025-08-28']).toBe((await searchNews(engine, index2, { ...browse, filters: { fromTimestamp: Date.parse('2025-08-28T00:00:00+08:00') / 1000, toTimestamp: Date.parse('2025-08-28T23:59:59+08:00') / 1000 } })).hits.length);
  });
});


describe('collapsed counts past the engine\'s list of group keys', () => {
  const index3 = uniqueIndex('facets-many-groups');
  let dir = '';
  afterAll(async () => {
    await engine.deleteIndexIfExists(index3);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Stories published twice by one outlet, each copy with five themes: 600 theme keys of two copies each, more than
  // the engine lists per facet, from 240 documents (few enough for one members query).
  const STORIES = 120;
  const THEMES = loadThemesFile().themes.map((t) => t.id);
  const themesOf = (i: number) => [0, 1, 2, 3, 4].map((j) => THEMES[(i + 3 * j) % THEMES.length] as string);
  const story = (i: number): { title: string; body: string } => {
    // Distinct text per story (so the grouper pairs only the two copies of each), drawn from a fixed stream.
    let seed = i * 7919 + 17;
    const han = (n: number) =>
      Array.from({ length: n }, () => {
        seed = (seed * 48271) % 2147483647;
        return String.fromCodePoint(0x4e00 + (seed % 8000));
      }).join('');
    return { title: han(14), body: `${han(30)}。${han(30)}。${han(30)}。` };
  };

  it('lists the members of multi-copy groups when the key list is full, and still counts each story once', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'facets-many-'));
    const file = path.join(dir, 'pairs.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < STORIES; i++) {
      const { title, body } = story(i);
      const at = Date.parse('2025-08-01T00:00:00+08:00') + i * 3_600_000;
      for (const dt of [0, 600_000]) lines.push(JSON.stringify({ title, body, outlet: '新华社', published: new Date(at + dt).toISOString(), themes: themesOf(i) }));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const summary = await indexInto(engine, index3, [file]);
    expect(summary.failedTasks).toEqual([]);

    // The premise: the engine's list of theme keys is cut at its limit, so the counting query alone cannot be trusted.
    const [keys] = await engine.multiSearch([{ indexUid: index3, q: '', limit: 0, facets: ['sharedThemes'] }]);
    expect(Object.keys(keys?.facetDistribution?.sharedThemes ?? {})).toHaveLength(MAX_VALUES_PER_FACET);

    const browse = { q: '', sort: 'newest' as const, page: 1, limit: 10, collapse: true };
    const all = await searchNews(engine, index3, { ...browse, filters: {} });
    expect(all.total).toBe(STORIES);
    expect(all.facets.outlet).toEqual({ xinhua: STORIES });
    const expected: Record<string, number> = {};
    for (let i = 0; i < STORIES; i++) for (const t of themesOf(i)) expected[t] = (expected[t] ?? 0) + 1;
    expect(all.facets.theme).toEqual(expected);
    // Each count is what clicking the theme returns.
    for (const theme of THEMES.slice(0, 3)) expect((await searchNews(engine, index3, { ...browse, filters: { theme: [theme] } })).total).toBe(expected[theme]);
  });
});
