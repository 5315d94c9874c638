import { articleKeyOf, loadJudgments, parseJudgments, QUERY_KINDS } from '../../../scripts/eval/judgments';
import { markdownTable, summarize } from '../../../scripts/eval/report';

describe('judgments', () => {
  it('loads the project judged set: ten articles, every kind with six to ten queries', () => {
    const judgments = loadJudgments();
    expect(Object.keys(judgments.articles)).toHaveLength(10);
    for (const kind of QUERY_KINDS) {
      const n = judgments.queries.filter((q) => q.kind === kind).length;
      expect(n).toBeGreaterThanOrEqual(6);
      expect(n).toBeLessThanOrEqual(10);
    }
  });

  it('rejects grades for unknown articles, grades out of range and queries with nothing relevant', () => {
    const base = { corpus: 'x', articles: { 'xinhua@2025-09-01T03:35': 't' } };
    const query = (relevant: Record<string, number>) => ({ ...base, queries: [{ id: 'zh-01', kind: 'zh', q: 'q', relevant }] });
    expect(() => parseJudgments(query({ 'xinhua@2025-09-01T03:36': 1 }))).toThrow(/is not a listed article/);
    expect(() => parseJudgments(query({ 'xinhua@2025-09-01T03:35': 3 }))).toThrow(/relevant/);
    expect(() => parseJudgments(query({ 'xinhua@2025-09-01T03:35': 0 }))).toThrow(/needs at least one relevant article/);
    expect(parseJudgments(query({ 'xinhua@2025-09-01T03:35': 2 })).queries).toHaveLength(1);
  });

  it('keys an article by outlet and publication minute', () => {
    expect(articleKeyOf('xinhua', '2025-09-01T03:35:00+08:00')).toBe('xinhua@2025-09-01T03:35');
    expect(articleKeyOf('bbc', null)).toBeNull();
  });
});

describe('report', () => {
  it('averages per kind, over cross-language kinds and over all, and prints one Markdown row each', () => {
    const rows = summarize({
      base: [
        { id: 'zh-01', kind: 'zh', scores: { ndcg: 1, recall: 1, mrr: 1 } },
        { id: 'zh2en-01', kind: 'zh->en', scores: { ndcg: 0, recall: 0, mrr: 0 } },
        { id: 'en2zh-01', kind: 'en->zh', scores: { ndcg: 0.5, recall: 1, mrr: 0.5 } },
      ],
    });
    expect(rows.map((r) => [r.group, r.queries, r.bySystem.base?.ndcg])).toEqual([
      ['zh', 1, 1],
      ['zh->en', 1, 0],
      ['en->zh', 1, 0.5],
      ['cross-language', 2, 0.25],
      ['all', 3, 0.5],
    ]);
    const table = markdownTable(rows, ['base'], 10);
    expect(table.split('\n')).toHaveLength(2 + rows.length);
    expect(table).toContain('| cross-language | 2 | 0.250 | 0.500 | 0.250 |');
  });
});
