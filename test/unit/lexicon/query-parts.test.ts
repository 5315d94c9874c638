import { parseQueryParts, renderParts } from '../../../services/lexicon/query-parts';

describe('parseQueryParts', () => {
  it('keeps plain text together, and reads phrases and exclusions as the engine does', () => {
    expect(parseQueryParts('SCO -Tianjin')).toEqual([
      { text: 'SCO', quoted: false, negated: false },
      { text: 'Tianjin', quoted: false, negated: true },
    ]);
    expect(parseQueryParts('"World Cup" final -"penalty shootout" 2026')).toEqual([
      { text: 'World Cup', quoted: true, negated: false },
      { text: 'final', quoted: false, negated: false },
      { text: 'penalty shootout', quoted: true, negated: true },
      { text: '2026', quoted: false, negated: false },
    ]);
  });

  it('negates only at the start of a word, and runs an unclosed quote to the end', () => {
    expect(parseQueryParts('people-to-people exchanges')).toEqual([{ text: 'people-to-people exchanges', quoted: false, negated: false }]);
    expect(parseQueryParts('a - b')).toEqual([{ text: 'a - b', quoted: false, negated: false }]);
    expect(parseQueryParts('上合组织 "天津峰会')).toEqual([
      { text: '上合组织', quoted: false, negated: false },
      { text: '天津峰会', quoted: true, negated: false },
    ]);
  });

  it('drops empty phrases and bare operators', () => {
    expect(parseQueryParts('"" - -')).toEqual([]);
    expect(parseQueryParts('')).toEqual([]);
  });

  it('renders back in the engine syntax', () => {
    expect(renderParts(parseQueryParts('"World Cup" -"penalty shootout" -x y'))).toBe('"World Cup" -"penalty shootout" -x y');
  });
});
