/**
 * Highlights arrive as HTML in which only `<mark>` and `</mark>` are markup and everything else is escaped by the API.
 * The page never hands that string to an HTML parser: it splits on the two literal tags, decodes character references
 * in the text between them, and builds text nodes. Should the API ever fail to escape something, the worst outcome is
 * visible angle brackets, never an element, attribute or script.
 */

export interface Segment {
  text: string;
  mark: boolean;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references an HTML escaper produces; anything else is left exactly as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    // Surrogates, NUL and beyond-Unicode references are what a hostile document would try; render them literally.
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
    return String.fromCodePoint(code);
  });
}

/** Splits highlight HTML into plain-text runs, marking those between `<mark>` and `</mark>`. Adjacent runs merge. */
export function parseHighlight(html: string): Segment[] {
  const segments: Segment[] = [];
  let mark = false;
  for (const part of html.split(/(<\/?mark>)/i)) {
    const tag = part.toLowerCase();
    if (tag === '<mark>') mark = true;
    else if (tag === '</mark>') mark = false;
    else if (part !== '') {
      const text = decodeEntities(part);
      const last = segments[segments.length - 1];
      if (last && last.mark === mark) last.text += text;
      else segments.push({ text, mark });
    }
  }
  return segments;
}

/** Appends the highlight to `parent` as text nodes and `<mark>` elements whose content is set with textContent. */
export function appendHighlight(parent: Node, html: string): void {
  const doc = parent.ownerDocument ?? document;
  for (const seg of parseHighlight(html)) {
    if (seg.mark) {
      const m = doc.createElement('mark');
      m.textContent = seg.text;
      parent.appendChild(m);
    } else {
      parent.appendChild(doc.createTextNode(seg.text));
    }
  }
}
