import type { Span } from '../../../services/lexicon/crossing';
import { candidatePairs, candidateTerms, chooseTranslations, phrasings, type ArchiveCounts } from '../../../services/lexicon/phrasings';

const span = (text: string, lang: 'zh' | 'en', kind: Span['kind'], candidates: string[], extra: Partial<Span> = {}): Span => ({
  text,
  lang,
  kind,
  phrase: false,
  negated: false,
  candidates,
  piece: 0,
  ...extra,
});

function counts(single: Record<string, number>, pairs: Record<string, number> = {}): ArchiveCounts {
  return {
    of: (t) => single[t] ?? 0,
    together: (a, b) => pairs[`${a}+${b}`] ?? pairs[`${b}+${a}`] ?? 0,
  };
}

describe('chooseTranslations', () => {
  it('takes the candidate the archive uses most, discounted by the dictionary order', () => {
    const [chosen] = chooseTranslations([span('saudi', 'en', 'dictionary', ['沙特阿拉伯', '沙特'])], counts({ 沙特阿拉伯: 5, 沙特: 400 }));
    expect(chosen?.to).toBe('沙特');
    // Close counts: the dictionary's first choice stays.
    const [close] = chooseTranslations([span('saudi', 'en', 'dictionary', ['沙特阿拉伯', '沙特'])], counts({ 沙特阿拉伯: 300, 沙特: 400 }));
    expect(close?.to).toBe('沙特阿拉伯');
  });

  it('never chooses a candidate no article contains', () => {
    expect(chooseTranslations([span('默克尔', 'zh', 'dictionary', ['Angela Merkel', 'Merkel'])], counts({}))[0]?.to).toBeNull();
  });

  it('keeps a glossary concept as curated, whatever the counts', () => {
    expect(chooseTranslations([span('上合组织', 'zh', 'glossary', ['SCO'])], counts({}))[0]?.to).toBe('SCO');
  });

  it('prefers, among known candidates, the one seen beside the query\'s other words', () => {
    const spans = [span('strike', 'en', 'dictionary', ['打击', '罢工']), span('union', 'en', 'dictionary', ['工会'])];
    const archive = counts({ 打击: 900, 罢工: 100, 工会: 200 }, { '打击+工会': 2, '罢工+工会': 40 });
    expect(chooseTranslations(spans, archive).map((s) => s.to)).toEqual(['罢工', '工会']);
    // Without context the most frequent wins.
    expect(chooseTranslations(spans.slice(0, 1), archive)[0]?.to).toBe('打击');
  });

  it('asks for the counts it needs: every candidate, then candidates beside the context', () => {
    const spans = [span('strike', 'en', 'dictionary', ['打击', '罢工']), span('union', 'en', 'dictionary', ['工会']), span('上合组织', 'zh', 'glossary', ['SCO'])];
    expect(candidateTerms(spans)).toEqual(['打击', '罢工', '工会']);
    expect(candidatePairs(spans, counts({ 打击: 900, 罢工: 100, 工会: 200 }))).toEqual(
      expect.arrayContaining([
        ['打击', '工会'],
        ['罢工', '工会'],
        ['打击', 'SCO'],
        ['罢工', 'SCO'],
      ]),
    );
  });
});

describe('phrasings', () => {
  const chosen = (s: Span, to: string | null) => ({ ...s, to });

  it('writes the exact phrasing word by word in quotes, and a twin only where every content word crossed', () => {
    const p = phrasings('volcano Iceland', [chosen(span('volcano', 'en', 'dictionary', ['火山']), '火山'), chosen(span('iceland', 'en', 'dictionary', ['冰岛']), '冰岛')]);
    expect(p.exact).toEqual({ q: '"volcano" "iceland" ', qCrossed: '"volcano" "iceland" ', crossLanguage: '"火山" "冰岛" ' });
    expect(p.loose).toEqual({ q: 'volcano Iceland', qCrossed: 'volcano Iceland', crossLanguage: '火山 冰岛 ' });
    expect(p.terms).toEqual([
      { from: 'volcano', to: '火山', excluded: false },
      { from: 'iceland', to: '冰岛', excluded: false },
    ]);
    expect(p.coverage).toBe(1);

    const partial = phrasings('volcano eruption Iceland', [
      chosen(span('volcano', 'en', 'dictionary', ['火山']), '火山'),
      chosen(span('eruption', 'en', 'unknown', []), null),
      chosen(span('iceland', 'en', 'dictionary', ['冰岛']), '冰岛'),
    ]);
    expect(partial.exact?.crossLanguage).toBeNull();
    expect(partial.loose.crossLanguage).toBe('火山 冰岛 ');
    expect(partial.coverage).toBeCloseTo(2 / 3);
  });

  it('keeps glossary words bare for the engine\'s synonyms, multi-word names as phrases', () => {
    const p = phrasings('SCO "World Cup"', [
      chosen(span('sco', 'en', 'glossary', ['上合组织']), '上合组织'),
      chosen(span('world cup', 'en', 'dictionary', ['世界杯'], { phrase: true }), '世界杯'),
    ]);
    expect(p.exact).toMatchObject({ q: 'sco "world cup" ', crossLanguage: '上合组织 "世界杯" ' });
  });

  it('excludes in both languages from every phrasing of a crossed search', () => {
    const p = phrasings('SCO -Tianjin', [
      chosen(span('sco', 'en', 'glossary', ['上合组织'], { acronym: true }), '上合组织'),
      chosen(span('tianjin', 'en', 'dictionary', ['天津'], { negated: true }), '天津'),
    ]);
    // The query's own phrasing reaches Chinese articles through the engine's synonyms (SCO = 上合组织): it must
    // exclude 天津 too. Searched as typed only, it excludes what the reader typed.
    expect(p.exact).toEqual({ q: 'sco -"tianjin" ', qCrossed: 'sco -"tianjin" -"天津" ', crossLanguage: '上合组织 -"天津" -"tianjin" ' });
    expect(p.loose).toEqual({ q: 'SCO -Tianjin', qCrossed: 'SCO -Tianjin -"天津" ', crossLanguage: '上合组织 -"天津" -"tianjin" ' });
    expect(p.terms).toContainEqual({ from: 'tianjin', to: '天津', excluded: true });
  });

  it('never searches a typed acronym as the start of a longer word', () => {
    const p = phrasings('EU', [chosen(span('eu', 'en', 'glossary', ['欧盟'], { acronym: true }), '欧盟')]);
    expect(p.loose.q).toBe('EU ');
    // Any other last word is completed as it is typed.
    expect(phrasings('EUROF', [chosen(span('eurof', 'en', 'unknown', []), null)]).loose.q).toBe('EUROF');
  });

  it('matches Chinese typed as one piece as that phrase, leaving out nothing of it', () => {
    const p = phrasings('天津峰会 贸易', [
      chosen(span('天津', 'zh', 'dictionary', ['Tianjin'], { piece: 0 }), 'Tianjin'),
      chosen(span('峰', 'zh', 'stopword', [], { piece: 0 }), null),
      chosen(span('会', 'zh', 'stopword', [], { piece: 0 }), null),
      chosen(span('贸易', 'zh', 'dictionary', ['trade'], { piece: 1 }), 'trade'),
    ]);
    expect(p.exact?.q).toBe('"天津峰会" "贸易" ');
  });

  it('has no exact phrasing for function words alone', () => {
    expect(phrasings('the of', [chosen(span('the', 'en', 'stopword', []), null), chosen(span('of', 'en', 'stopword', []), null)]).exact).toBeNull();
  });
});
