import fc from 'fast-check';
import { ZodError } from 'zod';
import { controlsToSpaces, hasLoneSurrogate, LIMITS, searchParamsSchema } from '../../search-api/search/params';
import { toHttpError } from '../../search-api/errors';

const KEYS = ['q', 'outlet', 'theme', 'lang', 'from', 'to', 'sort', 'page', 'limit', 'collapse'] as const;

/** Hostile values: lone surrogates, controls, filter syntax, HTML, odd numbers, odd dates, plus anything at all. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '\u0000', '\uD800', 'a\uDC00b', '\u001b[31m', '\r\n', '\u0085', '"', '\\', "' OR 1=1 --",
    'xinhua" OR outlet = "bbc', 'outlet IN [a, b] OR _geoRadius(0, 0, 1)', 'timestamp > 0 AND NOT lang = zh',
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '1e400', '-1', 'NaN', 'Infinity', '0x10', '9'.repeat(400),
    '2025-02-30', '2025-13-01', '0000-00-00', '2025-9-1', '+002025-01-01', ' ', '',
  ),
);
const value = fc.oneof(hostile, fc.array(hostile, { maxLength: 30 }));
const query = fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), value, { maxKeys: 12 });

describe('search parameters against hostile input (property)', () => {
  it('either parses within every bound or fails as a 400 naming a parameter; never throws anything else', () => {
    fc.assert(
      fc.property(query, (raw) => {
        const r = searchParamsSchema.safeParse(raw);
        if (r.success) {
          const p = r.data;
          expect(p.q.length).toBeLessThanOrEqual(LIMITS.queryChars);
          expect(hasLoneSurrogate(p.q)).toBe(false);
          expect(p.q).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
          expect(p.page * p.limit).toBeLessThanOrEqual(LIMITS.maxTotalHits);
          expect(p.limit).toBeGreaterThanOrEqual(1);
          for (const list of [p.outlet, p.theme, p.lang]) expect(list.length).toBeLessThanOrEqual(LIMITS.filterValues);
          for (const v of [...p.outlet, ...p.theme]) {
            expect(v.length).toBeGreaterThan(0);
            expect(v.length).toBeLessThanOrEqual(LIMITS.filterValueChars);
            expect(hasLoneSurrogate(v)).toBe(false);
          }
        } else {
          expect(r.error).toBeInstanceOf(ZodError);
          const http = toHttpError(r.error);
          expect(http.status).toBe(400);
          expect(KEYS).toContain(http.body.error.field);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a 1 MB query with a 400 on q', () => {
    const r = searchParamsSchema.safeParse({ q: '上'.repeat(1_000_000) });
    expect(r.success).toBe(false);
    expect(toHttpError((r as { error: ZodError }).error)).toMatchObject({ status: 400, body: { error: { field: 'q' } } });
  });

  it.each([
    [{ q: 'a\uD800' }, 'q'],
    [{ outlet: 'xin\u0000hua' }, 'outlet'],
    [{ theme: '\uDC00' }, 'theme'],
    [{ outlet: Array.from({ length: LIMITS.filterValues + 1 }, (_, i) => `o${i}`) }, 'outlet'],
    [{ page: '101', limit: '10' }, 'page'],
    [{ from: '2024-02-30' }, 'from'],
    [{ page: '1e400' }, 'page'],
  ])('refuses %j on %s', (raw, field) => {
    const r = searchParamsSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(toHttpError((r as { error: ZodError }).error).body.error.field).toBe(field);
  });

  it('turns control characters in the query into spaces and keeps real dates', () => {
    expect(controlsToSpaces('上海\n合作\t组织\u0000')).toBe('上海 合作 组织 ');
    const r = searchParamsSchema.parse({ q: 'SCO\r\nsummit', from: '2024-02-29' });
    expect(r.q).toBe('SCO  summit');
    expect(r.from).toBe('2024-02-29');
  });
});
