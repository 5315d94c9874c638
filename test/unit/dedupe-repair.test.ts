import { NearDuplicateGrouper } from '../../services/dedupe';
import { disagreeingGroups, type GroupClaim } from '../../services/dedupe-repair';

const claims = (entries: Record<string, [string, string[]]>): Map<string, GroupClaim> =>
  new Map(Object.entries(entries).map(([id, [dupGroup, dupOf]]) => [id, { dupGroup, dupOf }]));

describe('disagreeingGroups', () => {
  it('finds a copy naming a group whose earlier copy still stands alone (a run died before its group update)', () => {
    expect(disagreeingGroups(claims({ a: ['a', []], b: ['a', ['a']], c: ['c', []] }))).toEqual([['a', 'b']]);
  });

  it('leaves groups whose copies agree, including members the seeding did not read', () => {
    const agreeing = claims({ a: ['a', ['b', 'x']], b: ['a', ['a', 'x']], c: ['c', []], d: ['y', ['y']] });
    expect(disagreeingGroups(agreeing)).toEqual([]);
  });

  it('finds a group that grew by a member its older copies do not know, and one whose head moved for some copies only', () => {
    const grown = claims({ a: ['a', ['b']], b: ['a', ['a']], c: ['a', ['a', 'b']] });
    expect(disagreeingGroups(grown)).toEqual([['a', 'b', 'c']]);
    const moved = claims({ a: ['z', ['z']], z: ['a', ['a']] });
    expect(disagreeingGroups(moved)).toEqual([['a', 'z']]);
  });

  it('joins groups linked through several claims into one', () => {
    expect(disagreeingGroups(claims({ a: ['a', []], b: ['a', ['a']], c: ['b', ['b']] }))).toEqual([['a', 'b', 'c']]);
  });
});

describe('NearDuplicateGrouper.regroup', () => {
  const split = (t: string) => t.split(/\s+/);
  const seeded = (id: string, timestamp: number | null, dupGroup: string, dupOf: string[]) => ({ id, title: `t ${id}`, body: `body of ${id}`, timestamp, dupGroup, dupOf });

  it('makes seeded documents one group ordered by publication, and later runs see it', () => {
    const g = new NearDuplicateGrouper(split);
    g.seed(seeded('b', 200, 'a', ['a']));
    g.seed(seeded('a', 100, 'a', []));
    expect(g.regroup(['a', 'b'])).toEqual([
      { id: 'a', dupGroup: 'a', dupOf: ['b'] },
      { id: 'b', dupGroup: 'a', dupOf: ['a'] },
    ]);
    // Seen again by the rerun: the repaired group, not the stored fields.
    expect(g.place({ id: 'a', title: 't a', body: 'body of a', timestamp: 100 }).self).toEqual({ id: 'a', dupGroup: 'a', dupOf: ['b'] });
  });

  it('puts members it never read last, as undated', () => {
    const g = new NearDuplicateGrouper(split);
    g.seed(seeded('b', 200, 'b', ['x']));
    expect(g.regroup(['x', 'b']).map((f) => f.dupGroup)).toEqual(['b', 'b']);
  });
});
