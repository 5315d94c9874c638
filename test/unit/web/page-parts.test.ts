import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errorFromResponse } from '../../../search-api/web/src/api';
import { safeHref } from '../../../search-api/web/src/dom';
import { formatPublished, labelOf, t, textLang, tn } from '../../../search-api/web/src/i18n';
import { countText, pageWindow } from '../../../search-api/web/src/render-results';

const SRC = path.resolve(__dirname, '../../../search-api/web/src');

describe('page parts', () => {
  it('never parses strings as HTML anywhere in the page code', () => {
    const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const code = readFileSync(path.join(SRC, f), 'utf8');
      expect({ f, hits: code.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment|\beval\(|new Function/g) }).toEqual({ f, hits: null });
    }
  });

  it('follows only http and https links from documents', () => {
    expect(safeHref('https://www.news.cn/a.html')).toBe('https://www.news.cn/a.html');
    expect(safeHref('http://example.com/x?y=1')).toBe('http://example.com/x?y=1');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref(null)).toBeNull();
  });

  it('maps API errors to what the page shows', () => {
    expect(errorFromResponse(503, { error: { code: 'engine_unavailable', message: 'down' } }).kind).toBe('unavailable');
    const bad = errorFromResponse(400, { error: { code: 'bad_request', message: 'must be YYYY-MM-DD', field: 'from' } });
    expect([bad.kind, bad.field, bad.message]).toEqual(['bad-input', 'from', 'must be YYYY-MM-DD']);
    expect(errorFromResponse(502, '<html>').kind).toBe('unavailable');
    expect(errorFromResponse(404, null).kind).toBe('not-found');
    const odd = errorFromResponse(500, null);
    expect([odd.kind, odd.message]).toEqual(['unexpected', 'HTTP 500']);
  });

  it('offers the first, last and nearby pages with gaps', () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 4)).toEqual([1, 2, 3, 4]);
    expect(pageWindow(6, 20)).toEqual([1, null, 4, 5, 6, 7, 8, null, 20]);
    expect(pageWindow(20, 20)).toEqual([1, null, 18, 19, 20]);
  });

  it('speaks both interface languages, filling placeholders and plurals', () => {
    expect(t('zh', 'summary', { total: 3 })).toBe('共 3 条结果');
    expect(tn('en', 1, 'summaryOne', 'summary', { total: 1 })).toBe('1 result');
    expect(tn('en', 2, 'summaryOne', 'summary', { total: 2 })).toBe('2 results');
    expect(t('en', 'removeFilter')).toBe('Remove filter: {label}');
    expect(labelOf('en', { label: '新华社', labelEn: 'Xinhua' })).toBe('Xinhua');
    expect(labelOf('zh', { label: '新华社', labelEn: 'Xinhua' })).toBe('新华社');
  });

  it('says "at least" where the total is a lower bound', () => {
    expect(countText('zh', 50228, false)).toBe('共 50,228 条结果');
    expect(countText('zh', 1200, true)).toBe('至少 1,200 条结果');
    expect(countText('en', 1, false)).toBe('1 result');
    expect(countText('en', 1200, true)).toBe('At least 1,200 results');
  });

  it('shows publication times in Beijing time whatever the offset they arrive in', () => {
    expect(formatPublished('zh', '2025-08-30T23:20:00+08:00')).toBe('2025年8月30日 23:20');
    expect(formatPublished('zh', '2025-08-30T15:20:00Z')).toBe('2025年8月30日 23:20');
    expect(formatPublished('en', '2025-08-30T16:05:00Z')).toBe('31 Aug 2025, 00:05');
    expect(formatPublished('en', null)).toBeNull();
    expect(formatPublished('en', 'yesterday')).toBeNull();
  });
});

describe('text language', () => {
  it('marks Chinese by its Han characters and English by Latin letters alone', () => {
    expect(textLang('弘扬“上海精神” SCO')).toBe('zh-CN');
    expect(textLang('Core Viewpoint - The "Shanghai Spirit"')).toBe('en');
    expect(textLang('2025 — 100%')).toBeNull();
  });
});
