import { CROSS_LANGUAGE_KINDS, QUERY_KINDS, type QueryKind } from './judgments';
import { meanScores, type QueryScores } from './metrics';

/** Turns per-query scores of several systems into per-kind means and a Markdown table. */

export interface ScoredQuery {
  id: string;
  kind: QueryKind;
  scores: QueryScores;
}

export type Row = { group: string; queries: number; bySystem: Record<string, QueryScores> };

/** Groups: each kind, then all cross-language kinds together, then everything. */
export function summarize(systems: Record<string, readonly ScoredQuery[]>): Row[] {
  const names = Object.keys(systems);
  const groups: Array<[string, (q: ScoredQuery) => boolean]> = [
    ...QUERY_KINDS.map((k): [string, (q: ScoredQuery) => boolean] => [k, (q) => q.kind === k]),
    ['cross-language', (q) => CROSS_LANGUAGE_KINDS.includes(q.kind)],
    ['all', () => true],
  ];
  const rows: Row[] = [];
  for (const [group, member] of groups) {
    const bySystem: Record<string, QueryScores> = {};
    let count = 0;
    for (const name of names) {
      const selected = (systems[name] ?? []).filter(member);
      count = selected.length;
      bySystem[name] = meanScores(selected.map((s) => s.scores));
    }
    if (count > 0) rows.push({ group, queries: count, bySystem });
  }
  return rows;
}

const f = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(3));

export function markdownTable(rows: readonly Row[], systems: readonly string[], k: number): string {
  const metrics: Array<[keyof QueryScores, string]> = [
    ['ndcg', `nDCG@${k}`],
    ['recall', `recall@${k}`],
    ['mrr', `MRR@${k}`],
  ];
  const header = ['kind', 'n', ...metrics.flatMap(([, label]) => systems.map((s) => `${label} ${s}`))];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const row of rows) {
    const cells = metrics.flatMap(([metric]) => systems.map((s) => f(row.bySystem[s]?.[metric] ?? Number.NaN)));
    lines.push(`| ${row.group} | ${row.queries} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
