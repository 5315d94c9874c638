/**
 * The little English morphology the lexicon needs. The engine does no stemming, so "observer states" in a query must
 * be matched to a glossary alias written "observer state", and a synonym must list both forms for a document to be
 * found whichever form it uses. Only the last word of a phrase inflects for number ("sister cities", not
 * "sisters cities"), so that is the only word these functions touch.
 */

/** Words that carry no topic of their own; never translated, never a reason to expand a query. */
export const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a an the of in on at to for from by with without about into onto over under after before between among ' +
    'and or nor but if then than so as is are was were be been being am do does did done has have had having ' +
    'it its this that these those there here what which who whom whose how why when where not no yes ' +
    'will would shall should can could may might must i me my we us our you your he him his she her they them their ' +
    'all any some each every both either neither more most other such only own same very just also too up down out ' +
    'off again further once s t news latest'
  ).split(' '),
);

/** Same spelling in both numbers (or a plural-looking singular): never inflected. */
const INVARIANT = new Set([
  'news', 'series', 'species', 'means', 'politics', 'economics', 'physics', 'headquarters', 'crossroads',
  'status', 'consensus', 'bus', 'gas', 'bias', 'lens', 'canvas', 'us', 'china', 'asia', 'russia', 'data', 'media', 'aids', 'affairs',
]);

const IRREGULAR_PLURAL: Readonly<Record<string, string>> = {
  man: 'men', woman: 'women', child: 'children', person: 'people', crisis: 'crises', analysis: 'analyses',
  thesis: 'theses', basis: 'bases', criterion: 'criteria', phenomenon: 'phenomena', leaf: 'leaves', life: 'lives',
};
const IRREGULAR_SINGULAR: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(IRREGULAR_PLURAL).map(([s, p]) => [p, s]),
);

const VOWEL = /[aeiou]/;

/** The singular of a plural noun, or the word itself when it does not look plural. Lower-case input. */
export function singularize(word: string): string {
  if (INVARIANT.has(word) || word.length <= 3) return word;
  const irregular = IRREGULAR_SINGULAR[word];
  if (irregular) return irregular;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(sses|xes|zes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** The plural of a singular noun. Lower-case input. */
export function pluralize(word: string): string {
  if (INVARIANT.has(word)) return word;
  const irregular = IRREGULAR_PLURAL[word];
  if (irregular) return irregular;
  if (word.endsWith('y') && word.length > 1 && !VOWEL.test(word.charAt(word.length - 2))) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/** Lower-cased words of an English phrase; hyphenated compounds and apostrophes stay inside their word. */
export function englishWords(text: string): string[] {
  // Fast path for plain ASCII (every CC-CEDICT gloss, most queries): no Unicode property classes needed.
  if (ASCII.test(text)) return text.toLowerCase().match(ASCII_WORD) ?? [];
  return (text.toLowerCase().match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) ?? []).filter((w) => !HAN.test(w));
}

const HAN = /\p{Script=Han}/u;
const ASCII = /^[\x00-\x7f]*$/;
const ASCII_WORD = /[a-z0-9]+(?:['-][a-z0-9]+)*/g;

/**
 * The phrase with its last word in the singular and in the plural (the phrase itself included, deduplicated,
 * lower-cased). Acronyms and capitalised proper nouns ("SCO", "Belt and Road") are returned unchanged: they are
 * names, not count nouns, and "SCOs" or "Belt and Roads" would only add noise to the engine's synonym table.
 */
export function numberVariants(phrase: string): string[] {
  const words = phrase.trim().split(/\s+/);
  const last = words[words.length - 1] ?? '';
  const lower = phrase.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!/^[a-z]+$/.test(last) || last.length < 3) return [lower];
  const head = words.slice(0, -1).join(' ').toLowerCase();
  const join = (w: string): string => (head ? `${head} ${w}` : w);
  const singular = singularize(last);
  const forms = new Set([lower, join(singular), join(pluralize(singular))]);
  return [...forms];
}

/**
 * Canonical key of a phrase for dictionary look-ups: lower case, words separated by one space, last word singular.
 * "Sister Cities" and "sister city" meet; "people-to-people exchanges" keeps its hyphens.
 */
export function phraseKey(phrase: string): string {
  const words = englishWords(phrase);
  const last = words.pop();
  if (last === undefined) return '';
  words.push(singularize(last));
  return words.join(' ');
}

/**
 * Base forms a word may be an inflection of, most likely first, for looking it up in a dictionary that lists base
 * forms: "stopped" -> stop, "launches" -> launch, "announced" -> announce, "carries" -> carry. Lower-case input; the
 * word itself is not included. A guess, not a grammar: the caller keeps only forms its dictionary knows.
 */
export function baseForms(word: string): string[] {
  const out: string[] = [];
  const add = (w: string) => {
    if (w.length >= 3 && w !== word && !out.includes(w)) out.push(w);
  };
  const doubled = (stem: string) => (/([bdgklmnprt])\1$/.test(stem) ? stem.slice(0, -1) : null);
  for (const [suffix, replacements] of [
    ['ied', ['y']],
    ['ies', ['y']],
    ['ing', ['', 'e']],
    ['ed', ['', 'e']],
    ['es', ['', 'e']],
    ['s', ['']],
  ] as const) {
    if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
    const stem = word.slice(0, -suffix.length);
    for (const r of replacements) add(stem + r);
    const single = doubled(stem);
    if (single) add(single);
    break;
  }
  return out;
}
