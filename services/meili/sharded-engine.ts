import type {
  FederatedMultiSearchParams,
  IndexSwap,
  MultiSearchParams,
  MultiSearchQuery,
  MultiSearchResponse,
  SearchForFacetValuesParams,
  SearchForFacetValuesResponse,
  SearchParams,
  SearchResponse,
  Settings,
} from 'meilisearch';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Engine, type FailedTask } from './engine';
import { EngineError, EngineRequestError, EngineTimeoutError, EngineUnavailableError, IndexSwapInProgressError, NodesExcludedError, toEngineError } from './errors';
import { healthTimings, NodeHealth, type NodeHealthEvent } from './node-health';
import {
  censusResultSchema,
  censusVerdict,
  canCarryProbe,
  foreignGenerations,
  generationProbeFilter,
  orFilter,
  nodeGenerations,
  settleDelays,
  withoutGenerationFacet,
  type NodeGenerations,
} from './generation';
import type { FacetDistribution } from 'meilisearch';
import {
  collapseCorrection,
  collapseHits,
  duplicateProbe,
  countingResultSchema,
  federatedResponseSchema,
  mergeDistributions,
  mergeStats,
  missingRemotes,
  multiMemberGroups,
  sortFieldsOf,
  stripFederation,
  subtractFacets,
  toFederatedRequest,
  toSearchResult,
  windowOf,
  withoutDistinct,
  type FederatedResponse,
  type Hit,
  type ShardedSearchResult,
  type Window,
} from './federation';
import { networkBody, networkMismatches, networkStateSchema, remoteTasksOf, type NetworkKeys, type NodeAddress } from './network';

/**
 * "The engine" when the index is sharded over several Meilisearch nodes of one engine network. It is an Engine, so the
 * indexer, the API and the tests use it unchanged; what differs per call is here:
 * - settings and index lifecycle go to every node (the engine does not spread settings);
 * - document writes go to one node, which shards them; waiting for a write waits for every node's task;
 * - searches are federated over all nodes (sharded-search via federation.ts), and report the nodes that did not answer;
 * - a document is fetched from whichever node holds it.
 */

export interface ShardNode extends NodeAddress {
  engine: Engine;
}

export interface ShardedEngineOptions {
  nodes: readonly NodeAddress[];
  apiKey: string | undefined;
  timeoutMs: number;
  primaryKey: string;
  /** Index settings the merged answers must honour (faceting.maxValuesPerFacet, pagination.maxTotalHits). */
  maxValuesPerFacet: number;
  maxTotalHits: number;
  /** Filter matching only members of multi-member `distinct` groups, to keep the collapse probe small. */
  duplicateMembersFilter?: string;
  /** A facet every document has exactly one value of, to count a node's documents with a search-only key. */
  countingFacet?: string;
  /** Upper bound of probe hits (documents of split groups) read per search. */
  probeLimit?: number;
  /**
   * The filterable field holding each document's index generation (generation.ts). With it, the reads of one answer
   * are checked to come from one generation on every node; without it they are not checked.
   */
  generationField?: string;
  /** How long one answer may wait for the nodes to agree on a generation before it is refused (503). */
  swapWaitMs?: number;
}

/** The generation an answer expects per index; null: not checked (the index's settings predate the field). */
type Pinned = Map<string, number | null>;

/** The generations pinned by the answer being computed (`consistently`), carried along its async calls. */
const pinnedGenerations = new AsyncLocalStorage<Pinned>();

/** How often an index found without the generation field is looked at again (a reindex adds the field). */
const UNCHECKED_RECHECK_MS = 5_000;

/** A request of an answer saw a node of another generation: the answer is recomputed (consistently). */
class GenerationChanged extends EngineError {
  override name = 'GenerationChanged';
  constructor(
    readonly indexUid: string,
    message: string,
  ) {
    super(message);
  }
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

export class ShardedEngine extends Engine {
  readonly nodes: ShardNode[];
  /** Which nodes answer, remembered between requests (node-health.ts): a node that hangs is left out, then probed back. */
  readonly nodeHealth: NodeHealth;
  /** The generation the nodes last agreed on, per index (learnt by census, shared by this process's answers). */
  private readonly knownGenerations = new Map<string, { generation: number | null; at: number }>();
  private readonly censuses = new Map<string, Promise<ReturnType<typeof censusVerdict> | { kind: 'unchecked' }>>();

  constructor(readonly options: ShardedEngineOptions) {
    const first = options.nodes[0];
    if (!first) throw new Error('a sharded engine needs at least one node');
    super({ url: first.url, apiKey: options.apiKey, timeoutMs: options.timeoutMs });
    this.nodes = options.nodes.map((n) => ({ ...n, engine: new Engine({ url: n.url, apiKey: options.apiKey, timeoutMs: options.timeoutMs }) }));
    const byName = new Map(this.nodes.map((n) => [n.name, n]));
    this.nodeHealth = new NodeHealth(
      this.nodes.map((n) => n.name),
      (name, timeoutMs) => byName.get(name)?.engine.answers(timeoutMs) ?? Promise.resolve(false),
      healthTimings(options.timeoutMs),
    );
  }

  /** Exclusions and recoveries of nodes, for metrics and logs; returns the unsubscribe function. */
  onNodeChange(listener: (event: NodeHealthEvent) => void): () => void {
    return this.nodeHealth.onChange(listener);
  }

  /** Stops the background probes of excluded nodes. */
  close(): void {
    this.nodeHealth.close();
  }

  /** The nodes searches go to now: every node but the excluded ones. */
  private upNodes(): ShardNode[] {
    return this.nodes.filter((n) => this.nodeHealth.isUp(n.name));
  }

  /**
   * `call` on every node that is up, in parallel, each given up when its node stops answering (node-health.ts). The
   * nodes that are excluded or fail are reported missing, with the failures.
   */
  private async onUpNodes<T>(call: (node: ShardNode) => Promise<T>): Promise<{ answers: Array<{ node: ShardNode; value: T }>; missing: string[]; failures: EngineError[] }> {
    const up = this.upNodes();
    const settled = await Promise.allSettled(up.map((n) => this.nodeHealth.watch([n.name], call(n))));
    const answers: Array<{ node: ShardNode; value: T }> = [];
    const failures: EngineError[] = [];
    const failed = new Set<string>();
    settled.forEach((s, i) => {
      const node = up[i] as ShardNode;
      if (s.status === 'fulfilled') {
        answers.push({ node, value: s.value });
        return;
      }
      const e = toEngineError(s.reason);
      // A node that did not answer at all may be hanging: a probe decides whether later requests leave it out.
      if (e instanceof EngineUnavailableError && !(e instanceof NodesExcludedError)) void this.nodeHealth.check(node.name);
      failures.push(e);
      failed.add(node.name);
    });
    const missing = this.nodes.filter((n) => failed.has(n.name) || !up.includes(n)).map((n) => n.name);
    return { answers, missing, failures };
  }

  /**
   * Refuses a write unless every node answers now: the node receiving a sharded write forwards it to every other node
   * and waits up to 30 s for a hanging one (Meilisearch 1.21), so a write is not even started without all of them.
   */
  private async everyNodeAnswers(): Promise<void> {
    const states = await Promise.all(this.nodes.map((n) => this.nodeHealth.recheck(n.name)));
    const down = this.nodes.filter((_, i) => !states[i]);
    if (down.length > 0) throw writeNeedsEveryNode(down);
  }

  /** A write through the first node, given up (and the hanging node named) when a node stops answering meanwhile. */
  private async writeThroughFirst<T>(write: () => Promise<T>): Promise<T> {
    await this.everyNodeAnswers();
    try {
      return await this.nodeHealth.watch(this.nodeNames, withNode(this.nodes[0] as ShardNode, write));
    } catch (err) {
      if (err instanceof NodesExcludedError) throw writeNeedsEveryNode(this.nodes.filter((n) => err.nodes.includes(n.name)));
      throw err;
    }
  }

  /** The same network reached with another key (keys.ts gives the indexer and the API scoped keys, valid on every node). */
  withKey(apiKey: string | undefined): ShardedEngine {
    return new ShardedEngine({ ...this.options, apiKey });
  }

  get nodeNames(): string[] {
    return this.nodes.map((n) => n.name);
  }

  // --- network ---------------------------------------------------------------------------------------------------

  /**
   * Makes every node part of this network: a node already configured as expected (its `self`, the same remotes and
   * urls, sharding on) is left as it is, so keys someone else chose for it (compose's `meili-network` gives remotes
   * each node's own default keys) are kept; otherwise the `network` feature is turned on and the network written, the
   * same on every node but for `self`. A node whose key may not write the network must already match (verified); one
   * whose key may not even read it is reported as unverified. A node that does not answer is reported, not fatal.
   */
  async configureNetwork(keys: NetworkKeys): Promise<{ configured: string[]; verified: string[]; unverified: string[]; unreachable: string[] }> {
    const result = { configured: [] as string[], verified: [] as string[], unverified: [] as string[], unreachable: [] as string[] };
    const denied = (e: EngineError) => e instanceof EngineRequestError && ['invalid_api_key', 'missing_authorization_header'].includes(e.code ?? '');
    for (const node of this.nodes) {
      const client = node.engine.client;
      // A node that hangs would cost a whole timeout per call below: a short probe says so first.
      if (!(await node.engine.answers(this.nodeHealth.timings.probeTimeoutMs))) {
        result.unreachable.push(node.name);
        continue;
      }
      let problems: string[] | null = null;
      try {
        problems = networkMismatches(networkStateSchema.parse(await client.getNetwork()), this.nodes, node.name);
      } catch (err) {
        const e = toEngineError(err);
        if (e instanceof EngineUnavailableError) {
          result.unreachable.push(node.name);
          continue;
        }
        if (denied(e)) {
          result.unverified.push(node.name);
          continue;
        }
        // Otherwise the feature is off (or the answer unexpected): write the network below.
      }
      if (problems !== null && problems.length === 0) {
        result.verified.push(node.name);
        continue;
      }
      try {
        await client.updateExperimentalFeatures({ network: true });
        await client.updateNetwork(networkBody(this.nodes, node.name, keys));
        result.configured.push(node.name);
      } catch (err) {
        const e = toEngineError(err);
        if (e instanceof EngineUnavailableError) result.unreachable.push(node.name);
        else if (denied(e) && problems !== null) {
          throw new EngineError(`node ${node.name} (${node.url}) is not configured for this network: ${problems.join('; ')}`);
        } else throw e;
      }
    }
    return result;
  }

  // --- health ----------------------------------------------------------------------------------------------------

  /** Live while any node answers: the API can still give partial answers. Excluded nodes are not asked. */
  override async isHealthy(): Promise<boolean> {
    const states = await Promise.all(this.upNodes().map((n) => this.nodeHealth.check(n.name)));
    return states.some(Boolean);
  }

  override async health(): Promise<void> {
    if (!(await this.isHealthy())) throw new EngineUnavailableError('no node of the engine network answers');
  }

  /**
   * Every node's state, without waiting on a node that hangs: an excluded node is reported down from memory, the
   * others answer a probe within the probe timeout (or are excluded by it), and their counts are given up likewise.
   */
  async nodeStatus(indexUid: string): Promise<NodeStatus[]> {
    return Promise.all(
      this.nodes.map(async (n) => {
        const healthy = await this.nodeHealth.check(n.name);
        if (!healthy) return { name: n.name, url: n.url, healthy, searchable: false, documents: null };
        const watched = <T>(p: Promise<T>) => this.nodeHealth.watch([n.name], p);
        const stats = await watched(n.engine.countDocuments(indexUid)).catch(() => null);
        if (stats !== null) return { name: n.name, url: n.url, healthy, searchable: true, documents: stats };
        // A search-only key may not read stats: a search says whether the node's share can be searched, and the counts
        // of a facet every document has exactly one value of add up to its documents (hit totals stop at maxTotalHits).
        const field = this.options.countingFacet;
        const res = await watched(n.engine.search(indexUid, '', { limit: 0, ...(field ? { facets: [field] } : {}) })).catch(() => null);
        const counts = field ? res?.facetDistribution?.[field] : undefined;
        const documents = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : null;
        return { name: n.name, url: n.url, healthy, searchable: res !== null, documents };
      }),
    );
  }

  // --- index lifecycle and writes -------------------------------------------------------------------------------

  /** Settings are per node; a node that missed them would fail federated searches (`invalid_multi_search_facets`). */
  override async prepareIndex(uid: string, primaryKey: string, settings: Settings): Promise<void> {
    await this.everyNodeAnswers();
    // One node at a time: creating the index on one node must not race creating it on another.
    for (const node of this.nodes) await withNode(node, () => node.engine.prepareIndex(uid, primaryKey, settings));
  }

  override async deleteIndexIfExists(uid: string): Promise<void> {
    for (const node of this.nodes) await withNode(node, () => node.engine.deleteIndexIfExists(uid));
  }

  override async indexExists(uid: string): Promise<boolean> {
    const all = await Promise.all(this.nodes.map((n) => withNode(n, () => n.engine.indexExists(uid))));
    return all.every(Boolean);
  }

  override async countDocuments(uid: string): Promise<number> {
    const counts = await Promise.all(this.nodes.map((n) => withNode(n, () => n.engine.countDocuments(uid))));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Whole documents, through the first node, which shards them; only while every node answers (everyNodeAnswers). */
  override async addDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    return this.writeThroughFirst(() => super.addDocuments(uid, docs, primaryKey));
  }

  override async updateDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    return this.writeThroughFirst(() => super.updateDocuments(uid, docs, primaryKey));
  }

  /**
   * Waits for the tasks on the receiving node, then for the tasks they created on the other nodes (listed in each
   * task's `network.remote_tasks`); failures anywhere are returned, named by node.
   */
  override async waitForTasks(uids: readonly number[], timeoutMs = 600_000): Promise<FailedTask[]> {
    if (uids.length === 0) return [];
    const coordinator = this.nodes[0] as ShardNode;
    const failures: FailedTask[] = (await withNode(coordinator, () => super.waitForTasks(uids, timeoutMs))).map((f) => ({ ...f, node: coordinator.name }));
    const remote = new Map<string, number[]>();
    for (const uid of uids) {
      const task: unknown = await withNode(coordinator, () => this.client.tasks.getTask(uid).catch((err: unknown) => Promise.reject(toEngineError(err))));
      for (const ref of remoteTasksOf(task)) {
        if (ref.node === coordinator.name) continue;
        if (ref.error !== null || ref.taskUid === null) {
          failures.push({ uid, type: 'remoteTask', error: `not enqueued on ${ref.node}: ${ref.error ?? 'no task uid'}`, node: ref.node });
          continue;
        }
        const list = remote.get(ref.node) ?? [];
        list.push(ref.taskUid);
        remote.set(ref.node, list);
      }
    }
    for (const [name, taskUids] of remote) {
      const node = this.nodes.find((n) => n.name === name);
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
   * search that meets that window is retried or refused, never answered from both: see `consistently`); a node that
   * fails makes the nodes that did swap swap back (a swap is its own inverse; a rename is renamed back), and the error
   * is raised.
   */
  override async swapIndexes(first: string, second: string, rename = false): Promise<void> {
    for (const node of this.nodes) {
      const [hasFirst, hasSecond] = await withNode(node, () => Promise.all([node.engine.indexExists(first), node.engine.indexExists(second)]));
      if (!hasFirst || hasSecond !== !rename) {
        throw new EngineRequestError(
          `node ${node.name} (${node.url}): cannot ${rename ? 'rename' : 'swap'} ${first} ${rename ? 'to' : 'with'} ${second}: ${first} ${hasFirst ? 'exists' : 'is missing'}, ${second} ${hasSecond ? 'exists' : 'is missing'}; no node was changed`,
          'index_not_found',
        );
      }
    }
    const swapOn = async (node: ShardNode, a: string, b: string): Promise<void> => {
      const swap: IndexSwap = { indexes: [a, b], rename };
      const task = await node.engine.client.swapIndexes([swap]).waitTask({ timeout: 120_000 });
      if (task.status !== 'succeeded') throw new EngineRequestError(`node ${node.name}: swap task ${task.uid} ${task.status}: ${task.error?.message ?? ''}`, task.error?.code);
    };
    const outcomes = await Promise.allSettled(this.nodes.map((n) => swapOn(n, first, second)));
    const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ node: this.nodes[i] as ShardNode, reason: o.reason as unknown }] : []));
    if (failed.length === 0) return;
    const swapped = this.nodes.filter((_, i) => outcomes[i]?.status === 'fulfilled');
    // Undo: swapping the same pair again restores it; a rename is undone by renaming back.
    const undo = await Promise.allSettled(swapped.map((n) => (rename ? swapOn(n, second, first) : swapOn(n, first, second))));
    const stuck = swapped.filter((_, i) => undo[i]?.status === 'rejected').map((n) => n.name);
    const why = failed.map((f) => `${f.node.name}: ${toEngineError(f.reason).message}`).join('; ');
    throw new EngineRequestError(
      stuck.length === 0
        ? `swap failed on ${failed.map((f) => f.node.name).join(', ')} (${why}); the nodes that had swapped were swapped back`
        : `swap failed on ${failed.map((f) => f.node.name).join(', ')} (${why}) and could not be undone on ${stuck.join(', ')}: the index is mixed, run the reindex again`,
      'swap_failed',
    );
  }

  /** Index uids starting with `prefix` on any node (build indexes left by an interrupted reindex may be on some only). */
  override async listIndexUids(prefix = ''): Promise<string[]> {
    const all = new Set<string>();
    for (const node of this.nodes) {
      for (let offset = 0; ; offset += 100) {
        const page = await withNode(node, () => node.engine.client.getRawIndexes({ offset, limit: 100 }).catch((e: unknown) => Promise.reject(toEngineError(e))));
        for (const i of page.results) if (i.uid.startsWith(prefix)) all.add(i.uid);
        if (offset + 100 >= page.total) break;
      }
    }
    return [...all].sort();
  }

  // --- one generation per answer (generation.ts) ------------------------------------------------------------------

  /**
   * Runs the reads of one answer against one pinned index generation: every federated or per-node request it makes
   * carries the generation probe, and one that sees another generation throws the whole answer away. Then the nodes
   * are asked (census) until they agree again, and the answer is computed anew against the generation they agree on;
   * when they do not agree within `swapWaitMs` the answer is refused with IndexSwapInProgressError. Nested calls join
   * the answer already being computed.
   */
  override async consistently<T>(read: () => Promise<T>): Promise<T> {
    if (!this.options.generationField || pinnedGenerations.getStore()) return read();
    const deadline = Date.now() + (this.options.swapWaitMs ?? 2_000);
    for (;;) {
      try {
        return await pinnedGenerations.run(new Map(), read);
      } catch (err) {
        if (!(err instanceof GenerationChanged)) throw err;
        this.knownGenerations.delete(err.indexUid);
        // Bounded even if the census keeps agreeing while the answers keep disagreeing (a node flapping).
        if (Date.now() >= deadline) throw new IndexSwapInProgressError(err.message);
        await this.settle(err.indexUid, deadline);
      }
    }
  }

  /** The generation this answer checks `uid` against, pinned on first use; null when it cannot be checked. */
  private async expectedGeneration(uid: string): Promise<number | null> {
    if (!this.options.generationField) return null;
    const pinned = pinnedGenerations.getStore();
    if (pinned?.has(uid)) return pinned.get(uid) ?? null;
    let known = this.knownGenerations.get(uid);
    if (!known || (known.generation === null && Date.now() - known.at > UNCHECKED_RECHECK_MS)) {
      known = await this.settle(uid, Date.now() + (this.options.swapWaitMs ?? 2_000));
    }
    pinned?.set(uid, known.generation);
    return known.generation;
  }

  /** Asks the nodes until they agree on a generation (remembered), or throws IndexSwapInProgressError at the deadline. */
  private async settle(uid: string, deadline: number): Promise<{ generation: number | null; at: number }> {
    const delays = settleDelays(Math.max(0, deadline - Date.now()));
    for (let attempt = 0; ; attempt++) {
      const verdict = await this.census(uid);
      if (verdict.kind !== 'mixed') {
        const known = { generation: verdict.kind === 'consistent' ? verdict.generation : null, at: Date.now() };
        this.knownGenerations.set(uid, known);
        return known;
      }
      const delay = delays[attempt];
      if (delay === undefined) throw new IndexSwapInProgressError(`the nodes of index ${uid} answer from different generations (${verdict.detail})`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /**
   * Each node's generations of `uid`, in one small facet query per node; nodes that do not answer are left out. The
   * answers waiting out a swap share one census in flight, so a busy API does not multiply them.
   */
  private census(uid: string): Promise<ReturnType<typeof censusVerdict> | { kind: 'unchecked' }> {
    const inFlight = this.censuses.get(uid);
    if (inFlight) return inFlight;
    const started = this.censusNow(uid).finally(() => this.censuses.delete(uid));
    this.censuses.set(uid, started);
    return started;
  }

  private async censusNow(uid: string): Promise<ReturnType<typeof censusVerdict> | { kind: 'unchecked' }> {
    const field = this.options.generationField as string;
    // Excluded nodes and nodes that stop answering are left out: the search reports them missing.
    const { answers, failures } = await this.onUpNodes((n) => n.engine.client.multiSearch({ queries: [{ indexUid: uid, q: '', limit: 0, facets: [field] }] }));
    const nodes: NodeGenerations[] = answers.map(({ node, value }) => nodeGenerations(node.name, censusResultSchema.parse(value.results[0]), field));
    for (const e of failures) {
      // Settings older than the field: nothing to check against until a run of the indexer adds it.
      if (e instanceof EngineRequestError && ['invalid_search_facets', 'invalid_multi_search_facets'].includes(e.code ?? '')) return { kind: 'unchecked' };
      // A node that is down or lacks the index: the search itself reports it (partial answer, index_not_found).
      if (e instanceof EngineUnavailableError || (e instanceof EngineRequestError && e.code === 'index_not_found')) continue;
      throw e;
    }
    return censusVerdict(nodes);
  }

  /** The highest generation on any node: what a reindex builds the next one above. */
  override async currentGeneration(uid: string, field: string): Promise<number> {
    const all = await Promise.all(this.nodes.map((n) => withNode(n, () => n.engine.currentGeneration(uid, field))));
    return Math.max(0, ...all);
  }

  /**
   * A federated request with the generation probe added (generation.ts): per node a query matching only documents of
   * another generation (nothing, when the node is of the expected one), or, when every query is without text, the same
   * inside each query's filter (a query per node costs the engine about as much as the probe's own work, measured);
   * and the generation facet to see them in.
   */
  private withGenerationProbe(request: FederatedMultiSearchParams, self: string, nodes: readonly string[], uid: string, expected: number): FederatedMultiSearchParams {
    const field = this.options.generationField as string;
    const filter = generationProbeFilter(field, expected);
    const sort = request.queries[0]?.sort;
    const facetsByIndex = request.federation.facetsByIndex ?? {};
    const federation = {
      ...request.federation,
      facetsByIndex: { ...facetsByIndex, [uid]: [...(facetsByIndex[uid] ?? []), field] },
      mergeFacets: request.federation.mergeFacets ?? { maxValuesPerFacet: this.options.maxValuesPerFacet },
    };
    if (request.queries.every(canCarryProbe)) {
      return { federation, queries: request.queries.map((q) => ({ ...q, filter: orFilter(q.filter, filter) })) };
    }
    return {
      federation,
      queries: [
        ...request.queries,
        ...nodes.map((remote) => ({
          indexUid: uid,
          q: '',
          filter,
          // Federated queries must agree on sorting to be merged; the probe has no hits when all is well anyway.
          ...(sort ? { sort } : {}),
          federationOptions: remote === self ? { weight: 1 } : { weight: 1, remote },
        })),
      ],
    };
  }

  // --- reads -----------------------------------------------------------------------------------------------------

  override async getDocument<T extends object>(uid: string, id: string, fields?: readonly string[]): Promise<T | null> {
    const { answers, missing, failures } = await this.onUpNodes((n) => n.engine.getDocument<T>(uid, id, fields));
    for (const a of answers) if (a.value) return a.value;
    // Not found while a node is away is not "not found": the document may live on that node.
    if (missing.length > 0) throw failures[0] ?? new NodesExcludedError(missing);
    return null;
  }

  /**
   * Queries that return hits are federated one by one (the engine merges them in ranking order). Counting queries
   * (no hits, nothing to collapse) need no merge by rank: they go to every node as one plain multi-search each, in
   * parallel, and their counts are added up here - three requests for all of them instead of a federated search each.
   */
  override async multiSearch(queries: MultiSearchParams['queries']): Promise<MultiSearchResponse['results']> {
    return this.consistently(() => this.multiSearchOnce(queries));
  }

  private async multiSearchOnce(queries: MultiSearchParams['queries']): Promise<MultiSearchResponse['results']> {
    const countingOnly = (q: MultiSearchQuery) => {
      const w = windowOf(q);
      return w.limit === 0 && !(w.finite && typeof q.distinct === 'string');
    };
    const counting = queries.flatMap((q, i) => (countingOnly(q) ? [i] : []));
    const [federated, counted] = await Promise.all([
      Promise.all(queries.map((q) => (countingOnly(q) ? null : this.searchAcrossNodes(q)))),
      counting.length > 0 ? this.countOnEveryNode(counting.map((i) => queries[i] as MultiSearchQuery)) : Promise.resolve([]),
    ]);
    const results = federated.map((r, i) => r ?? counted[counting.indexOf(i)]);
    return results as unknown as MultiSearchResponse['results'];
  }

  /** Counting queries on every node in one multi-search per node; totals, facet counts and facet stats merged. */
  private async countOnEveryNode(queries: MultiSearchQuery[]): Promise<ShardedSearchResult[]> {
    // Without hits one engine does not collapse counts either (federation.ts), so neither is distinct sent here.
    const plain = queries.map((q) => withoutDistinct(q));
    // A plain multi-search answers query by query: queries without text carry the generation probe in their own
    // filter, each checking its own read; otherwise separate probes go first and last, and a node that swapped before
    // or during the counting queries matches the last one (generation.ts).
    const field = this.options.generationField as string;
    const expected = new Map<string, number>();
    for (const uid of new Set(plain.map((q) => q.indexUid))) {
      const g = await this.expectedGeneration(uid);
      if (g !== null) expected.set(uid, g);
    }
    const fold = plain.every(canCarryProbe);
    const probes: MultiSearchQuery[] = fold ? [] : [...expected].map(([uid, g]) => ({ indexUid: uid, q: '', filter: generationProbeFilter(field, g), limit: 0 }));
    const sent = fold
      ? plain.map((q) => {
          const g = expected.get(q.indexUid);
          return g === undefined ? q : { ...q, filter: orFilter(q.filter, generationProbeFilter(field, g)), facets: [...(q.facets ?? []), field] };
        })
      : [...probes, ...plain, ...probes];
    const { answers, missing, failures } = await this.onUpNodes((n) => n.engine.client.multiSearch({ queries: sent }));
    const ok = answers.map(({ node: { name: node }, value: { results } }) => {
      if (fold) {
        return results.map((r, j) => {
          const g = expected.get(r.indexUid);
          if (g === undefined) return r;
          const foreign = foreignGenerations(r.facetDistribution, field, g);
          if (foreign.length > 0) throw new GenerationChanged(r.indexUid, `index ${r.indexUid}: node ${node} answered from generation ${foreign.join(', ')}, not ${g}`);
          return withoutGenerationFacet(r, field, (plain[j]?.facets?.length ?? 0) > 0);
        });
      }
      const stray = [...results.slice(0, probes.length), ...results.slice(probes.length + plain.length)].find((r) => (r.estimatedTotalHits ?? r.totalHits ?? 0) > 0);
      if (stray) throw new GenerationChanged(stray.indexUid, `index ${stray.indexUid}: node ${node} answered from another generation`);
      return results.slice(probes.length, probes.length + plain.length);
    });
    if (ok.length === 0) throw failures[0] ?? new EngineUnavailableError('no node of the engine network answers');
    return queries.map((q, i) => {
      const perNode = ok.map((results) => countingResultSchema.parse(results[i]));
      return toSearchResult({
        query: q.q ?? '',
        window: windowOf(q),
        hits: [],
        total: perNode.reduce((sum, r) => sum + (r.totalHits ?? r.estimatedTotalHits ?? 0), 0),
        maxTotalHits: this.options.maxTotalHits,
        facetDistribution: q.facets?.length ? mergeDistributions(perNode.map((r) => r.facetDistribution ?? {}), this.options.maxValuesPerFacet) : undefined,
        facetStats: q.facets?.length ? mergeStats(perNode.map((r) => r.facetStats ?? {})) : undefined,
        processingTimeMs: Math.max(...perNode.map((r) => r.processingTimeMs)),
        missingNodes: missing,
      });
    });
  }

  override async search(uid: string, q: string, params: SearchParams) {
    // searchAcrossNodes pins one generation for the answer itself.
    const result = await this.searchAcrossNodes({ ...params, indexUid: uid, q });
    return result as unknown as Awaited<ReturnType<Engine['search']>>;
  }

  /**
   * The engine's facet search on every node, counts summed per value (a facet search is not federated). Nodes that do
   * not answer are left out; none answering is an error. Not checked for one generation: the API takes only which
   * values match from it, and their counts from a checked search (news-search.ts searchFacetValues).
   */
  override async searchFacetValues(uid: string, params: SearchForFacetValuesParams): Promise<SearchForFacetValuesResponse> {
    const { answers, failures } = await this.onUpNodes((n) => n.engine.client.index(uid).searchForFacetValues(params));
    const ok = answers.map((a) => a.value);
    if (ok.length === 0) throw failures[0] ?? new EngineUnavailableError('no node of the engine network answers');
    const counts = new Map<string, number>();
    for (const r of ok) for (const h of r.facetHits) counts.set(h.value, (counts.get(h.value) ?? 0) + h.count);
    return {
      facetHits: [...counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      facetQuery: ok[0]?.facetQuery ?? null,
      processingTimeMs: Math.max(...ok.map((r) => r.processingTimeMs)),
    };
  }

  /**
   * Stored documents (only `fields`) of every node, node after node: what seeds the near-duplicate grouper on a re-run
   * must come from the whole archive, not the first node's share. `last` is shared out evenly (the engine's order is
   * per node; the nodes hold even shares of the stream, so each node's last share is about the stream's last).
   */
  override async *documentPages<T extends object>(uid: string, fields: readonly string[], last = Infinity, pageSize = 1_000): AsyncGenerator<T[]> {
    // What an indexing run reads before it writes: a node that hangs is named now, not after a timeout.
    await this.everyNodeAnswers();
    const perNode = Number.isFinite(last) ? Math.ceil(last / this.nodes.length) : Infinity;
    for (const node of this.nodes) {
      if (!(await withNode(node, () => node.engine.indexExists(uid)))) continue;
      yield* node.engine.documentPages<T>(uid, fields, perNode, pageSize);
    }
  }

  /**
   * A federation of several queries (the cross-language fallback's phrasings) over the sharded index: every query runs
   * on every node, facets are merged across nodes by the engine and handed back per index as one engine would, and
   * the nodes that did not answer are reported in `missingNodes`. Collapsing across nodes is the caller's (it keeps
   * the first hit of each group).
   */
  override async federatedSearch(
    queries: FederatedMultiSearchParams['queries'],
    federation: FederatedMultiSearchParams['federation'],
  ): Promise<SearchResponse<Record<string, unknown>>> {
    return this.consistently(() => this.federatedSearchOnce(queries, federation));
  }

  private async federatedSearchOnce(
    queries: FederatedMultiSearchParams['queries'],
    federation: FederatedMultiSearchParams['federation'],
  ): Promise<SearchResponse<Record<string, unknown>>> {
    const facetsByIndex = federation.facetsByIndex;
    const nodeCount = this.nodes.length;
    const offset = federation.offset ?? 0;
    const limit = federation.limit ?? 20;
    // distinct holds per node only: read further and fold the copies of a group that other nodes returned.
    const distinct = queries.map((q) => q.distinct).find((d): d is string => typeof d === 'string');
    const run = (window: { offset: number; limit: number }) =>
      this.federate((self, nodes) => ({
        federation: { ...federation, ...window, ...(facetsByIndex ? { mergeFacets: { maxValuesPerFacet: this.options.maxValuesPerFacet } } : {}) },
        queries: queries.flatMap((q) =>
          nodes.map((remote) => ({ ...q, federationOptions: { weight: q.federationOptions?.weight ?? 1, ...(remote === self ? {} : { remote }) } })),
        ),
      }));
    let response: FederatedResponse;
    let hits: Hit[];
    if (!distinct || limit === 0) {
      response = await run({ offset, limit });
      hits = response.hits;
    } else {
      for (let read = offset + 2 * limit; ; read = Math.min(read * 2, this.options.maxTotalHits * nodeCount)) {
        response = await run({ offset: 0, limit: read });
        hits = collapseHits(response.hits, distinct).slice(offset, offset + limit);
        if (hits.length === limit || response.hits.length < read || read >= this.options.maxTotalHits * nodeCount) break;
      }
    }
    const [indexUid] = Object.keys(facetsByIndex ?? {});
    const result = {
      hits: hits.map(stripFederation),
      processingTimeMs: response.processingTimeMs,
      query: '',
      // The engine's estimate, as one engine gives it for a federation; see the README on how far it can differ.
      estimatedTotalHits: response.estimatedTotalHits,
      offset,
      limit,
      ...(indexUid ? { facetsByIndex: { [indexUid]: { distribution: response.facetDistribution ?? {}, stats: response.facetStats ?? {} } } } : {}),
      missingNodes: missingRemotes(response),
    };
    return result as unknown as SearchResponse<Record<string, unknown>>;
  }

  /** One query over every node, answered like one engine would, with `missingNodes` added. */
  async searchAcrossNodes(query: MultiSearchQuery): Promise<ShardedSearchResult> {
    return this.consistently(() => this.searchAcrossNodesOnce(query));
  }

  private async searchAcrossNodesOnce(query: MultiSearchQuery): Promise<ShardedSearchResult> {
    const window = windowOf(query);
    const facets = query.facets ?? [];
    const fed = (q: MultiSearchQuery, offset: number, limit: number) =>
      this.federate((self, nodes) => toFederatedRequest(q, { nodes, offset, limit, maxValuesPerFacet: this.options.maxValuesPerFacet, self }));

    const distinct = typeof query.distinct === 'string' ? query.distinct : undefined;
    if (!distinct || (!window.finite && window.limit === 0)) {
      // Nothing to collapse, or nothing one engine would collapse (see federation.ts).
      const main = await fed(distinct ? withoutDistinct(query) : query, window.offset, window.limit);
      return this.result(query, window, main, null, main.hits, main.estimatedTotalHits, main.facetDistribution);
    }
    const plain = withoutDistinct(query);
    const order = sortFieldsOf(query);
    const probeQuery = duplicateProbe(query, this.options.duplicateMembersFilter, this.options.primaryKey);
    const probeLimit = this.options.probeLimit ?? this.options.maxTotalHits * this.nodes.length;
    let main: FederatedResponse;
    let probe: FederatedResponse;
    if (window.limit === 0) {
      [main, probe] = await Promise.all([fed(plain, 0, 0), fed(probeQuery, 0, probeLimit)]);
    } else {
      // Probe and page in parallel, the page read with some slack for extra copies; read again only when the probe
      // finds more extra copies than the slack covers (every extra copy may rank before the page's end).
      const slack = window.limit;
      [main, probe] = await Promise.all([fed(plain, 0, window.offset + window.limit + slack), fed(probeQuery, 0, probeLimit)]);
      const extra = collapseCorrection(multiMemberGroups(probe.hits, distinct), [], this.options.primaryKey, order).extraHits;
      if (extra > slack) main = await fed(plain, 0, window.offset + window.limit + extra);
    }
    const collapsed = collapseHits(main.hits, distinct);
    const ranked = new Set(collapsed.slice(0, window.offset + window.limit).map((h) => String(h[distinct])));
    const correction = collapseCorrection(multiMemberGroups(probe.hits, distinct), facets, this.options.primaryKey, order, ranked);
    return this.result(
      query,
      window,
      main,
      probe,
      collapsed.slice(window.offset, window.offset + window.limit),
      main.estimatedTotalHits - correction.extraHits,
      subtractFacets(main.facetDistribution, correction.facetExcess),
    );
  }

  private result(
    query: MultiSearchQuery,
    window: Window,
    main: FederatedResponse,
    probe: FederatedResponse | null,
    hits: Hit[],
    total: number,
    facetDistribution: FacetDistribution | undefined,
  ): ShardedSearchResult {
    const missing = new Set([...missingRemotes(main), ...(probe ? missingRemotes(probe) : [])]);
    return toSearchResult({
      query: query.q ?? '',
      window,
      hits,
      total,
      maxTotalHits: this.options.maxTotalHits,
      facetDistribution,
      facetStats: main.facetStats,
      processingTimeMs: main.processingTimeMs + (probe?.processingTimeMs ?? 0),
      missingNodes: [...missing].sort(),
    });
  }

  /**
   * Sends a federated multi-search over the nodes that are up to the first of them; the engine fans it out to the
   * others. Excluded nodes are neither asked nor named as remotes, and are reported missing. A request that a node
   * stops answering while it waits is asked again without that node (node-health.ts); a coordinator that fails is
   * probed: one that does not answer is excluded and the next one asked; one that answers but refused (5xx, 429) is
   * passed over for this request; one that answers but timed out means the request itself is slow (asking another
   * would only double the wait), so that error stands.
   */
  private async federate(build: (self: string, nodes: readonly string[]) => FederatedMultiSearchParams): Promise<FederatedResponse> {
    const uid = build(this.nodeNames[0] ?? '', this.nodeNames).queries[0]?.indexUid;
    const expected = uid === undefined ? null : await this.expectedGeneration(uid);
    const field = this.options.generationField as string;
    let lastError: EngineError | null = null;
    const passedOver = new Set<string>();
    // Each attempt but the last excludes or passes over a node: a bound in case nodes keep coming and going.
    for (let attempt = 0; attempt <= 2 * this.nodes.length; attempt++) {
      const up = this.upNodes();
      const coordinator = up.find((n) => !passedOver.has(n.name));
      if (!coordinator) break;
      const names = up.map((n) => n.name);
      try {
        const request = build(coordinator.name, names);
        const probed = uid !== undefined && expected !== null;
        const sent = probed ? this.withGenerationProbe(request, coordinator.name, names, uid, expected) : request;
        const raw: unknown = await this.nodeHealth.watch(names, coordinator.engine.client.multiSearch(sent));
        let parsed = federatedResponseSchema.parse(raw);
        if (probed) {
          const foreign = foreignGenerations(parsed.facetDistribution, field, expected);
          if (foreign.length > 0) throw new GenerationChanged(uid, `index ${uid}: expected generation ${expected}, a node answered from ${foreign.join(', ')}`);
          parsed = withoutGenerationFacet(parsed, field, request.federation.facetsByIndex !== undefined);
        }
        // A remote that failed may be hanging or gone: a probe decides whether later requests leave it out.
        for (const remote of Object.keys(parsed.remoteErrors ?? {})) void this.nodeHealth.check(remote);
        const left = this.nodeNames.filter((n) => !names.includes(n));
        if (left.length === 0) return parsed;
        const remoteErrors: Record<string, unknown> = { ...(parsed.remoteErrors ?? {}) };
        for (const d of left) remoteErrors[d] ??= { message: 'left out: not answering' };
        return { ...parsed, remoteErrors };
      } catch (err) {
        const e = toEngineError(err);
        if (!(e instanceof EngineUnavailableError) || e instanceof IndexSwapInProgressError) throw e;
        lastError = e;
        if (e instanceof NodesExcludedError) continue;
        if (!(await this.nodeHealth.check(coordinator.name))) continue;
        if (e instanceof EngineTimeoutError) throw e;
        // It answers but refused (5xx, 429: overloaded): the next node coordinates and still reaches it as a remote.
        passedOver.add(coordinator.name);
      }
    }
    throw lastError ?? new EngineUnavailableError('no node of the engine network answers');
  }
}

/** The error of a write that a node cannot take now, naming the nodes so an operator knows which to look at. */
function writeNeedsEveryNode(down: readonly NodeAddress[]): EngineUnavailableError {
  const named = down.map((n) => `node ${n.name} (${n.url})`).join(', ');
  return new EngineUnavailableError(
    `${named} ${down.length === 1 ? 'does' : 'do'} not answer: a write to a sharded index needs every node; run it again once ${down.length === 1 ? 'it answers' : 'they answer'}`,
  );
}

/** Runs a per-node call, naming the node in the error so an operator knows which one to look at. */
async function withNode<T>(node: NodeAddress, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = toEngineError(err);
    e.message = `node ${node.name} (${node.url}): ${e.message}`;
    throw e;
  }
}

export function isSharded(engine: Engine): engine is ShardedEngine {
  return engine instanceof ShardedEngine;
}
