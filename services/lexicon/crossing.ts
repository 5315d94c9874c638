import { pinyin } from 'pinyin-pro';
import { lookupWords, MAX_CANDIDATES, type CrossLanguageDictionary } from './cedict';
import { baseForms, ENGLISH_STOPWORDS } from './english';
import type { GlossaryIndex } from './glossary';
import { parseQueryParts, type QueryPart } from './query-parts';

/**
 * How a query crosses into the other language. The query is cut into spans (a glossary concept, a dictionary word or
 * phrase, a word nobody knows, a function word, a code such as A330), and each span that can be translated gets its
 * candidate translations, best first by the dictionary: the archive's own frequencies choose among them later
 * (translation-choice.ts). Nothing here is all-or-nothing: a word without a translation leaves the others crossing.
 */

export type Lang = 'zh' | 'en';

export type SpanKind =
  /** A concept of the curated glossary: the engine's synonyms carry it across, and its other-language name is known. */
  | 'glossary'
  /** A CC-CEDICT word or phrase. */
  | 'dictionary'
  /** A Chinese name CC-CEDICT lacks, crossing by its pinyin (喀纳斯 -> Kanasi). */
  | 'name'
  /** Letters with digits (A330, H5N5, G7): written the same way in both languages. */
  | 'code'
  /** Digits: the same in both languages. */
  | 'number'
  /** A word with no translation. */
  | 'unknown'
  /** A function word, or a single Chinese character: too vague to search exactly or to translate. */
  | 'stopword';

export interface Span {
  /** As written in the query (English lower-cased). */
  text: string;
  lang: Lang;
  kind: SpanKind;
  /** Several words meant together (a multi-word name, or the reader's own quoted phrase). */
  phrase: boolean;
  /** Written with `-`: articles containing it are excluded, in both languages. */
  negated: boolean;
  /** Translations into the other language, best first; empty when there is none. */
  candidates: string[];
  /** Which space-separated piece of the query the span starts in: Chinese spans of one piece were typed together. */
  piece: number;
  /** An acronym the glossary or dictionary knows (EU, WTO): complete as typed, never the start of a longer word. */
  acronym?: boolean;
}

/** The segmenter the query is cut with: services/text/segment.ts's Segmenter fits. */
export interface QuerySegmenter {
  cut(text: string): string[];
  /** jieba's tag for a word as a whole ('' when it is not one word it knows). */
  tag(word: string): string;
}

/** jieba tags of words that carry no topic: pronouns, conjunctions, prepositions, adverbs, particles, numerals… */
const FUNCTION_TAGS = new Set([
  'r', 'rr', 'rz', 'rg', 'c', 'p', 'd', 'df', 'dg', 'ad', 'u', 'uj', 'ul', 'uz', 'uv', 'ud', 'ug', 'y', 'e', 'o',
  'm', 'mq', 'mg', 'q', 'f', 't', 'tg', 'x', 'k', 'h', 'zg',
]);
/** jieba tags of personal names: a Chinese one is written in pinyin, surname first ("Yuan Longping"). */
const PERSON_TAGS = new Set(['nr', 'nrfg']);
/**
 * The hundred commonest Chinese surnames. jieba's person tag alone is no guide (it tags the place 阿勒泰 as one):
 * a name is written surname first only when it starts with one.
 */
const SURNAMES = new Set(
  [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'],
);
/** A transliterated foreign name (塔什库尔干, or 库什 cut out of one): its pinyin is not how English writes it. */
const TRANSLITERATED_TAG = 'nrt';
/** jieba tags of Chinese names (people, places, organisations, other proper nouns). */
const NAME_TAGS = new Set(['nr', 'nrfg', 'ns', 'nt', 'nz']);

const HAN = /\p{Script=Han}/u;
/** How an acronym is written: EU, WTO, G20. */
const ACRONYM = /^[A-Z][A-Z0-9]{1,5}$/;
const HAN_RUN = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
const WORDLIKE = /[\p{L}\p{N}]/u;

interface Token {
  text: string;
  lang: Lang;
  piece: number;
}

export class QueryCrossing {
  constructor(
    private readonly glossary: GlossaryIndex,
    private readonly dictionary: CrossLanguageDictionary,
    private readonly segmenter: QuerySegmenter,
  ) {}

  /** The spans of a normalised query, operators included. */
  spans(normalizedQuery: string): Span[] {
    let piece = 0;
    return parseQueryParts(normalizedQuery).flatMap((part) => {
      const spans = this.spansOf(part, piece);
      piece += part.text.split(' ').length;
      return spans;
    });
  }

  private spansOf(part: QueryPart, firstPiece: number): Span[] {
    const tokens = this.tokens(part.text, firstPiece);
    if (part.quoted && tokens.length > 1) {
      // A phrase crosses whole when something knows it whole; otherwise word by word, each word exact.
      const whole = this.spanAt(tokens, 0, part.negated, tokens.length)?.span;
      if (whole && whole.kind !== 'unknown') return [{ ...whole, phrase: true }];
    }
    const out: Span[] = [];
    let i = 0;
    while (i < tokens.length) {
      const span = this.spanAt(tokens, i, part.negated) ?? this.unknownAt(tokens, i, part.negated);
      out.push(span.span);
      i += span.length;
    }
    return out;
  }

  private tokens(text: string, firstPiece: number): Token[] {
    const tokens: Token[] = [];
    text.split(' ').forEach((chunk, n) => {
      const piece = firstPiece + n;
      for (const run of chunk.match(HAN_RUN) ?? []) {
        if (HAN.test(run)) {
          const cut = this.segmenter.cut(run).filter((t) => WORDLIKE.test(t));
          // A run the dictionary only knows character by character is a name it lacks: keep it whole.
          if (cut.length > 1 && cut.every((t) => [...t].length === 1)) tokens.push({ text: run, lang: 'zh', piece });
          else for (const t of cut) tokens.push({ text: t, lang: 'zh', piece });
        } else {
          for (const w of lookupWords(run)) tokens.push({ text: w, lang: 'en', piece });
        }
      }
    });
    return tokens;
  }

  /** The longest known span starting at token i (glossary first, then the dictionary), or null. */
  private spanAt(tokens: readonly Token[], i: number, negated: boolean, exactly?: number): { span: Span; length: number } | null {
    const first = tokens[i];
    if (!first) return null;
    const { lang, piece } = first;
    let end = i;
    while (end < tokens.length && end - i < 8 && tokens[end]?.lang === lang) end++;
    const lengths = exactly !== undefined ? (end - i >= exactly ? [exactly] : []) : Array.from({ length: end - i }, (_, k) => end - i - k);
    const join = (n: number) => tokens.slice(i, i + n).map((t) => t.text).join(lang === 'zh' ? '' : ' ');
    for (const n of lengths) {
      const text = join(n);
      const concept = this.glossary.lookup(text);
      if (concept) {
        const to = lang === 'zh' ? concept.en[0] : concept.zh[0];
        const acronym = n === 1 && concept.en.some((alias) => ACRONYM.test(alias) && alias.toLowerCase() === text);
        return { span: { text, lang, kind: 'glossary', phrase: n > 1, negated, candidates: to ? [to] : [], piece, ...(acronym ? { acronym } : {}) }, length: n };
      }
    }
    if (lang === 'en' && /\d/.test(first.text) && /\p{L}/u.test(first.text)) {
      return { span: { text: first.text, lang, kind: 'code', phrase: false, negated, candidates: [first.text.toUpperCase()], piece }, length: 1 };
    }
    if (/^\p{N}+$/u.test(first.text)) return { span: { text: first.text, lang, kind: 'number', phrase: false, negated, candidates: [first.text], piece }, length: 1 };
    if (exactly === undefined && this.isStopword(first)) {
      return { span: { text: first.text, lang, kind: 'stopword', phrase: false, negated, candidates: [], piece }, length: 1 };
    }
    for (const n of lengths) {
      const words = tokens.slice(i, i + n).map((t) => t.text);
      // A phrase may not end on a function word ("trade with" is not a name worth trusting).
      if (lang === 'en' && n > 1 && ENGLISH_STOPWORDS.has(words[words.length - 1] ?? '')) continue;
      const text = join(n);
      const candidates = lang === 'zh' ? this.englishOf(text) : this.chineseOf(words);
      if (candidates.length > 0) {
        const acronym = lang === 'en' && n === 1 && this.dictionary.isAcronym(text);
        return { span: { text, lang, kind: 'dictionary', phrase: n > 1, negated, candidates, piece, ...(acronym ? { acronym } : {}) }, length: n };
      }
    }
    return null;
  }

  private unknownAt(tokens: readonly Token[], i: number, negated: boolean): { span: Span; length: number } {
    const token = tokens[i] as Token;
    const span = (kind: SpanKind, candidates: string[]) => ({ span: { text: token.text, lang: token.lang, kind, phrase: false, negated, candidates, piece: token.piece }, length: 1 });
    if (token.lang !== 'zh' || [...token.text].length < 2) return span('unknown', []);
    // A compound the dictionary lacks may be made of words it has (汽车业: 汽车 "car" + 业).
    const parts = this.knownParts(token.text);
    if (parts.length > 0) return span('dictionary', [parts.join(' ')]);
    // A Chinese name CC-CEDICT lacks is written in English in its pinyin; a transliterated foreign one is not.
    const tag = this.segmenter.tag(token.text);
    if (tag === '' || NAME_TAGS.has(tag)) return span('name', [this.romanise(token.text)]);
    return span('unknown', []);
  }

  /** The English of the dictionary words a compound is made of, longest first from the left; [] unless it splits so. */
  private knownParts(word: string): string[] {
    const chars = [...word];
    const out: string[] = [];
    let i = 0;
    while (i < chars.length) {
      let found = false;
      for (let j = chars.length; j > i + 1; j--) {
        const part = chars.slice(i, j).join('');
        const english = this.dictionary.toEnglish(part);
        if (english) {
          out.push(english);
          i = j;
          found = true;
          break;
        }
      }
      // A single character left over (业, 队) adds little; two in a row mean this is not a compound of words.
      if (!found) {
        if (i + 1 < chars.length && !this.startsWord(chars.slice(i + 1).join(''))) return [];
        i++;
      }
    }
    return out;
  }

  private startsWord(text: string): boolean {
    const chars = [...text];
    for (let j = chars.length; j > 1; j--) if (this.dictionary.has(chars.slice(0, j).join(''))) return true;
    return chars.length <= 1;
  }

  /**
   * The Chinese of an English word or phrase. A single word is also looked up by its base form, whose words stand
   * beside the word's own, alternately: "painting" is a noun (画作) and the verb "to paint" (绘画), and the archive's
   * usage chooses.
   */
  private chineseOf(words: readonly string[]): string[] {
    const direct = this.dictionary.toChineseCandidates(words.join(' '));
    if (words.length > 1) return direct;
    const base = baseForms(words[0] ?? '').map((b) => this.dictionary.toChineseCandidates(b)).find((found) => found.length > 0) ?? [];
    const merged: string[] = [];
    for (let i = 0; i < Math.max(direct.length, base.length); i++) {
      for (const c of [direct[i], base[i]]) if (c !== undefined && !merged.includes(c)) merged.push(c);
    }
    return merged.slice(0, MAX_CANDIDATES);
  }

  private englishOf(word: string): string[] {
    const candidates = this.dictionary.toEnglishCandidates(word);
    // jieba knows some words as parts of foreign names (库什 in 琼库什台), where CC-CEDICT's common sense would be a
    // wrong translation.
    if (this.segmenter.tag(word) === TRANSLITERATED_TAG) return candidates.filter((c) => /^\p{Lu}/u.test(c));
    return candidates;
  }

  /** Pinyin without tones as English writes a Chinese name: 袁隆平 -> "Yuan Longping", 喀纳斯 -> "Kanasi". */
  private romanise(word: string): string {
    const syllables = pinyin(word, { toneType: 'none', type: 'array', v: true });
    const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
    if (PERSON_TAGS.has(this.segmenter.tag(word)) && SURNAMES.has(word.charAt(0)) && syllables.length >= 2 && syllables.length <= 4) {
      return `${cap(syllables[0] ?? '')} ${cap(syllables.slice(1).join(''))}`;
    }
    return cap(syllables.join(''));
  }

  private isStopword(token: Token): boolean {
    if (token.lang === 'en') return ENGLISH_STOPWORDS.has(token.text) || token.text.length < 2;
    // Single characters are too ambiguous to translate (会: meeting? can? will?), and function words carry no topic.
    if ([...token.text].length < 2) return true;
    return FUNCTION_TAGS.has(this.segmenter.tag(token.text));
  }
}
