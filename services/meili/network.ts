import { z } from 'zod';

/**
 * The engine's own network (Meilisearch `network` experimental feature): which nodes exist, what each calls itself,
 * and whether document writes are sharded among them. Pure descriptions and the zod shapes of what the engine answers;
 * the calls themselves live in sharded-engine.ts.
 */

export interface NodeAddress {
  /** The node's name in the network (`self` on that node, a key of `remotes` everywhere). */
  name: string;
  url: string;
}

const NODE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const nodeAddressSchema = z.object({
  name: z.string().regex(NODE_NAME, 'node names are letters, digits, - and _ (at most 64)'),
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).transform((u) => u.replace(/\/+$/, '')),
});

/** `MEILI_NETWORK=name=url,name=url`: the nodes of an engine network run elsewhere. Throws with every problem listed. */
export function parseNetworkSpec(spec: string): NodeAddress[] {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const problems: string[] = [];
  const nodes: NodeAddress[] = [];
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const parsed = nodeAddressSchema.safeParse(eq > 0 ? { name: entry.slice(0, eq), url: entry.slice(eq + 1) } : { name: '', url: '' });
    if (eq <= 0) problems.push(`"${entry}" is not name=url`);
    else if (!parsed.success) problems.push(`${entry}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    else nodes.push(parsed.data);
  }
  // Every name given counts for duplicates, valid or not, so one run reports all the problems.
  const names = entries.map((e) => e.slice(0, Math.max(0, e.indexOf('='))).trim()).filter((n) => n.length > 0);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) problems.push(`node name ${dup} appears twice`);
  if (entries.length === 0) problems.push('names no node');
  if (problems.length > 0) throw new Error(`MEILI_NETWORK: ${problems.join('; ')}`);
  return nodes;
}

/** Names and loopback URLs of N embedded nodes on consecutive ports (MEILI_PORT, +1, ...). */
export function embeddedNodes(count: number, basePort: number, host = '127.0.0.1'): NodeAddress[] {
  return Array.from({ length: count }, (_, i) => ({ name: `node-${i}`, url: `http://${host}:${basePort + i}` }));
}

export interface NetworkKeys {
  /** Key the nodes use to search each other (federated search). */
  searchApiKey: string | null;
  /** Key the nodes use to forward sharded writes to each other. */
  writeApiKey: string | null;
}

/** The body of `PATCH /network` for one node: every node gets the same remotes and differs only in `self`. */
export interface NetworkBody {
  self: string;
  remotes: Record<string, { url: string; searchApiKey: string | null; writeApiKey: string | null }>;
  sharding: boolean;
}

export function networkBody(nodes: readonly NodeAddress[], self: string, keys: NetworkKeys): NetworkBody {
  return {
    self,
    remotes: Object.fromEntries(nodes.map((n) => [n.name, { url: n.url, searchApiKey: keys.searchApiKey, writeApiKey: keys.writeApiKey }])),
    sharding: true,
  };
}

/** What `GET /network` answers (keys may be hidden from keys without the right to see them). */
export const networkStateSchema = z.object({
  self: z.string().nullable().optional(),
  remotes: z.record(z.string(), z.object({ url: z.string(), searchApiKey: z.string().nullable().optional() }).loose()).default({}),
  sharding: z.boolean().optional(),
});
export type NetworkState = z.infer<typeof networkStateSchema>;

/**
 * Differences between a node's network and the one expected of it, in words an operator can act on. Empty when the
 * node is configured as it should be. URLs are compared without a trailing slash.
 */
export function networkMismatches(actual: NetworkState, nodes: readonly NodeAddress[], self: string): string[] {
  const problems: string[] = [];
  if (actual.self !== self) problems.push(`self is ${actual.self ?? 'unset'}, expected ${self}`);
  if (actual.sharding !== true) problems.push('sharding is off');
  for (const n of nodes) {
    const remote = actual.remotes[n.name];
    if (!remote) problems.push(`remote ${n.name} is missing`);
    else if (remote.url.replace(/\/+$/, '') !== n.url) problems.push(`remote ${n.name} points at ${remote.url}, expected ${n.url}`);
  }
  for (const name of Object.keys(actual.remotes)) {
    if (!nodes.some((n) => n.name === name)) problems.push(`unexpected remote ${name}`);
  }
  return problems;
}

/** The `network` part of a task on the node that received a sharded write: the task each remote enqueued. */
export const taskNetworkSchema = z.object({
  network: z
    .object({
      remote_tasks: z
        .record(z.string(), z.object({ taskUid: z.number().int().nullable().optional(), error: z.unknown().nullable().optional() }))
        .optional(),
    })
    .nullable()
    .optional(),
});

export interface RemoteTaskRef {
  node: string;
  taskUid: number | null;
  error: string | null;
}

/** The remote tasks a coordinator task lists, or none when the task was not forwarded. */
export function remoteTasksOf(task: unknown): RemoteTaskRef[] {
  const parsed = taskNetworkSchema.safeParse(task);
  const remote = parsed.success ? parsed.data.network?.remote_tasks : undefined;
  if (!remote) return [];
  return Object.entries(remote).map(([node, ref]) => ({
    node,
    taskUid: ref.taskUid ?? null,
    error: ref.error === null || ref.error === undefined ? null : JSON.stringify(ref.error),
  }));
}
