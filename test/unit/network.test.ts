import { embeddedNodes, networkBody, networkMismatches, parseNetworkSpec, remoteTasksOf } from '../../services/meili/network';

describe('parseNetworkSpec (MEILI_NETWORK)', () => {
  it('reads name=url pairs, trimming spaces and trailing slashes', () => {
    expect(parseNetworkSpec(' a=http://10.0.0.1:7700/ , b=https://search-b.internal ')).toEqual([
      { name: 'a', url: 'http://10.0.0.1:7700' },
      { name: 'b', url: 'https://search-b.internal' },
    ]);
  });

  it('lists every problem at once', () => {
    expect(() => parseNetworkSpec('a=ftp://x,b,a=http://y:1,bad name=http://z')).toThrow(
      /a=ftp:\/\/x: must be an http\(s\) URL.*"b" is not name=url.*bad name=http:\/\/z.*node name a appears twice/,
    );
  });

  it('rejects an empty list', () => {
    expect(() => parseNetworkSpec(' , ')).toThrow(/names no node/);
  });
});

describe('the network each node is given', () => {
  const nodes = embeddedNodes(3, 7800);

  it('names embedded nodes node-i on consecutive ports', () => {
    expect(nodes.map((n) => `${n.name}=${n.url}`)).toEqual(['node-0=http://127.0.0.1:7800', 'node-1=http://127.0.0.1:7801', 'node-2=http://127.0.0.1:7802']);
  });

  it('gives every node the same remotes, sharding on, differing only in self', () => {
    const keys = { searchApiKey: 's', writeApiKey: 'w' };
    const a = networkBody(nodes, 'node-0', keys);
    const b = networkBody(nodes, 'node-2', keys);
    expect(a.self).toBe('node-0');
    expect(b.self).toBe('node-2');
    expect(a.remotes).toEqual(b.remotes);
    expect(a.sharding).toBe(true);
    expect(a.remotes['node-1']).toEqual({ url: 'http://127.0.0.1:7801', searchApiKey: 's', writeApiKey: 'w' });
  });

  it('finds what differs from the expected network, and nothing when it matches', () => {
    const good = { self: 'node-1', sharding: true, remotes: Object.fromEntries(nodes.map((n) => [n.name, { url: `${n.url}/` }])) };
    expect(networkMismatches(good, nodes, 'node-1')).toEqual([]);
    const bad = { self: 'node-0', sharding: false, remotes: { 'node-0': { url: 'http://127.0.0.1:9' }, extra: { url: 'http://x' } } };
    expect(networkMismatches(bad, nodes, 'node-1')).toEqual([
      'self is node-0, expected node-1',
      'sharding is off',
      'remote node-0 points at http://127.0.0.1:9, expected http://127.0.0.1:7800',
      'remote node-1 is missing',
      'remote node-2 is missing',
      'unexpected remote extra',
    ]);
  });
});

describe('remoteTasksOf', () => {
  it('reads the tasks a sharded write created on other nodes, and their enqueue errors', () => {
    const task = { uid: 4, network: { remote_tasks: { 'node-1': { taskUid: 7, error: null }, 'node-2': { taskUid: null, error: { message: 'down' } } } } };
    expect(remoteTasksOf(task)).toEqual([
      { node: 'node-1', taskUid: 7, error: null },
      { node: 'node-2', taskUid: null, error: '{"message":"down"}' },
    ]);
  });

  it('is empty for a task that was not forwarded', () => {
    expect(remoteTasksOf({ uid: 1, status: 'succeeded' })).toEqual([]);
    expect(remoteTasksOf(null)).toEqual([]);
  });
});
