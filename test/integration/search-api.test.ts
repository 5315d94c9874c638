import type { SearchResponse } from '../../search-api/search/search-service';
import { qs, sampleApiSuite } from '../support/harness';

const { api } = sampleApiSuite('api');

const search = async (params: Parameters<typeof qs>[0]) => {
  const res = await api.get<SearchResponse>(`/api/search${qs(params)}`);
  expect(res.status).toBe(200);
  return res.body;
};

describe('GET /api/search on the sample corpus', () => {
  it('lists everything newest first for an empty query, with outlet counts', async () => {
    const body = await search({ collapse: false });
    expect(body.total).toBe(10);
    expect(body.sort).toBe('newest');
    const dates = body.hits.map((h) => h.published ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    expect(Object.fromEntries(body.facets.outlet.map((f) => [f.label, f.count]))).toEqual({ 新华社: 4, 经济日报: 3, 中国新闻网: 2, 央视网: 1 });
    expect(body.facets.outlet.find((f) => f.value === 'xinhua')).toMatchObject({ labelEn: 'Xinhua' });
  });

  it('finds a Chinese term and highlights it whole in the title as published', async () => {
    const body = await search({ q: '上海精神' });
    expect(body.total).toBeGreaterThan(0);
    const titles = body.hits.map((h) => h.highlight.title);
    expect(titles.some((t) => t.includes('<mark>上海精神</mark>'))).toBe(true);
    expect(titles.join('')).not.toMatch(/<mark>上<\/mark>/);
  });

  it('finds English text and highlights it in the snippet', async () => {
    const body = await search({ q: 'Tianjin Declaration' });
    expect(body.hits.length).toBeGreaterThan(0);
    expect(body.hits[0]?.highlight.snippet).toMatch(/<mark>Tianjin<\/mark> <mark>Declaration<\/mark>/);
  });

  it('pages through results without overlap', async () => {
    const p1 = await search({ limit: 4, page: 1, collapse: false });
    const p2 = await search({ limit: 4, page: 2, collapse: false });
    const p3 = await search({ limit: 4, page: 3, collapse: false });
    const ids = [...p1.hits, ...p2.hits, ...p3.hits].map((h) => h.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
  });

  it('sorts oldest first on request', async () => {
    const body = await search({ sort: 'oldest', limit: 1 });
    expect(body.hits[0]?.published).toBe('2025-08-23T22:27:00+08:00');
  });

  it('filters by outlet and language', async () => {
    const body = await search({ outlet: 'chinanews', collapse: false });
    expect(body.total).toBe(2);
    expect(body.hits.every((h) => h.outlet.id === 'chinanews')).toBe(true);
    const zhOnly = await search({ lang: 'en', outlet: 'xinhua', collapse: false });
    expect(zhOnly.hits.every((h) => h.lang.includes('en'))).toBe(true);
  });

  it('returns an article by id and 404 for an unknown one', async () => {
    const { hits } = await search({ limit: 1 });
    const id = hits[0]?.id ?? '';
    const found = await api.get(`/api/articles/${id}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id, title: hits[0]?.title });
    expect((await api.get('/api/articles/doesnotexist')).status).toBe(404);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 101 }, 'limit'],
    [{ page: 0 }, 'page'],
    [{ page: 11, limit: 100 }, 'page'],
    [{ sort: 'random' }, 'sort'],
    [{ from: '2025-02-30' }, 'from'],
    [{ from: '2025-09-02', to: '2025-09-01' }, 'from'],
    [{ lang: 'fr' }, 'lang'],
    [{ q: 'x'.repeat(501) }, 'q'],
  ])('answers 400 naming the field for %j', async (params, field) => {
    const res = await api.get<{ error: { code: string; field: string; message: string } }>(`/api/search${qs(params)}`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.message).toContain(field);
  });

  it('reports health', async () => {
    expect((await api.get('/healthz')).status).toBe(200);
  });
});
