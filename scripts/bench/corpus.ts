import { createReadStream, createWriteStream, existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { parseScrapedPage } from '../../indexer/sources/scraped-page';

/**
 * The benchmark corpus: the shared real-news corpus when it is there, else the bundled sample; replicated to any size
 * with distinct ids, streamed to a temporary file (never into the repository, never whole in memory).
 */

export interface CorpusSource {
  /** What the results say the articles came from. */
  label: string;
  /** JSON Lines files, read in an interleaved order; or the sample's articles as JSON lines. */
  files: string[];
  sampleLines?: string[];
}

export async function findCorpus(sharedCorpusDir: string, sampleFile: string): Promise<CorpusSource> {
  if (existsSync(sharedCorpusDir)) {
    const files = readdirSync(sharedCorpusDir)
      .filter((f) => f.endsWith('.jsonl'))
      .sort()
      .map((f) => path.join(sharedCorpusDir, f));
    if (files.length > 0) return { label: `${path.basename(path.dirname(sharedCorpusDir))}/corpus (${files.map((f) => path.basename(f)).join(', ')})`, files };
  }
  const lines: string[] = [];
  for await (const rec of parseScrapedPage(await readFile(sampleFile, 'utf8'), sampleFile)) {
    if (!rec.ok) continue;
    const a = rec.article;
    lines.push(JSON.stringify({ title: a.title, body: a.body, outlet: a.outlet, published: a.published?.toISOString() ?? null, url: a.url, category: a.category }));
  }
  return { label: `bundled sample (${path.basename(sampleFile)}, ${lines.length} articles)`, files: [], sampleLines: lines };
}

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(0x0a); i !== -1; i = buf.indexOf(0x0a, i + 1)) n++;
  }
  return n;
}

/**
 * Lines of several files merged in proportion to their lengths (Bresenham): any prefix of the stream has about the
 * corpus's mix of languages, so a 10k slice of a 30k Chinese + 20k English corpus is still 60/40.
 */
export async function* interleave(files: readonly string[]): AsyncGenerator<string> {
  const totals = await Promise.all(files.map(countLines));
  const iters = files.map((f) => createInterface({ input: createReadStream(f), crlfDelay: Infinity })[Symbol.asyncIterator]());
  const taken = files.map(() => 0);
  try {
    yield* merged();
  } finally {
    // An early stop (the slice is full) must not leave the files open.
    await Promise.all(iters.map((it) => it.return?.()));
  }

  async function* merged(): AsyncGenerator<string> {
  for (;;) {
    let pick = -1;
    for (let i = 0; i < files.length; i++) {
      if ((taken[i] ?? 0) >= (totals[i] ?? 0)) continue;
      if (pick === -1 || (taken[i] ?? 0) / (totals[i] ?? 1) < (taken[pick] ?? 0) / (totals[pick] ?? 1)) pick = i;
    }
    if (pick === -1) return;
    taken[pick] = (taken[pick] ?? 0) + 1;
    const next = await iters[pick]?.next();
    if (!next || next.done) {
      taken[pick] = totals[pick] ?? 0;
      continue;
    }
    if (next.value.trim() !== '') yield next.value;
  }
  }
}

/**
 * Copy `k` of a line: copy 0 is the line as published; later copies get a marker in the title, which is part of the
 * article id, so every copy is a distinct document of the same size and language.
 */
export function replicaLine(line: string, copy: number): string {
  if (copy === 0) return line;
  const rec = JSON.parse(line) as { title?: unknown };
  if (typeof rec.title === 'string') rec.title = `${rec.title} (${copy})`;
  return JSON.stringify(rec);
}

/** Writes `size` articles to `outFile`, cycling the source with distinct copies; returns the bytes written. */
export async function writeCorpus(source: CorpusSource, size: number, outFile: string): Promise<{ articles: number; bytes: number }> {
  const out = createWriteStream(outFile);
  let articles = 0;
  let bytes = 0;
  const write = async (line: string) => {
    const text = `${line}\n`;
    bytes += Buffer.byteLength(text);
    articles += 1;
    if (!out.write(text)) await once(out, 'drain');
  };
  for (let copy = 0; articles < size; copy++) {
    const before = articles;
    const lines = source.sampleLines ?? interleave(source.files);
    for await (const line of lines) {
      if (articles >= size) break;
      await write(replicaLine(line, copy));
    }
    if (articles === before) throw new Error('the corpus source is empty');
  }
  out.end();
  await once(out, 'finish');
  return { articles, bytes };
}
