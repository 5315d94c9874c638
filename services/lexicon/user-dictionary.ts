import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from '../paths';

export { DATA_DIR };

/**
 * The user dictionary: domain terms that must be treated as whole words, by jieba (indexer and query analysis) and by
 * the engine's own `dictionary` setting alike. One file drives both so index and query are segmented the same way.
 */

export const USER_DICTIONARY_FILE = path.join(DATA_DIR, 'lexicon', 'user-dict.txt');

/** Parses the jieba user-dictionary format: one term per line, optional frequency and tag after it, `#` comments. */
export function parseUserDictionary(text: string): string[] {
  const words = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [word] = line.split(/\s+/);
    if (word) words.add(word);
  }
  return [...words];
}

export function loadUserDictionary(file = USER_DICTIONARY_FILE): string[] {
  return parseUserDictionary(readFileSync(file, 'utf8'));
}
