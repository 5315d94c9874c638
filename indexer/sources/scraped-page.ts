import type { SourceRecord } from './record';
import { toArticle } from './record';

/**
 * The scraped results page: a header (the query and a heading), then three lines per article - the title, an
 * `Outlet· YYYY-MM-DD HH:MM` line in Beijing time, and the body on one line.
 */

const META_LINE = /^(.+?)\s*[·•]\s*(\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s*$/;

export function isMetaLine(line: string | undefined): boolean {
  return line !== undefined && META_LINE.test(line.trim());
}

export function* parseScrapedPage(text: string, file: string): Generator<SourceRecord> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let i = 0;
  let seenArticle = false;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    const lineNo = i + 1;
    if (isMetaLine(lines[i + 1])) {
      const meta = META_LINE.exec((lines[i + 1] ?? '').trim());
      const body = lines[i + 2];
      seenArticle = true;
      // The line after the outlet line is the next article's title, not a body, when an outlet line follows it.
      if (body === undefined || isMetaLine(body) || isMetaLine(lines[i + 3])) {
        yield { ok: false, location: { file, line: lineNo }, reason: 'missing body line after the outlet/date line' };
        i += 2;
        continue;
      }
      yield toArticle({ title: line, outlet: meta?.[1] ?? '', published: meta?.[2] ?? null, body }, { file, line: lineNo });
      i += 3;
      continue;
    }
    if (isMetaLine(line)) {
      yield { ok: false, location: { file, line: lineNo }, reason: 'outlet/date line without a title line before it' };
    } else if (seenArticle && line.trim() !== '') {
      yield { ok: false, location: { file, line: lineNo }, reason: 'line is not part of an article (title, outlet/date, body)' };
    }
    // Lines before the first article are the page's query and heading.
    i += 1;
  }
}
