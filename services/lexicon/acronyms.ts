import { parseCedictText, readInstalledCedict, type RawCedictEntry } from './cedict-source';
import { ENGLISH_STOPWORDS, englishWords } from './english';

/**
 * English acronyms and their expansions, taken from CC-CEDICT glosses written "gross domestic product (GDP)". News
 * text uses either form ("GDP" in one article, "gross domestic product" in the next), and the cross-language query
 * translates 国内生产总值 into the expansion, so the engine learns each pair as a two-way synonym.
 *
 * Kept only when the letters of the acronym are the initials of the expansion's words (stopwords may be skipped) and
 * the acronym is not itself an English word that glosses use ("WHO", "IT", "AIDS" would turn ordinary queries into
 * names). An acronym with a few expansions keeps them all (GDP is "gross domestic product" and, in one entry, "gross
 * domestic production"): the acronym is as ambiguous in the articles as in the dictionary.
 */

export interface Acronym {
  /** As written in the gloss: "GDP". */
  short: string;
  /** The expansion, lower-cased words: "gross domestic product". */
  long: string;
}

const ACRONYM_GLOSS = /^(?:\([^()]*\)\s*)*([A-Za-z][A-Za-z' -]*[A-Za-z]) \(([A-Z][A-Z&]{1,7})\)$/;

/** The acronym a gloss defines, or null: "World Trade Organization (WTO)" -> WTO / world trade organization. */
export function acronymOfGloss(gloss: string): Acronym | null {
  const m = ACRONYM_GLOSS.exec(gloss.trim());
  if (!m) return null;
  const [, expansion = '', short = ''] = m;
  const words = englishWords(expansion);
  if (words.length < 2 || words.length > 8) return null;
  if (!initialsSpell(short, words)) return null;
  return { short, long: words.join(' ') };
}

/**
 * Whether the acronym's letters are the initials of the words in order, each content word contributing its initial
 * and stopwords optionally ("Organization of the Petroleum Exporting Countries" -> OPEC). Hyphenated words may
 * contribute the initial of each part ("people-to-people" -> P or PTP).
 */
export function initialsSpell(acronym: string, words: readonly string[]): boolean {
  const letters = acronym.toLowerCase().replace(/&/g, '');
  const parts = words.map((w) => w.split('-').filter(Boolean));
  const memo = new Map<string, boolean>();
  const walk = (word: number, letter: number): boolean => {
    if (word === parts.length) return letter === letters.length;
    const key = `${word}:${letter}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const current = parts[word] ?? [];
    const whole = current.join('-');
    let ok = false;
    // Skip a stopword; or take the word's initial; or the initials of its hyphenated parts.
    if (ENGLISH_STOPWORDS.has(whole)) ok = walk(word + 1, letter);
    if (!ok && letters[letter] === whole[0]) ok = walk(word + 1, letter + 1);
    if (!ok && current.length > 1) {
      const initials = current.map((p) => p[0]).join('');
      if (letters.startsWith(initials, letter)) ok = walk(word + 1, letter + initials.length);
    }
    memo.set(key, ok);
    return ok;
  };
  return letters.length >= 2 && walk(0, 0);
}

/** An acronym with more expansions than this is a common letter pair, not a name. */
const MAX_EXPANSIONS = 3;

/** The acronyms of CC-CEDICT entries, one per acronym and expansion (see the module comment for the rules). */
export function cedictAcronyms(entries: Iterable<RawCedictEntry>): Acronym[] {
  const expansions = new Map<string, Set<string>>();
  const shortForms = new Map<string, string>();
  const glossWords = new Set<string>();
  for (const entry of entries) {
    for (const gloss of entry.glosses) {
      const acronym = acronymOfGloss(gloss);
      if (acronym) {
        const key = acronym.short.toLowerCase();
        const set = expansions.get(key) ?? new Set<string>();
        set.add(acronym.long);
        expansions.set(key, set);
        shortForms.set(key, acronym.short);
      } else {
        // Lower-case words only: "Who" as a name does not make "who" a word, but "who" in a gloss does.
        for (const w of gloss.match(/\b[a-z]+\b/g) ?? []) glossWords.add(w);
      }
    }
  }
  const out: Acronym[] = [];
  for (const [key, longs] of expansions) {
    if (longs.size > MAX_EXPANSIONS || glossWords.has(key) || ENGLISH_STOPWORDS.has(key)) continue;
    for (const long of longs) out.push({ short: shortForms.get(key) ?? key, long });
  }
  const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => order(a.short, b.short) || order(a.long, b.long));
}

/**
 * The pairs as engine synonyms, both ways, leaving out any term `taken` says is already spoken for (the curated
 * glossary decides what its own aliases mean).
 */
export function acronymSynonyms(acronyms: readonly Acronym[], taken: (term: string) => boolean): Record<string, string[]> {
  const synonyms: Record<string, string[]> = {};
  for (const { short, long } of acronyms) {
    const key = short.toLowerCase();
    if (taken(key) || taken(long)) continue;
    (synonyms[key] ??= []).push(long);
    (synonyms[long] ??= []).push(key);
  }
  return synonyms;
}

/** The acronyms of a text in CC-CEDICT's line format. */
export function parseCedictAcronyms(text: string): Acronym[] {
  return cedictAcronyms(parseCedictText(text));
}

let cached: Acronym[] | undefined;

/** The acronyms of the installed CC-CEDICT, read once per process. */
export function loadCedictAcronyms(): Acronym[] {
  cached ??= cedictAcronyms(readInstalledCedict());
  return cached;
}
