import { z } from 'zod';
import type { ParsedArticle, SourceLocation } from '../../services/article';

/** What a source yields for each record: an article, or the reason it was skipped (never an exception). */
export type SourceRecord = { ok: true; article: ParsedArticle } | { ok: false; location: SourceLocation; reason: string };

/** Told how many more bytes of a source file were read (progress goes by the share of the input read). */
export type BytesRead = (bytes: number) => void;

/** Bodies beyond this are refused rather than truncated silently: the engine keeps at most 65,535 words per field. */
export const MAX_BODY_CHARS = 200_000;
export const MAX_TITLE_CHARS = 1_000;

/**
 * A string JavaScript can hold but Unicode cannot: an unpaired UTF-16 surrogate, which JSON can spell as an escape
 * (`"\ud800"`) in a file that is valid UTF-8. The engine accepts such a batch and then fails the whole of it (and
 * the batches it was processed with) while decoding the document, so the record is refused here. In a `u` regex a
 * well-formed pair is one code point, so only a lone surrogate matches.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Text that is valid Unicode (indexed as it is). */
const unicodeText = () => z.string().refine((s) => !LONE_SURROGATE.test(s), 'contains an unpaired UTF-16 surrogate escape (such as \\ud800): not valid Unicode text');

export const rawArticleSchema = z.object({
  title: unicodeText()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'is empty').max(MAX_TITLE_CHARS, `is longer than ${MAX_TITLE_CHARS} characters`)),
  body: unicodeText()
    .transform((s) => s.trim())
    .pipe(z.string().max(MAX_BODY_CHARS, `is longer than ${MAX_BODY_CHARS} characters`)),
  outlet: unicodeText()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, 'is empty')),
  // null means "the source has no date" (indexed undated); a missing field is a broken record.
  published: z.union([z.null(), z.string()]),
  url: unicodeText().nullish(),
  category: unicodeText().nullish(),
  themes: z.array(unicodeText().min(1)).optional(),
});

const REQUIRED_FIELDS = ['title', 'body', 'outlet', 'published'] as const;

export type RawArticle = z.input<typeof rawArticleSchema>;

/**
 * ISO 8601 with an explicit offset (or `YYYY-MM-DD HH:MM` read as Beijing time). Rejects impossible dates such as
 * 2025-02-30, which Date would silently roll over.
 */
export function parsePublished(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, zone] = m;
  const offset = zone === undefined ? '+08:00' : zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${offset}`);
  if (Number.isNaN(date.getTime())) return null;
  // Round-trip the calendar fields in the given offset to catch roll-overs (Feb 30 -> Mar 2).
  const offsetMinutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  if (
    local.getUTCFullYear() !== Number(y) ||
    local.getUTCMonth() + 1 !== Number(mo) ||
    local.getUTCDate() !== Number(d) ||
    local.getUTCHours() !== Number(h) ||
    local.getUTCMinutes() !== Number(mi)
  ) {
    return null;
  }
  return date;
}

/** Validates one raw record into an article, or says what is wrong with it. */
export function toArticle(raw: unknown, location: SourceLocation): SourceRecord {
  for (const field of REQUIRED_FIELDS) {
    if (typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>)[field] === undefined) {
      const hint = field === 'published' ? ' (use null for an article without a date)' : '';
      return { ok: false, location, reason: `missing ${field}${hint}` };
    }
  }
  const parsed = rawArticleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'record';
    return { ok: false, location, reason: `${field} ${issue?.message ?? 'is invalid'}` };
  }
  const r = parsed.data;
  let published: Date | null = null;
  if (r.published !== null) {
    published = parsePublished(r.published);
    if (!published) return { ok: false, location, reason: `published is not a valid date: ${JSON.stringify(r.published.slice(0, 40))}` };
  }
  return {
    ok: true,
    article: {
      location,
      title: r.title,
      body: r.body,
      outlet: r.outlet,
      published,
      url: r.url ?? null,
      category: r.category ?? null,
      themes: r.themes ?? [],
    },
  };
}
