import type { FederatedMultiSearchParams, MultiSearchQuery, SearchForFacetValuesParams, SearchParams, Settings } from 'meilisearch';
import type { FacetValuesResult, FederatedResult, SearchResult } from './results';

/**
 * "The engine" as the indexer and the API use it, whatever its topology: one Meilisearch (node-engine.ts) or several
 * as one sharded network (sharded-engine.ts). topology.ts decides which; nothing above services/meili cares. Errors are
 * EngineErrors (errors.ts), results are validated (results.ts). A sharded engine answers each read from one index
 * generation on every node, as one engine answers each request from one version of its index.
 */
export interface Engine {
  readonly connection: EngineConnection;
  /** The same engine reached with another key (keys.ts gives the indexer and the API scoped keys). */
  withKey(apiKey: string | undefined): Engine;
  /** Releases what the engine holds open (keep-alive sockets, background probes). */
  close(): void;

  isHealthy(): Promise<boolean>;
  /** Throws EngineUnavailableError when the engine does not answer. */
  health(): Promise<void>;

  // --- index lifecycle and writes (the indexer) ---
  indexExists(uid: string): Promise<boolean>;
  /** Creates the index when missing and applies the settings; waits until both are in force. */
  prepareIndex(uid: string, primaryKey: string, settings: Settings): Promise<void>;
  /** Adds or replaces whole documents; returns the task uid without waiting, so batches pipeline. */
  addDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number>;
  /** Merges partial documents into existing ones (only the given fields change). */
  updateDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number>;
  /** Deletes documents by id; returns the task uid without waiting. */
  deleteDocuments(uid: string, ids: readonly string[]): Promise<number>;
  /** Waits for the tasks and returns the ones that did not succeed. */
  waitForTasks(uids: readonly number[], timeoutMs?: number): Promise<FailedTask[]>;
  countDocuments(uid: string): Promise<number>;
  deleteIndexIfExists(uid: string): Promise<void>;
  /**
   * Atomically exchanges the contents (documents, settings) of two indexes; with `rename` the first index takes the
   * second's name instead (the second must not exist). Waits until it is in force.
   */
  swapIndexes(first: string, second: string, rename?: boolean): Promise<void>;
  /** Uids of the indexes whose name starts with `prefix` (only those the key may see). */
  listIndexUids(prefix?: string): Promise<string[]>;
  /**
   * Creates an empty index and waits until it exists; resolves with when the engine created it (its own clock).
   * Creation is atomic: when the index exists already, EngineRequestError `index_already_exists`.
   */
  createIndex(uid: string, timeoutMs?: number): Promise<Date>;
  /** The task last enqueued for an index: its type, and when it was enqueued by the engine's clock. */
  latestIndexTask(uid: string): Promise<{ type: string; enqueuedAt: Date } | null>;
  /** Enqueues a task that changes nothing in an existing index (and fails, creating nothing, when it is missing). */
  touchIndex(uid: string): Promise<void>;
  /**
   * The index's generation (generation.ts): the highest `field` value its documents carry; 0 when none does, the
   * index is missing, or its settings predate the field.
   */
  currentGeneration(uid: string, field: string): Promise<number>;
  /** Stored documents (only `fields`), at most the last `last` of them, page by page; nothing when the index is missing. */
  documentPages<T extends object>(uid: string, fields: readonly string[], last?: number, pageSize?: number): AsyncGenerator<T[]>;
  /** One document by id, or null when there is none. */
  getDocument<T extends object>(uid: string, id: string, fields?: readonly string[]): Promise<T | null>;

  // --- reads (the API) ---
  search(uid: string, q: string, params: SearchParams): Promise<SearchResult>;
  multiSearch(queries: readonly MultiSearchQuery[]): Promise<SearchResult[]>;
  /** One merged, ranked answer for several queries (the engine dedupes a document matched by more than one). */
  federatedSearch(queries: FederatedMultiSearchParams['queries'], federation: FederatedMultiSearchParams['federation']): Promise<FederatedResult>;
  /** The engine's facet search: values of one facet matching a prefix, with counts. */
  searchFacetValues(uid: string, params: SearchForFacetValuesParams): Promise<FacetValuesResult>;
}

export interface EngineConnection {
  url: string;
  /** Master key or an API key with the rights the caller needs (admin for the indexer, search for the API). */
  apiKey?: string | undefined;
  timeoutMs: number;
}

/** A task the engine finished without success, reported to the operator with the engine's reason. */
export interface FailedTask {
  uid: number;
  type: string;
  error: string;
  /** The engine's error code (`invalid_document_id`, `internal`, …); absent when the task did not fail with one. */
  code?: string;
  /** The node of a sharded network the task ran on; absent on a single engine. */
  node?: string;
}
