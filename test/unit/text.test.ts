import { detectLanguage } from '../../services/text/language';
import { normalizeQuery, toSimplified } from '../../services/text/normalize';
import { rememberingSplitter, Segmenter } from '../../services/text/segment';
import { loadUserDictionary, parseUserDictionary } from '../../services/lexicon';

describe('normalisation', () => {
  it('folds traditional to simplified, keeping UTF-8 length', () => {
    const t = '上海合作組織天津峰會觀察員國';
    expect(toSimplified(t)).toBe('上海合作组织天津峰会观察员国');
    expect(Buffer.byteLength(toSimplified(t))).toBe(Buffer.byteLength(t));
  });

  it('leaves Latin text alone and cleans queries', () => {
    expect(toSimplified('Shanghai Spirit')).toBe('Shanghai Spirit');
    expect(normalizeQuery('  上海\u0000精神\t\n ＳＣＯ ')).toBe('上海 精神 SCO');
  });
});

describe('language detection', () => {
  it.each([
    ['携手构建更加紧密的上海合作组织命运共同体', 'zh'],
    ['The 2025 Shanghai Cooperation Organization (SCO) Summit will be held in Tianjin', 'en'],
    ['(上合天津峰会)天津已同11个国家建立了20对不同层级的友城关系', 'zh'],
  ])('%s -> %s', (text, lang) => expect(detectLanguage(text)).toBe(lang));
});

describe('segmentation with the user dictionary', () => {
  const segmenter = new Segmenter(loadUserDictionary());

  it('keeps domain terms whole', () => {
    expect(segmenter.words('上合组织天津峰会弘扬上海精神')).toEqual(['上合组织', '天津峰会', '弘扬', '上海精神']);
  });

  it('keeps Latin words whole and drops punctuation', () => {
    expect(segmenter.words('The SCO, 上合组织!')).toEqual(['the', 'sco', '上合组织']);
  });

  it('without the dictionary cuts the term apart (why the dictionary exists)', () => {
    expect(new Segmenter().words('上合组织')).not.toEqual(['上合组织']);
  });

  it('parses the user-dictionary format', () => {
    expect(parseUserDictionary('# c\n上合组织 100 n\n\n上海精神\n上合组织\n')).toEqual(['上合组织', '上海精神']);
  });
});

describe('rememberingSplitter', () => {
  it('answers a text seen lately from memory and forgets the oldest beyond its size', () => {
    const calls: string[] = [];
    const split = rememberingSplitter((text) => {
      calls.push(text);
      return text.split(' ');
    }, 2);
    expect(split('a b')).toEqual(['a', 'b']);
    expect(split('a b')).toEqual(['a', 'b']);
    split('c');
    split('d'); // 'a b' is now the oldest beyond two and is forgotten
    split('a b');
    expect(calls).toEqual(['a b', 'c', 'd', 'a b']);
  });
});
