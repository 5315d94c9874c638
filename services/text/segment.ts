import { readFileSync } from 'node:fs';
import { Jieba } from '@node-rs/jieba';
import { JIEBA_DICT_FILE } from '../paths';

/**
 * Chinese word segmentation with jieba (the @node-rs/jieba binding of jieba-rs, the same segmenter the engine uses),
 * loaded with the project's user dictionary so domain terms such as 上合组织 stay whole. Latin words pass through whole.
 */
export class Segmenter {
  private readonly jieba: Jieba;

  constructor(userWords: readonly string[] = []) {
    // Read here rather than through @node-rs/jieba/dict, which keeps 11 MB of buffers (the dictionary and an IDF
    // table we do not use) for the life of the process; jieba copies what it needs.
    this.jieba = Jieba.withDict(readFileSync(JIEBA_DICT_FILE));
    if (userWords.length > 0) {
      // A high frequency makes jieba prefer the whole term over its parts (上合组织, not 上/合/组织).
      this.jieba.loadDict(Buffer.from(userWords.map((w) => `${w} 100000`).join('\n')));
    }
  }

  /** Raw tokens, punctuation and whitespace included, in order; joined they give the input back. */
  cut(text: string): string[] {
    // HMM guesses unknown words; it is off so that segmentation is predictable and dictionary-driven.
    return this.jieba.cut(text, false);
  }

  /** jieba's part-of-speech tag for one word as a whole (nr person, ns place, n noun, …); '' when it is not one word. */
  tag(word: string): string {
    const tagged = this.jieba.tag(word, false);
    return tagged.length === 1 ? (tagged[0]?.tag ?? '') : '';
  }

  /** Searchable words: lower-cased, no whitespace or punctuation. */
  words(text: string): string[] {
    const out: string[] = [];
    for (const token of this.cut(text)) {
      if (WORDLIKE.test(token)) out.push(token.toLowerCase());
    }
    return out;
  }
}

const WORDLIKE = /[\p{L}\p{N}]/u;

/**
 * A word splitter that remembers its last few answers: the indexer's theme tagger and duplicate grouper segment the
 * same title and body of each article one after the other, and jieba is the costliest step of both.
 */
export function rememberingSplitter(split: (text: string) => string[], size = 4): (text: string) => string[] {
  const recent = new Map<string, string[]>();
  return (text) => {
    const known = recent.get(text);
    if (known) return known;
    const words = split(text);
    recent.set(text, words);
    if (recent.size > size) recent.delete(recent.keys().next().value as string);
    return words;
  };
}
