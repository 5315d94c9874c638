import type { FederatedMultiSearchParams, MultiSearchQuery, SearchForFacetValuesParams, SearchParams, Settings } from 'meilisearch';
import type { Engine, EngineConnection, FailedTask } from './engine';
import { EngineUnavailableError } from './errors';
import { GenerationGuard } from './generation-guard';
import type { NetworkKeys, NodeAddress } from './network';
import { configureNetwork, type NetworkSetupOutcome } from './network-setup';
import type { NodeHealthEvent } from './node-health';
import { NodeSet, type NodeStatus, type ShardNode } from './node-set';
import type { FacetValuesResult, FederatedResult, SearchResult } from './results';
import { ShardedIndex } from './sharded-index';
import { ShardedSearch } from './sharded-search';

/**
 * "The engine" when the index is sharded over several Meilisearch nodes of one engine network. It is an Engine, so the
 * indexer, the API and the tests use it as they use one node; it is made of parts, each in its own module:
 * - the nodes and which of them answer (node-set.ts, node-health.ts): every per-node call goes through the node's
 *   NodeEngine, so through one transport and one mapping of errors;
 * - the network set-up (network-setup.ts);
 * - index lifecycle and writes, to every node or through the first, which shards them (sharded-index.ts);
 * - reads federated over the nodes that answer, with the nodes missing from an answer named (sharded-search.ts);
 * - one index generation per read (generation-guard.ts), applied here to every read, so callers need not know.
 */

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
   * The filterable field holding each document's index generation (generation.ts). With it, each read is checked to
   * come from one generation on every node; without it, it is not checked.
   */
  generationField?: string;
  /** How long one read may wait for the nodes to agree on a generation before it is refused (503). */
  swapWaitMs?: number;
}

export class ShardedEngine implements Engine {
  readonly connection: EngineConnection;
  private readonly nodeSet: NodeSet;
  private readonly guard: GenerationGuard;
  private readonly index: ShardedIndex;
  private readonly reads: ShardedSearch;

  constructor(readonly options: ShardedEngineOptions) {
    this.nodeSet = new NodeSet(options.nodes, options.apiKey, options.timeoutMs);
    this.connection = { url: this.nodeSet.first.url, apiKey: options.apiKey, timeoutMs: options.timeoutMs };
    this.guard = new GenerationGuard(this.nodeSet, options.generationField, options.swapWaitMs ?? 2_000, options.maxValuesPerFacet);
    this.index = new ShardedIndex(this.nodeSet);
    this.reads = new ShardedSearch(this.nodeSet, this.guard, options);
  }

  withKey(apiKey: string | undefined): ShardedEngine {
    return new ShardedEngine({ ...this.options, apiKey });
  }

  /** Stops the background probes of excluded nodes and closes the nodes' connections. */
  close(): void {
    this.nodeSet.close();
  }

  get nodes(): readonly ShardNode[] {
    return this.nodeSet.nodes;
  }

  get nodeNames(): readonly string[] {
    return this.nodeSet.names;
  }

  /** Whether searches include the node now (false: it stopped answering and is left out until it answers again). */
  isNodeUp(name: string): boolean {
    return this.nodeSet.health.isUp(name);
  }

  /** Exclusions and recoveries of nodes, for metrics and logs; returns the unsubscribe function. */
  onNodeChange(listener: (event: NodeHealthEvent) => void): () => void {
    return this.nodeSet.health.onChange(listener);
  }

  configureNetwork(keys: NetworkKeys): Promise<NetworkSetupOutcome> {
    return configureNetwork(this.nodeSet, keys);
  }

  /** Every node's state for /readyz, without waiting on a node that hangs. */
  nodeStatus(indexUid: string): Promise<NodeStatus[]> {
    return this.nodeSet.status(indexUid, this.options.countingFacet);
  }

  /** Live while any node answers: the API can still give partial answers. Excluded nodes are not asked. */
  async isHealthy(): Promise<boolean> {
    return (await Promise.all(this.nodeSet.up().map((n) => this.nodeSet.health.check(n.name)))).some(Boolean);
  }

  async health(): Promise<void> {
    if (!(await this.isHealthy())) throw new EngineUnavailableError('no node of the engine network answers');
  }

  // --- index lifecycle and writes (sharded-index.ts) ---

  indexExists(uid: string): Promise<boolean> {
    return this.index.exists(uid);
  }

  prepareIndex(uid: string, primaryKey: string, settings: Settings): Promise<void> {
    return this.index.prepare(uid, primaryKey, settings);
  }

  addDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    return this.index.write(uid, docs, primaryKey, 'add');
  }

  updateDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    return this.index.write(uid, docs, primaryKey, 'update');
  }

  deleteDocuments(uid: string, ids: readonly string[]): Promise<number> {
    return this.index.deleteDocuments(uid, ids);
  }

  // A reindex's lease (lease.ts) is one index on the first node: the lease only needs one place all contenders see.

  createIndex(uid: string, timeoutMs?: number): Promise<Date> {
    return this.nodeSet.first.engine.createIndex(uid, timeoutMs);
  }

  latestIndexTask(uid: string): Promise<{ type: string; enqueuedAt: Date } | null> {
    return this.nodeSet.first.engine.latestIndexTask(uid);
  }

  touchIndex(uid: string): Promise<void> {
    return this.nodeSet.first.engine.touchIndex(uid);
  }

  waitForTasks(uids: readonly number[], timeoutMs?: number): Promise<FailedTask[]> {
    return this.index.waitForTasks(uids, timeoutMs);
  }

  countDocuments(uid: string): Promise<number> {
    return this.index.countDocuments(uid);
  }

  deleteIndexIfExists(uid: string): Promise<void> {
    return this.index.deleteIfExists(uid);
  }

  swapIndexes(first: string, second: string, rename?: boolean): Promise<void> {
    return this.index.swap(first, second, rename);
  }

  listIndexUids(prefix?: string): Promise<string[]> {
    return this.index.listUids(prefix);
  }

  currentGeneration(uid: string, field: string): Promise<number> {
    return this.index.currentGeneration(uid, field);
  }

  documentPages<T extends object>(uid: string, fields: readonly string[], last?: number, pageSize?: number): AsyncGenerator<T[]> {
    return this.index.documentPages<T>(uid, fields, last, pageSize);
  }

  // --- reads (sharded-search.ts), each from one generation on every node ---

  getDocument<T extends object>(uid: string, id: string, fields?: readonly string[]): Promise<T | null> {
    return this.reads.document<T>(uid, id, fields);
  }

  search(uid: string, q: string, params: SearchParams): Promise<SearchResult> {
    return this.guard.consistently(() => this.reads.acrossNodes({ ...params, indexUid: uid, q }));
  }

  multiSearch(queries: readonly MultiSearchQuery[]): Promise<SearchResult[]> {
    return this.guard.consistently(() => this.reads.multiSearch(queries));
  }

  federatedSearch(queries: FederatedMultiSearchParams['queries'], federation: FederatedMultiSearchParams['federation']): Promise<FederatedResult> {
    return this.guard.consistently(() => this.reads.federatedSearch(queries, federation));
  }

  searchFacetValues(uid: string, params: SearchForFacetValuesParams): Promise<FacetValuesResult> {
    return this.reads.facetValues(uid, params);
  }
}

export function isSharded(engine: Engine): engine is ShardedEngine {
  return engine instanceof ShardedEngine;
}
