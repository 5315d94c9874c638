import { z } from 'zod';

import { buildImages, ComposeProject, describeWithDocker } from '../support/compose-stack';

/**
 * The `cluster` profile: three engines come up healthy, the one-shot `meili-network` job makes them one sharded
 * network, and documents written to one node are spread by the engine over all three. The app's own sharded mode
 * (federated search, settings on every node) is tested against embedded engines; this proves the deployment.
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

const probeSchema = z.object({
  networks: z.record(z.string(), z.object({ self: z.string().nullable(), sharding: z.boolean(), remotes: z.record(z.string(), z.unknown()) })),
  task: z.object({ taskUid: z.number() }).loose(),
  counts: z.record(z.string(), z.number()),
});

const describeDocker = describeWithDocker('compose cluster test');

describeDocker('docker-compose cluster profile (three engines, one sharded network)', () => {
  let project: ComposeProject;
  const profile = ['--profile', 'cluster'];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const { images } = await buildImages();
    project = new ComposeProject('nscluster', { ...images, NPM_OFFLINE: 'true' });
    const up = Date.now();
    await project.compose([...profile, 'up', '-d', '--no-build', 'meili-network']);
    const exit = await project.waitExit('meili-network', 120_000, profile);
    if (exit !== 0) throw new Error(`meili-network exited with ${exit}\n${await project.logs()}`);
    timings.networkConfiguredMs = Date.now() - up;
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

  test('down -v leaves no container, network or volume behind', async () => {
    await project.down();
    expect(await project.leftovers()).toEqual({ containers: [], networks: [], volumes: [] });
  }, 120_000);
});
