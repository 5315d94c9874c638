import { CrossLanguageDictionary, parseCedict, parseWordInfo } from '../../../services/lexicon/cedict';
import { QueryExpander, contentWords, expandQuery } from '../../../services/lexicon/expand';
import { GlossaryIndex, loadDictionaryWords, parseGlossary } from '../../../services/lexicon';
import { Segmenter } from '../../../services/text/segment';

const GLOSSARY = parseGlossary(
  [
    '上合组织|上海合作组织\tSCO|Shanghai Cooperation Organization',
    '冷战思维\tCold War mentality|Cold War thinking',
    '观察员国\tobserver state',
    '命运共同体\tcommunity with a shared future',
    '上合国家\tSCO country',
  ].join('\n'),
);

const CEDICT = [
  '撒馬爾罕 撒马尔罕 [Sa3 ma3 er3 han3] /Samarkand, city in Uzbekistan/',
  '烏茲別克斯坦 乌兹别克斯坦 [Wu1 zi1 bie2 ke4 si1 tan3] /Uzbekistan/',
  '貿易 贸易 [mao4 yi4] /(commercial) trade/',
  '友好城市 友好城市 [you3 hao3 cheng2 shi4] /sister cities/',
  '天津 天津 [Tian1 jin1] /Tianjin, a municipality in northeast China/',
  '我們 我们 [wo3 men5] /we/us/ourselves/our/',
  '冷戰 冷战 [leng3 zhan4] /cold war/',
  '思維 思维 [si1 wei2] /(line of) thought/thinking/',
  '組織 组织 [zu3 zhi1] /to organize/organization/',
  '新書 新书 [xin1 shu1] /new book/',
  '人數 人数 [ren2 shu4] /number of people/',
  '全力以赴 全力以赴 [quan2 li4 yi3 fu4] /to do at all costs/to make an all-out effort/',
].join('\n');

const INFO = '人数 900 n\n全力以赴 300 i\n撒马尔罕 79 nrt\n乌兹别克斯坦 138 ns\n贸易 6255 vn\n天津 4801 ns\n我们 30000 r\n组织 9000 v\n思维 2000 n';

function expander(options = {}): QueryExpander {
  const entries = parseCedict(CEDICT);
  const dictionary = CrossLanguageDictionary.fromEntries(entries, parseWordInfo(INFO, new Set(entries.map((e) => e.simplified))));
  const segmenter = new Segmenter(['上合组织', '上海合作组织', '冷战思维', '观察员国', '命运共同体', '友好城市']);
  return new QueryExpander(new GlossaryIndex(GLOSSARY), dictionary, segmenter, options);
}

describe('QueryExpander', () => {
  const x = expander();

  it('translates Chinese words the glossary lacks into English', () => {
    expect(x.expand('撒马尔罕').crossLanguage).toBe('Samarkand');
    expect(x.expand('天津 贸易')).toMatchObject({
      crossLanguage: 'Tianjin trade',
      translations: [
        { from: '天津', to: 'Tianjin', via: 'cc-cedict' },
        { from: '贸易', to: 'trade', via: 'cc-cedict' },
      ],
    });
  });

  it('keeps only the content words of a dictionary gloss, the gloss itself when it has none', () => {
    // Function words match nearly every English article: the engine's time, no ranking signal.
    expect(x.expand('人数')).toMatchObject({ crossLanguage: 'number people', translations: [{ from: '人数', to: 'number people' }] });
    expect(contentWords('to do at all costs')).toBe('costs');
    expect(contentWords('all of it')).toBe('all of it');
    // A glossary name too: the engine's synonyms still find the exact phrase through the first query.
    expect(x.expand('命运共同体')).toMatchObject({ crossLanguage: 'community shared future', translations: [{ via: 'glossary' }] });
  });

  it('translates English words and multi-word phrases into Chinese', () => {
    expect(x.expand('Uzbekistan').crossLanguage).toBe('乌兹别克斯坦');
    expect(x.expand('sister cities').crossLanguage).toBe('友好城市');
    expect(x.expand('Sister City in Tianjin').crossLanguage).toBe('友好城市 天津');
  });

  it('names glossary concepts by their preferred form in the other language, never through CC-CEDICT', () => {
    // The engine's synonyms find the exact phrase; this second query finds the words apart ("Summit ... in Tianjin").
    expect(x.expand('冷战思维')).toMatchObject({
      crossLanguage: 'Cold War mentality',
      translations: [{ from: '冷战思维', to: 'Cold War mentality', via: 'glossary' }],
    });
    expect(x.expand('Cold War mentality').crossLanguage).toBe('冷战思维');
    expect(x.expand('observer states').crossLanguage).toBe('观察员国');
    expect(x.expand('上合组织').crossLanguage).toBe('SCO');
    expect(x.expand('SCO 观察员国').crossLanguage).toBe('上合组织 observer state');
    expect(x.expand('上合组织 trade').crossLanguage).toBe('SCO 贸易');
  });

  it('names a concept itself when the engine cannot expand the form used', () => {
    // The engine looks synonyms up for 1 to 3 query words only.
    expect(x.expand('community with a shared future')).toMatchObject({
      crossLanguage: '命运共同体',
      translations: [{ from: 'community with a shared future', to: '命运共同体', via: 'glossary' }],
    });
    // A misspelt plural the engine's synonym table does not list, but that names the concept all the same.
    expect(x.expand('SCO countrys').crossLanguage).toBe('上合国家');
    expect(x.expand('SCO countries').crossLanguage).toBe('上合国家');
  });

  it('gives nothing for stopwords alone', () => {
    expect(x.expand('the of and')).toMatchObject({ crossLanguage: null, reason: 'empty' });
    expect(x.expand('我们 的')).toMatchObject({ crossLanguage: null, reason: 'empty' });
    expect(x.expand('')).toMatchObject({ crossLanguage: null, reason: 'empty' });
  });

  it('drops stopwords and keeps numbers', () => {
    expect(x.expand('trade with Uzbekistan 2025').crossLanguage).toBe('贸易 乌兹别克斯坦 2025');
  });

  it('gives up rather than translate half a query', () => {
    expect(x.expand('Samarkand xylophone')).toMatchObject({ crossLanguage: null, reason: 'untranslatable' });
    expect(x.expand('Shanghai Spirt')).toMatchObject({ crossLanguage: null });
  });

  it('respects the translation budget and the engine word limit', () => {
    expect(expander({ maxTranslations: 2 }).expand('trade Uzbekistan Samarkand')).toMatchObject({
      crossLanguage: null,
      reason: 'too-many-words',
    });
    expect(expander({ maxWords: 2 }).expand('Tianjin trade sister cities').reason).toBe('too-many-words');
    expect(expander({ maxTranslations: 5 }).expand('Tianjin trade sister cities').crossLanguage).toBe('天津 贸易 友好城市');
  });

  it('joins Chinese words the segmenter cut apart when the dictionary knows them whole', () => {
    // jieba's own dictionary has no 冷战思维 here; the glossary does, across the two tokens.
    expect(new Segmenter([]).cut('冷战思维')).toEqual(['冷战', '思维']);
    const plain = new QueryExpander(
      new GlossaryIndex(GLOSSARY),
      CrossLanguageDictionary.fromEntries(parseCedict(CEDICT), new Map()),
      new Segmenter([]),
    );
    expect(plain.expand('冷战思维')).toMatchObject({ crossLanguage: 'Cold War mentality', reason: 'expanded' });
  });
});

describe('expandQuery with the project glossary and the installed CC-CEDICT', () => {
  const segmenter = new Segmenter(loadDictionaryWords());

  it.each([
    ['撒马尔罕', 'Samarkand'],
    ['Uzbekistan', '乌兹别克斯坦'],
    ['Xi Jinping 上合组织', '习近平 SCO'],
    ['上合组织', 'SCO'],
    ['上海精神', 'Shanghai Spirit'],
    ['Shanghai Spirit', '上海精神'],
    ['sister cities', '友城'],
    ['冷战思维', 'Cold War mentality'],
    ['观察员国', 'observer state'],
    ['Belt and Road 上合组织', '一带一路 SCO'],
    // The engine splits hyphenated words; the expander does too when the whole form is unknown.
    ['people-to-people exchanges', '人文交流'],
  ])('%s -> %s', (q, expected) => {
    expect(expandQuery(q, segmenter).crossLanguage).toBe(expected);
  });
});
