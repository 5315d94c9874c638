import { getCrossLanguageDictionary, type CrossLanguageDictionary } from './cedict';
import { ENGLISH_STOPWORDS, englishWords } from './english';
import { GlossaryIndex, loadGlossary, type Concept } from './glossary';

/**
 * Query-time cross-language fallback. The engine's synonyms already carry every glossary concept across languages;
 * this module writes a second, lower-weighted query for the words the glossary lacks, translated through CC-CEDICT:
 * 撒马尔罕 -> "Samarkand", "Uzbekistan" -> 乌兹别克斯坦. It is deliberately restrained. A query is translated only
 * when every content word in it is either covered by the glossary or has a translation, so the second query says
 * the same thing in the other language or nothing at all; stopwords and single Chinese characters are never
 * translated; each word gets one translation; and the result never has more words than the engine reads.
 */

/** The segmenter the query is cut with: services/text/segment.ts's Segmenter fits. */
export interface QuerySegmenter {
  cut(text: string): string[];
}

export interface Translation {
  from: string;
  to: string;
  via: 'glossary' | 'cc-cedict';
}

export interface QueryExpansion {
  /** The second query, to run federated with the first at a lower weight; null when there is none. */
  crossLanguage: string | null;
  /** Glossary concepts the query names (the engine's synonyms expand those), as preferred Chinese / English forms. */
  concepts: Array<{ zh: string; en: string }>;
  translations: Translation[];
  /** Why crossLanguage is null. */
  reason: 'expanded' | 'empty' | 'untranslatable' | 'too-many-words';
}

export interface ExpanderOptions {
  /** Most dictionary translations in one query: more words means a weaker, noisier second query. */
  maxTranslations?: number;
  /** The engine reads this many query words and silently ignores the rest. */
  maxWords?: number;
}

/** jieba tags of words that carry no topic: pronouns, conjunctions, prepositions, adverbs, particles, numerals… */
const FUNCTION_TAGS = new Set([
  'r', 'rr', 'rz', 'rg', 'c', 'p', 'd', 'df', 'dg', 'ad', 'u', 'uj', 'ul', 'uz', 'uv', 'ud', 'ug', 'y', 'e', 'o',
  'm', 'mq', 'mg', 'q', 'f', 't', 'tg', 'x', 'k', 'h', 'zg',
]);

type Lang = 'zh' | 'en';

interface Token {
  text: string;
  lang: Lang | 'num';
}

const HAN_RUN = /\p{Script=Han}+|[^\p{Script=Han}]+/gu;
const HAN = /\p{Script=Han}/u;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** Query words: Chinese runs cut by the segmenter, other text split into lower-cased English words and numbers. */
export function queryTokens(query: string, segmenter: QuerySegmenter): Token[] {
  const tokens: Token[] = [];
  for (const run of query.match(HAN_RUN) ?? []) {
    if (HAN.test(run)) {
      for (const t of segmenter.cut(run)) if (WORDLIKE.test(t)) tokens.push({ text: t, lang: 'zh' });
    } else {
      for (const w of englishWords(run)) tokens.push({ text: w, lang: /^\p{N}+$/u.test(w) ? 'num' : 'en' });
    }
  }
  return tokens;
}

/** Engine words in a piece of output text: what counts against the engine's query-word limit. */
function engineWordCount(text: string, lang: Lang | 'num', segmenter: QuerySegmenter): number {
  if (lang === 'zh') return segmenter.cut(text).filter((t) => WORDLIKE.test(t)).length;
  // The engine splits on hyphens and apostrophes too ("people-to-people" is three words).
  return text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0).length;
}

export class QueryExpander {
  private readonly glossary: GlossaryIndex;
  private readonly maxTranslations: number;
  private readonly maxWords: number;

  constructor(
    glossary: GlossaryIndex,
    private readonly dictionary: CrossLanguageDictionary,
    private readonly segmenter: QuerySegmenter,
    options: ExpanderOptions = {},
  ) {
    this.glossary = glossary;
    this.maxTranslations = options.maxTranslations ?? 3;
    this.maxWords = options.maxWords ?? 10;
  }

  expand(normalizedQuery: string): QueryExpansion {
    const tokens = queryTokens(normalizedQuery, this.segmenter);
    const out: Array<{ text: string; lang: Lang | 'num' }> = [];
    const concepts: QueryExpansion['concepts'] = [];
    const translations: Translation[] = [];
    let content = 0;
    let dictionaryTranslations = 0;
    let i = 0;
    while (i < tokens.length) {
      const token = tokens[i] as Token;
      if (token.lang === 'num') {
        out.push(token);
        i += 1;
        continue;
      }
      const glossed = this.matchGlossary(tokens, i);
      if (glossed) {
        const { concept, length, phrase, lang } = glossed;
        content += 1;
        concepts.push({ zh: concept.zh[0] ?? '', en: concept.en[0] ?? '' });
        // The engine's synonyms find the concept's other-language aliases as exact phrases in the first query; the
        // second names it by its preferred form as loose words, so "Summit ... held in Tianjin" is found for 天津峰会.
        const to = lang === 'en' ? (concept.zh[0] ?? '') : contentWords(concept.en[0] ?? '');
        out.push({ text: to, lang: lang === 'en' ? 'zh' : 'en' });
        translations.push({ from: phrase, to, via: 'glossary' });
        i += length;
        continue;
      }
      if (this.isStopword(token)) {
        i += 1;
        continue;
      }
      content += 1;
      const translated = this.translate(tokens, i);
      if (!translated && token.lang === 'en' && /[-'’]/.test(token.text)) {
        // The engine splits "people-to-people" into words; so may we when the whole form is unknown.
        tokens.splice(i, 1, ...token.text.split(/[-'’]+/).filter((w) => w.length > 0).map((text) => ({ text, lang: 'en' as const })));
        content -= 1;
        continue;
      }
      if (!translated) return this.result(null, concepts, translations, 'untranslatable');
      // A dictionary gloss reads as a definition ("to do at all costs"): its function words match nearly every
      // English article, so they cost the engine much of the query's time (measured on 1.21: 'community with a shared
      // future' 15 ms, 'community shared future' 11 ms) and add nothing to ranking. Glossary names lose them too.
      const to = token.lang === 'zh' ? contentWords(translated.to) : translated.to;
      out.push({ text: to, lang: token.lang === 'en' ? 'zh' : 'en' });
      translations.push({ from: translated.from, to, via: 'cc-cedict' });
      dictionaryTranslations += 1;
      i += translated.length;
    }
    if (content === 0) return this.result(null, concepts, translations, 'empty');
    if (dictionaryTranslations > this.maxTranslations) return this.result(null, concepts, translations, 'too-many-words');
    const words = out.reduce((n, part) => n + engineWordCount(part.text, part.lang, this.segmenter), 0);
    if (words > this.maxWords) return this.result(null, concepts, translations, 'too-many-words');
    return this.result(joinParts(out), concepts, translations, 'expanded');
  }

  private result(
    crossLanguage: string | null,
    concepts: QueryExpansion['concepts'],
    translations: Translation[],
    reason: QueryExpansion['reason'],
  ): QueryExpansion {
    return { crossLanguage, concepts, translations, reason };
  }

  /** The longest glossary alias starting at token i, over tokens of one language. */
  private matchGlossary(
    tokens: readonly Token[],
    i: number,
  ): { concept: Concept; length: number; phrase: string; lang: Lang } | undefined {
    const first = tokens[i];
    if (!first || first.lang === 'num') return undefined;
    const lang = first.lang;
    let end = i;
    while (end < tokens.length && end - i < 8 && tokens[end]?.lang === lang) end += 1;
    for (let j = end; j > i; j--) {
      const parts = tokens.slice(i, j).map((t) => t.text);
      const phrase = lang === 'zh' ? parts.join('') : parts.join(' ');
      const concept = this.glossary.lookup(phrase);
      if (concept) return { concept, length: j - i, phrase, lang };
    }
    return undefined;
  }

  private isStopword(token: Token): boolean {
    if (token.lang === 'en') return ENGLISH_STOPWORDS.has(token.text) || token.text.length < 2;
    // Single characters are too ambiguous to translate (会: meeting? can? will?), and function words carry no topic.
    if ([...token.text].length < 2) return true;
    const tag = this.dictionary.tag(token.text);
    return FUNCTION_TAGS.has(tag);
  }

  /** One dictionary translation starting at token i: the longest English phrase known, or one Chinese word. */
  private translate(tokens: readonly Token[], i: number): { from: string; to: string; length: number } | undefined {
    const first = tokens[i] as Token;
    if (first.lang === 'zh') {
      // jieba may cut a dictionary headword the segmenter does not know (国内/生产总值): try the longest run first.
      let end = i;
      while (end < tokens.length && end - i < 4 && tokens[end]?.lang === 'zh') end += 1;
      for (let j = end; j > i; j--) {
        const word = tokens.slice(i, j).map((t) => t.text).join('');
        const to = this.dictionary.toEnglish(word);
        if (to) return { from: word, to, length: j - i };
      }
      return undefined;
    }
    let end = i;
    while (end < tokens.length && end - i < this.dictionary.maxPhraseWords && tokens[end]?.lang === 'en') end += 1;
    for (let j = end; j > i; j--) {
      const words = tokens.slice(i, j).map((t) => t.text);
      // A phrase is not allowed to end on a stopword ("trade with" is not a key worth trusting).
      if (j - i > 1 && ENGLISH_STOPWORDS.has(words[words.length - 1] ?? '')) continue;
      const phrase = words.join(' ');
      const to = this.dictionary.toChinese(phrase);
      if (to) return { from: phrase, to, length: j - i };
    }
    return undefined;
  }
}

/** An English gloss without its stopwords (the gloss itself when it has nothing else). */
export function contentWords(gloss: string): string {
  const words = gloss.split(/\s+/).filter((w) => w.length > 0);
  const content = words.filter((w) => !ENGLISH_STOPWORDS.has(w.toLowerCase()));
  return (content.length > 0 ? content : words).join(' ');
}

/** Parts are space-separated: the engine segments Chinese itself, and a space keeps each part's boundaries. */
function joinParts(parts: ReadonlyArray<{ text: string }>): string {
  // "people to people" gives 人们 twice: a repeated word only spends the engine's word budget.
  return parts
    .map((p) => p.text)
    .filter((t, i, all) => t !== all[i - 1])
    .join(' ');
}

let shared: QueryExpander | undefined;
let sharedSegmenter: QuerySegmenter | undefined;

/**
 * The cross-language fallback for a normalised query (services/text/normalize.ts normalizeQuery), with the project's
 * glossary and CC-CEDICT. The dictionary is built on the first call (about a second); call it once at start-up to warm.
 */
export function expandQuery(normalizedQuery: string, segmenter: QuerySegmenter): QueryExpansion {
  if (!shared || sharedSegmenter !== segmenter) {
    shared = new QueryExpander(new GlossaryIndex(loadGlossary()), getCrossLanguageDictionary(), segmenter);
    sharedSegmenter = segmenter;
  }
  return shared.expand(normalizedQuery);
}
