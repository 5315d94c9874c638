import { acronymOfGloss } from './acronyms';

/**
 * What one CC-CEDICT gloss offers a search query: the English forms a reader would type for the headword, or a
 * pointer to another headword. A gloss is written for learners ("Angela Merkel (1954-), German CDU politician,
 * chancellor from 2005", "Yangtze River, or Chang Jiang", "see 博鰲鎮|博鳌镇[Bo2 ao2 Zhen4]"); a query says "Merkel",
 * "Yangtze", "Boao". Pure and dictionary-free: the caller says which words are common English (see isCommonWord).
 * Verbs keep their "to " ("to derail"), so a caller can prefer a noun where news text uses one.
 */

export interface GlossForms {
  /** English forms, most specific first: the name or phrase itself, then shorter names for the same thing. */
  forms: string[];
  /** Shorter names that stand for the headword only where no other word is glossed by them ("Delta" for an airline). */
  weak: string[];
  /** The simplified headword this gloss points to ("see …", "variant of …"), whose forms stand for this one. */
  reference: string | null;
}

/** Tells whether an English word (lower case) is ordinary vocabulary rather than a name: "yellow" is, "yangtze" is not. */
export type CommonWordTest = (word: string) => boolean;

/** Longest form kept, in words: longer ones are definitions, not what anybody types. */
export const MAX_FORM_WORDS = 5;

const REFERENCE =
  /^(?:(?:old |archaic |japanese |taiwan )?variant of|see(?: also)?|same as|also written|abbr\. for|abbr\. to|erhua variant of|used in) ([^\s[,;]+?)(?:\[|,|;|$)/i;

/** Glosses that are grammar notes, not translations. */
const NOT_A_TRANSLATION =
  /^(?:surname|cl:|classifier|kangxi radical|radical |component |particle|lit\. |literally|(?:in|used in) (?:names|transliteration)|onom\.|onomatopoeia|interj\.|pr\. |also pr\.)/i;

/** Register notes that mark a sense a news reader is not searching for. */
const UNWANTED_REGISTER = /^\((?:slang|internet slang|vulgar|archaic|old|obsolete|dialect|cantonese|euphemism|derog\.|derogatory|onom\.|literary|classical)/i;

/** A lifespan or birth year: the gloss names a person. */
const LIFESPAN = /\((?:c\. )?(?:born )?\d{3,4}\s*[-–]\s*(?:\d{2,4})?\)|\(born \d{4}\)/;

/** Generic words after the name of a place ("Dongting Lake", "Hainan Island"): the name without them is the same place. */
const PLACE_TAIL =
  /\s(?:special administrative region|autonomous region|autonomous prefecture|metropolitan city|special autonomous province|prefecture-level city|county-level city|municipality|province|prefecture|county|district|city|town|township|village|island|islands|river|lake|mountains?|mount|mt|peninsula|strait|bay|sea|gulf|desert|plateau|basin|valley|canal|gorges?|airport|port|harbor|harbour|station)$/i;
/**
 * Generic words after the name of an organisation ("United Airlines, Inc."): the name without them may name something
 * else ("Japan" in "Japan Airlines"), so it stands for the organisation only where nothing else claims it.
 */
const ORGANISATION_TAIL = /\s(?:company|corporation|corp|co|inc|ltd|limited|group|holdings|airlines|air lines)$/i;
const GENERIC_TAIL = new RegExp(`${PLACE_TAIL.source}|${ORGANISATION_TAIL.source}`, 'i');

const NAME_CONNECTORS = new Set(['of', 'and', 'for', 'the', 'de', 'la', 'del', 'du', 'von', 'van', 'al', 'el', 'bin']);

function isCapitalised(word: string): boolean {
  return /^(?:\p{Lu}|\d)/u.test(word);
}

/**
 * The leading name of a description: "Dongting Lake in northeast Hunan" -> "Dongting Lake", "Boao Forum for Asia" stays,
 * "freight train" (no capital) -> null.
 */
export function leadingName(text: string): string | null {
  const words = text.split(' ');
  let end = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (isCapitalised(w)) end = i + 1;
    else if (!(NAME_CONNECTORS.has(w) && isCapitalised(words[i + 1] ?? ''))) break;
  }
  return end === 0 ? null : words.slice(0, end).join(' ');
}

/** Words that start a description after a name ("Dongting Lake in northeast Hunan", "Mayfield, a town …"). */
const DESCRIPTION_START = /^(?:in|on|at|near|from|by|between|off|along|of|located|situated|founded|a|an|the|one|part|capital|city|town|province|county|river|lake|island|mountain|region|former|formerly)\b/i;

/**
 * The name a form is, or starts with and then describes: "Mayon" in "Mayon (volcano …)", "Dongting Lake" in "Dongting
 * Lake in northeast Hunan", "Hainan Island" in a description too long to be a form. Not "Yangtze" in "Yangtze giant
 * softshell turtle", which is a thing named after the river. Null when the form is no name.
 */
function nameOf(text: string | null, raw: string): string | null {
  if (text && /^to /i.test(text)) return null;
  const source = text ?? raw;
  const name = leadingName(source);
  if (!name || name.split(' ').length > MAX_FORM_WORDS) return null;
  if (name === source || text === null) return name;
  const rest = source.slice(name.length).trim();
  // "Jeju Island special autonomous province" describes a place; "Yangtze giant softshell turtle" is a turtle.
  return DESCRIPTION_START.test(rest) || (!/\p{Lu}/u.test(rest) && GENERIC_TAIL.test(` ${rest}`)) ? name : null;
}

/** Cleans a form: parentheses and brackets out, "to " kept off verbs, spacing tidied; null when nothing usable is left. */
function tidy(text: string): string | null {
  const t = text
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/^(?:fig\.|coll\.|Tw|esp\.)\s+/i, '')
    // "the Pentagon", "a submarine": an article is not part of the word a reader searches for.
    .replace(/^(?:the|a|an)\s+(?=\S)/i, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?…]+$/, '')
    .trim();
  if (!t || /\p{Script=Han}/u.test(t) || /[()[\]|"]/.test(t)) return null;
  if (t.startsWith('-') || t.endsWith('-') || !/\p{L}/u.test(t)) return null;
  if (t.split(' ').length > MAX_FORM_WORDS || t.length > 48) return null;
  return t;
}

/** Parses one gloss (one "/…/" field of a CC-CEDICT line). */
export function parseGloss(raw: string, isCommonWord: CommonWordTest, pinyin = ''): GlossForms {
  const gloss = raw.trim();
  const none: GlossForms = { forms: [], weak: [], reference: null };
  if (!gloss || UNWANTED_REGISTER.test(gloss)) return none;
  // "abbr. for Saudi Arabia": the word is short for that name.
  const named = /^abbr\. (?:for|of|to) (\p{Lu}[^\p{Script=Han}]*)$/u.exec(gloss)?.[1];
  if (named) return parseGloss(named, isCommonWord, pinyin);
  const ref = REFERENCE.exec(gloss);
  if (ref) {
    // "see 博鰲鎮|博鳌镇": the simplified form follows the bar when there is one.
    const target = (ref[1] ?? '').split('|').pop() ?? '';
    return /\p{Script=Han}/u.test(target) ? { forms: [], weak: [], reference: target } : none;
  }
  if (NOT_A_TRANSLATION.test(gloss)) return none;

  // A person's surname is a name of its own ("Merkel"), but not in a romanised Chinese name, which puts it first
  // ("Mao Zedong" is the headword's own pinyin), nor in a hyphenated Korean given name ("Kim Jong-un").
  const person = LIFESPAN.test(gloss);
  const romanised = compactLatin(pinyin);
  const plain = gloss.replace(/\([^()]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ').replace(/\s+/g, ' ').trim();
  // Semicolons separate synonyms ("country; nation; state"). Within each, what follows the first comma or colon
  // describes rather than translates, but may name the thing again: "Yangtze River, or Chang Jiang", "Sebta or Ceuta".
  const alternatives = plain.split(/\s*;\s*/).flatMap((synonym) => {
    const [head = '', ...rest] = synonym.split(/\s*[,:]\s*/);
    return [
      ...splitOr(head),
      ...rest.filter((r) => /^(?:or|also|aka|also known as|formerly)\s+\p{Lu}/u.test(r)).map((r) => r.replace(/^(?:or|also known as|also|aka|formerly)\s+/, '')),
    ];
  });

  const forms: string[] = [];
  const weak: string[] = [];
  const add = (form: string | null, isWeak = false) => {
    if (!form || [...forms, ...weak].some((f) => f.toLowerCase() === form.toLowerCase())) return;
    (isWeak ? weak : forms).push(form);
  };
  const personal = (name: string) => person && compactLatin(name) !== romanised;
  for (const alternative of alternatives) {
    const text = tidy(alternative);
    // A description too long to be a form may still start with the name it describes ("Hainan Island, China's
    // southernmost province …"); a shorter one names it ("Dongting Lake in northeast Hunan" names "Dongting Lake").
    const name = nameOf(text, alternative.trim());
    if (name) addName(name, personal(name), isCommonWord, add);
    else if (text) {
      add(text);
      // "War of Resistance against Japan" is also written "War of Resistance": a name of several words it starts with.
      const lead = leadingName(text);
      if (lead && lead !== text && lead.includes(' ') && !/^to /i.test(text)) add(lead);
      // "to collide with" is looked up as "collide" too: the preposition belongs to the gloss, not to the word.
      const verb = /^(to \S+(?: \S+)?) (?:with|into|on|onto|at|to|for|from|of|about|up|down|off|out|over|in)$/i.exec(text);
      if (verb?.[1]) add(verb[1]);
    }
  }
  // "gross domestic product (GDP)": news text uses either, so both are forms of the word.
  const acronym = acronymOfGloss(gloss);
  if (acronym) add(acronym.short);
  return { forms, weak, reference: null };
}

/**
 * "Sebta or Ceuta", "goods train or freight train": two names for one thing. Not "Silver Lake on the Grand Canal or
 * its tributaries", where "or" ends a description.
 */
function splitOr(text: string): string[] {
  const parts = text.split(/\s+or\s+/);
  if (parts.length === 1) return parts;
  const simple = (p: string) => p.split(' ').length <= 4 && (leadingName(p) === p || !/\p{Lu}/u.test(p));
  return parts.every(simple) ? parts : [text];
}

/** A country written before an institution's name ("US Federal Reserve"), which news text usually leaves out. */
const COUNTRY_QUALIFIER = /^(?:US|U\.S\.|UK|U\.K\.|EU|UN|PRC|ROC|HK)\s+(?=\p{Lu})/u;

/**
 * A name, then the shorter names a reader uses: the surname of a person, the name without "Lake", "River", "Inc.",
 * or without the country before it.
 */
function addName(name: string, person: boolean, isCommonWord: CommonWordTest, add: (form: string | null, weak?: boolean) => void): void {
  add(name);
  if (COUNTRY_QUALIFIER.test(name) && name.replace(COUNTRY_QUALIFIER, '').includes(' ')) add(name.replace(COUNTRY_QUALIFIER, ''));
  const words = name.split(' ');
  if (person && words.length >= 2 && words.length <= 4) {
    const surname = words[words.length - 1] ?? '';
    if (surname.length > 2 && !surname.includes('-') && !isCommonWord(surname.toLowerCase())) add(surname);
  }
  let short = name;
  let organisation = false;
  while (GENERIC_TAIL.test(short)) {
    organisation ||= ORGANISATION_TAIL.test(short);
    short = short.replace(GENERIC_TAIL, '');
  }
  if (short !== name && short.length > 1) {
    // "Yellow River" must not become "Yellow": only a name that is not ordinary English stands alone.
    const proper = short.split(' ').some((w) => isCapitalised(w) && !isCommonWord(w.toLowerCase()) && !NAME_CONNECTORS.has(w));
    if (proper) add(short, organisation);
  }
}

/** Letters only, lower case, tone numbers and separators dropped: "Mao2 Ze2 dong1" and "Mao Zedong" meet. */
export function compactLatin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/u:/g, 'v')
    .replace(/[^a-z]/g, '');
}
