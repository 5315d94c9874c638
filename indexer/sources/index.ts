import { readFile } from 'node:fs/promises';
import { readJsonLines } from './jsonl';
import type { SourceRecord } from './record';
import { parseScrapedPage } from './scraped-page';

export type { SourceRecord } from './record';

/** Picks the reader by extension: `.jsonl`/`.ndjson` are JSON Lines, anything else a scraped results page. */
export async function* readSource(file: string): AsyncGenerator<SourceRecord> {
  if (/\.(jsonl|ndjson)$/i.test(file)) {
    yield* readJsonLines(file);
    return;
  }
  yield* parseScrapedPage(await readFile(file, 'utf8'), file);
}
