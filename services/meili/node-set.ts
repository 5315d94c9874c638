import { EngineError, EngineUnavailableError, NodesExcludedError, toEngineError } from './errors';
import type { NodeAddress } from './network';
import { healthTimings, NodeHealth, type ProbeOutcome } from './node-health';
import { NodeEngine } from './node-engine';

/**
 * The nodes of a sharded engine network and which of them answer (node-health.ts): the per-node plumbing the sharded
 * engine's parts share. Every call to a node goes through its NodeEngine, so through one transport and one mapping of
 * errors; a call that fails says which node it was.
 */

export interface ShardNode extends NodeAddress {
  engine: NodeEngine;
}

export interface NodeStatus {
  name: string;
  url: string;
  healthy: boolean;
  /** The index exists on the node and can be searched with this key. */
  searchable: boolean;
  /** Documents of the index on this node; null when the node does not answer or the key may not read stats. */
  documents: number | null;
}

export interface NodeAnswers<T> {
  answers: Array<{ node: ShardNode; value: T }>;
  /** Nodes whose answer is missing: excluded, or failed now. */
  missing: string[];
  failures: EngineError[];
}

export class NodeSet {
  readonly nodes: readonly ShardNode[];
  /** The node that receives writes (and shards them). */
  readonly first: ShardNode;
  readonly names: readonly string[];
  readonly health: NodeHealth;

  constructor(addresses: readonly NodeAddress[], apiKey: string | undefined, timeoutMs: number) {
    const nodes = addresses.map((n) => ({ name: n.name, url: n.url, engine: new NodeEngine({ url: n.url, apiKey, timeoutMs }) }));
    const [first] = nodes;
    if (!first) throw new Error('a sharded engine needs at least one node');
    this.nodes = nodes;
    this.first = first;
    this.names = this.nodes.map((n) => n.name);
    const byName = new Map(this.nodes.map((n) => [n.name, n]));
    this.health = new NodeHealth(this.names, (name, ms) => byName.get(name)?.engine.probe(ms) ?? Promise.resolve<ProbeOutcome>('refuses'), healthTimings(timeoutMs));
  }

  byName(name: string): ShardNode | undefined {
    return this.nodes.find((n) => n.name === name);
  }

  /** The nodes requests go to now: every node but the excluded ones. */
  up(): ShardNode[] {
    return this.nodes.filter((n) => this.health.isUp(n.name));
  }

  /**
   * `call` on every node that is up, in parallel, each given up when its node stops answering (node-health.ts). The
   * nodes that are excluded or fail are reported missing, with the failures.
   */
  async onUpNodes<T>(call: (node: ShardNode) => Promise<T>): Promise<NodeAnswers<T>> {
    const up = this.up();
    const settled = await Promise.all(
      up.map((node) =>
        this.health.watch([node.name], call(node)).then(
          (value) => ({ node, ok: true as const, value }),
          (reason: unknown) => ({ node, ok: false as const, reason }),
        ),
      ),
    );
    const result: NodeAnswers<T> = { answers: [], missing: [], failures: [] };
    const failed = new Set<string>();
    settled.forEach((s) => {
      const { node } = s;
      if (s.ok) {
        result.answers.push({ node, value: s.value });
        return;
      }
      const e = toEngineError(s.reason);
      // A node that did not answer at all may be hanging: a probe decides whether later requests leave it out.
      if (e instanceof EngineUnavailableError && !(e instanceof NodesExcludedError)) void this.health.check(node.name);
      result.failures.push(e);
      failed.add(node.name);
    });
    result.missing = this.nodes.filter((n) => failed.has(n.name) || !up.includes(n)).map((n) => n.name);
    return result;
  }

  /**
   * Refuses a write unless every node answers now: the node receiving a sharded write forwards it to every other node
   * and waits up to 30 s for a hanging one (Meilisearch 1.21), so a write is not even started without all of them.
   */
  async everyNodeAnswers(): Promise<void> {
    const states = await Promise.all(this.nodes.map((n) => this.health.recheck(n.name)));
    const down = this.nodes.filter((_, i) => !states[i]);
    if (down.length > 0) throw writeNeedsEveryNode(down);
  }

  /** A write through the first node, given up (and the hanging node named) when a node stops answering meanwhile. */
  async writeThroughFirst<T>(write: (first: NodeEngine) => Promise<T>): Promise<T> {
    await this.everyNodeAnswers();
    try {
      return await this.health.watch(this.names, withNode(this.first, () => write(this.first.engine)));
    } catch (err) {
      if (err instanceof NodesExcludedError) throw writeNeedsEveryNode(this.nodes.filter((n) => err.nodes.includes(n.name)));
      throw err;
    }
  }

  /**
   * Every node's state, without waiting on a node that hangs: an excluded node is reported down from memory, the
   * others answer a probe within the probe timeout (or are excluded by it), and their counts are given up likewise.
   * A search-only key may not read stats: a search then says whether the node's share can be searched, and the counts
   * of `countingFacet` (one value per document) add up to its documents (hit totals stop at maxTotalHits).
   */
  async status(indexUid: string, countingFacet: string | undefined): Promise<NodeStatus[]> {
    return Promise.all(
      this.nodes.map(async (n) => {
        const healthy = await this.health.check(n.name);
        if (!healthy) return { name: n.name, url: n.url, healthy, searchable: false, documents: null };
        const watched = <T>(p: Promise<T>) => this.health.watch([n.name], p).catch(() => null);
        const stats = await watched(n.engine.countDocuments(indexUid));
        if (stats !== null) return { name: n.name, url: n.url, healthy, searchable: true, documents: stats };
        const res = await watched(n.engine.search(indexUid, '', { limit: 0, ...(countingFacet ? { facets: [countingFacet] } : {}) }));
        const counts = countingFacet ? res?.facetDistribution?.[countingFacet] : undefined;
        const documents = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
        return { name: n.name, url: n.url, healthy, searchable: res !== null, documents };
      }),
    );
  }

  close(): void {
    this.health.close();
    for (const n of this.nodes) n.engine.close();
  }
}

/** Runs a per-node call, naming the node in the error so an operator knows which one to look at. */
export async function withNode<T>(node: NodeAddress, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = toEngineError(err);
    e.message = `node ${node.name} (${node.url}): ${e.message}`;
    throw e;
  }
}

/** The error of a write that a node cannot take now, naming the nodes so an operator knows which to look at. */
function writeNeedsEveryNode(down: readonly NodeAddress[]): EngineUnavailableError {
  const named = down.map((n) => `node ${n.name} (${n.url})`).join(', ');
  return new EngineUnavailableError(
    `${named} ${down.length === 1 ? 'does' : 'do'} not answer: a write to a sharded index needs every node; run it again once ${down.length === 1 ? 'it answers' : 'they answer'}`,
  );
}
