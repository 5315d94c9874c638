/**
 * Highlighting on the text as published. The engine reports matches as UTF-8 byte offsets into the normalised search
 * copy of a field, which has the same bytes per character as the original; these functions turn them into string
 * ranges, cut a snippet around the best match and produce HTML in which everything is escaped but <mark>.
 */

export interface ByteRange {
  start: number;
  length: number;
}

/** Half-open [start, end) range of UTF-16 code units. */
export interface TextRange {
  start: number;
  end: number;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** Converts byte ranges to string ranges in one pass over the text; ranges outside the text are dropped. */
export function byteRangesToTextRanges(text: string, ranges: readonly ByteRange[]): TextRange[] {
  if (ranges.length === 0) return [];
  const wanted = new Set<number>();
  for (const r of ranges) {
    wanted.add(r.start);
    wanted.add(r.start + r.length);
  }
  const byteToIndex = new Map<number, number>();
  let bytes = 0;
  let i = 0;
  // Matches usually sit early in a long body: stop once every wanted offset is placed.
  while (i < text.length && byteToIndex.size < wanted.size) {
    if (wanted.has(bytes)) byteToIndex.set(bytes, i);
    const cp = text.codePointAt(i) ?? 0;
    bytes += utf8Length(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  if (wanted.has(bytes)) byteToIndex.set(bytes, i);
  const out: TextRange[] = [];
  for (const r of ranges) {
    const start = byteToIndex.get(r.start);
    const end = byteToIndex.get(r.start + r.length);
    if (start !== undefined && end !== undefined && end > start) out.push({ start, end });
  }
  return mergeRanges(out);
}

/** Sorts and merges overlapping or touching ranges. */
export function mergeRanges(ranges: readonly TextRange[]): TextRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: TextRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** Escapes `text[from, to)` and wraps the parts inside `ranges` in <mark>. */
export function markText(text: string, ranges: readonly TextRange[], from = 0, to = text.length): string {
  let html = '';
  let pos = from;
  for (const r of ranges) {
    const start = Math.max(r.start, from);
    const end = Math.min(r.end, to);
    if (end <= start) continue;
    html += escapeHtml(text.slice(pos, start)) + '<mark>' + escapeHtml(text.slice(start, end)) + '</mark>';
    pos = end;
  }
  return html + escapeHtml(text.slice(pos, to));
}

export interface SnippetOptions {
  /** Window for Chinese text, in characters. */
  zhChars?: number;
  /** Window for English text, in words. */
  enWords?: number;
}

const HAN = /\p{Script=Han}/u;

/**
 * The stretch of `text` that holds the most matches: about 80 characters of Chinese or 40 words of English, starting
 * a little before the first match it holds. Returns escaped HTML with <mark> and an ellipsis where text was cut.
 */
export function snippet(text: string, ranges: readonly TextRange[], options: SnippetOptions = {}): string {
  const zhChars = options.zhChars ?? 80;
  const enWords = options.enWords ?? 40;
  const { units, han } = segmentUnits(text);
  if (units.length === 0) return '';
  // Mixed text: each Han character is a unit, each Latin word a unit; budgets meet in the middle.
  const budget = han * 2 >= units.length ? zhChars : enWords;
  if (units.length <= budget) return markText(text, ranges);

  const lead = Math.max(1, Math.floor(budget / 8));
  let bestStart = 0;
  let bestScore = -1;
  for (const range of ranges) {
    // Anchor the window a little before each match and count the matches it then holds.
    const anchor = unitIndexAt(units, range.start);
    const startUnit = Math.max(0, Math.min(anchor - lead, units.length - budget));
    const startOffset = units[startUnit]?.start ?? 0;
    const endOffset = units[Math.min(units.length, startUnit + budget) - 1]?.end ?? text.length;
    const score = ranges.filter((m) => m.start >= startOffset && m.end <= endOffset).length;
    if (score > bestScore) {
      bestScore = score;
      bestStart = startUnit;
    }
  }
  const endUnit = Math.min(units.length, bestStart + budget);
  const from = units[bestStart]?.start ?? 0;
  const to = units[endUnit - 1]?.end ?? text.length;
  const before = from > 0 ? '… ' : '';
  const after = to < text.length ? ' …' : '';
  return before + markText(text, ranges, from, to).trim() + after;
}

/**
 * Han characters one by one, Latin/digit runs as words: the units a snippet's length is counted in, and how many of
 * them hold Han (tested on the match itself: slicing each unit out again cost more than the segmentation).
 */
function segmentUnits(text: string): { units: TextRange[]; han: number } {
  const units: TextRange[] = [];
  let han = 0;
  const re = /\p{Script=Han}|[\p{L}\p{N}][\p{L}\p{N}'’\-.]*/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    units.push({ start: m.index, end: m.index + m[0].length });
    if (HAN.test(m[0])) han += 1;
  }
  return { units, han };
}

function unitIndexAt(units: readonly TextRange[], offset: number): number {
  let lo = 0;
  let hi = units.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((units[mid]?.end ?? 0) <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
