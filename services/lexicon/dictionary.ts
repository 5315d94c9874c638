/**
 * The words jieba and the engine keep whole. A listed word hides its parts: if 人类命运共同体 were one token in the
 * index, a search for 命运共同体 would not find it (only the last query word is matched as a prefix, and a word
 * is never matched in the middle or at the end of a token). So a candidate that begins or ends with another
 * candidate is left out: the engine then cuts it into that word and the rest, both searches find it, and the
 * glossary's synonyms still match it as a two-word phrase.
 */
export interface WholeWords {
  /** Words for jieba's user dictionary and the engine's `dictionary` setting, sorted. */
  words: string[];
  /** Candidates left out, each with the listed word it begins or ends with. */
  compounds: Array<{ word: string; contains: string }>;
}

export function wholeWords(candidates: Iterable<string>): WholeWords {
  const all = [...new Set(candidates)].filter((w) => w.length > 0);
  const set = new Set(all);
  const words: string[] = [];
  const compounds: WholeWords['compounds'] = [];
  for (const word of all) {
    const chars = [...word];
    let contains: string | undefined;
    // Proper prefixes and suffixes of at least two characters.
    for (let k = 2; k < chars.length && !contains; k++) {
      const head = chars.slice(0, k).join('');
      const tail = chars.slice(chars.length - k).join('');
      if (set.has(head)) contains = head;
      else if (set.has(tail)) contains = tail;
    }
    if (contains) compounds.push({ word, contains });
    else words.push(word);
  }
  return { words: words.sort(), compounds: compounds.sort((a, b) => a.word.localeCompare(b.word)) };
}
