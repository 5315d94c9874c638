import {
  CrossLanguageDictionary,
  buildPackedCrossLanguage,
  buildPackedInChildProcess,
  cleanGloss,
  loadCrossLanguageDictionary,
  packCrossLanguage,
  parseCedict,
  parseWordInfo,
  type PackedCrossLanguage,
} from '../../../services/lexicon/cedict';

describe('cleanGloss', () => {
  it.each([
    ['(commercial) trade', 'trade'],
    ['Tianjin, a municipality in northeast China, abbr. 津', 'Tianjin'],
    ['Shanghai municipality, central east China, abbr. to 滬|沪[Hu4]', 'Shanghai'],
    ['Xi Jinping (1953-), PRC politician, General Secretary of the CPC from 2012', 'Xi Jinping'],
    ['to cooperate', 'to cooperate'],
    ['(coll.) shiver', 'shiver'],
    ['fig. a bottleneck', 'a bottleneck'],
  ])('keeps the translation in %j', (raw, clean) => {
    expect(cleanGloss(raw)).toBe(clean);
  });

  it.each([
    'variant of 貿易|贸易[mao4 yi4]',
    'old variant of 週|周[zhou1]',
    'surname Li',
    'CL:個|个[ge4]',
    'abbr. for 上海合作組織|上海合作组织',
    'see 葡萄[pu2 tao5]',
    '(slang) threesome',
    '(Internet slang) thank you (loanword)',
    'lit. to draw a snake and add feet',
    'un-',
    'a long definition of a thing that has far too many words in it',
    '',
  ])('drops %j', (raw) => {
    expect(cleanGloss(raw)).toBeNull();
  });
});

const FIXTURE = [
  '# CC-CEDICT fixture',
  '貿易 贸易 [mao4 yi4] /(commercial) trade/CL:個|个[ge4]/',
  '商業 商业 [shang1 ye4] /business/trade/commerce/',
  '協作 协作 [xie2 zuo4] /cooperation/coordination/',
  '合作 合作 [he2 zuo4] /to cooperate/to collaborate/to work together/cooperation/CL:個|个[ge4]/',
  '友好城市 友好城市 [you3 hao3 cheng2 shi4] /sister cities/',
  '李 李 [Li3] /surname Li/',
  '天津 天津 [Tian1 jin1] /Tianjin, a municipality in northeast China, abbr. 津/',
  '不加 不加 [bu4 jia1] /without/not/un-/',
  'garbage line',
].join('\n');

const INFO = ['贸易 6255 vn', '商业 8000 n', '协作 900 vn', '合作 13478 vn', '天津 4801 ns', '不加 40 d', 'other 1 x'].join('\n');

describe('CrossLanguageDictionary', () => {
  const entries = parseCedict(FIXTURE);
  const dictionary = CrossLanguageDictionary.fromEntries(entries, parseWordInfo(INFO, new Set(entries.map((e) => e.simplified))));

  it('keeps multi-character headwords with cleaned glosses only', () => {
    expect(entries.map((e) => e.simplified)).toEqual(['贸易', '商业', '协作', '合作', '友好城市', '天津', '不加']);
    expect(dictionary.glosses('贸易')).toEqual(['trade']);
    expect(dictionary.glosses('李')).toEqual([]);
  });

  it('translates a Chinese word by its main sense, preferring a noun for a noun-like word', () => {
    expect(dictionary.toEnglish('天津')).toBe('Tianjin');
    expect(dictionary.toEnglish('合作')).toBe('cooperation');
    expect(dictionary.toEnglish('不存在')).toBeNull();
  });

  it('translates English by the most common word whose main sense it is', () => {
    expect(dictionary.toChinese('trade')).toBe('贸易');
    expect(dictionary.toChinese('Trade')).toBe('贸易');
    expect(dictionary.toChinese('business')).toBe('商业');
    // 合作 is fifteen times as frequent as 协作, enough to win with a later sense.
    expect(dictionary.toChinese('cooperation')).toBe('合作');
  });

  it('looks up multi-word English phrases in either number', () => {
    expect(dictionary.toChinese('sister city')).toBe('友好城市');
    expect(dictionary.toChinese('Sister Cities')).toBe('友好城市');
    expect(dictionary.maxPhraseWords).toBe(2);
  });

  it('packs headwords and English keys sorted, with a tag table and each key pointing at its word', () => {
    const packed = packCrossLanguage(new Map([['贸易', ['trade']], ['天津', ['Tianjin']]]), new Map([['天津', { freq: 1, tag: 'ns' }]]));
    expect(packed.headwords.text).toBe('天津贸易');
    expect(packed.englishKeys.text).toBe('tianjintrade');
    expect([...packed.englishTargets]).toEqual([0, 1]);
    expect(packed.tagNames).toEqual(['', 'ns']);
    expect([...packed.tagCodes]).toEqual([1, 0]);
  });

  it('reads jieba word information for the wanted words only', () => {
    const info = parseWordInfo(INFO, new Set(['贸易']));
    expect([...info]).toEqual([['贸易', { freq: 6255, tag: 'vn' }]]);
  });
});

describe('the installed CC-CEDICT', () => {
  // Loaded once: this is the real start-up cost the search service pays.
  const { dictionary, stats } = loadCrossLanguageDictionary();

  it('loads within a few seconds of CPU', () => {
    expect(dictionary.size.headwords).toBeGreaterThan(50_000);
    // CPU time, not wall time: test workers share a busy machine, and only our own work should count.
    expect(stats.cpuMs).toBeLessThan(5_000);
  });

  it.each([
    ['天津', 'Tianjin'],
    ['乌兹别克斯坦', 'Uzbekistan'],
    ['国内生产总值', 'gross domestic product'],
    ['发言人', 'spokesperson'],
  ])('%s -> %s', (zh, en) => {
    expect(dictionary.toEnglish(zh)).toBe(en);
  });

  it.each([
    ['Samarkand', '撒马尔罕'],
    ['Uzbekistan', '乌兹别克斯坦'],
    ['trade', '贸易'],
    ['hospital', '医院'],
    ['Xi Jinping', '习近平'],
  ])('%s -> %s', (en, zh) => {
    expect(dictionary.toChinese(en)).toBe(zh);
  });
});

describe('the CC-CEDICT build in a child process', () => {
  const same = (a: PackedCrossLanguage, b: PackedCrossLanguage) => {
    for (const table of ['headwords', 'glosses', 'englishKeys'] as const) {
      expect(a[table].text === b[table].text).toBe(true);
      expect(Buffer.compare(Buffer.from(a[table].offsets.buffer), Buffer.from(b[table].offsets.buffer))).toBe(0);
    }
    expect(Buffer.compare(Buffer.from(a.tagCodes), Buffer.from(b.tagCodes))).toBe(0);
    expect(Buffer.compare(Buffer.from(a.englishTargets.buffer), Buffer.from(b.englishTargets.buffer))).toBe(0);
    expect(a.tagNames).toEqual(b.tagNames);
    expect(a.maxPhraseWords).toBe(b.maxPhraseWords);
  };

  it('hands over exactly what the in-process build makes, in arrays of its own', () => {
    const fromChild = buildPackedInChildProcess();
    same(fromChild, buildPackedCrossLanguage());
    // Not views into the child's whole output, which would keep it alive.
    expect(fromChild.englishTargets.buffer.byteLength).toBe(fromChild.englishTargets.byteLength);
    expect(new CrossLanguageDictionary(fromChild).toChinese('Samarkand')).toBe('撒马尔罕');
  });
});
