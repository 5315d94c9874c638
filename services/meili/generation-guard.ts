import type { FederatedMultiSearchParams, MultiSearchQuery } from 'meilisearch';
import { AsyncLocalStorage } from 'node:async_hooks';
import { EngineError, EngineRequestError, EngineUnavailableError, IndexSwapInProgressError } from './errors';
import {
  canCarryProbe,
  censusVerdict,
  foreignGenerations,
  generationProbeFilter,
  nodeGenerations,
  orFilter,
  settleDelays,
  withoutGenerationFacet,
  type CensusVerdict,
} from './generation';
import type { NodeSet } from './node-set';
import type { FederatedResponse, SearchResult } from './results';

/**
 * One generation per read of a sharded engine (generation.ts says why and how): the stateful half. The sharded engine
 * runs each read through `consistently`, which pins the generation the read expects per index; every engine request
 * of the read carries the probe (`probeFederation`, `probeMultiSearch`) and the answer is checked against it. A read
 * that sees another generation is thrown away whole; the nodes are then asked (census) until they agree, and the read
 * runs again on the generation they agree on, or is refused with IndexSwapInProgressError after `swapWaitMs`.
 */

/** A request of a read saw a node of another generation: the read is computed again (consistently). */
export class GenerationChanged extends EngineError {
  override name = 'GenerationChanged';
  constructor(
    readonly indexUid: string,
    message: string,
  ) {
    super(message);
  }
}

/** The generation a read expects per index; null: not checked (the index's settings predate the field). */
type Pinned = Map<string, number | null>;

type Census = CensusVerdict | { kind: 'unchecked' };

/** How often an index found without the generation field is looked at again (a reindex adds the field). */
const UNCHECKED_RECHECK_MS = 5_000;

export class GenerationGuard {
  /** The generations pinned by the read being computed, carried along its async calls. */
  private readonly pinned = new AsyncLocalStorage<Pinned>();
  /** The generation the nodes last agreed on, per index (learnt by census, shared by this process's reads). */
  private readonly known = new Map<string, { generation: number | null; at: number }>();
  private readonly censuses = new Map<string, Promise<Census>>();

  constructor(
    private readonly nodes: NodeSet,
    /** The filterable field holding each document's generation; undefined: reads are not checked. */
    private readonly field: string | undefined,
    private readonly swapWaitMs: number,
    private readonly maxValuesPerFacet: number,
  ) {}

  /** Runs `read` against one pinned generation per index, retried whole while the nodes disagree (see above). */
  async consistently<T>(read: () => Promise<T>): Promise<T> {
    if (!this.field || this.pinned.getStore()) return read();
    const deadline = Date.now() + this.swapWaitMs;
    for (;;) {
      try {
        return await this.pinned.run(new Map(), read);
      } catch (err) {
        if (!(err instanceof GenerationChanged)) throw err;
        this.known.delete(err.indexUid);
        // Bounded even if the census keeps agreeing while the answers keep disagreeing (a node flapping).
        if (Date.now() >= deadline) throw new IndexSwapInProgressError(err.message);
        await this.settle(err.indexUid, deadline);
      }
    }
  }

  /** The generation this read checks `uid` against, pinned on first use; null when it cannot be checked. */
  async expected(uid: string): Promise<number | null> {
    if (!this.field) return null;
    const pinned = this.pinned.getStore();
    if (pinned?.has(uid)) return pinned.get(uid) ?? null;
    let known = this.known.get(uid);
    if (!known || (known.generation === null && Date.now() - known.at > UNCHECKED_RECHECK_MS)) {
      known = await this.settle(uid, Date.now() + this.swapWaitMs);
    }
    pinned?.set(uid, known.generation);
    return known.generation;
  }

  /**
   * A federated request with the probe added, and the check of its answer. Per node a query matching only documents
   * of another generation (nothing, when the node is of the expected one), or, when every query is without text, the
   * same inside each query's filter; and the generation facet to see them in. `nodes`: the nodes the request names.
   */
  async probeFederation(request: FederatedMultiSearchParams, self: string, nodes: readonly string[]): Promise<{ sent: FederatedMultiSearchParams; check: (r: FederatedResponse) => FederatedResponse }> {
    const uid = request.queries[0]?.indexUid;
    const expected = uid === undefined ? null : await this.expected(uid);
    const field = this.field;
    if (uid === undefined || expected === null || !field) return { sent: request, check: (r) => r };
    const filter = generationProbeFilter(field, expected);
    const facetsByIndex = request.federation.facetsByIndex ?? {};
    const federation = {
      ...request.federation,
      facetsByIndex: { ...facetsByIndex, [uid]: [...(facetsByIndex[uid] ?? []), field] },
      mergeFacets: request.federation.mergeFacets ?? { maxValuesPerFacet: this.maxValuesPerFacet },
    };
    const sort = request.queries[0]?.sort;
    const queries = request.queries.every(canCarryProbe)
      ? request.queries.map((q) => ({ ...q, filter: orFilter(q.filter, filter) }))
      : [
          ...request.queries,
          // Federated queries must agree on sorting to be merged; the probe has no hits when all is well anyway.
          ...nodes.map((remote) => ({ indexUid: uid, q: '', filter, ...(sort ? { sort } : {}), federationOptions: remote === self ? { weight: 1 } : { weight: 1, remote } })),
        ];
    const check = (r: FederatedResponse): FederatedResponse => {
      const foreign = foreignGenerations(r.facetDistribution, field, expected);
      if (foreign.length > 0) throw new GenerationChanged(uid, `index ${uid}: expected generation ${expected}, a node answered from ${foreign.join(', ')}`);
      return withoutGenerationFacet(r, field, request.federation.facetsByIndex !== undefined);
    };
    return { sent: { federation, queries }, check };
  }

  /**
   * A plain multi-search (answered query by query) with the probe: queries without text carry it in their own filter,
   * each checking its own read; otherwise separate probes go first and last, and a node that swapped before or during
   * the queries matches the last one. `check` returns a node's results for the caller's queries.
   */
  async probeMultiSearch(queries: readonly MultiSearchQuery[]): Promise<{ sent: MultiSearchQuery[]; check: (results: SearchResult[], node: string) => SearchResult[] }> {
    const field = this.field;
    const expected = new Map<string, number>();
    for (const uid of new Set(queries.map((q) => q.indexUid))) {
      const g = await this.expected(uid);
      if (g !== null) expected.set(uid, g);
    }
    if (!field || expected.size === 0) return { sent: [...queries], check: (results) => results };
    if (queries.every(canCarryProbe)) {
      const sent = queries.map((q) => {
        const g = expected.get(q.indexUid);
        return g === undefined ? q : { ...q, filter: orFilter(q.filter, generationProbeFilter(field, g)), facets: [...(q.facets ?? []), field] };
      });
      const check = (results: SearchResult[], node: string) =>
        results.map((r, j) => {
          const uid = queries[j]?.indexUid ?? '';
          const g = expected.get(uid);
          if (g === undefined) return r;
          const foreign = foreignGenerations(r.facetDistribution, field, g);
          if (foreign.length > 0) throw new GenerationChanged(uid, `index ${uid}: node ${node} answered from generation ${foreign.join(', ')}, not ${g}`);
          return withoutGenerationFacet(r, field, (queries[j]?.facets?.length ?? 0) > 0);
        });
      return { sent, check };
    }
    const probes: MultiSearchQuery[] = [...expected].map(([uid, g]) => ({ indexUid: uid, q: '', filter: generationProbeFilter(field, g), limit: 0 }));
    const check = (results: SearchResult[], node: string) => {
      const stray = [...results.slice(0, probes.length), ...results.slice(probes.length + queries.length)].find((r) => (r.estimatedTotalHits ?? r.totalHits ?? 0) > 0);
      if (stray) throw new GenerationChanged(stray.indexUid ?? '', `index ${stray.indexUid ?? ''}: node ${node} answered from another generation`);
      return results.slice(probes.length, probes.length + queries.length);
    };
    return { sent: [...probes, ...queries, ...probes], check };
  }

  /** Asks the nodes until they agree on a generation (remembered), or throws IndexSwapInProgressError at the deadline. */
  private async settle(uid: string, deadline: number): Promise<{ generation: number | null; at: number }> {
    const delays = settleDelays(Math.max(0, deadline - Date.now()));
    for (let attempt = 0; ; attempt++) {
      const verdict = await this.census(uid);
      if (verdict.kind !== 'mixed') {
        const known = { generation: verdict.kind === 'consistent' ? verdict.generation : null, at: Date.now() };
        this.known.set(uid, known);
        return known;
      }
      const delay = delays[attempt];
      if (delay === undefined) throw new IndexSwapInProgressError(`the nodes of index ${uid} answer from different generations (${verdict.detail})`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /** One census in flight per index: the reads waiting out a swap share it, so a busy API does not multiply them. */
  private census(uid: string): Promise<Census> {
    const inFlight = this.censuses.get(uid);
    if (inFlight) return inFlight;
    const started = (this.field ? this.censusNow(uid, this.field) : Promise.resolve<Census>({ kind: 'unchecked' })).finally(() => this.censuses.delete(uid));
    this.censuses.set(uid, started);
    return started;
  }

  /** Each node's generations of `uid`, one small facet query per node; nodes excluded or not answering are left out. */
  private async censusNow(uid: string, field: string): Promise<Census> {
    const { answers, failures } = await this.nodes.onUpNodes((n) => n.engine.multiSearch([{ indexUid: uid, q: '', limit: 0, facets: [field] }]));
    for (const e of failures) {
      // Settings older than the field: nothing to check against until a run of the indexer adds it.
      if (e instanceof EngineRequestError && ['invalid_search_facets', 'invalid_multi_search_facets'].includes(e.code ?? '')) return { kind: 'unchecked' };
      // A node that is down or lacks the index: the search itself reports it (partial answer, index_not_found).
      if (e instanceof EngineUnavailableError || (e instanceof EngineRequestError && e.code === 'index_not_found')) continue;
      throw e;
    }
    return censusVerdict(answers.map(({ node, value: [result] }) => nodeGenerations(node.name, result ?? {}, field)));
  }
}
