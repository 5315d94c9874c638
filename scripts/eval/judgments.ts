import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DATA_DIR } from '../../services/paths';

/** The judged query set (data/eval/judgments.json): what the evaluation measures against. */

export const JUDGMENTS_FILE = path.join(DATA_DIR, 'eval', 'judgments.json');

export const QUERY_KINDS = ['zh', 'en', 'zh->en', 'en->zh', 'mixed', 'traditional', 'typo'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

/** Kinds that need a match across languages: the issue's "cross-language" goal is measured over these. */
export const CROSS_LANGUAGE_KINDS: readonly QueryKind[] = ['zh->en', 'en->zh'];

const articleKey = z.string().regex(/^[a-z0-9-]+@\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'an article key is outlet-id@YYYY-MM-DDTHH:MM');

const judgmentsSchema = z
  .object({
    corpus: z.string().min(1),
    articles: z.record(articleKey, z.string().min(1)),
    queries: z
      .array(
        z.object({
          id: z.string().regex(/^[a-z0-9]+-\d{2}$/),
          kind: z.enum(QUERY_KINDS),
          q: z.string().min(1),
          relevant: z.record(articleKey, z.number().int().min(0).max(2)),
          note: z.string().optional(),
        }),
      )
      .min(1),
  })
  .superRefine((j, ctx) => {
    const ids = new Set<string>();
    j.queries.forEach((query, i) => {
      if (ids.has(query.id)) ctx.addIssue({ code: 'custom', path: ['queries', i, 'id'], message: `duplicate query id ${query.id}` });
      ids.add(query.id);
      for (const key of Object.keys(query.relevant)) {
        if (!(key in j.articles)) ctx.addIssue({ code: 'custom', path: ['queries', i, 'relevant', key], message: 'is not a listed article' });
      }
      if (!Object.values(query.relevant).some((g) => g > 0)) {
        ctx.addIssue({ code: 'custom', path: ['queries', i, 'relevant'], message: 'needs at least one relevant article' });
      }
    });
  });

export type Judgments = z.infer<typeof judgmentsSchema>;
export type JudgedQuery = Judgments['queries'][number];

export function parseJudgments(json: unknown): Judgments {
  const result = judgmentsSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid judgments:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return result.data;
}

export function loadJudgments(file = JUDGMENTS_FILE): Judgments {
  return parseJudgments(JSON.parse(readFileSync(file, 'utf8')));
}

/** The key a search hit or document is judged under: its outlet and its publication minute in Beijing time. */
export function articleKeyOf(outlet: string, publishedIso: string | null): string | null {
  return publishedIso ? `${outlet}@${publishedIso.slice(0, 16)}` : null;
}
