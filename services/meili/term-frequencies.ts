import type { MultiSearchQuery } from 'meilisearch';
import type { ArchiveCountSource } from '../lexicon/phrasings';
import type { Engine } from './engine';

/**
 * How many articles of the index contain a word or phrase exactly: what chooses among the dictionary's candidate
 * translations (沙特 or 沙特阿拉伯?) by the archive's own usage. Asked of the engine (one counting query per term, all
 * in one request) and remembered for a while, so a busy API asks about each term rarely; counts move slowly as news
 * arrives, and a stale count only changes which of two good translations wins.
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
    const counts = await this.ofSets(terms.map((t) => [t]));
    return new Map(terms.map((t) => [t, counts.get(key([t])) ?? 0]));
  }

  /** Article counts of pairs of terms occurring together (a candidate translation beside the query's other words). */
  async together(pairs: ReadonlyArray<readonly [string, string]>): Promise<(a: string, b: string) => number> {
    const counts = await this.ofSets(pairs);
    return (a, b) => counts.get(key([a, b])) ?? 0;
  }

  /** Article counts of sets of terms that must all occur, by key(set). */
  private async ofSets(sets: ReadonlyArray<readonly string[]>): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing: Array<readonly string[]> = [];
    const now = this.now();
    for (const set of sets) {
      const k = key(set);
      if (out.has(k) || missing.some((m) => key(m) === k)) continue;
      const hit = this.known.get(k);
      if (hit && now - hit.at < TTL_MS) out.set(k, hit.count);
      else missing.push(set);
    }
    if (missing.length === 0) return out;
    const queries: MultiSearchQuery[] = missing.map((set) => ({
      indexUid: this.indexUid,
      q: `${set.map(termQuery).join(' ')} `,
      matchingStrategy: 'all',
      locales: ['cmn', 'eng'],
      limit: 0,
    }));
    const answers = await this.engine.multiSearch(queries);
    missing.forEach((set, i) => {
      const answer = answers[i] as { estimatedTotalHits?: number; totalHits?: number } | undefined;
      const count = answer?.totalHits ?? answer?.estimatedTotalHits ?? 0;
      out.set(key(set), count);
      this.remember(key(set), count, now);
    });
    return out;
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

/** The memory's key of a set of terms. */
function key(set: readonly string[]): string {
  return [...set].sort().join('\u0000');
}

/**
 * A word exactly (quoted: never a typo or prefix neighbour); a phrase as all of its words with the engine's synonyms,
 * which a quoted phrase would switch off ("gross domestic product" is written GDP).
 */
function termQuery(term: string): string {
  return /\s/.test(term) ? term : `"${term.replace(/"/g, ' ')}"`;
}
