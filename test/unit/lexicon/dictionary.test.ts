import { wholeWords } from '../../../services/lexicon/dictionary';

describe('wholeWords', () => {
  it('leaves out a word that begins or ends with another listed word, so the shorter one still finds it', () => {
    const { words, compounds } = wholeWords(['命运共同体', '人类命运共同体', '上合组织', '上合组织峰会', '峰会', '天津峰会', '上海精神']);
    expect(words).toEqual(['上合组织', '上海精神', '命运共同体', '峰会'].sort());
    expect(compounds).toEqual(
      expect.arrayContaining([
        { word: '人类命运共同体', contains: '命运共同体' },
        { word: '上合组织峰会', contains: '峰会' },
        { word: '天津峰会', contains: '峰会' },
      ]),
    );
  });

  it('keeps a word that merely contains another in the middle, and deduplicates', () => {
    expect(wholeWords(['合作', '上海合作组织', '上海合作组织', '']).words).toEqual(['上海合作组织', '合作'].sort());
  });
});
