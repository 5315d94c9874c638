import { indexPattern, keyUid, ROLE_ACTIONS, roleIndexes } from '../../services/meili/keys';
import { buildIndexName, swapRefusal } from '../../indexer/reindex';

describe('engine key policy', () => {
  it('derives a stable UUID v4-shaped uid per role and index', () => {
    const uid = keyUid('search', 'news');
    expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keyUid('search', 'news')).toBe(uid);
    expect(keyUid('indexer', 'news')).not.toBe(uid);
    expect(keyUid('search', 'news2')).not.toBe(uid);
  });

  it('gives the search role nothing but search on the news indexes, and no role any key management', () => {
    expect(ROLE_ACTIONS.search).toEqual(['search']);
    for (const actions of Object.values(ROLE_ACTIONS)) expect(actions.filter((a) => a.startsWith('keys') || a === '*')).toEqual([]);
    expect(indexPattern('news')).toBe('news*');
    expect(roleIndexes('search', 'news')).toEqual(['news*']);
  });
});

describe('reindex rules', () => {
  it('names build indexes after the live one', () => {
    expect(buildIndexName('news', new Date('2025-09-01T03:04:05.678Z'))).toBe('news__build_20250901030405678');
  });

  it.each([
    [{ count: 100, failedTasks: 0 }, 100, 0.9, null],
    [{ count: 100, failedTasks: 0 }, null, 0.9, null],
    [{ count: 95, failedTasks: 0 }, 100, 0.9, null],
    [{ count: 80, failedTasks: 0 }, 100, 0.9, /fewer than 90%/],
    [{ count: 80, failedTasks: 0 }, 100, 0, null],
    [{ count: 0, failedTasks: 0 }, null, 0, /empty/],
    [{ count: 100, failedTasks: 2 }, 50, 0.9, /2 engine task/],
  ])('swapRefusal(%j, previous %p, ratio %p)', (built, previous, ratio, expected) => {
    const r = swapRefusal(built, previous, ratio);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });
});
