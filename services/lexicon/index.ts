import { acronymSynonyms, loadCedictAcronyms, type Acronym } from './acronyms';
import { wholeWords } from './dictionary';
import { glossaryDictionaryWords, glossaryToSynonyms, loadGlossary, type Glossary } from './glossary';
import { loadUserDictionary } from './user-dictionary';

export { DATA_DIR, USER_DICTIONARY_FILE, loadUserDictionary, parseUserDictionary } from './user-dictionary';
export {
  GLOSSARY_FILE,
  ENGINE_MAX_SYNONYMS_PER_TERM,
  GlossaryError,
  GlossaryIndex,
  conceptForms,
  glossaryDictionaryWords,
  glossaryToSynonyms,
  loadGlossary,
  parseGlossary,
  type Concept,
  type Glossary,
} from './glossary';
export { wholeWords, type WholeWords } from './dictionary';
export { acronymOfGloss, acronymSynonyms, initialsSpell, loadCedictAcronyms, parseCedictAcronyms, type Acronym } from './acronyms';
export { CrossLanguageDictionary, getCrossLanguageDictionary, loadCrossLanguageDictionary, type CedictLoadStats } from './cedict';

/** Everything the engine needs to tokenise and expand like our own analysis does (dictionary and synonyms). */
export interface Lexicon {
  /** Words kept whole: by jieba (query analysis) and by the engine's `dictionary` setting. */
  words: string[];
  /** Cross-language aliases (the glossary) and English acronyms (CC-CEDICT) in the engine's `synonyms` form. */
  synonyms: Record<string, string[]>;
  /** Dictionary candidates left out because they begin or end with another word (see dictionary.ts). */
  compounds: Array<{ word: string; contains: string }>;
}

/**
 * The user dictionary, the glossary and CC-CEDICT's acronyms, combined into the engine's `dictionary` and `synonyms`
 * settings. The glossary's own aliases win: an acronym pair that touches one of them is left out.
 */
export function loadLexicon(
  glossary: Glossary = loadGlossary(),
  userWords: readonly string[] = loadUserDictionary(),
  acronyms: readonly Acronym[] = loadCedictAcronyms(),
): Lexicon {
  const { words, compounds } = wholeWords([...userWords, ...glossaryDictionaryWords(glossary)]);
  const glossarySynonyms = glossaryToSynonyms(glossary);
  const fromAcronyms = acronymSynonyms(acronyms, (term) => Object.hasOwn(glossarySynonyms, term));
  return { words, synonyms: { ...fromAcronyms, ...glossarySynonyms }, compounds };
}

/** The words jieba keeps whole (what query analysis needs; loadLexicon also builds the engine's synonyms). */
export function loadDictionaryWords(glossary: Glossary = loadGlossary(), userWords: readonly string[] = loadUserDictionary()): string[] {
  return wholeWords([...userWords, ...glossaryDictionaryWords(glossary)]).words;
}
