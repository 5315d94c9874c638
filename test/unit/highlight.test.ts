import { byteRangesToTextRanges, escapeHtml, markText, snippet } from '../../services/text/highlight';

const bytesOf = (text: string, part: string) => {
  const i = text.indexOf(part);
  return { start: Buffer.byteLength(text.slice(0, i)), length: Buffer.byteLength(part) };
};

describe('highlighting on the published text', () => {
  it('maps UTF-8 byte offsets to string positions in mixed text', () => {
    const text = '弘扬“上海精神” The "Shanghai Spirit" 😀 上合组织';
    const ranges = byteRangesToTextRanges(text, [bytesOf(text, '上海精神'), bytesOf(text, 'Shanghai Spirit'), bytesOf(text, '上合组织')]);
    expect(ranges.map((r) => text.slice(r.start, r.end))).toEqual(['上海精神', 'Shanghai Spirit', '上合组织']);
  });

  it('drops ranges that do not fall on character boundaries or lie outside the text', () => {
    expect(byteRangesToTextRanges('上海', [{ start: 1, length: 2 }, { start: 10, length: 3 }])).toEqual([]);
  });

  it('escapes everything but the marks', () => {
    const text = '<script>alert(1)</script> & 上合组织 "x"';
    const html = markText(text, [{ start: text.indexOf('上合组织'), end: text.indexOf('上合组织') + 4 }]);
    expect(html).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>上合组织</mark> &quot;x&quot;');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('cuts a Chinese snippet of about 80 characters around the match', () => {
    const text = `${'前'.repeat(200)}上合组织${'后'.repeat(200)}`;
    const at = text.indexOf('上合组织');
    const html = snippet(text, [{ start: at, end: at + 4 }]);
    expect(html).toContain('<mark>上合组织</mark>');
    expect(html.startsWith('… ')).toBe(true);
    expect(html.endsWith(' …')).toBe(true);
    const plain = html.replace(/<\/?mark>|… | …/g, '');
    expect(plain.length).toBeGreaterThanOrEqual(78);
    expect(plain.length).toBeLessThanOrEqual(82);
  });

  it('cuts an English snippet of about 40 words around the densest matches', () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`);
    words[150] = 'Shanghai';
    words[152] = 'Spirit';
    const text = words.join(' ');
    const ranges = ['Shanghai', 'Spirit'].map((w) => ({ start: text.indexOf(w), end: text.indexOf(w) + w.length }));
    const html = snippet(text, ranges);
    expect(html).toContain('<mark>Shanghai</mark> w151 <mark>Spirit</mark>');
    expect(html.replace(/<\/?mark>|… | …/g, '').split(' ')).toHaveLength(40);
  });

  it('starts at the beginning when nothing in the body matched', () => {
    const text = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ');
    expect(snippet(text, []).startsWith('w0 w1')).toBe(true);
  });
});
