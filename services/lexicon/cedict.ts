import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { deserialize } from 'node:v8';
import { z } from 'zod';
import { JIEBA_DICT_FILE } from '../paths';
import { readInstalledCedict, type RawCedictEntry } from './cedict-source';
import { englishWords, phraseKey } from './english';
import { parseGloss } from './gloss';
import {
  isUint8Array,
  multiMapValues,
  ownMultiMap,
  packMultiMap,
  packSorted,
  packStrings,
  packedCount,
  packedMultiMapSchema,
  packedStringsSchema,
  sortedIndexOf,
  stringAt,
  type PackedMultiMap,
  type PackedStrings,
} from './packed-strings';

/**
 * CC-CEDICT read in both directions for query words the curated glossary lacks: a Chinese word's English forms, and an
 * English word or phrase's candidate Chinese words, best first by the dictionary alone (the archive's own frequencies
 * choose among them at query time: see crossing.ts). Glosses become forms through gloss.ts ("Angela Merkel (1954-),
 * German CDU politician" gives "Angela Merkel" and "Merkel"; "see 博鳌镇" lends 博鳌 the forms of 博鳌镇).
 */

export { JIEBA_DICT_FILE };

/** Senses of a headword are joined by this, forms of one sense by FORM_SEPARATOR. */
const SENSE_SEPARATOR = '/';
const FORM_SEPARATOR = '|';
/** Score lost per rank of sense, and for a shorter name standing for a longer one ("Merkel" for "Angela Merkel"). */
const SENSE_PENALTY = 1;
const VARIANT_PENALTY = 0.5;
/** Candidates kept per English key: enough for the archive to choose from, few enough to ask it about. */
export const MAX_CANDIDATES = 8;

const HAN_WORD = /^\p{Script=Han}{2,}$/u;

/**
 * The key an English word or phrase is looked up by: lower case, accents, apostrophes and hyphens folded ("São Tomé",
 * "Bo'ao", "Kim Jong-un" meet "Sao Tome", "Boao", "Kim Jong un"), last word singular.
 */
export function lookupKey(text: string): string {
  return phraseKey(lookupWords(text).join(' '));
}

/** The words of an English text as lookupKey sees them. */
export function lookupWords(text: string): string[] {
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '').replace(/['’]/g, '').replace(/[-‐–]/g, ' ');
  return englishWords(folded);
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

/** A headword with its English forms, one list per sense, and its pinyin (numbered). */
export interface HeadwordSenses {
  pinyin: string;
  senses: string[][];
  /** Shorter names that stand for it only where no other headword is glossed by them (gloss.ts). */
  weak?: string[];
}

/**
 * Every multi-character headword with the forms of its senses; cross-references resolved one step (博鳌 -> 博鳌镇),
 * readings and traditional variants of one simplified word merged.
 */
export function headwordSenses(entries: Iterable<RawCedictEntry>): Map<string, HeadwordSenses> {
  const all = [...entries];
  // A word is ordinary English when some gloss writes it in lower case; names only ever appear capitalised.
  const common = new Set<string>();
  for (const e of all) for (const g of e.glosses) for (const w of g.match(/\b[a-z]+\b/g) ?? []) common.add(w);
  const isCommon = (w: string) => common.has(w);

  const out = new Map<string, HeadwordSenses>();
  const references = new Map<string, string[]>();
  for (const e of all) {
    if (!HAN_WORD.test(e.simplified)) continue;
    const entry = out.get(e.simplified) ?? { pinyin: e.pinyin, senses: [] };
    for (const raw of e.glosses) {
      const { forms, weak, reference } = parseGloss(raw, isCommon, e.pinyin);
      if (forms.length > 0 && !entry.senses.some((s) => s.join(FORM_SEPARATOR) === forms.join(FORM_SEPARATOR))) entry.senses.push(forms);
      if (weak.length > 0) entry.weak = [...(entry.weak ?? []), ...weak];
      if (reference && reference !== e.simplified) references.set(e.simplified, [...(references.get(e.simplified) ?? []), reference]);
    }
    out.set(e.simplified, entry);
  }
  for (const [word, targets] of references) {
    const entry = out.get(word);
    if (!entry) continue;
    for (const target of targets) for (const sense of out.get(target)?.senses ?? []) entry.senses.push(sense);
  }
  for (const [word, entry] of out) if (entry.senses.length === 0) out.delete(word);
  return out;
}

/**
 * The dictionary as plain data (see packed-strings.ts): a few strings and typed arrays rather than Maps of a hundred
 * thousand entries, and what a child process builds and hands over (getCrossLanguageDictionary).
 */
export interface PackedCrossLanguage {
  /** Chinese headwords, sorted. */
  headwords: PackedStrings;
  /** Senses of headword i: forms joined by FORM_SEPARATOR, senses by SENSE_SEPARATOR. */
  senses: PackedStrings;
  /** jieba tag of headword i, as an index into tagNames (whose entry 0 is '', unknown). */
  tagCodes: Uint8Array;
  tagNames: string[];
  /** lookupKey of each English form -> headword indexes, best first. */
  english: PackedMultiMap;
  /** Longest English key in words. */
  maxPhraseWords: number;
}

const packedCrossLanguageSchema = z
  .object({
    headwords: packedStringsSchema,
    senses: packedStringsSchema,
    tagCodes: z.custom<Uint8Array>(isUint8Array, 'expected a Uint8Array'),
    tagNames: z.array(z.string()).min(1),
    english: packedMultiMapSchema,
    maxPhraseWords: z.number().int().positive(),
  })
  .refine((p) => {
    const headwords = packedCount(p.headwords);
    return (
      packedCount(p.senses) === headwords &&
      p.tagCodes.length === headwords &&
      p.tagCodes.every((code) => code < p.tagNames.length) &&
      p.english.values.every((i) => i >= 0 && i < headwords)
    );
  }, 'inconsistent table sizes');

/** From headwords and their senses (see headwordSenses) and jieba's information on those words. */
export function packCrossLanguage(byWord: ReadonlyMap<string, HeadwordSenses>, info: ReadonlyMap<string, WordInfo>): PackedCrossLanguage {
  const headwords = packSorted(byWord.keys());
  const count = packedCount(headwords);
  // Rank the Chinese candidates of each English key by how common the word is, discounted when the key is not the
  // word's first sense or is a shorter name standing for a longer one: 贸易 "trade" beats 商业 "business/trade".
  const candidates = new Map<string, Array<{ index: number; score: number; weak: boolean }>>();
  const senseTexts: string[] = [];
  const tagNames = [''];
  const tagIndex = new Map<string, number>([['', 0]]);
  const tagCodes = new Uint8Array(count);
  let maxPhraseWords = 1;
  for (let index = 0; index < count; index++) {
    const word = stringAt(headwords, index);
    const { senses, weak = [] } = byWord.get(word) ?? { senses: [] };
    senseTexts.push(senses.map((s) => s.join(FORM_SEPARATOR)).join(SENSE_SEPARATOR));
    const frequency = Math.log1p(info.get(word)?.freq ?? 0);
    const offer = (form: string, score: number, isWeak: boolean) => {
      const key = lookupKey(form.replace(/^to /i, ''));
      if (!key) return;
      maxPhraseWords = Math.max(maxPhraseWords, key.split(' ').length);
      const list = candidates.get(key) ?? [];
      const known = list.find((c) => c.index === index);
      if (known) {
        known.score = Math.max(known.score, score);
        known.weak &&= isWeak;
      } else list.push({ index, score, weak: isWeak });
      candidates.set(key, list);
    };
    senses.forEach((forms, sense) => {
      forms.forEach((form, position) => offer(form, frequency - SENSE_PENALTY * Math.min(sense, 2) - (position > 0 ? VARIANT_PENALTY : 0), false));
    });
    for (const form of weak) offer(form, frequency - VARIANT_PENALTY, true);
    const tag = info.get(word)?.tag ?? '';
    let code = tagIndex.get(tag);
    if (code === undefined) {
      code = tagNames.length;
      if (code > 255) throw new Error('packCrossLanguage: more than 255 distinct part-of-speech tags');
      tagNames.push(tag);
      tagIndex.set(tag, code);
    }
    tagCodes[index] = code;
  }
  const best = new Map<string, number[]>();
  for (const [key, all] of candidates) {
    // An organisation's shortened name stands for it only where nothing else claims that name: "Japan" from "Japan
    // Airlines" must not compete with 日本.
    const list = all.some((c) => !c.weak) ? all.filter((c) => !c.weak) : all;
    // Equal scores: the shorter word, then the headword order (stable across builds).
    list.sort((a, b) => b.score - a.score || stringAt(headwords, a.index).length - stringAt(headwords, b.index).length || a.index - b.index);
    best.set(key, list.slice(0, MAX_CANDIDATES).map((c) => c.index));
  }
  return { headwords, senses: packStrings(senseTexts), tagCodes, tagNames, english: packMultiMap(best), maxPhraseWords };
}

/** A Chinese word's English, or an English phrase's Chinese candidates, as translations of query words. */
export class CrossLanguageDictionary {
  /** Longest English key in words. */
  readonly maxPhraseWords: number;

  constructor(private readonly packed: PackedCrossLanguage) {
    this.maxPhraseWords = packed.maxPhraseWords;
  }

  static fromEntries(entries: Iterable<RawCedictEntry>, info: ReadonlyMap<string, WordInfo>): CrossLanguageDictionary {
    return new CrossLanguageDictionary(packCrossLanguage(headwordSenses(entries), info));
  }

  /** Headwords and English keys, for diagnostics. */
  get size(): { headwords: number; englishKeys: number } {
    return { headwords: packedCount(this.packed.headwords), englishKeys: packedCount(this.packed.english.keys) };
  }

  has(word: string): boolean {
    return sortedIndexOf(this.packed.headwords, word) >= 0;
  }

  /** jieba's part-of-speech tag for a word (n, v, vn, ns, r, c, …), or '' when unknown. */
  tag(word: string): string {
    const i = sortedIndexOf(this.packed.headwords, word);
    return i < 0 ? '' : (this.packed.tagNames[this.packed.tagCodes[i] ?? 0] ?? '');
  }

  /** The forms of each sense of a Chinese word (verbs keep their leading "to "). */
  senses(word: string): string[][] {
    const i = sortedIndexOf(this.packed.headwords, word);
    if (i < 0) return [];
    return stringAt(this.packed.senses, i)
      .split(SENSE_SEPARATOR)
      .map((s) => s.split(FORM_SEPARATOR));
  }

  /**
   * The English for a Chinese word: the first form of its first sense; for a noun-like word the first sense that is
   * not a verb (合作 "cooperation", not "to cooperate"), because news text uses the noun.
   */
  toEnglish(word: string): string | null {
    const senses = this.senses(word);
    if (senses.length === 0) return null;
    const tag = this.tag(word);
    const nounLike = tag.startsWith('n') || tag === 'vn' || tag === 'l' || tag === 'j';
    const sense = (nounLike ? senses.find((s) => !/^to /i.test(s[0] ?? '')) : undefined) ?? senses[0] ?? [];
    return (sense[0] ?? '').replace(/^to /i, '') || null;
  }

  /**
   * English a Chinese word may translate to, best first: the forms of the sense toEnglish picks (a name and its short
   * forms: "Angela Merkel", "Merkel"), then the first form of each other sense ("commerce" after "business" for 商业).
   */
  toEnglishCandidates(word: string, max = 4): string[] {
    const first = this.toEnglish(word);
    if (!first) return [];
    const senses = this.senses(word);
    const chosen = senses.find((s) => (s[0] ?? '').replace(/^to /i, '') === first) ?? [];
    const out = [...chosen, ...senses.filter((s) => s !== chosen).map((s) => s[0] ?? '')].map((f) => f.replace(/^to /i, ''));
    return [...new Set(out.filter((f) => f.length > 0))].slice(0, max);
  }

  /** Chinese words an English word or phrase (any case, number, accents or hyphenation) may translate to, best first. */
  toChineseCandidates(phrase: string): string[] {
    return multiMapValues(this.packed.english, lookupKey(phrase)).map((i) => stringAt(this.packed.headwords, i));
  }

  /** Whether the dictionary writes this word as an acronym (EU, WTO), in capitals, for some Chinese word. */
  isAcronym(word: string): boolean {
    const upper = word.toUpperCase();
    if (!/^[A-Z][A-Z0-9]{1,5}$/.test(upper)) return false;
    return this.toChineseCandidates(word).some((zh) => this.senses(zh).some((forms) => forms.includes(upper)));
  }

  /** The dictionary's best Chinese for an English word or phrase, or null. */
  toChinese(phrase: string): string | null {
    return this.toChineseCandidates(phrase)[0] ?? null;
  }
}

export interface CedictLoadStats {
  /** Wall-clock and CPU milliseconds (CPU time is the fairer figure on a busy machine). */
  ms: number;
  cpuMs: number;
  rssDeltaMb: number;
  heapDeltaMb: number;
}

/** Reads the installed CC-CEDICT and jieba's word frequencies into the packed dictionary. */
export function buildPackedCrossLanguage(entries: Iterable<RawCedictEntry> = readInstalledCedict(), jiebaDictFile = JIEBA_DICT_FILE): PackedCrossLanguage {
  const senses = headwordSenses(entries);
  const info = parseWordInfo(readFileSync(jiebaDictFile, 'utf8'), senses);
  return packCrossLanguage(senses, info);
}

/**
 * Builds the dictionary in this process, with what it cost. Takes about a second of CPU, and the process's memory
 * grows by over 100 MB while it runs, which V8 and malloc keep afterwards: a long-lived process should use
 * getCrossLanguageDictionary, which builds it in a child process instead.
 */
export function loadCrossLanguageDictionary(): { dictionary: CrossLanguageDictionary; stats: CedictLoadStats } {
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const dictionary = new CrossLanguageDictionary(buildPackedCrossLanguage());
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage(cpu0);
  return {
    dictionary,
    stats: {
      ms: Number(process.hrtime.bigint() - t0) / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssDeltaMb: (mem.rss - rss0) / 2 ** 20,
      heapDeltaMb: (mem.heapUsed - heap0) / 2 ** 20,
    },
  };
}

/** The child process's entry point: prints buildPackedCrossLanguage() in v8.serialize form. */
const BUILD_SCRIPT = path.join(__dirname, `cedict-build${path.extname(__filename)}`);
/** Generous: the packed dictionary serialises to about 8 MB. */
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
  return { ...p, headwords: own(p.headwords), senses: own(p.senses), tagCodes: p.tagCodes.slice(), english: ownMultiMap(p.english) };
}

let shared: CrossLanguageDictionary | undefined;

/** The process-wide dictionary, built on first use (in a child process: see buildPackedInChildProcess). */
export function getCrossLanguageDictionary(): CrossLanguageDictionary {
  shared ??= new CrossLanguageDictionary(buildPackedInChildProcess());
  return shared;
}
