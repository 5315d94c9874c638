import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The development sets over the real archive (../shared/eval, see its README): known-item queries (one right article
 * each, MRR@10 and success@10 per kind) and single-concept queries for result-set precision (the share of up to 500
 * hits, duplicates not collapsed, that mention the concept; and of the top 10). Scored here exactly as the reference
 * scorers next to the sets score a running service, so the figures agree with theirs.
 */

const knownItemSchema = z.object({
  q: z.string(),
  kind: z.string(),
  target: z.object({ title: z.string(), published: z.string().nullable() }),
});
const precisionQuerySchema = z.object({ q: z.string(), re: z.string() });

export type KnownItem = z.infer<typeof knownItemSchema>;
export type PrecisionQuery = z.infer<typeof precisionQuerySchema>;

export interface DevSets {
  knownItems: KnownItem[];
  precision: PrecisionQuery[];
}

export const DEV_SETS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'eval');

/** The sets in `dir`, or null when they are not there (a clone without ../shared). */
export function loadDevSets(dir = DEV_SETS_DIR): DevSets | null {
  const known = path.join(dir, 'known-items-dev.json');
  const precision = path.join(dir, 'precision-dev.json');
  if (!existsSync(known) || !existsSync(precision)) return null;
  const read = (file: string) => z.object({ queries: z.array(z.unknown()) }).parse(JSON.parse(readFileSync(file, 'utf8'))).queries;
  return {
    knownItems: read(known).map((q) => knownItemSchema.parse(q)),
    precision: read(precision).map((q) => precisionQuerySchema.parse(q)),
  };
}

/** A hit as both systems return it: title and body as published, the publication instant if any. */
export interface DevHit {
  title: string;
  body: string;
  published: string | null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Title comparison of the reference scorer: tags stripped, entities decoded, whitespace removed, lower case. */
export function normaliseTitle(s: string): string {
  const decoded = s.replace(/<\/?[a-z][^>]*>/gi, '').replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e.startsWith('#')) {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
  return decoded.replace(/<[^>]*>/g, '').replace(/\s+/g, '').toLowerCase();
}

/** The reference rule: same normalised title and, where the target has one, the same publication instant. */
export function isTarget(hit: DevHit, target: KnownItem['target']): boolean {
  if (normaliseTitle(hit.title) !== normaliseTitle(target.title)) return false;
  if (target.published === null) return true;
  // The target titles are unique in the corpus (the set's README): a hit without a date can only be the target.
  if (hit.published === null) return true;
  return Date.parse(hit.published) === Date.parse(target.published);
}

export interface KnownItemScores {
  n: number;
  mrr: number;
  success: number;
}

/** MRR@10 and success@10 per kind and over all (`all`), with each query's rank (0: not in the top 10). */
export async function scoreKnownItems(
  items: readonly KnownItem[],
  top10: (q: string) => Promise<DevHit[]>,
): Promise<{ byKind: Record<string, KnownItemScores>; ranks: Array<{ q: string; kind: string; rank: number }> }> {
  const ranks: Array<{ q: string; kind: string; rank: number }> = [];
  for (const item of items) {
    const hits = (await top10(item.q)).slice(0, 10);
    ranks.push({ q: item.q, kind: item.kind, rank: hits.findIndex((h) => isTarget(h, item.target)) + 1 });
  }
  const byKind: Record<string, KnownItemScores> = {};
  for (const kind of [...new Set(items.map((i) => i.kind)), 'all']) {
    const of = ranks.filter((r) => kind === 'all' || r.kind === kind);
    byKind[kind] = {
      n: of.length,
      mrr: of.reduce((sum, r) => sum + (r.rank > 0 ? 1 / r.rank : 0), 0) / of.length,
      success: of.filter((r) => r.rank > 0).length / of.length,
    };
  }
  return { byKind, ranks };
}

export interface PrecisionRow {
  q: string;
  total: number;
  fetched: number;
  top10: number;
  set: number;
  noise: string[];
}

/** Result-set and top-10 precision per query; a query that returns nothing scores 0 and is flagged in `empty`. */
export async function scorePrecision(
  queries: readonly PrecisionQuery[],
  upTo500: (q: string) => Promise<{ total: number; hits: DevHit[] }>,
): Promise<{ rows: PrecisionRow[]; meanTop10: number; meanSet: number; empty: string[] }> {
  const rows: PrecisionRow[] = [];
  for (const { q, re } of queries) {
    const rx = new RegExp(re, 'i');
    const { total, hits } = await upTo500(q);
    const relevant = hits.map((h) => rx.test(`${h.title}\n${h.body}`));
    const share = (flags: boolean[]) => (flags.length === 0 ? 0 : flags.filter(Boolean).length / flags.length);
    rows.push({
      q,
      total,
      fetched: hits.length,
      top10: share(relevant.slice(0, 10)),
      set: share(relevant),
      noise: hits.filter((_, i) => !relevant[i]).slice(0, 2).map((h) => h.title.slice(0, 40)),
    });
  }
  const mean = (pick: (r: PrecisionRow) => number) => rows.reduce((sum, r) => sum + pick(r), 0) / Math.max(1, rows.length);
  return { rows, meanTop10: mean((r) => r.top10), meanSet: mean((r) => r.set), empty: rows.filter((r) => r.fetched === 0).map((r) => r.q) };
}

const f3 = (x: number) => x.toFixed(3);

/** The known-item table: one row per kind, a column pair per system. */
export function knownItemTable(systems: Readonly<Record<string, Record<string, KnownItemScores>>>): string {
  const names = Object.keys(systems);
  const kinds = Object.keys(systems[names[0] ?? ''] ?? {});
  const head = `| kind | n | ${names.map((s) => `MRR@10 ${s} | success@10 ${s}`).join(' | ')} |`;
  const rule = `|---|---:|${names.map(() => '---:|---:').join('|')}|`;
  const rows = kinds.map((k) => `| ${k} | ${systems[names[0] ?? '']?.[k]?.n ?? 0} | ${names.map((s) => `${f3(systems[s]?.[k]?.mrr ?? 0)} | ${f3(systems[s]?.[k]?.success ?? 0)}`).join(' | ')} |`);
  return [head, rule, ...rows].join('\n');
}

/** The precision summary: mean top-10 and result-set precision per system, and the weakest queries. */
export function precisionTable(systems: Readonly<Record<string, { meanTop10: number; meanSet: number; rows: PrecisionRow[]; empty: string[] }>>): string {
  const lines = ['| system | mean top-10 precision | mean result-set precision | empty answers |', '|---|---:|---:|---:|'];
  for (const [name, s] of Object.entries(systems)) lines.push(`| ${name} | ${f3(s.meanTop10)} | ${f3(s.meanSet)} | ${s.empty.length} |`);
  return lines.join('\n');
}
