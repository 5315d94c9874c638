import type { Span } from './crossing';
import { renderPart } from './query-parts';

/**
 * The engine queries of one search, from the query's spans (crossing.ts) with their translations chosen:
 * - the exact phrasing: every word as written, no typo and no prefix (each in quotes), known multi-word names as
 *   phrases, glossary concepts bare so that the engine's synonyms still expand them; all must match;
 * - the loose phrasing: the query as typed, the engine's own typo tolerance, prefix search on the last word (search
 *   as you type) and dropping of words that match nothing.
 * Each comes with its other-language twin. The search tries the exact pair first and widens to the loose pair only
 * when that finds too few: a typo's neighbours (MARKEL for Merkel) or a prefix's (EUROPEAN for EU) never flood a result
 * set, or its counts, while the exact word has hits of its own.
 */

/** A span with the translation the search uses (null: it does not cross). */
export interface ChosenSpan extends Span {
  to: string | null;
}

/** Where the counts come from: the archive itself (services/meili/term-frequencies.ts). */
export interface ArchiveCountSource {
  of(terms: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** Counts of pairs of terms occurring together, read back by a lookup. */
  together(pairs: ReadonlyArray<readonly [string, string]>): Promise<(a: string, b: string) => number>;
  /** Counts of whole queries in the engine's syntax, every word required. */
  queries(qs: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /** How many articles match any of the queries (every word of it required), each counted once. */
  union(qs: readonly string[]): Promise<number>;
}

/**
 * The phrasings of a query's spans, translations chosen by the archive's counts, and how many articles the exact
 * phrasing finds in the whole archive (what decides whether a search widens). At most three small round trips,
 * each remembered by the archive source: candidates and the exact query; candidates beside each other; the twin.
 */
export async function phraseQuery(typed: string, spans: readonly Span[], archive: ArchiveCountSource): Promise<Phrasings> {
  const exactOwn = exactQuery(spans);
  const [single, own] = await Promise.all([archive.of(candidateTerms(spans)), exactOwn ? archive.queries([exactOwn]) : Promise.resolve(new Map<string, number>())]);
  const of = (t: string) => single.get(t) ?? 0;
  const pairs = candidatePairs(spans, { of });
  const together = pairs.length > 0 ? await archive.together(pairs) : () => 0;
  const p = phrasings(typed, chooseTranslations(spans, { of, together }));
  if (!p.exact) return p;
  const ownCount = own.get(p.exact.q) ?? 0;
  // With the twin, only where the query's own words find too few: otherwise the exact phrasing answers anyway. The
  // union, not the sum: a bilingual article matches both.
  const twin = p.exact.crossLanguage;
  const withTwin = twin && ownCount < WIDEN_BELOW ? await archive.union([p.exact.q, twin]) : ownCount;
  return { ...p, exact: { ...p.exact, counts: { own: ownCount, withTwin } } };
}

/**
 * An exact phrasing that finds fewer articles than this in the whole archive widens to the loose one: fewer than a
 * page of results. Decided on the archive, not within the reader's filters, so every page, filter and facet count of a
 * search comes from one phrasing, and the decision is remembered with the counts.
 */
export const WIDEN_BELOW = 10;

/** Score lost per place a candidate stands behind the dictionary's first choice. */
const RANK_PENALTY = 1;
/** Candidates and context words compared per ambiguous span: enough to choose, few enough to ask the archive. */
const MAX_CHOICES = 4;
const MAX_CONTEXT = 3;

/** Article counts the choice needs: of single terms, and of a candidate together with one context term. */
export interface ArchiveCounts {
  of(term: string): number;
  together(a: string, b: string): number;
}

/**
 * Picks each span's translation among its candidates by the archive's own usage. First by how many articles contain
 * a candidate (沙特 over 沙特阿拉伯 where the archive writes 沙特), discounted by the dictionary's order; then, where a
 * span has several candidates the archive knows, by how often each occurs beside the query's other translated words
 * (a carmaker's name beside another carmaker, not the surname it shares). A candidate no article contains is never chosen: it could only make the
 * other-language query fail. Glossary names are chosen as curated.
 */
export function chooseTranslations(spans: readonly Span[], counts: ArchiveCounts): ChosenSpan[] {
  const first = spans.map((span) => ({ span, viable: viableCandidates(span, counts) }));
  return first.map(({ span, viable }, i) => {
    if (span.kind === 'glossary') return { ...span, to: span.candidates[0] ?? null };
    if (viable.length <= 1) return { ...span, to: viable[0]?.to ?? null };
    const context = contextTerms(first, i);
    if (context.length === 0) return { ...span, to: viable[0]?.to ?? null };
    // Dice's coefficient: how much of the two words' articles they share. A raw count would favour whichever
    // candidate is most frequent, where a rarer form that the articles about the query's subject use is the one wanted.
    const dice = (a: string, b: string) => (2 * counts.together(a, b)) / (counts.of(a) + counts.of(b) || 1);
    const scored = viable.map((v) => ({ ...v, together: context.reduce((sum, c) => sum + dice(v.to, c), 0) }));
    scored.sort((a, b) => b.together - a.together || b.score - a.score);
    return { ...span, to: scored[0]?.to ?? null };
  });
}

/** A span's candidates that occur in the archive, best by frequency and dictionary order first. */
function viableCandidates(span: Span, counts: ArchiveCounts): Array<{ to: string; score: number }> {
  return span.candidates
    .map((to, rank) => ({ to, df: counts.of(to), score: Math.log1p(counts.of(to)) - RANK_PENALTY * rank }))
    .filter((c) => c.df > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_CHOICES);
}

/** The other spans' best translations, rarest first: the words a candidate should be seen beside. */
function contextTerms(first: ReadonlyArray<{ span: Span; viable: Array<{ to: string; score: number }> }>, except: number): string[] {
  return first
    .filter((f, i) => i !== except && !f.span.negated && f.span.kind !== 'stopword' && f.span.kind !== 'number')
    .flatMap((f) => (f.span.kind === 'glossary' ? (f.span.candidates[0] ? [{ to: f.span.candidates[0], score: 0 }] : []) : f.viable.slice(0, 1)))
    .sort((a, b) => a.score - b.score)
    .slice(0, MAX_CONTEXT)
    .map((c) => c.to);
}

/** The counts chooseTranslations will ask for, in two rounds: single candidates, then pairs. */
export function candidateTerms(spans: readonly Span[]): string[] {
  return [...new Set(spans.filter((s) => s.kind !== 'glossary').flatMap((s) => s.candidates))];
}

/** The candidate/context pairs chooseTranslations compares, once single counts are known. */
export function candidatePairs(spans: readonly Span[], counts: Pick<ArchiveCounts, 'of'>): Array<[string, string]> {
  const first = spans.map((span) => ({ span, viable: viableCandidates(span, { of: counts.of, together: () => 0 }) }));
  const pairs: Array<[string, string]> = [];
  first.forEach(({ span, viable }, i) => {
    if (span.kind === 'glossary' || viable.length <= 1) return;
    for (const c of contextTerms(first, i)) for (const v of viable) pairs.push([v.to, c]);
  });
  return pairs;
}

export interface Phrasing {
  /** The query in the engine's syntax, in its own language only. */
  q: string;
  /** Articles of the archive the exact phrasing finds: alone, and with its twin (where its own words find too few). */
  counts?: { own: number; withTwin: number };
  /** The same with what it excludes in the other language too ("-天津" beside "-Tianjin"): for a crossed search. */
  qCrossed: string;
  /** The other-language twin, or null when nothing crosses. */
  crossLanguage: string | null;
}

export interface Phrasings {
  /** Null when the query has no word to match exactly (only function words, say). */
  exact: Phrasing | null;
  loose: Phrasing;
  /** What crossed, for the reader: "volcano" -> 火山. */
  terms: Array<{ from: string; to: string; excluded: boolean }>;
  /** Share of the query's content spans that crossed (0 to 1): how much of the query its twin says. */
  coverage: number;
  /** The query's content spans (words and names, not function words): one means there is nothing to match in part. */
  contentSpans: number;
  /** The language the query is written in, or null for a mixed one: its twin is in the other. */
  lang: 'zh' | 'en' | null;
}

const CONTENT = (s: Span) => s.kind !== 'stopword';

/**
 * One span or its translation in the engine's syntax: exact (quoted: no typo, no prefix, several words as a phrase),
 * or loose, where only the reader's own phrases and exclusions keep their quotes: a loose search is the one that runs
 * when the exact one found too few, and an article may write a translation's words apart ("Mao", not "Mao
 * Zedong") or without one of them.
 */
function render(text: string, span: Span, exact: boolean): string {
  // Single glossary words stay bare: quoting would switch off the engine's synonyms, which carry their other aliases.
  if (span.kind === 'glossary' && !/\s/.test(text)) return renderPart({ text, quoted: false, negated: span.negated });
  const quoted = exact || span.negated || (span.phrase && span.kind !== 'dictionary' && span.kind !== 'glossary');
  return renderPart({ text, quoted, negated: span.negated });
}

/**
 * The query as written, exactly: Chinese typed as one piece is matched as that phrase (single characters and numerals
 * stay in it; a bare piece would let the engine match any of the pieces it cuts a name into: 乌 alone for 乌兹别克斯坦),
 * unless a glossary concept in it needs its synonyms; English words one by one, multi-word names as phrases,
 * function words left out.
 */
function exactQuery(spans: readonly Span[]): string | null {
  const out: string[] = [];
  let i = 0;
  while (i < spans.length) {
    const span = spans[i] as Span;
    if (span.lang === 'zh') {
      let end = i;
      while (end < spans.length && spans[end]?.lang === 'zh' && spans[end]?.piece === span.piece && spans[end]?.negated === span.negated) end++;
      const piece = spans.slice(i, end);
      if (piece.some((s) => s.kind === 'glossary' && !/\s/.test(s.text))) {
        for (const s of piece) if (s.kind !== 'stopword') out.push(render(s.text, s, true));
      } else {
        out.push(renderPart({ text: piece.map((s) => s.text).join(''), quoted: true, negated: span.negated }));
      }
      i = end;
      continue;
    }
    if (span.kind !== 'stopword') out.push(render(span.text, span, true));
    i++;
  }
  return out.some((p) => !p.startsWith('-')) ? `${out.join(' ')} ` : null;
}

/**
 * The phrasings of a query. `typed` is the normalised query as the reader typed it (the loose phrasing); a trailing
 * space ends the others, so that even a bare last word is not searched as a prefix (nor a typed acronym: EU never
 * matches EUROPEAN). The exact phrasing has a twin only where every content word crossed: a twin that leaves words
 * out is not exact, and its full matches would rank with the query's own. An excluded word is excluded in both
 * languages from every phrasing of a crossed search: the query's own phrasing matches the other language through the
 * engine's synonyms too.
 */
export function phrasings(typed: string, spans: readonly ChosenSpan[]): Phrasings {
  const crossed = spans.filter((s): s is ChosenSpan & { to: string } => s.to !== null && s.to !== '');
  const positive = crossed.filter((s) => !s.negated);
  const content = spans.filter((s) => CONTENT(s) && !s.negated);
  const coverage = content.length === 0 ? 0 : content.filter((s) => s.to !== null).length / content.length;
  const excludedOwn = spans.filter((s) => s.negated).map((s) => render(s.text, s, true));
  const excludedOther = crossed.filter((s) => s.negated).map((s) => render(s.to, s, true));
  const withOther = (q: string) => `${[q.trim(), ...excludedOther].join(' ')} `;
  const twin = (exactly: boolean) =>
    positive.length > 0 ? `${[...positive.map((s) => render(s.to, s, exactly)), ...excludedOther, ...excludedOwn].join(' ')} ` : null;
  const exact = exactQuery(spans);
  // Only the last word typed is searched as a prefix: a space after it stops that for a complete acronym.
  const last = spans.at(-1);
  const looseOwn = last?.acronym && !last.negated ? `${typed} ` : typed;
  return {
    exact: exact ? { q: exact, qCrossed: withOther(exact), crossLanguage: coverage === 1 ? twin(true) : null } : null,
    loose: { q: looseOwn, qCrossed: excludedOther.length > 0 ? withOther(looseOwn) : looseOwn, crossLanguage: twin(false) },
    terms: crossed.map((s) => ({ from: s.text, to: s.to, excluded: s.negated })),
    coverage,
    contentSpans: content.length,
    lang: content.length > 0 && content.every((s) => s.lang === content[0]?.lang) ? (content[0]?.lang ?? null) : null,
  };
}
