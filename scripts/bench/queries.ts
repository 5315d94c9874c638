import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { FederatedMultiSearchParams, MultiSearchQuery } from 'meilisearch';
import { NodeEngine } from '../../services/meili/node-engine';
import type { FederatedResult, SearchResult } from '../../services/meili/results';
import { loadUserDictionary } from '../../services/lexicon';
import { ThemeCatalog } from '../../services/themes';
import { crossLanguagePhrasings } from '../../search-api';
import { SearchService } from '../../search-api/search/search-service';
import { OutletRegistry } from '../../services/outlets';
import { Segmenter } from '../../services/text/segment';
import { searchParamsSchema } from '../../search-api/search/params';
import { toFilterCriteria } from '../../search-api/search/search-service';
import { buildFilter } from '../../services/meili/filters';
import { seededRandom } from '../seeded-random';

export { seededRandom };

/**
 * The search benchmark's query mix: Chinese, English and mixed queries with and without filters, drawn from the
 * corpus with a seeded generator so every run (and both sides of a run) sends the same requests.
 */

export type QueryKind = 'zh' | 'en' | 'mixed';

export interface BenchQuery {
  kind: QueryKind;
  filtered: boolean;
  /** The API's query string, as the page would send it. */
  params: Record<string, string | string[]>;
}


/** What the query generator draws from: words seen in titles, outlets, days. */
export interface QueryPool {
  zhWords: string[];
  enWords: string[];
  outlets: string[];
  days: string[];
}

const EN_STOP = new Set(
  'the and for with from that this have has was were will would said says into over after about more than their they its not but are new year says said pct mln dlrs'.split(' '),
);
const HAN_WORD = /^\p{Script=Han}{2,6}$/u;
const EN_WORD = /^[a-z]{4,14}$/;

/** Collects the pool from the first `maxArticles` articles of a JSON Lines corpus. */
export async function collectPool(corpusFile: string, maxArticles = 20_000): Promise<QueryPool> {
  const segmenter = new Segmenter(loadUserDictionary());
  const outlets = OutletRegistry.fromFile();
  const zh = new Map<string, number>();
  const en = new Map<string, number>();
  const outletIds = new Set<string>();
  const days = new Set<string>();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(corpusFile), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    const rec = JSON.parse(line) as { title?: string; outlet?: string; published?: string | null };
    if (++n > maxArticles) break;
    const title = (rec.title ?? '').replace(/ \(\d+\)$/, '');
    for (const w of segmenter.words(title)) {
      if (HAN_WORD.test(w)) zh.set(w, (zh.get(w) ?? 0) + 1);
      else if (EN_WORD.test(w) && !EN_STOP.has(w)) en.set(w, (en.get(w) ?? 0) + 1);
    }
    if (rec.outlet) outletIds.add(outlets.resolve(rec.outlet).id);
    if (rec.published) days.add(rec.published.slice(0, 10));
  }
  // Words that occur a few times at least: real topics, not one-off names; sorted so the pool is deterministic.
  const common = (m: Map<string, number>) =>
    [...m.entries()].filter(([, c]) => c >= 3).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2_000).map(([w]) => w);
  return { zhWords: common(zh), enWords: common(en), outlets: [...outletIds].sort(), days: [...days].sort() };
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('empty pool');
  return item;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/**
 * `count` queries: a third each Chinese, English and mixed, half of each with filters (outlet, language, a date
 * window, or sorted by date). Same pool and seed, same queries.
 */
export function generateQueries(pool: QueryPool, count: number, seed: number): BenchQuery[] {
  const rand = seededRandom(seed);
  const kinds: QueryKind[] = ['zh', 'en', 'mixed'];
  const out: BenchQuery[] = [];
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % 3] as QueryKind;
    const filtered = Math.floor(i / 3) % 2 === 1;
    const zhWord = () => pick(rand, pool.zhWords);
    const enWord = () => pick(rand, pool.enWords);
    let q: string;
    if (kind === 'zh') q = rand() < 0.3 ? `${zhWord()} ${zhWord()}` : zhWord();
    else if (kind === 'en') q = rand() < 0.4 ? `${enWord()} ${enWord()}` : enWord();
    else q = `${zhWord()} ${enWord()}`;
    const params: Record<string, string | string[]> = { q };
    if (filtered) {
      const which = Math.floor(rand() * 4);
      if (which === 0 || pool.days.length === 0) params.outlet = pick(rand, pool.outlets);
      else if (which === 1) params.lang = kind === 'en' ? 'en' : 'zh';
      else if (which === 2) {
        const day = pick(rand, pool.days);
        params.from = addDays(day, -30);
        params.to = addDays(day, 30);
      } else {
        params.outlet = pick(rand, pool.outlets);
        params.sort = 'newest';
      }
    }
    out.push({ kind, filtered, params });
  }
  return out;
}

/**
 * The same query as one plain Meilisearch search, as a user of the bare engine would write it: the same filters and
 * order, facet counts of the four facets the page shows, and highlighting and a cropped snippet of title and body.
 * No collapsing, no second language, no disjunctive counts: what the service adds is what the comparison prices.
 */
export function plainSearchBody(query: BenchQuery): Record<string, unknown> {
  const params = searchParamsSchema.parse(query.params);
  const filter = buildFilter(toFilterCriteria(params));
  const q = params.q.trim();
  const sort = params.sort === 'newest' || (!params.sort && q === '') ? ['timestamp:desc'] : params.sort === 'oldest' ? ['timestamp:asc'] : undefined;
  return {
    q,
    limit: params.limit,
    ...(filter ? { filter } : {}),
    ...(sort ? { sort } : {}),
    facets: ['outlet', 'themes', 'lang', 'day'],
    attributesToHighlight: ['title', 'body'],
    attributesToCrop: ['body'],
    cropLength: 40,
  };
}

export function apiPath(query: BenchQuery): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query.params)) for (const value of Array.isArray(v) ? v : [v]) qs.append(k, value);
  return `/api/search?${qs.toString()}`;
}

/** One engine request the API made: the body it POSTed to /multi-search. */
export type EngineCall = { queries: unknown[]; federation?: unknown };

/** A recorded request and how many of the recorder's requests had been answered when it was sent. */
export interface RecordedCall {
  call: EngineCall;
  answeredBefore: number;
}

/**
 * Splits one search's requests, in the order they were sent, into stages: a request sent before any request of the
 * current stage was answered went out with it (Promise.all); one sent after an answer waited for it and starts the
 * next stage. A request that only needed one of several parallel answers is put after all of them, so the replay is
 * never more parallel than the API was.
 */
export function stagesOf(calls: readonly RecordedCall[]): EngineCall[][] {
  const stages: EngineCall[][] = [];
  let stageAnswered = 0;
  for (const c of calls) {
    const current = stages[stages.length - 1];
    if (current && c.answeredBefore <= stageAnswered) current.push(c.call);
    else {
      stages.push([c.call]);
      stageAnswered = c.answeredBefore;
    }
  }
  return stages;
}

/** An Engine that notes every search request it sends (and still sends it, so follow-up requests happen as live). */
export class RecordingEngine extends NodeEngine {
  readonly calls: RecordedCall[] = [];
  private answered = 0;

  private async record<T>(call: EngineCall, send: () => Promise<T>): Promise<T> {
    this.calls.push({ call, answeredBefore: this.answered });
    try {
      return await send();
    } finally {
      this.answered += 1;
    }
  }

  override async multiSearch(queries: readonly MultiSearchQuery[]): Promise<SearchResult[]> {
    return this.record({ queries: [...queries] }, () => super.multiSearch(queries));
  }

  override async federatedSearch(
    queries: FederatedMultiSearchParams['queries'],
    federation: FederatedMultiSearchParams['federation'],
  ): Promise<FederatedResult> {
    return this.record({ queries, federation }, () => super.federatedSearch(queries, federation));
  }
}

/**
 * The engine requests the API makes for each query, in stages (see stagesOf), taken from the API's own search
 * service run once against the real engine: hits and facet queries, cross-language federations, follow-up round
 * trips, exactly as sent.
 */
export async function recordEngineCalls(engine: RecordingEngine, indexUid: string, queries: readonly BenchQuery[]): Promise<EngineCall[][][]> {
  const service = new SearchService({
    engine,
    indexUid,
    outlets: OutletRegistry.fromFile(),
    themes: ThemeCatalog.fromFile(),
    phrasings: crossLanguagePhrasings(engine, indexUid),
  });
  // Once unrecorded: the archive counts that choose translations are remembered by a running API, so a recorded
  // cold start would charge the engine side for look-ups the API side no longer makes.
  for (const q of queries) await service.search(searchParamsSchema.parse(q.params));
  engine.calls.length = 0;
  const out: EngineCall[][][] = [];
  for (const q of queries) {
    const before = engine.calls.length;
    await service.search(searchParamsSchema.parse(q.params));
    out.push(stagesOf(engine.calls.slice(before)));
  }
  return out;
}
