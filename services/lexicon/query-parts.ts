/**
 * The operators of the search box, as the engine understands them: `"a phrase"` matches those words in that order,
 * exactly (no typo, no prefix); `-word` and `-"a phrase"` exclude articles that contain them. Parsed here so that the
 * query's other-language phrasing can carry them too: a phrase is translated as a phrase, an exclusion is excluded in
 * both languages.
 */

export interface QueryPart {
  text: string;
  /** Written in double quotes: a phrase (or one exact word). */
  quoted: boolean;
  /** Preceded by `-`: articles containing it are excluded. */
  negated: boolean;
}

/**
 * Splits a normalised query into plain text, phrases and exclusions, the way the engine reads them: `-` negates when
 * it starts a word (at the start of the query or after a space), and an unclosed quote runs to the end. Plain text
 * between operators stays one part, so a multi-word name keeps its words together.
 */
export function parseQueryParts(query: string): QueryPart[] {
  const parts: QueryPart[] = [];
  let plain = '';
  const flushPlain = () => {
    const text = plain.replace(/\s+/g, ' ').trim();
    if (WORDLIKE.test(text)) parts.push({ text, quoted: false, negated: false });
    plain = '';
  };
  let i = 0;
  while (i < query.length) {
    const ch = query[i] ?? '';
    const startsWord = i === 0 || /\s/.test(query[i - 1] ?? ' ');
    const negated = ch === '-' && startsWord && i + 1 < query.length && !/\s/.test(query[i + 1] ?? ' ');
    const quoteAt = negated ? i + 1 : i;
    if (query[quoteAt] === '"') {
      flushPlain();
      const close = query.indexOf('"', quoteAt + 1);
      const end = close === -1 ? query.length : close;
      const text = query.slice(quoteAt + 1, end).replace(/\s+/g, ' ').trim();
      if (WORDLIKE.test(text)) parts.push({ text, quoted: true, negated });
      i = end + 1;
      continue;
    }
    if (negated) {
      flushPlain();
      let end = i + 1;
      while (end < query.length && !/\s/.test(query[end] ?? ' ')) end++;
      const text = query.slice(i + 1, end);
      if (WORDLIKE.test(text)) parts.push({ text, quoted: false, negated: true });
      i = end;
      continue;
    }
    plain += ch;
    i++;
  }
  flushPlain();
  return parts;
}

const WORDLIKE = /[\p{L}\p{N}]/u;

/** Double quotes inside a phrase would end it early; the engine treats them as separators anyway. */
function quote(text: string): string {
  return `"${text.replace(/"/g, ' ').trim()}"`;
}

/** One part in the engine's syntax. */
export function renderPart(part: QueryPart): string {
  const body = part.quoted ? quote(part.text) : part.text;
  return part.negated ? `-${body}` : body;
}

/** Parts in the engine's syntax, separated by spaces. */
export function renderParts(parts: readonly QueryPart[]): string {
  return parts.map(renderPart).join(' ');
}
