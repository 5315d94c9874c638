import { GroupFacetMemory, type FacetValues } from '../../indexer/group-facet-memory';
import type { NewsDocument } from '../../services/article';

const doc = (id: string, outlet: string): NewsDocument =>
  ({ id, outlet, themes: ['summit'], lang: ['zh'], day: '2025-08-29', month: '2025-08', dupGroup: id, dupOf: [] }) as unknown as NewsDocument;

describe('GroupFacetMemory', () => {
  it('keys a group update from the values it remembers, reading only the documents it does not know', async () => {
    const asked: string[][] = [];
    const stored = new Map<string, FacetValues>([['old', { outlet: 'cctv', themes: [], lang: ['en'], day: null, month: null }]]);
    const memory = new GroupFacetMemory(async (ids) => {
      asked.push([...ids]);
      return new Map([...stored].filter(([id]) => ids.includes(id)));
    }, 10);
    memory.remember(doc('a', 'xinhua'));

    const keys = await memory.keysFor([
      { id: 'a', dupGroup: 'old', dupOf: ['old', 'new'] },
      { id: 'old', dupGroup: 'old', dupOf: ['a', 'new'] },
      { id: 'gone', dupGroup: 'old', dupOf: ['a'] },
    ]);
    expect(asked).toEqual([['old', 'gone']]);
    expect(keys.get('a')).toEqual({
      sharedGroup: 'old',
      sharedOutlet: ['old|xinhua'],
      sharedThemes: ['old|summit'],
      sharedLang: ['old|zh'],
      sharedDay: ['old|2025-08-29'],
      sharedMonth: ['old|2025-08'],
    });
    expect(keys.get('old')).toMatchObject({ sharedOutlet: ['old|cctv'], sharedLang: ['old|en'], sharedDay: [] });
    // Neither remembered nor stored: no keys rather than wrong ones (the pipeline logs it).
    expect(keys.has('gone')).toBe(false);
  });

  it('forgets the oldest documents first beyond its bound', async () => {
    const asked: string[] = [];
    const memory = new GroupFacetMemory(async (ids) => {
      asked.push(...ids);
      return new Map();
    }, 2);
    for (const id of ['a', 'b', 'c']) memory.remember(doc(id, 'xinhua'));
    await memory.keysFor(['a', 'b', 'c'].map((id) => ({ id, dupGroup: 'a', dupOf: ['x'] })));
    expect(asked).toEqual(['a']);
  });
});
