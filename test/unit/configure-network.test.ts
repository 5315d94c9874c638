import { defaultKeys, networkBody, parseNetworkSpec } from '../../scripts/cluster/configure-network';

describe('parseNetworkSpec', () => {
  test('reads name=url pairs in order, trimming blanks and trailing slashes', () => {
    expect(parseNetworkSpec(' a=http://h1:7700/ , b=https://h2.example:7701,')).toEqual([
      { name: 'a', url: 'http://h1:7700' },
      { name: 'b', url: 'https://h2.example:7701' },
    ]);
  });

  test.each([
    ['', /no node/],
    ['a', /not name=url/],
    ['=http://h:1', /not name=url/],
    ['a=ftp://h:1', /url|URL/],
    ['a=http://h:1,a=http://g:1', /twice/],
    ['a b=http://h:1', /letters/],
  ])('rejects %p', (spec, message) => {
    expect(() => parseNetworkSpec(spec)).toThrow(message);
  });
});

describe('networkBody', () => {
  const nodes = parseNetworkSpec('n1=http://n1:7700,n2=http://n2:7700');
  const keys = new Map([
    ['n1', { searchApiKey: 's1', writeApiKey: 'w1' }],
    ['n2', { searchApiKey: 's2', writeApiKey: 'w2' }],
  ]);

  test('gives every node the same remotes, its own self, and sharding on', () => {
    const b1 = networkBody('n1', nodes, keys);
    const b2 = networkBody('n2', nodes, keys);
    expect(b1.self).toBe('n1');
    expect(b2.self).toBe('n2');
    expect(b1.remotes).toEqual(b2.remotes);
    expect(b1.remotes.n2).toEqual({ url: 'http://n2:7700', searchApiKey: 's2', writeApiKey: 'w2' });
    expect(b1.sharding).toBe(true);
  });

  test('refuses a node without keys', () => {
    expect(() => networkBody('n1', nodes, new Map([['n1', { searchApiKey: 's', writeApiKey: 'w' }]]))).toThrow(/n2/);
  });
});

describe('defaultKeys', () => {
  const key = (name: string | null, k: string) => ({ name, key: k, actions: ['*'] });

  test('picks the default search and admin keys by name', () => {
    const body = { results: [key('Default Chat API Key', 'c'), key('Default Search API Key', 's'), key('Default Admin API Key', 'a')] };
    expect(defaultKeys(body)).toEqual({ searchApiKey: 's', writeApiKey: 'a' });
  });

  test('fails clearly when they are missing', () => {
    expect(() => defaultKeys({ results: [key(null, 'x')] })).toThrow(/default search\/admin/);
    expect(() => defaultKeys({ nope: 1 })).toThrow();
  });
});
