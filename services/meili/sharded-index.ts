import type { Settings } from 'meilisearch';
import type { FailedTask } from './engine';
import { EngineRequestError, toEngineError } from './errors';
import { remoteTasksOf } from './network';
import { withNode, type NodeSet, type ShardNode } from './node-set';

/**
 * Index lifecycle and writes of a sharded engine: what the indexer and the reindex need. The engine shards document
 * writes itself (the first node forwards each batch to all, each keeps its share), but settings, index creation,
 * deletion and swaps are per node, so they go to every node, and every failure names its node. A write needs every
 * node (node-set.ts everyNodeAnswers).
 */
export class ShardedIndex {
  constructor(private readonly nodes: NodeSet) {}

  /** Settings are per node; a node that missed them would fail federated searches (`invalid_multi_search_facets`). */
  async prepare(uid: string, primaryKey: string, settings: Settings): Promise<void> {
    await this.nodes.everyNodeAnswers();
    // One node at a time: creating the index on one node must not race creating it on another.
    for (const node of this.nodes.nodes) await withNode(node, () => node.engine.prepareIndex(uid, primaryKey, settings));
  }

  async deleteIfExists(uid: string): Promise<void> {
    for (const node of this.nodes.nodes) await withNode(node, () => node.engine.deleteIndexIfExists(uid));
  }

  async exists(uid: string): Promise<boolean> {
    return (await this.onEveryNode((n) => n.engine.indexExists(uid))).every(Boolean);
  }

  async countDocuments(uid: string): Promise<number> {
    return (await this.onEveryNode((n) => n.engine.countDocuments(uid))).reduce((a, b) => a + b, 0);
  }

  /** Whole documents or partial updates, through the first node, which shards them; only while every node answers. */
  async write(uid: string, docs: readonly object[], primaryKey: string, kind: 'add' | 'update'): Promise<number> {
    return this.nodes.writeThroughFirst((first) => (kind === 'add' ? first.addDocuments(uid, docs, primaryKey) : first.updateDocuments(uid, docs, primaryKey)));
  }

  /** Deletions by id, through the first node, which forwards them to the node holding each document. */
  async deleteDocuments(uid: string, ids: readonly string[]): Promise<number> {
    return this.nodes.writeThroughFirst((first) => first.deleteDocuments(uid, ids));
  }

  /**
   * Waits for the tasks on the receiving node, then for the tasks they created on the other nodes (listed in each
   * task's `network.remote_tasks`); failures anywhere are returned, named by node.
   */
  async waitForTasks(uids: readonly number[], timeoutMs = 600_000): Promise<FailedTask[]> {
    if (uids.length === 0) return [];
    const first = this.nodes.first;
    const failures: FailedTask[] = (await withNode(first, () => first.engine.waitForTasks(uids, timeoutMs))).map((f) => ({ ...f, node: first.name }));
    const remote = new Map<string, number[]>();
    for (const uid of uids) {
      const task = await withNode(first, () => first.engine.task(uid));
      for (const ref of remoteTasksOf(task)) {
        if (ref.node === first.name) continue;
        if (ref.error !== null || ref.taskUid === null) {
          failures.push({ uid, type: 'remoteTask', error: `not enqueued on ${ref.node}: ${ref.error ?? 'no task uid'}`, node: ref.node });
          continue;
        }
        remote.set(ref.node, [...(remote.get(ref.node) ?? []), ref.taskUid]);
      }
    }
    for (const [name, taskUids] of remote) {
      const node = this.nodes.byName(name);
      if (!node) {
        failures.push({ uid: taskUids[0] ?? -1, type: 'remoteTask', error: `task forwarded to unknown node ${name}`, node: name });
        continue;
      }
      const nodeFailures = await withNode(node, () => node.engine.waitForTasks(taskUids, timeoutMs));
      failures.push(...nodeFailures.map((f) => ({ ...f, node: name })));
    }
    return failures;
  }

  /**
   * The atomic reindex's swap (indexer/reindex.ts) on a sharded index: every node swaps, or none does. The engine swaps
   * atomically per node only, so: every node is checked first (answers, holds the indexes the swap needs); the swaps
   * are enqueued on all nodes at once, so the nodes disagree only for the few milliseconds between their tasks (and a
   * read that meets that window is retried or refused, never answered from both: generation-guard.ts); a node that
   * fails makes the nodes that did swap swap back (a swap is its own inverse; a rename is renamed back), and the error
   * is raised.
   */
  async swap(first: string, second: string, rename = false): Promise<void> {
    for (const node of this.nodes.nodes) {
      const [hasFirst, hasSecond] = await withNode(node, () => Promise.all([node.engine.indexExists(first), node.engine.indexExists(second)]));
      if (!hasFirst || hasSecond !== !rename) {
        throw new EngineRequestError(
          `node ${node.name} (${node.url}): cannot ${rename ? 'rename' : 'swap'} ${first} ${rename ? 'to' : 'with'} ${second}: ${first} ${hasFirst ? 'exists' : 'is missing'}, ${second} ${hasSecond ? 'exists' : 'is missing'}; no node was changed`,
          'index_not_found',
        );
      }
    }
    const swapOn = (node: ShardNode, a: string, b: string) => withNode(node, () => node.engine.swapIndexes(a, b, rename));
    const outcomes = await Promise.allSettled(this.nodes.nodes.map((n) => swapOn(n, first, second)));
    const failed = this.nodes.nodes.flatMap((node, i) => {
      const o = outcomes[i];
      return o?.status === 'rejected' ? [{ node, error: toEngineError(o.reason) }] : [];
    });
    if (failed.length === 0) return;
    const swapped = this.nodes.nodes.filter((_, i) => outcomes[i]?.status === 'fulfilled');
    // Undo: swapping the same pair again restores it; a rename is undone by renaming back.
    const undo = await Promise.allSettled(swapped.map((n) => (rename ? swapOn(n, second, first) : swapOn(n, first, second))));
    const stuck = swapped.filter((_, i) => undo[i]?.status === 'rejected').map((n) => n.name);
    const names = failed.map((f) => f.node.name).join(', ');
    const why = failed.map((f) => f.error.message).join('; ');
    throw new EngineRequestError(
      stuck.length === 0
        ? `swap failed on ${names} (${why}); the nodes that had swapped were swapped back`
        : `swap failed on ${names} (${why}) and could not be undone on ${stuck.join(', ')}: the index is mixed, run the reindex again`,
      'swap_failed',
    );
  }

  /** Index uids starting with `prefix` on any node (build indexes left by an interrupted reindex may be on some only). */
  async listUids(prefix = ''): Promise<string[]> {
    const all = new Set<string>();
    for (const node of this.nodes.nodes) for (const uid of await withNode(node, () => node.engine.listIndexUids(prefix))) all.add(uid);
    return [...all].sort();
  }

  /** The highest generation on any node: what a reindex builds the next one above. */
  async currentGeneration(uid: string, field: string): Promise<number> {
    return Math.max(0, ...(await this.onEveryNode((n) => n.engine.currentGeneration(uid, field))));
  }

  /**
   * Stored documents (only `fields`) of every node, node after node: what seeds the near-duplicate grouper on a re-run
   * must come from the whole archive, not the first node's share. `last` is shared out evenly (the engine's order is
   * per node; the nodes hold even shares of the stream, so each node's last share is about the stream's last). What
   * an indexing run reads before it writes: a node that hangs is named now, not after a timeout.
   */
  async *documentPages<T extends object>(uid: string, fields: readonly string[], last = Infinity, pageSize = 1_000): AsyncGenerator<T[]> {
    await this.nodes.everyNodeAnswers();
    const perNode = Number.isFinite(last) ? Math.ceil(last / this.nodes.nodes.length) : Infinity;
    for (const node of this.nodes.nodes) {
      if (!(await withNode(node, () => node.engine.indexExists(uid)))) continue;
      yield* node.engine.documentPages<T>(uid, fields, perNode, pageSize);
    }
  }

  private onEveryNode<T>(call: (node: ShardNode) => Promise<T>): Promise<T[]> {
    return Promise.all(this.nodes.nodes.map((n) => withNode(n, () => call(n))));
  }
}
