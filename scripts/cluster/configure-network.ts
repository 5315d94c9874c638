import { z } from 'zod';

/**
 * Makes a set of Meilisearch engines one sharded network (Meilisearch's own network + sharding, 1.21): enables the
 * experimental `network` feature and writes the same topology to every node, each with its own `self`. Run by the
 * `meili-network` one-shot service of docker-compose's `cluster` profile once all engines are healthy; idempotent,
 * so running it on every `up` (or by hand) is safe.
 *
 *   MEILI_NETWORK=meili-1=http://meili-1:7700,meili-2=http://meili-2:7700 MEILI_MASTER_KEY=... \
 *     node dist/scripts/cluster/configure-network.js
 *
 * Remotes get each node's own default search and admin keys (read with the master key), not the master key itself,
 * so a node only ever holds the least another node needs to search it and to forward documents to it.
 */

const nodeName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, - and _ only');

export interface NetworkNode {
  name: string;
  url: string;
}

/** Parses `name=url,name=url`: names unique, URLs http(s), at least one node. */
export function parseNetworkSpec(spec: string): NetworkNode[] {
  const pairs = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const nodes = pairs.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`MEILI_NETWORK: "${pair}" is not name=url`);
    const name = nodeName.parse(pair.slice(0, eq));
    const url = z
      .url({ protocol: /^https?$/ })
      .parse(pair.slice(eq + 1))
      .replace(/\/+$/, '');
    return { name, url };
  });
  if (nodes.length === 0) throw new Error('MEILI_NETWORK names no node');
  const names = new Set(nodes.map((n) => n.name));
  if (names.size !== nodes.length) throw new Error('MEILI_NETWORK names a node twice');
  return nodes;
}

export interface NodeKeys {
  searchApiKey: string;
  writeApiKey: string;
}

export interface NetworkBody {
  self: string;
  sharding: true;
  remotes: Record<string, { url: string } & NodeKeys>;
}

/** The PATCH /network body for one node: the whole topology, seen from `self`. */
export function networkBody(self: string, nodes: NetworkNode[], keys: ReadonlyMap<string, NodeKeys>): NetworkBody {
  const remotes: NetworkBody['remotes'] = {};
  for (const node of nodes) {
    const k = keys.get(node.name);
    if (!k) throw new Error(`no keys for node ${node.name}`);
    remotes[node.name] = { url: node.url, ...k };
  }
  return { self, sharding: true, remotes };
}

const keysResponse = z.object({
  results: z.array(z.object({ name: z.string().nullable(), key: z.string(), actions: z.array(z.string()) })),
});

/** Picks the node's default search and admin keys out of GET /keys. */
export function defaultKeys(body: unknown): NodeKeys {
  const { results } = keysResponse.parse(body);
  const search = results.find((k) => k.name === 'Default Search API Key');
  const admin = results.find((k) => k.name === 'Default Admin API Key');
  if (!search || !admin) throw new Error('the node has no default search/admin API key (was it started with a master key?)');
  return { searchApiKey: search.key, writeApiKey: admin.key };
}

async function call(node: NetworkNode, masterKey: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${node.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${masterKey}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${node.name}: ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

async function waitHealthy(node: NetworkNode, deadline: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${node.url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${node.name} (${node.url}) did not become healthy`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const networkResponse = z.object({ self: z.string().nullable(), sharding: z.boolean(), remotes: z.record(z.string(), z.unknown()) });

export async function configureNetwork(nodes: NetworkNode[], masterKey: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(nodes.map((n) => waitHealthy(n, deadline)));
  const keys = new Map<string, NodeKeys>();
  for (const node of nodes) keys.set(node.name, defaultKeys(await call(node, masterKey, 'GET', '/keys?limit=100')));
  for (const node of nodes) {
    await call(node, masterKey, 'PATCH', '/experimental-features', { network: true });
    await call(node, masterKey, 'PATCH', '/network', networkBody(node.name, nodes, keys));
    const got = networkResponse.parse(await call(node, masterKey, 'GET', '/network'));
    const remoteNames = Object.keys(got.remotes).sort().join(',');
    const wanted = nodes.map((n) => n.name).sort().join(',');
    if (got.self !== node.name || !got.sharding || remoteNames !== wanted) {
      throw new Error(`${node.name}: network reads back as self=${got.self} sharding=${got.sharding} remotes=${remoteNames}`);
    }
    console.log(`configure-network: ${node.name} (${node.url}) self=${node.name} remotes=${remoteNames} sharding=on`);
  }
}

async function main(): Promise<void> {
  const env = z
    .object({ MEILI_NETWORK: z.string().min(1), MEILI_MASTER_KEY: z.string().min(1) })
    .parse(process.env);
  await configureNetwork(parseNetworkSpec(env.MEILI_NETWORK), env.MEILI_MASTER_KEY);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`configure-network: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
