import * as OpenCC from 'opencc-js';

/**
 * One normalisation for documents and queries alike: traditional Chinese folded to simplified, so 上海合作組織 finds
 * 上海合作组织. It must keep every character's UTF-8 length, because the engine reports match positions in bytes of
 * the normalised text and the highlighter applies them to the text as published.
 */

const toCn = OpenCC.Converter({ from: 't', to: 'cn' });
const HAN = /\p{Script=Han}/u;

export function toSimplified(text: string): string {
  if (!HAN.test(text)) return text;
  const converted = toCn(text);
  if (converted.length === text.length && Buffer.byteLength(converted) === Buffer.byteLength(text)) return converted;
  // A phrase rule changed the length: fall back to character-by-character folding, which never does.
  let out = '';
  for (const ch of text) {
    const c = toCn(ch);
    out += Buffer.byteLength(c) === Buffer.byteLength(ch) ? c : ch;
  }
  return out;
}

/** Query-side normalisation: simplified, Unicode-composed, whitespace collapsed, control characters dropped. */
export function normalizeQuery(raw: string): string {
  return toSimplified(
    raw
      .normalize('NFKC')
      .replace(/[\p{Cc}\p{Cs}\p{Co}\p{Cn}]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
