import { MeiliSearch } from 'meilisearch';
import type { FederatedMultiSearchParams, MultiSearchQuery, SearchForFacetValuesParams, SearchParams, Settings, Task } from 'meilisearch';
import type { Engine, EngineConnection, FailedTask } from './engine';
import { EngineRequestError, EngineTimeoutError, toEngineError } from './errors';
import { JsonTransport } from './json-transport';
import type { ProbeOutcome } from './node-health';
import { networkStateSchema, type NetworkBody, type NetworkState } from './network';
import {
  facetValuesSchema,
  federatedResponseSchema,
  healthSchema,
  multiSearchAnswerSchema,
  searchResultSchema,
  type FacetValuesResult,
  type FederatedResponse,
  type FederatedResult,
  type SearchResult,
} from './results';

/**
 * One Meilisearch: the adapter every engine call of the indexer and the API goes through when the engine is not
 * sharded, and each node of a sharded one (sharded-engine.ts). Requests go through one transport (json-transport.ts),
 * the client library's too, so errors are translated in one place; answers are validated (results.ts). No other
 * module imports the client.
 */
export class NodeEngine implements Engine {
  /** The client library, for its typed calls; its HTTP goes through `transport`. */
  readonly client: MeiliSearch;
  private readonly transport: JsonTransport;

  constructor(readonly connection: EngineConnection) {
    this.transport = new JsonTransport({ url: connection.url, apiKey: connection.apiKey, timeoutMs: connection.timeoutMs });
    // The transport times requests out (MEILI_TIMEOUT_MS) and sends the key; the client only builds requests.
    this.client = new MeiliSearch({ host: connection.url, apiKey: connection.apiKey, httpClient: this.transport.clientHttp });
  }

  withKey(apiKey: string | undefined): NodeEngine {
    return new NodeEngine({ ...this.connection, apiKey });
  }

  close(): void {
    this.transport.close();
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw toEngineError(err);
    }
  }

  async isHealthy(): Promise<boolean> {
    return (await this.probe(this.connection.timeoutMs)) === 'answers';
  }

  /** `GET /health` within `timeoutMs` (a probe: usually far below the engine timeout); never rejects. */
  async probe(timeoutMs: number): Promise<ProbeOutcome> {
    try {
      return healthSchema.parse(await this.transport.get('/health', { timeoutMs })).status === 'available' ? 'answers' : 'refuses';
    } catch (err) {
      return err instanceof EngineTimeoutError ? 'silent' : 'refuses';
    }
  }

  /** The engine's version; needs a key with the `version` right (the master key has it). */
  async version(): Promise<string> {
    return (await this.call(() => this.client.getVersion())).pkgVersion;
  }

  async health(): Promise<void> {
    await this.transport.get('/health');
  }

  async indexExists(uid: string): Promise<boolean> {
    try {
      await this.call(() => this.client.index(uid).getRawInfo());
      return true;
    } catch (err) {
      if (err instanceof EngineRequestError && err.code === 'index_not_found') return false;
      throw err;
    }
  }

  async prepareIndex(uid: string, primaryKey: string, settings: Settings): Promise<void> {
    if (!(await this.indexExists(uid))) {
      await this.expectSuccess(await this.call(() => this.client.createIndex(uid, { primaryKey }).waitTask({ timeout: 60_000 })));
    }
    await this.expectSuccess(await this.call(() => this.client.index(uid).updateSettings(settings).waitTask({ timeout: 600_000 })));
  }

  async addDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    const task = await this.call(() => this.client.index(uid).addDocuments(docs as Record<string, unknown>[], { primaryKey }));
    return task.taskUid;
  }

  async updateDocuments(uid: string, docs: readonly object[], primaryKey: string): Promise<number> {
    const task = await this.call(() => this.client.index(uid).updateDocuments(docs as Record<string, unknown>[], { primaryKey }));
    return task.taskUid;
  }

  async deleteDocuments(uid: string, ids: readonly string[]): Promise<number> {
    const task = await this.call(() => this.client.index(uid).deleteDocuments([...ids]));
    return task.taskUid;
  }

  async createIndex(uid: string, timeoutMs = 120_000): Promise<Date> {
    const task = await this.call(() => this.client.createIndex(uid).waitTask({ timeout: timeoutMs }));
    await this.expectSuccess(task);
    return new Date(task.finishedAt ?? task.enqueuedAt);
  }

  async latestIndexTask(uid: string): Promise<{ type: string; enqueuedAt: Date } | null> {
    const page = await this.call(() => this.client.tasks.getTasks({ indexUids: [uid], limit: 1 }));
    const task = page.results[0];
    return task ? { type: task.type, enqueuedAt: new Date(task.enqueuedAt) } : null;
  }

  async touchIndex(uid: string): Promise<void> {
    await this.call(() => this.client.index(uid).update({}));
  }

  async waitForTasks(uids: readonly number[], timeoutMs = 600_000): Promise<FailedTask[]> {
    const failed: FailedTask[] = [];
    for (const uid of uids) {
      const task = await this.waitForTask(uid, timeoutMs);
      if (task.status !== 'succeeded') failed.push(describeFailure(task));
    }
    return failed;
  }

  /** One task as the engine reports it (a sharded write's lists the tasks it created on the other nodes). */
  async task(uid: number): Promise<Task> {
    return this.call(() => this.client.tasks.getTask(uid));
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
      const task = await this.task(uid);
      if (task.status !== 'enqueued' && task.status !== 'processing') return task;
      if (Date.now() + interval > deadline) throw new EngineTimeoutError(`engine task ${uid} did not finish within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise((r) => setTimeout(r, interval));
      interval = Math.min(500, Math.round(interval * 1.5));
    }
  }

  async countDocuments(uid: string): Promise<number> {
    return (await this.call(() => this.client.index(uid).getStats())).numberOfDocuments;
  }

  async deleteIndexIfExists(uid: string): Promise<void> {
    if (!(await this.indexExists(uid))) return;
    await this.expectSuccess(await this.call(() => this.client.deleteIndex(uid).waitTask({ timeout: 120_000 })));
  }

  async swapIndexes(first: string, second: string, rename = false): Promise<void> {
    await this.expectSuccess(await this.call(() => this.client.swapIndexes([{ indexes: [first, second], rename }]).waitTask({ timeout: 120_000 })));
  }

  async listIndexUids(prefix = ''): Promise<string[]> {
    const out: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.call(() => this.client.getRawIndexes({ offset, limit: 100 }));
      out.push(...page.results.map((i) => i.uid).filter((uid) => uid.startsWith(prefix)));
      if (offset + 100 >= page.total) return out;
    }
  }

  async currentGeneration(uid: string, field: string): Promise<number> {
    try {
      const res = await this.search(uid, '', { limit: 0, facets: [field] });
      return res.facetStats?.[field]?.max ?? 0;
    } catch (err) {
      if (err instanceof EngineRequestError && (err.code === 'index_not_found' || err.code === 'invalid_search_facets')) return 0;
      throw err;
    }
  }

  async *documentPages<T extends object>(uid: string, fields: readonly string[], last = Infinity, pageSize = 1_000): AsyncGenerator<T[]> {
    if (!(await this.indexExists(uid))) return;
    const total = await this.countDocuments(uid);
    for (let offset = Math.max(0, total - last); ; offset += pageSize) {
      const page = await this.call(() => this.client.index(uid).getDocuments<T & Record<string, unknown>>({ fields: [...fields], offset, limit: pageSize }));
      if (page.results.length > 0) yield page.results;
      if (page.results.length < pageSize) return;
    }
  }

  async getDocument<T extends object>(uid: string, id: string, fields?: readonly string[]): Promise<T | null> {
    try {
      return await this.call(() => this.client.index(uid).getDocument<T & Record<string, unknown>>(id, fields ? { fields: [...fields] } : undefined));
    } catch (err) {
      if (err instanceof EngineRequestError && (err.code === 'document_not_found' || err.code === 'index_not_found')) return null;
      throw err;
    }
  }

  // --- reads: straight through the transport (the search hot path), validated -------------------------------------

  async search(uid: string, q: string, params: SearchParams): Promise<SearchResult> {
    return searchResultSchema.parse(await this.transport.post(`/indexes/${encodeURIComponent(uid)}/search`, JSON.stringify({ ...params, q })));
  }

  async multiSearch(queries: readonly MultiSearchQuery[]): Promise<SearchResult[]> {
    return multiSearchAnswerSchema.parse(await this.transport.post('/multi-search', JSON.stringify({ queries }))).results;
  }

  /** A federated multi-search as the engine answers it (merged facets, `remoteErrors` of a network search). */
  async federate(request: FederatedMultiSearchParams): Promise<FederatedResponse> {
    return federatedResponseSchema.parse(await this.transport.post('/multi-search', JSON.stringify(request)));
  }

  async federatedSearch(queries: FederatedMultiSearchParams['queries'], federation: FederatedMultiSearchParams['federation']): Promise<FederatedResult> {
    const { hits, processingTimeMs, estimatedTotalHits, facetsByIndex } = await this.federate({ queries, federation });
    return { hits, processingTimeMs, estimatedTotalHits, ...(facetsByIndex ? { facetsByIndex } : {}), missingNodes: [] };
  }

  async searchFacetValues(uid: string, params: SearchForFacetValuesParams): Promise<FacetValuesResult> {
    return facetValuesSchema.parse(await this.transport.post(`/indexes/${encodeURIComponent(uid)}/facet-search`, JSON.stringify(params)));
  }

  // --- the engine network (sharded-engine.ts) -----------------------------------------------------------------------

  async network(): Promise<NetworkState> {
    return networkStateSchema.parse(await this.call(() => this.client.getNetwork()));
  }

  /** Turns the `network` feature on and writes this node's network. */
  async configureNetwork(body: NetworkBody): Promise<void> {
    await this.call(() => this.client.updateExperimentalFeatures({ network: true }));
    await this.call(() => this.client.updateNetwork(body));
  }

  private async expectSuccess(task: Task): Promise<void> {
    if (task.status !== 'succeeded') {
      const failure = describeFailure(task);
      throw new EngineRequestError(`engine task ${failure.uid} (${failure.type}) failed: ${failure.error}`, task.error?.code);
    }
  }
}

function describeFailure(task: Task): FailedTask {
  return {
    uid: task.uid,
    type: task.type,
    error: task.error ? `${task.error.code}: ${task.error.message}` : task.status,
    ...(task.error?.code ? { code: task.error.code } : {}),
  };
}
