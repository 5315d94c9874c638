import { z } from 'zod';

import { buildImages, ComposeProject, describeWithDocker, freePort, KEY_RIGHTS_PROBE } from '../support/compose-stack';

/**
 * The `cluster` profile: three engines come up healthy, the one-shot `meili-network` job makes them one sharded
 * network, and documents written to one node are spread by the engine over all three. Then the profile's own indexer,
 * keys job and API: the API holds only the search-only key (no master key in its container) and still searches the
 * whole network and reports every node in /readyz. The app's sharded mode is tested in depth against embedded engines;
 * this proves the deployment.
 */

// Runs inside the compose network (as a one-off `meili-network` container, which has MEILI_NETWORK and the key):
// reads each node's network, writes documents to the first node, and reports how many each node ends up holding.
const PROBE = `
const nodes = process.env.MEILI_NETWORK.split(',').map((p) => { const [name, url] = p.split('='); return { name, url }; });
const auth = { Authorization: 'Bearer ' + process.env.MEILI_MASTER_KEY, 'Content-Type': 'application/json' };
const get = async (n, path) => (await fetch(n.url + path, { headers: auth })).json();
(async () => {
  const networks = {};
  for (const n of nodes) networks[n.name] = await get(n, '/network');
  const docs = Array.from({ length: DOCS }, (_, i) => ({ id: 'doc-' + i, title: 'document ' + i }));
  const res = await fetch(nodes[0].url + '/indexes/probe/documents?primaryKey=id', { method: 'POST', headers: auth, body: JSON.stringify(docs) });
  const task = await res.json();
  const counts = {};
  for (let i = 0; i < 120; i++) {
    for (const n of nodes) {
      const stats = await fetch(n.url + '/indexes/probe/stats', { headers: auth });
      counts[n.name] = stats.ok ? (await stats.json()).numberOfDocuments : 0;
    }
    if (Object.values(counts).reduce((a, b) => a + b, 0) === DOCS) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  process.stdout.write(JSON.stringify({ networks, task, counts }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const DOCS = 60;

const readySchema = z.object({
  status: z.string(),
  nodes: z.array(z.object({ name: z.string(), healthy: z.boolean(), searchable: z.boolean(), documents: z.number().nullable() })),
});

const probeSchema = z.object({
  networks: z.record(z.string(), z.object({ self: z.string().nullable(), sharding: z.boolean(), remotes: z.record(z.string(), z.unknown()) })),
  task: z.object({ taskUid: z.number() }).loose(),
  counts: z.record(z.string(), z.number()),
});

const describeDocker = describeWithDocker('compose cluster test');

describeDocker('docker-compose cluster profile (three engines, one sharded network)', () => {
  let project: ComposeProject;
  let apiUrl = '';
  const profile = ['--profile', 'cluster'];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const { images } = await buildImages();
    const port = await freePort();
    project = new ComposeProject('nscluster', { ...images, NPM_OFFLINE: 'true', CLUSTER_API_PORT: String(port) });
    apiUrl = `http://127.0.0.1:${port}`;
    const up = Date.now();
    await project.compose([...profile, 'up', '-d', '--no-build', 'meili-network']);
    const exit = await project.waitExit('meili-network', 120_000, profile);
    if (exit !== 0) throw new Error(`meili-network exited with ${exit}\n${await project.logs()}`);
    timings.networkConfiguredMs = Date.now() - up;
    await project.compose([...profile, 'up', '-d', '--no-build', 'indexer-cluster', 'search-api-cluster']);
    const indexed = await project.waitExit('indexer-cluster', 180_000, profile);
    if (indexed !== 0) throw new Error(`indexer-cluster exited with ${indexed}\n${await project.logs()}`);
    timings.indexedMs = Date.now() - up;
    await project.waitHealthy('search-api-cluster', 120_000, profile);
    timings.apiHealthyMs = Date.now() - up;
  }, 900_000);

  afterAll(async () => {
    await project?.down().catch(() => undefined);
    process.stdout.write(`[compose] cluster timings (ms): ${JSON.stringify(timings)}\n`);
  }, 120_000);

  test('every node knows the whole network with itself as self, and sharding is on; documents spread over all nodes', async () => {
    const out = await project.compose([...profile, 'run', '--rm', '--no-deps', '-T', 'meili-network', 'node', '-e', PROBE.replaceAll('DOCS', String(DOCS))]);
    const probe = probeSchema.parse(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
    const names = ['meili-1', 'meili-2', 'meili-3'];
    for (const name of names) {
      const network = probe.networks[name];
      expect({ name, self: network?.self, sharding: network?.sharding, remotes: Object.keys(network?.remotes ?? {}).sort() }).toEqual({
        name,
        self: name,
        sharding: true,
        remotes: names,
      });
    }
    // Written to meili-1 only; the engine itself forwards each document to exactly one node.
    expect(Object.values(probe.counts).reduce((a, b) => a + b, 0)).toBe(DOCS);
    for (const name of names) expect({ name, holds: (probe.counts[name] ?? 0) > 0 }).toEqual({ name, holds: true });
  }, 120_000);

  test('the cluster API container holds no master key, and its search-only key still searches every node', async () => {
    const api = await project.inspect('search-api-cluster', profile);
    const names = api.Config.Env.map((e) => e.slice(0, e.indexOf('=')));
    expect(names.filter((n) => n.includes('KEY'))).toEqual(['MEILI_SEARCH_KEY_FILE']);
    expect(api.raw.includes(project.masterKey)).toBe(false);
    expect(api.Mounts.find((m) => m.Type === 'volume')).toMatchObject({ RW: false });
    expect(JSON.parse(await project.exec('search-api-cluster', ['node', '-e', KEY_RIGHTS_PROBE], profile))).toEqual({ search: 200, write: 403, keys: 403 });
    expect(await project.waitExit('engine-keys-cluster', 10_000, profile)).toBe(0);

    // /readyz lists every node with the documents it holds, which a search-only key learns from facet counts.
    const res = await fetch(`${apiUrl}/readyz`);
    const ready = readySchema.parse(await res.json());
    expect({ status: res.status, body: ready.status }).toEqual({ status: 200, body: 'ready' });
    expect(ready.nodes.map((n) => n.name).sort()).toEqual(['meili-1', 'meili-2', 'meili-3']);
    for (const node of ready.nodes) {
      expect({ node: node.name, healthy: node.healthy, searchable: node.searchable, holds: (node.documents ?? 0) > 0 }).toEqual({
        node: node.name,
        healthy: true,
        searchable: true,
        holds: true,
      });
    }
    const search = await fetch(`${apiUrl}/api/search?q=${encodeURIComponent('上海精神')}`);
    expect(search.status).toBe(200);
    expect(((await search.json()) as { total: number }).total).toBeGreaterThan(0);
    // Holding only a search key is the normal state of this API, not something to warn an operator about at every start.
    const levels = (await project.serviceLogs('search-api-cluster', profile))
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(levels.filter((l) => l.level >= 40).map((l) => l.msg)).toEqual([]);
    expect(levels.map((l) => l.msg)).toContain('holding only a search-only engine key (no master or write key)');
  }, 120_000);

  test('down -v leaves no container, network or volume behind', async () => {
    await project.down();
    expect(await project.leftovers()).toEqual({ containers: [], networks: [], volumes: [] });
  }, 120_000);
});
