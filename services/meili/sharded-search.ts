import type { FederatedMultiSearchParams, MultiSearchQuery, SearchForFacetValuesParams } from 'meilisearch';
import { EngineError, EngineTimeoutError, EngineUnavailableError, IndexSwapInProgressError, NodesExcludedError } from './errors';
import {
  collapseCorrection,
  collapseHits,
  duplicateProbe,
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
  type Window,
} from './federation';
import type { GenerationGuard } from './generation-guard';
import type { NodeSet } from './node-set';
import type { FacetValuesResult, FederatedResponse, FederatedResult, Hit, SearchResult } from './results';

/** What the merged answers must honour, and how the collapse probe is bounded (sharded-engine.ts options). */
export interface ShardedSearchOptions {
  primaryKey: string;
  maxValuesPerFacet: number;
  maxTotalHits: number;
  duplicateMembersFilter?: string;
  probeLimit?: number;
}

/**
 * The reads of a sharded engine: queries that return hits as federated multi-searches over the nodes that are up
 * (federation.ts has the pure rules), counting queries as one plain multi-search per node added up, facet searches
 * per node summed. Every request carries the generation probe (generation-guard.ts) and is watched for nodes that
 * stop answering (node-health.ts); the nodes missing from an answer are named in it.
 */
export class ShardedSearch {
  constructor(
    private readonly nodes: NodeSet,
    private readonly guard: GenerationGuard,
    private readonly options: ShardedSearchOptions,
  ) {}

  /**
   * Queries that return hits are federated one by one (the engine merges them in ranking order). Counting queries (no
   * hits, nothing to collapse) need no merge by rank: they go to every node as one plain multi-search each, in
   * parallel, and their counts are added up here: three requests for all of them instead of a federated search each.
   */
  async multiSearch(queries: readonly MultiSearchQuery[]): Promise<SearchResult[]> {
    const countingOnly = (q: MultiSearchQuery) => {
      const w = windowOf(q);
      return w.limit === 0 && !(w.finite && typeof q.distinct === 'string');
    };
    const counting = queries.filter(countingOnly);
    const [federated, counted] = await Promise.all([
      Promise.all(queries.map((q) => (countingOnly(q) ? null : this.acrossNodes(q)))),
      counting.length > 0 ? this.countOnEveryNode(counting) : Promise.resolve([]),
    ]);
    let next = 0;
    return federated.map((r) => {
      const result = r ?? counted[next++];
      if (!result) throw new Error('a counting query came back without its result');
      return result;
    });
  }

  /** One query over the nodes, answered like one engine would, with `missingNodes` added. */
  async acrossNodes(query: MultiSearchQuery): Promise<SearchResult> {
    const window = windowOf(query);
    const { maxValuesPerFacet, primaryKey } = this.options;
    const fed = (q: MultiSearchQuery, offset: number, limit: number) => this.federate((self, nodes) => toFederatedRequest(q, { nodes, offset, limit, maxValuesPerFacet, self }));

    const distinct = typeof query.distinct === 'string' ? query.distinct : undefined;
    if (!distinct || (!window.finite && window.limit === 0)) {
      // Nothing to collapse, or nothing one engine would collapse (see federation.ts).
      const main = await fed(distinct ? withoutDistinct(query) : query, window.offset, window.limit);
      return this.result(query, window, main, null, main.hits, main.estimatedTotalHits, main.facetDistribution);
    }
    const plain = withoutDistinct(query);
    const order = sortFieldsOf(query);
    const probeQuery = duplicateProbe(query, this.options.duplicateMembersFilter, primaryKey);
    const probeLimit = this.options.probeLimit ?? this.options.maxTotalHits * this.nodes.nodes.length;
    let main: FederatedResponse;
    let probe: FederatedResponse;
    if (window.limit === 0) {
      [main, probe] = await Promise.all([fed(plain, 0, 0), fed(probeQuery, 0, probeLimit)]);
    } else {
      // Probe and page in parallel, the page read with some slack for extra copies; read again only when the probe
      // finds more extra copies than the slack covers (every extra copy may rank before the page's end).
      const slack = window.limit;
      [main, probe] = await Promise.all([fed(plain, 0, window.offset + window.limit + slack), fed(probeQuery, 0, probeLimit)]);
      const extra = collapseCorrection(multiMemberGroups(probe.hits, distinct), [], primaryKey, order).extraHits;
      if (extra > slack) main = await fed(plain, 0, window.offset + window.limit + extra);
    }
    const collapsed = collapseHits(main.hits, distinct);
    const ranked = new Set(collapsed.slice(0, window.offset + window.limit).map((h) => String(h[distinct])));
    const correction = collapseCorrection(multiMemberGroups(probe.hits, distinct), query.facets ?? [], primaryKey, order, ranked);
    const hits = collapsed.slice(window.offset, window.offset + window.limit);
    return this.result(query, window, main, probe, hits, main.estimatedTotalHits - correction.extraHits, subtractFacets(main.facetDistribution, correction.facetExcess));
  }

  /**
   * A federation of several queries (the cross-language fallback's phrasings): every query runs on every node, facets
   * are merged across nodes by the engine and handed back per index as one engine would. distinct holds per node only:
   * a collapsing federation reads further and keeps the first copy of each group that several nodes returned.
   */
  async federatedSearch(queries: FederatedMultiSearchParams['queries'], federation: FederatedMultiSearchParams['federation']): Promise<FederatedResult> {
    const facetsByIndex = federation.facetsByIndex;
    const offset = federation.offset ?? 0;
    const limit = federation.limit ?? 20;
    const most = this.options.maxTotalHits * this.nodes.nodes.length;
    const distinct = queries.map((q) => q.distinct).find((d): d is string => typeof d === 'string');
    const run = (window: { offset: number; limit: number }) =>
      this.federate((self, nodes) => ({
        federation: { ...federation, ...window, ...(facetsByIndex ? { mergeFacets: { maxValuesPerFacet: this.options.maxValuesPerFacet } } : {}) },
        queries: queries.flatMap((q) => nodes.map((remote) => ({ ...q, federationOptions: { weight: q.federationOptions?.weight ?? 1, ...(remote === self ? {} : { remote }) } }))),
      }));
    let response: FederatedResponse;
    let hits: Hit[];
    if (!distinct || limit === 0) {
      response = await run({ offset, limit });
      hits = response.hits;
    } else {
      for (let read = offset + 2 * limit; ; read = Math.min(read * 2, most)) {
        response = await run({ offset: 0, limit: read });
        hits = collapseHits(response.hits, distinct).slice(offset, offset + limit);
        if (hits.length === limit || response.hits.length < read || read >= most) break;
      }
    }
    const [indexUid] = Object.keys(facetsByIndex ?? {});
    return {
      hits: hits.map(stripFederation),
      processingTimeMs: response.processingTimeMs,
      // The engine's estimate, as one engine gives it for a federation; docs/sharding.md says how far it can differ.
      estimatedTotalHits: response.estimatedTotalHits,
      ...(indexUid ? { facetsByIndex: { [indexUid]: { distribution: response.facetDistribution ?? {}, stats: response.facetStats ?? {} } } } : {}),
      missingNodes: missingRemotes(response),
    };
  }

  /**
   * The engine's facet search on every node, counts summed per value (a facet search is not federated). Nodes that do
   * not answer are left out; none answering is an error. Not checked for one generation: the API takes only which
   * values match from it, and their counts from a checked search (news-search.ts searchFacetValues).
   */
  async facetValues(uid: string, params: SearchForFacetValuesParams): Promise<FacetValuesResult> {
    const { answers, failures } = await this.nodes.onUpNodes((n) => n.engine.searchFacetValues(uid, params));
    if (answers.length === 0) throw failures[0] ?? new EngineUnavailableError('no node of the engine network answers');
    const counts = new Map<string, number>();
    for (const { value } of answers) for (const h of value.facetHits) counts.set(h.value, (counts.get(h.value) ?? 0) + h.count);
    return {
      facetHits: [...counts.entries()].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)),
      facetQuery: answers[0]?.value.facetQuery ?? null,
      processingTimeMs: Math.max(...answers.map((a) => a.value.processingTimeMs)),
    };
  }

  /** A document from whichever node holds it; not found while a node is missing is not "not found". */
  async document<T extends object>(uid: string, id: string, fields?: readonly string[]): Promise<T | null> {
    const { answers, missing, failures } = await this.nodes.onUpNodes((n) => n.engine.getDocument<T>(uid, id, fields));
    for (const a of answers) if (a.value) return a.value;
    if (missing.length > 0) throw failures[0] ?? new NodesExcludedError(missing);
    return null;
  }

  /** Counting queries on every node in one multi-search per node; totals, facet counts and facet stats merged. */
  private async countOnEveryNode(queries: readonly MultiSearchQuery[]): Promise<SearchResult[]> {
    // Without hits one engine does not collapse counts either (federation.ts), so neither is distinct sent here.
    const plain = queries.map((q) => withoutDistinct(q));
    const { sent, check } = await this.guard.probeMultiSearch(plain);
    const { answers, missing, failures } = await this.nodes.onUpNodes((n) => n.engine.multiSearch(sent));
    const perNode = answers.map(({ node, value }) => check(value, node.name));
    if (perNode.length === 0) throw failures[0] ?? new EngineUnavailableError('no node of the engine network answers');
    return queries.map((q, i) => {
      const results = perNode.flatMap((r) => (r[i] ? [r[i]] : []));
      return toSearchResult({
        query: q.q ?? '',
        window: windowOf(q),
        hits: [],
        total: results.reduce((sum, r) => sum + (r.totalHits ?? r.estimatedTotalHits ?? 0), 0),
        maxTotalHits: this.options.maxTotalHits,
        facetDistribution: q.facets?.length ? mergeDistributions(results.map((r) => r.facetDistribution ?? {}), this.options.maxValuesPerFacet) : undefined,
        facetStats: q.facets?.length ? mergeStats(results.map((r) => r.facetStats ?? {})) : undefined,
        processingTimeMs: Math.max(...results.map((r) => r.processingTimeMs)),
        missingNodes: missing,
      });
    });
  }

  private result(query: MultiSearchQuery, window: Window, main: FederatedResponse, probe: FederatedResponse | null, hits: Hit[], total: number, facetDistribution: SearchResult['facetDistribution']): SearchResult {
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
   * Sends a federated multi-search over the nodes that are up to one of them, which fans it out to the others.
   * Excluded nodes are neither asked nor named as remotes, and are reported missing. A request that a node stops
   * answering while it waits is asked again without that node (node-health.ts). A coordinator that fails is probed:
   * one that does not answer is excluded and the next one asked; one that answers but refused (5xx, 429: overloaded)
   * is passed over for this request and the next one coordinates, still reaching it as a remote; one that answers but
   * timed out means the request itself is slow (asking another would only double the wait), so that error stands.
   */
  private async federate(build: (self: string, nodes: readonly string[]) => FederatedMultiSearchParams): Promise<FederatedResponse> {
    const passedOver = new Set<string>();
    let lastError: EngineError | null = null;
    // Each attempt but the last excludes or passes over a node: a bound in case nodes keep coming and going.
    for (let attempt = 0; attempt <= 2 * this.nodes.nodes.length; attempt++) {
      const up = this.nodes.up();
      const coordinator = up.find((n) => !passedOver.has(n.name));
      if (!coordinator) break;
      const names = up.map((n) => n.name);
      try {
        const { sent, check } = await this.guard.probeFederation(build(coordinator.name, names), coordinator.name, names);
        const response = check(await this.nodes.health.watch(names, coordinator.engine.federate(sent)));
        // A remote that failed may be hanging or gone: a probe decides whether later requests leave it out.
        for (const remote of Object.keys(response.remoteErrors ?? {})) void this.nodes.health.check(remote);
        const left = this.nodes.names.filter((n) => !names.includes(n));
        if (left.length === 0) return response;
        const remoteErrors: Record<string, unknown> = { ...(response.remoteErrors ?? {}) };
        for (const d of left) remoteErrors[d] ??= { message: 'left out: not answering' };
        return { ...response, remoteErrors };
      } catch (err) {
        if (!(err instanceof EngineUnavailableError) || err instanceof IndexSwapInProgressError) throw err;
        lastError = err;
        if (err instanceof NodesExcludedError) continue;
        if (!(await this.nodes.health.check(coordinator.name))) continue;
        if (err instanceof EngineTimeoutError) throw err;
        passedOver.add(coordinator.name);
      }
    }
    throw lastError ?? new EngineUnavailableError('no node of the engine network answers');
  }
}
