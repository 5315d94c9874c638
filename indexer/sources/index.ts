import { readFile } from 'node:fs/promises';
import { readJsonLines } from './jsonl';
import type { BytesRead, SourceRecord } from './record';
import { parseScrapedPage } from './scraped-page';

export type { BytesRead, SourceRecord } from './record';

/** Picks the reader by extension: `.jsonl`/`.ndjson` are JSON Lines, anything else a scraped results page. */
export async function* readSource(file: string, onBytes?: BytesRead): AsyncGenerator<SourceRecord> {
  if (/\.(jsonl|ndjson)$/i.test(file)) {
    yield* readJsonLines(file, onBytes);
    return;
  }
  const page = await readFile(file);
  onBytes?.(page.length);
  yield* parseScrapedPage(page.toString('utf8'), file);
}
