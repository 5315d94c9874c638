import fc from 'fast-check';
import { appendHighlight, decodeEntities, parseHighlight } from '../../../search-api/web/src/highlight';
// The API's own highlighter: these tests pin the contract between what the server writes and what the page reads.
import { escapeHtml, markText, mergeRanges } from '../../../services/text/highlight';

/** A stand-in for `document` that records what the renderer builds: element tags and text. */
function recordingParent() {
  const built: Array<{ element?: string; text: string }> = [];
  const parent = {
    ownerDocument: {
      createElement: (tag: string) => {
        const el = { tag, textContent: '' };
        return el;
      },
      createTextNode: (text: string) => ({ text }),
    },
    appendChild: (node: { tag?: string; textContent?: string; text?: string }) => {
      built.push(node.tag ? { element: node.tag, text: node.textContent ?? '' } : { text: node.text ?? '' });
      return node;
    },
  };
  return { parent: parent as unknown as Node, built };
}

describe('highlight rendering', () => {
  it('splits marked and unmarked runs', () => {
    expect(parseHighlight('弘扬“<mark>上海精神</mark>” 贡献')).toEqual([
      { text: '弘扬“', mark: false },
      { text: '上海精神', mark: true },
      { text: '” 贡献', mark: false },
    ]);
  });

  it('shows escaped markup as the text it was', () => {
    const html = `${escapeHtml('<script>window.__xss=1</script> ')}<mark>${escapeHtml('<img src=x onerror="alert(1)">')}</mark>`;
    expect(parseHighlight(html)).toEqual([
      { text: '<script>window.__xss=1</script> ', mark: false },
      { text: '<img src=x onerror="alert(1)">', mark: true },
    ]);
  });

  it('recovers any article text exactly, with marks wherever the API put them', () => {
    const textAndRanges = fc.string({ unit: 'grapheme', maxLength: 40 }).chain((text) =>
      fc.tuple(
        fc.constant(text),
        fc.array(fc.tuple(fc.nat(text.length), fc.nat(text.length)), { maxLength: 4 }).map((pairs) =>
          mergeRanges(pairs.map(([a, b]) => ({ start: Math.min(a, b), end: Math.max(a, b) })).filter((r) => r.end > r.start)),
        ),
      ),
    );
    fc.assert(
      fc.property(textAndRanges, ([text, ranges]) => {
        const segments = parseHighlight(markText(text, ranges));
        expect(segments.map((s) => s.text).join('')).toBe(text);
        const marked = ranges.map((r) => text.slice(r.start, r.end)).join('');
        expect(segments.filter((s) => s.mark).map((s) => s.text).join('')).toBe(marked);
      }),
    );
  });

  it('builds only <mark> elements, whatever the string holds', () => {
    const { parent, built } = recordingParent();
    // Deliberately unescaped, as if the API had a bug: it must still come out as text.
    appendHighlight(parent, '<b>x</b><mark><img src=x onerror=alert(1)></mark><script>alert(2)</script><MARK>y</MARK>');
    expect(built).toEqual([
      { text: '<b>x</b>' },
      { element: 'mark', text: '<img src=x onerror=alert(1)>' },
      { text: '<script>alert(2)</script>' },
      { element: 'mark', text: 'y' },
    ]);
  });

  it('decodes named and numeric references and leaves dangerous or unknown ones literal', () => {
    expect(decodeEntities('&lt;a&gt; &amp;amp; &#39;&#x4E0A;&#28023; &quot;')).toBe(`<a> &amp; '上海 "`);
    expect(decodeEntities('&#0; &#xD800; &#x110000; &bogus; & ;')).toBe('&#0; &#xD800; &#x110000; &bogus; & ;');
  });

  it('tolerates an unbalanced closing tag', () => {
    expect(parseHighlight('a</mark>b<mark>c')).toEqual([
      { text: 'ab', mark: false },
      { text: 'c', mark: true },
    ]);
  });
});
