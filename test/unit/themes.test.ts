import { loadUserDictionary } from '../../services/lexicon';
import { Segmenter } from '../../services/text/segment';
import { countSequence, foldWord, WordPositions, loadThemesFile, parseThemesFile, ThemeCatalog, ThemeTagger, type ThemesFile } from '../../services/themes';

const segmenter = new Segmenter(loadUserDictionary());
const split = (text: string) => segmenter.words(text);

/** A small catalogue with the defaults of the real file: title ×3, body ×1, body count capped at 3, threshold 3. */
const file: ThemesFile = parseThemesFile({
  themes: [
    { id: 'health', name: '卫生健康', nameEn: 'Health', terms: { zh: ['卫生', '医院'], en: ['health', 'hospital'] } },
    { id: 'summit', name: '天津峰会', nameEn: 'Tianjin Summit', threshold: 4, minDistinctTerms: 2, terms: { zh: [{ term: '天津峰会', weight: 4 }, { term: '天津', weight: 2 }, '峰会'], en: [{ term: 'Tianjin Summit', weight: 4 }, { term: 'Tianjin', weight: 2 }, 'summit'] } },
  ],
});
const tagger = new ThemeTagger(file, split);

describe('themes file', () => {
  it('parses the bundled data/themes.json with the themes the corpus needs', () => {
    const themes = loadThemesFile();
    const ids = themes.themes.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining(['tianjin-summit', 'shanghai-spirit', 'economy-trade', 'security', 'culture-exchange', 'health', 'global-governance']));
    for (const t of themes.themes) {
      expect(t.name).not.toBe('');
      expect(t.nameEn).not.toBe('');
      expect(t.terms.zh.length + t.terms.en.length).toBeGreaterThan(0);
    }
  });

  it('rejects duplicate ids and ids that cannot go in a URL', () => {
    const theme = { id: 'a', name: 'a', nameEn: 'a', terms: { zh: ['甲'], en: [] } };
    expect(() => parseThemesFile({ themes: [theme, theme] })).toThrow(/duplicate theme id a/);
    expect(() => parseThemesFile({ themes: [{ ...theme, id: 'Bad Id' }] })).toThrow();
  });

  it('labels known ids in both languages and unknown ids with themselves', () => {
    const catalog = new ThemeCatalog(file.themes);
    expect(catalog.label('health')).toEqual({ name: '卫生健康', nameEn: 'Health' });
    expect(catalog.label('from-source')).toEqual({ name: 'from-source', nameEn: 'from-source' });
  });
});

describe('word matching', () => {
  it('folds English case, plural and possessive s, but not -ss/-us/-is or short words', () => {
    expect(['Summits', 'HOSPITALS', 'news', 'us', 'crisis', 'business', 'status', 'securities'].map(foldWord)).toEqual([
      'summit', 'hospital', 'new', 'us', 'crisis', 'business', 'status', 'securitie',
    ]);
    expect(foldWord('卫生')).toBe('卫生');
  });

  it('counts word sequences, not substrings', () => {
    expect(countSequence(['tianjin', 'summit', 'in', 'tianjin', 'summit'], ['tianjin', 'summit'])).toBe(2);
    expect(countSequence(['tianjinsummit'], ['tianjin', 'summit'])).toBe(0);
    expect(countSequence([], ['a'])).toBe(0);
  });

  it('counts from word positions exactly what a scan counts', () => {
    const words = ['a', 'b', 'a', 'b', 'a', 'c', 'a', 'b'];
    const positions = new WordPositions(words);
    for (const seq of [['a'], ['a', 'b'], ['b', 'a'], ['a', 'b', 'a'], ['c'], ['d'], ['a', 'c', 'a', 'b'], ['a', 'b', 'x'], []]) {
      expect(positions.count(seq)).toBe(countSequence(words, seq));
    }
  });
});

describe('tagging', () => {
  it('tags on one title mention but not on one body mention (title weighs 3x)', () => {
    expect(tagger.tag('医院扩建', '')).toEqual(['health']);
    expect(tagger.tag('城市新闻', '一家医院扩建。')).toEqual([]);
    expect(tagger.tag('城市新闻', '医院扩建。医院将增加床位，医院门诊量增加。')).toEqual(['health']);
    // jieba keeps some compounds whole (卫生条件): they count only when listed as terms themselves.
    expect(tagger.tag('城市新闻', '卫生条件改善，医院扩建。')).toEqual([]);
  });

  it('gives no theme on weak signals', () => {
    expect(tagger.tag('Markets close higher', 'Shares rose on Monday; the hospital index was flat.')).toEqual([]);
    expect(tagger.tag('股市收盘', '今日股市上涨。')).toEqual([]);
  });

  it('caps how much one repeated body word can add', () => {
    const scores = tagger.scores('x', 'hospital hospital hospital hospital hospital hospital');
    expect(scores.find((s) => s.id === 'health')?.score).toBe(3);
  });

  it('tags an English-bodied and a Chinese-bodied article on one subject alike', () => {
    const zh = tagger.tag('外交部例行记者会', '发言人表示，上合组织天津峰会召开在即，相信天津峰会必将成为团结的盛会。');
    const en = tagger.tag('外交部例行记者会', 'The spokesman said the upcoming SCO Tianjin Summit is expected to be a united event.');
    expect(zh).toEqual(['summit']);
    expect(en).toEqual(['summit']);
  });

  it('needs two different signals for a theme that asks for them, unless a term weighted at the threshold occurs', () => {
    // 天津 alone is a city (title 天津 = 2 x 3 = 6 points, but one distinct term).
    expect(tagger.tag('天津港货物吞吐量增长', '天津港今年货物吞吐量增长。')).toEqual([]);
    expect(tagger.tag('Port news', 'The summit will be held in Tianjin; Tianjin is ready for the summit.')).toEqual(['summit']);
    expect(tagger.tag('新闻', '天津峰会')).toEqual(['summit']);
  });

  it('folds traditional characters and case before matching', () => {
    expect(tagger.tag('醫院擴建', '')).toEqual(['health']);
    expect(tagger.tag('HOSPITALS EXPAND', '')).toEqual(['health']);
  });

  it('tags the bundled catalogue on a Chinese and an English text about the Tianjin summit', () => {
    const real = new ThemeTagger(loadThemesFile(), split);
    expect(real.tag('上合组织天津峰会开幕', '')).toContain('tianjin-summit');
    expect(real.tag('Leaders arrive', 'Leaders arrived for the SCO Tianjin Summit, where the Tianjin Declaration will be signed.')).toContain('tianjin-summit');
    expect(real.tag('天气预报', '明天晴。')).toEqual([]);
  });
});
