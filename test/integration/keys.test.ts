import { silentLogger } from '../../services/logger';
import { NodeEngine } from '../../services/meili/node-engine';
import { applyKeyPolicy, indexPattern, keyUid, provisionKeys, ROLE_ACTIONS } from '../../services/meili/keys';
import { loadConfig } from '../../services/config';
import { engineFromEnv } from '../support/engine-choice';
import { indexInto, startApiOn, testEngine, uniqueIndex } from '../support/harness';

const choice = engineFromEnv();
const master = testEngine();
const index = uniqueIndex('keys');
const other = uniqueIndex('other');
const raced = uniqueIndex('raced');

/** Raw HTTP with a given key, to see the engine's own status codes. */
const raw = (key: string, method: string, path: string, body?: unknown) =>
  fetch(`${choice.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

afterAll(async () => {
  await master.deleteIndexIfExists(index);
  await master.deleteIndexIfExists(other);
  for (const role of ['search', 'indexer'] as const) await master.client.deleteKey(keyUid(role, raced)).catch(() => undefined);
  for (const role of ['search', 'indexer'] as const) await master.client.deleteKey(keyUid(role, index)).catch(() => undefined);
});

describe('scoped engine keys (real engine)', () => {
  let keys: Awaited<ReturnType<typeof provisionKeys>>;

  beforeAll(async () => {
    keys = await provisionKeys(master, index);
  });

  it('reuses the same keys on a second start instead of creating new ones', async () => {
    const again = await provisionKeys(master, index);
    expect(again).toEqual(keys);
    const mine = (await master.client.getKeys({ limit: 1000 })).results.filter((k) => k.name?.includes(indexPattern(index)));
    expect(mine.map((k) => k.uid).sort()).toEqual([keyUid('indexer', index), keyUid('search', index)].sort());
    expect(mine.find((k) => k.uid === keyUid('search', index))).toMatchObject({ actions: ['search'], indexes: [indexPattern(index)] });
  });

  it('gives two processes starting together the same keys (the indexer and the API under docker-compose)', async () => {
    const together = await Promise.all([provisionKeys(master, raced), provisionKeys(master, raced), provisionKeys(master, raced)]);
    expect(together[1]).toEqual(together[0]);
    expect(together[2]).toEqual(together[0]);
  });

  it('restores the policy when a key with the same uid has too many rights', async () => {
    const uid = keyUid('search', index);
    await master.client.deleteKey(uid);
    await master.client.createKey({ uid, actions: ['*'], indexes: ['*'], expiresAt: null });
    const again = await provisionKeys(master, index);
    expect(again.searchKey).toBe(keys.searchKey);
    const k = await master.client.getKey(uid);
    expect(k.actions).toEqual([...ROLE_ACTIONS.search]);
    expect(k.indexes).toEqual([indexPattern(index)]);
  });

  it('lets the indexer key index and the search key only search', async () => {
    const indexer = new NodeEngine({ url: choice.url, apiKey: keys.indexerKey, timeoutMs: 10_000 });
    const summary = await indexInto(indexer, index);
    expect(summary).toMatchObject({ indexed: 10, failedTasks: [] });

    // Search key: searching works …
    const search = await raw(keys.searchKey, 'POST', `/indexes/${index}/search`, { q: '上海' });
    expect(search.status).toBe(200);
    // … nothing else does.
    expect((await raw(keys.searchKey, 'POST', `/indexes/${index}/documents`, [{ id: 'x', title: 'forged' }])).status).toBe(403);
    expect((await raw(keys.searchKey, 'DELETE', `/indexes/${index}`)).status).toBe(403);
    expect((await raw(keys.searchKey, 'PATCH', `/indexes/${index}/settings`, { searchableAttributes: ['url'] })).status).toBe(403);
    expect((await raw(keys.searchKey, 'GET', '/keys')).status).toBe(403);
    expect((await raw(keys.searchKey, 'POST', '/keys', { actions: ['*'], indexes: ['*'], expiresAt: null })).status).toBe(403);
    // The search key reaches no index outside its pattern; the indexer key cannot read or mint keys.
    await master.prepareIndex(other, 'id', {});
    expect((await raw(keys.searchKey, 'POST', `/indexes/${other}/search`, { q: '' })).status).toBe(403);
    expect((await raw(keys.indexerKey, 'GET', '/keys')).status).toBe(403);
    expect((await raw(keys.indexerKey, 'POST', '/keys', { actions: ['search'], indexes: ['*'], expiresAt: null })).status).toBe(403);
    expect((await raw(keys.indexerKey, 'POST', '/dumps')).status).toBe(403);
    expect(await master.countDocuments(index)).toBe(10);
  });

  it('the API answers searches, readiness and articles by id with the search key alone', async () => {
    const searchOnly = new NodeEngine({ url: choice.url, apiKey: keys.searchKey, timeoutMs: 10_000 });
    const api = await startApiOn(searchOnly, index);
    const server = api.server;
    try {
      const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent('上海精神')}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { total: number }).total).toBeGreaterThan(0);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      // An article by id (the page's "similar reports"): a search-only key cannot read documents by id.
      const [hit] = ((await (await fetch(`${server.url}/api/search?limit=1`)).json()) as { hits: Array<{ id: string; title: string }> }).hits;
      const article = await fetch(`${server.url}/api/articles/${hit?.id}`);
      expect(article.status).toBe(200);
      expect(await article.json()).toMatchObject({ id: hit?.id, title: hit?.title });
      expect((await fetch(`${server.url}/api/articles/doesnotexist`)).status).toBe(404);
      const body = await (await fetch(`${server.url}/api/search`)).text();
      expect(body).not.toContain(keys.searchKey);
      expect(body).not.toContain(choice.apiKey);
    } finally {
      await api.close();
    }
  });

  it('applyKeyPolicy hands the indexer and the API scoped keys, never the master key', async () => {
    const config = loadConfig({ NODE_ENV: 'production', MEILI_URL: choice.url, MEILI_MASTER_KEY: choice.apiKey, MEILI_INDEX: index });
    const handle = await applyKeyPolicy(
      { mode: 'external', url: choice.url, adminKey: choice.apiKey, searchKey: choice.apiKey, admin: master, stop: async () => {} },
      config,
      silentLogger,
    );
    expect(handle.searchKey).toBe(keys.searchKey);
    expect(handle.adminKey).toBe(keys.indexerKey);
    expect(handle.search.connection.apiKey).toBe(keys.searchKey);
    expect(handle.admin.connection.apiKey).toBe(keys.indexerKey);
  });

  it('refuses to run the API on a write key in production when no search key can be had', async () => {
    const config = loadConfig({ NODE_ENV: 'production', MEILI_URL: choice.url, MEILI_API_KEY: keys.indexerKey, MEILI_INDEX: index });
    await expect(
      applyKeyPolicy({ mode: 'external', url: choice.url, adminKey: keys.indexerKey, searchKey: keys.indexerKey, admin: master, stop: async () => {} }, config, silentLogger),
    ).rejects.toThrow(/MEILI_SEARCH_KEY: is required in production/);
  });
});
