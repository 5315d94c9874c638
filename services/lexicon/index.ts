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
export {
  CEDICT_FILE,
  CrossLanguageDictionary,
  cleanGloss,
  getCrossLanguageDictionary,
  loadCrossLanguageDictionary,
  parseCedict,
  type CedictLoadStats,
} from './cedict';
export { QueryExpander, expandQuery, queryTokens, type QueryExpansion, type QuerySegmenter, type Translation } from './expand';

/** Everything the engine needs to tokenise and expand like our own analysis does (dictionary and synonyms). */
export interface Lexicon {
  /** Words kept whole: by jieba (query analysis) and by the engine's `dictionary` setting. */
  words: string[];
  /** Cross-language aliases in the engine's `synonyms` form. */
  synonyms: Record<string, string[]>;
  /** Dictionary candidates left out because they begin or end with another word (see dictionary.ts). */
  compounds: Array<{ word: string; contains: string }>;
}

/** The user dictionary and the glossary, combined into the engine's `dictionary` and `synonyms` settings. */
export function loadLexicon(glossary: Glossary = loadGlossary(), userWords: readonly string[] = loadUserDictionary()): Lexicon {
  const { words, compounds } = wholeWords([...userWords, ...glossaryDictionaryWords(glossary)]);
  return { words, synonyms: glossaryToSynonyms(glossary), compounds };
}
