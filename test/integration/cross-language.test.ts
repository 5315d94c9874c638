import type { SearchResponse } from '../../search-api/search/search-service';
import { searchNews } from '../../services/meili/news-search';
import { qs, sampleApiSuite } from '../support/harness';

/** The glossary's synonyms and dictionary words, through the real indexer, engine and API, on the sample corpus. */

const { api, engine, index } = sampleApiSuite('lexicon');

const search = async (q: string) => {
  const res = await api.get<SearchResponse>(`/api/search${qs({ q, collapse: false, limit: 20 })}`);
  expect(res.status).toBe(200);
  return res.body;
};

/** "<mark>Cold</mark> <mark>War</mark>" and "<mark>Cold War</mark>" both mark the phrase. */
function marksPhrase(html: string, phrase: string): boolean {
  const words = phrase.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(words.map((w) => `<mark>[^<]*\\b${w}\\b[^<]*</mark>`).join('\\s*'), 'i').test(html) ||
    new RegExp(`<mark>${words.join(' ')}</mark>`, 'i').test(html);
}

describe('cross-language search on the sample corpus', () => {
  it('answers a Chinese query with an English-bodied article and marks its English words', async () => {
    const body = await search('冷战思维');
    const hit = body.hits.find((h) => h.body.includes('Cold War mentality'));
    expect(hit).toBeDefined();
    expect(hit?.lang).toContain('en');
    expect(marksPhrase(hit?.highlight.snippet ?? '', 'Cold War mentality')).toBe(true);
    // The other article words it "Cold War thinking": the glossary lists both.
    expect(body.hits.some((h) => marksPhrase(h.highlight.snippet, 'Cold War thinking'))).toBe(true);
  });

  it('answers an English query with a Chinese-only article and marks the Chinese term whole', async () => {
    const body = await search('sister cities');
    const hit = body.hits.find((h) => h.title.includes('友城'));
    expect(hit).toBeDefined();
    expect(hit?.lang).toEqual(['zh']);
    expect(hit?.highlight.title).toContain('<mark>友城</mark>');
  });

  it('finds a term inside a longer phrase the dictionary leaves unlisted (命运共同体 in 上合组织命运共同体)', async () => {
    const body = await search('命运共同体');
    const hit = body.hits.find((h) => h.title.includes('上合组织命运共同体'));
    expect(hit?.highlight.title).toContain('<mark>命运共同体</mark>');
  });

  it('finds an acronym for its spelled-out form (CC-CEDICT acronyms are engine synonyms)', async () => {
    const body = await search('gross domestic product');
    const hit = body.hits.find((h) => /\bGDP\b/.test(h.body));
    expect(hit).toBeDefined();
    expect(hit?.highlight.snippet).toContain('<mark>GDP</mark>');
  });

  it('keeps the words of a translation that articles use when another word of it is used by none', async () => {
    // "watercolor painting" translates to 水彩画 绘画: no article uses 水彩画, the sample's Tianjin article has a 绘画比赛.
    // Dropping words from the end, as for the reader's own query, would keep 水彩画 and find nothing.
    const body = await search('watercolor painting');
    const hit = body.hits.find((h) => h.body.includes('绘画比赛'));
    expect(hit).toBeDefined();
    expect(hit?.highlight.snippet).toContain('<mark>绘画</mark>');
  });

  it('finds the same articles for a Chinese term and its English synonym, with the English marked', async () => {
    const body = await search('观察员国');
    expect(body.hits.length).toBeGreaterThanOrEqual(3);
    for (const hit of body.hits.slice(0, 3)) expect(marksPhrase(hit.highlight.snippet, 'observer states')).toBe(true);
    const english = await search('observer states');
    expect(english.hits.map((h) => h.id).sort()).toEqual(body.hits.map((h) => h.id).sort());
  });

  it.each(['冷战思维', '上海精神', '天津峰会', 'Shanghai Spirit', 'sister cities', '撒马尔罕'])(
    'counts %s consistently across both phrasings: total = hits = outlet counts, collapsed or not',
    async (q) => {
      for (const collapse of [true, false]) {
        const res = await api.get<SearchResponse>(`/api/search${qs({ q, collapse, limit: 100 })}`);
        expect(res.status).toBe(200);
        const { total, hits, facets } = res.body;
        expect(total).toBeGreaterThan(0);
        expect(hits).toHaveLength(total);
        expect(facets.outlet.reduce((n, f) => n + f.count, 0)).toBe(total);
      }
    },
  );

  it('puts the shorter article first among hits the engine scores equal', async () => {
    // 上海精神: five sample articles name it once, in the body only, and tie on every rule of the engine.
    const q = '上海精神';
    const found = await searchNews(engine, index, { q, filters: {}, sort: 'relevance', page: 1, limit: 20, collapse: false });
    const runs = new Map<number, number[]>();
    for (const h of found.hits) if (h.score !== null) runs.set(h.score, [...(runs.get(h.score) ?? []), h.doc.wordCount]);
    const tied = [...runs.values()].filter((counts) => counts.length > 1);
    expect(tied.length).toBeGreaterThan(0);
    for (const counts of tied) expect(counts).toEqual([...counts].sort((a, b) => a - b));
  });
});
