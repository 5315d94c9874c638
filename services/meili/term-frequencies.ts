import type { MultiSearchQuery } from 'meilisearch';
import type { ArchiveCountSource } from '../lexicon/phrasings';
import type { Engine } from './engine';

/**
 * How many articles of the index contain a word, a phrase or a whole exact query: what chooses among the dictionary's
 * candidate translations (沙特 or 沙特阿拉伯?) by the archive's own usage, and whether the exact words find enough to
 * be the answer. Asked of the engine (one counting query each, all in one request) and remembered for a while, so a
 * busy API asks about each rarely; counts move slowly as news arrives, and a stale count only changes which of two
 * good translations wins, or whether a search widens.
 */

/** Beyond this the engine's count is capped (maxTotalHits); a term that common wins any choice anyway. */
const REMEMBERED = 20_000;
const TTL_MS = 10 * 60_000;

export class TermFrequencies implements ArchiveCountSource {
  private readonly known = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly engine: Engine,
    private readonly indexUid: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Article counts of the terms (exact matches, no typo or prefix), from memory where fresh. */
  async of(terms: readonly string[]): Promise<Map<string, number>> {
    const counts = await this.queries(terms.map((t) => termsQuery([t])));
    return new Map(terms.map((t) => [t, counts.get(termsQuery([t])) ?? 0]));
  }

  /** Article counts of pairs of terms occurring together (a candidate translation beside the query's other words). */
  async together(pairs: ReadonlyArray<readonly [string, string]>): Promise<(a: string, b: string) => number> {
    const counts = await this.queries(pairs.map((p) => termsQuery(p)));
    return (a, b) => counts.get(termsQuery([a, b])) ?? 0;
  }

  /** Article counts of queries in the engine's syntax, every word required (matching strategy `all`), by query. */
  async queries(qs: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing: string[] = [];
    const now = this.now();
    for (const q of new Set(qs)) {
      const hit = this.known.get(q);
      if (hit && now - hit.at < TTL_MS) out.set(q, hit.count);
      else missing.push(q);
    }
    if (missing.length === 0) return out;
    const queries: MultiSearchQuery[] = missing.map((q) => ({ indexUid: this.indexUid, q, matchingStrategy: 'all', locales: ['cmn', 'eng'], limit: 0 }));
    const answers = await this.engine.multiSearch(queries);
    missing.forEach((q, i) => {
      const answer = answers[i];
      const count = answer?.totalHits ?? answer?.estimatedTotalHits ?? 0;
      out.set(q, count);
      this.remember(q, count, now);
    });
    return out;
  }

  /** Articles matching any of the queries (each with every word required), counted once each. */
  async union(qs: readonly string[]): Promise<number> {
    const k = `union\u0000${[...qs].sort().join('\u0000')}`;
    const now = this.now();
    const hit = this.known.get(k);
    if (hit && now - hit.at < TTL_MS) return hit.count;
    const answer = await this.engine.federatedSearch(
      qs.map((q) => ({ indexUid: this.indexUid, q, matchingStrategy: 'all', locales: ['cmn', 'eng'] })),
      { limit: 0 },
    );
    this.remember(k, answer.estimatedTotalHits, now);
    return answer.estimatedTotalHits;
  }

  private remember(term: string, count: number, at: number): void {
    if (this.known.size >= REMEMBERED) {
      // Oldest first: a Map iterates in insertion order, and a refreshed term is re-inserted.
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
    this.known.delete(term);
    this.known.set(term, { count, at });
  }
}

/**
 * Terms that must all occur, as one query: a word exactly (quoted: never a typo or prefix neighbour); a phrase as all
 * of its words with the engine's synonyms, which a quoted phrase would switch off ("gross domestic product" is written
 * GDP). Sorted, so a pair is one query whichever way round it is asked.
 */
function termsQuery(terms: readonly string[]): string {
  return `${[...terms].sort().map((t) => (/\s/.test(t) ? t : `"${t.replace(/"/g, ' ')}"`)).join(' ')} `;
}
