import { MeiliSearch } from 'meilisearch';
import type { FederatedMultiSearchParams, MultiSearchParams, MultiSearchResponse, SearchForFacetValuesParams, SearchForFacetValuesResponse, SearchParams, SearchResponse, Settings, Task } from 'meilisearch';
import { EngineRequestError, EngineUnavailableError, toEngineError } from './errors';
import { JsonTransport } from './json-transport';

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
  /** The node of a sharded network the task ran on (sharded-engine.ts); absent on a single engine. */
  node?: string;
}

/**
 * A thin adapter over the Meilisearch client: every engine call of the indexer and the API goes through here, so
 * errors are translated in one place and no other module imports the client.
 */
export class Engine {
  readonly client: MeiliSearch;
  /** The search hot path bypasses the client's fetch (see json-transport). */
  private readonly searchTransport: JsonTransport;

  constructor(readonly connection: EngineConnection) {
    this.searchTransport = new JsonTransport({ url: connection.url, apiKey: connection.apiKey, timeoutMs: connection.timeoutMs });
    // One transport for every request, the client's too: one timeout, one mapping of failures (errors.ts).
    this.client = new MeiliSearch({ host: connection.url, apiKey: connection.apiKey, httpClient: this.searchTransport.clientHttp });
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toEngineError(err);
    }
  }

  async isHealthy(): Promise<boolean> {
    try {
      return (await this.client.health()).status === 'available';
    } catch {
      return false;
    }
  }

  /** Whether the engine answers `GET /health` within `timeoutMs` (a probe: usually far below the engine timeout). */
  async answers(timeoutMs: number): Promise<boolean> {
    try {
      const body = await this.searchTransport.get<{ status?: unknown }>('/health', { timeoutMs });
      return body?.status === 'available';
    } catch {
      return false;
    }
  }

  /** Throws EngineUnavailableError when the engine does not answer. */
  async health(): Promise<void> {
    await this.call(() => this.client.health());
  }

  async indexExists(uid: string): Promise<boolean> {
    try {
      await this.client.index(uid).getRawInfo();
      return true;
    } catch (err) {
      const e = toEngineError(err);
      if (e instanceof EngineRequestError && e.code === 'index_not_found') return false;
      throw e;
    }
  }

  /** Creates the index when missing and applies the settings; waits until both are in force. */
  async prepareIndex(uid: string, primaryKey: string, settings: Settings): Promise<void> {
    if (!(await this.indexExists(uid))) {
      await this.expectSuccess(await this.call(() => this.client.createIndex(uid, { primaryKey }).waitTask({ timeout: 60_000 })));
    }
    await this.expectSuccess(
      await this.call(() => this.client.index(uid).updateSettings(settings).waitTask({ timeout: 600_000 })),
    );
  }

  async getSettings(uid: string): Promise<Settings> {
    return this.call(() => this.client.index(uid).getSettings());
  }

  /** Adds or replaces whole documents; returns the task uid without waiting, so batches pipeline. */
  async addDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    const task = await this.call(() => this.client.index(uid).addDocuments(docs as Record<string, unknown>[], { primaryKey }));
    return task.taskUid;
  }

  /** Merges partial documents into existing ones (only the given fields change). */
  async updateDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    const task = await this.call(() =>
      this.client.index(uid).updateDocuments(docs as Record<string, unknown>[], { primaryKey }),
    );
    return task.taskUid;
  }

  /** Waits for the tasks and returns the ones that did not succeed. */
  async waitForTasks(uids: readonly number[], timeoutMs = 600_000): Promise<FailedTask[]> {
    const failed: FailedTask[] = [];
    for (const uid of uids) {
      const task = await this.waitForTask(uid, timeoutMs);
      if (task.status !== 'succeeded') failed.push(describeFailure(task));
    }
    return failed;
  }

  /**
   * Polls one task until it is finished, at most `timeoutMs`. Our own loop rather than the client's waitForTask, which
   * adds an abort listener to one signal per poll and never removes it: waiting minutes at 50 ms (a 200k-article run)
   * piled up thousands of listeners and MaxListenersExceeded warnings. The interval starts short, so small runs end
   * promptly, and backs off to half a second for long ones.
   */
  private async waitForTask(uid: number, timeoutMs: number): Promise<Task> {
    const deadline = Date.now() + timeoutMs;
    let interval = 25;
    for (;;) {
      const task = await this.call(() => this.client.tasks.getTask(uid));
      if (task.status !== 'enqueued' && task.status !== 'processing') return task;
      if (Date.now() + interval > deadline) {
        throw new EngineUnavailableError(`engine task ${uid} did not finish within ${Math.round(timeoutMs / 1000)} s`);
      }
      await new Promise((r) => setTimeout(r, interval));
      interval = Math.min(500, Math.round(interval * 1.5));
    }
  }

  async multiSearch(queries: MultiSearchParams['queries']): Promise<MultiSearchResponse['results']> {
    const response = await this.searchTransport.post<MultiSearchResponse>('/multi-search', JSON.stringify({ queries }));
    return response.results;
  }

  /** One merged, ranked answer for several queries (the engine dedupes a document matched by more than one). */
  async federatedSearch(
    queries: FederatedMultiSearchParams['queries'],
    federation: FederatedMultiSearchParams['federation'],
  ): Promise<SearchResponse<Record<string, unknown>>> {
    return this.searchTransport.post<SearchResponse<Record<string, unknown>>>('/multi-search', JSON.stringify({ queries, federation }));
  }

  /** The engine's facet search (POST /indexes/{uid}/facet-search): values of one facet matching a prefix, with counts. */
  async searchFacetValues(uid: string, params: SearchForFacetValuesParams): Promise<SearchForFacetValuesResponse> {
    return this.call(() => this.client.index(uid).searchForFacetValues(params));
  }

  async search(uid: string, q: string, params: SearchParams) {
    return this.call(() => this.client.index(uid).search(q, params));
  }

  /** One document by id, or null when there is none. */
  async getDocument<T extends object>(uid: string, id: string, fields?: readonly string[]): Promise<T | null> {
    try {
      return (await this.client.index(uid).getDocument(id, fields ? { fields: [...fields] } : undefined)) as T;
    } catch (err) {
      const e = toEngineError(err);
      if (e instanceof EngineRequestError && (e.code === 'document_not_found' || e.code === 'index_not_found')) return null;
      throw e;
    }
  }

  /**
   * Pages through the stored documents (only `fields`) in the engine's order, at most the last `last` of them; nothing
   * when the index does not exist.
   */
  async *documentPages<T extends object>(uid: string, fields: readonly string[], last = Infinity, pageSize = 1_000): AsyncGenerator<T[]> {
    if (!(await this.indexExists(uid))) return;
    const total = await this.countDocuments(uid);
    for (let offset = Math.max(0, total - last); ; offset += pageSize) {
      const page = await this.call(() => this.client.index(uid).getDocuments({ fields: [...fields], offset, limit: pageSize }));
      if (page.results.length > 0) yield page.results as unknown as T[];
      if (page.results.length < pageSize) return;
    }
  }

  async countDocuments(uid: string): Promise<number> {
    return (await this.call(() => this.client.index(uid).getStats())).numberOfDocuments;
  }

  async deleteIndexIfExists(uid: string): Promise<void> {
    if (!(await this.indexExists(uid))) return;
    await this.expectSuccess(await this.call(() => this.client.deleteIndex(uid).waitTask({ timeout: 120_000 })));
  }

  /**
   * Atomically exchanges the contents (documents, settings) of two indexes; with `rename` the first index takes the
   * second's name instead (the second must not exist). Waits until it is in force.
   */
  async swapIndexes(first: string, second: string, rename = false): Promise<void> {
    await this.expectSuccess(
      await this.call(() => this.client.swapIndexes([{ indexes: [first, second], rename }]).waitTask({ timeout: 120_000 })),
    );
  }

  /**
   * Runs the engine reads of one answer so that they come from one version of the index. One engine swaps atomically,
   * so there is nothing to do here; a sharded engine (sharded-engine.ts) pins a generation and retries on a mix.
   */
  async consistently<T>(read: () => Promise<T>): Promise<T> {
    return read();
  }

  /**
   * The index's generation (generation.ts): the highest `field` value its documents carry; 0 when none does, the
   * index is missing, or its settings predate the field (it is not filterable there yet).
   */
  async currentGeneration(uid: string, field: string): Promise<number> {
    try {
      const res = await this.call(() => this.client.index(uid).search('', { limit: 0, facets: [field] }));
      return res.facetStats?.[field]?.max ?? 0;
    } catch (err) {
      const e = toEngineError(err);
      if (e instanceof EngineRequestError && (e.code === 'index_not_found' || e.code === 'invalid_search_facets')) return 0;
      throw e;
    }
  }

  /** Uids of the indexes whose name starts with `prefix` (only those the key may see). */
  async listIndexUids(prefix = ''): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.call(() => this.client.getRawIndexes({ offset, limit: 100 }));
      out.push(...page.results.map((i) => i.uid).filter((uid) => uid.startsWith(prefix)));
      if (offset + 100 >= page.total) return out;
    }
  }

  private async expectSuccess(task: Task): Promise<void> {
    if (task.status !== 'succeeded') {
      const failure = describeFailure(task);
      throw new EngineRequestError(`engine task ${failure.uid} (${failure.type}) failed: ${failure.error}`, task.error?.code);
    }
  }
}

function describeFailure(task: Task): FailedTask {
  return { uid: task.uid, type: task.type, error: task.error ? `${task.error.code}: ${task.error.message}` : task.status };
}
