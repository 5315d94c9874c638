import { compactLatin, leadingName, parseGloss } from '../../../services/lexicon/gloss';

// Words a gloss writes in lower case somewhere: ordinary English. Everything else here is a name.
const COMMON = new Set(['yellow', 'united', 'silver', 'river', 'lake', 'trade', 'country', 'nation', 'state']);
const isCommon = (w: string) => COMMON.has(w);
const forms = (gloss: string, pinyin = '') => parseGloss(gloss, isCommon, pinyin).forms;

describe('parseGloss', () => {
  it('gives a person by full name and surname, but a romanised Chinese name only whole', () => {
    expect(forms('Angela Merkel (1954-), German CDU politician, chancellor from 2005', 'Mo4 ke4 er3')).toEqual(['Angela Merkel', 'Merkel']);
    expect(forms('Mao Zedong (1893–1976), leader of the Chinese Communist Party 1935–1976', 'Mao2 Ze2 dong1')).toEqual(['Mao Zedong']);
    // A hyphenated given name ends a Korean name: its last part is not a surname.
    expect(forms('Kim Jong-un (c. 1983-), supreme leader of North Korea from 2011')).toEqual(['Kim Jong-un']);
  });

  it('gives every name a description names, and the short name a reader uses', () => {
    expect(forms('Yangtze River, or Chang Jiang')).toEqual(['Yangtze River', 'Yangtze', 'Chang Jiang']);
    expect(forms('Sebta or Ceuta (city in north Morocco)')).toEqual(['Sebta', 'Ceuta']);
    expect(forms('Dongting Lake in northeast Hunan province')).toEqual(['Dongting Lake', 'Dongting']);
    expect(forms("Hainan Island, China's southernmost province, off the coast of Guangdong")).toEqual(['Hainan Island', 'Hainan']);
    expect(forms('US Federal Reserve')).toEqual(['US Federal Reserve', 'Federal Reserve']);
  });

  it('never shortens a name to an ordinary word', () => {
    expect(forms('Yellow River')).toEqual(['Yellow River']);
    expect(forms('United Airlines, Inc., airline headquartered in Chicago')).toEqual(['United Airlines']);
    expect(forms('Silver Lake on the Grand Canal or its tributaries, namely: Jade Lake')).toEqual(['Silver Lake']);
  });

  it('reads semicolons as synonyms and commas as the start of a description', () => {
    expect(forms('country; nation; state')).toEqual(['country', 'nation', 'state']);
    expect(forms('Tianjin, a municipality in northeast China, abbr. 津')).toEqual(['Tianjin']);
  });

  it('keeps verbs recognisable and drops what no query contains', () => {
    expect(forms('to collide with')).toEqual(['to collide with', 'to collide']);
    expect(forms('(commercial) trade')).toEqual(['trade']);
    expect(forms('the Pentagon')).toEqual(['Pentagon']);
    expect(forms('gross domestic product (GDP)')).toEqual(['gross domestic product', 'GDP']);
  });

  it('follows a cross-reference instead of reading it as a translation', () => {
    expect(parseGloss('see 博鰲鎮|博鳌镇[Bo2 ao2 Zhen4]', isCommon)).toEqual({ forms: [], weak: [], reference: '博鳌镇' });
    expect(parseGloss('variant of 貿易|贸易[mao4 yi4]', isCommon)).toEqual({ forms: [], weak: [], reference: '贸易' });
    expect(forms('abbr. for Saudi Arabia')).toEqual(['Saudi Arabia']);
  });

  it("shortens an organisation's name only weakly: the short name may name something else", () => {
    expect(parseGloss('Japan Airlines (JAL)', isCommon)).toEqual({ forms: ['Japan Airlines'], weak: ['Japan'], reference: null });
  });

  it.each(['surname Li', 'CL:個|个[ge4]', '(slang) threesome', 'lit. to draw a snake and add feet', 'un-', ''])('drops %j', (raw) => {
    expect(forms(raw)).toEqual([]);
  });
});

describe('leadingName', () => {
  it('takes the capitalised words, with the connectors between them', () => {
    expect(leadingName('Boao Forum for Asia')).toBe('Boao Forum for Asia');
    expect(leadingName('Dongting Lake in northeast Hunan')).toBe('Dongting Lake');
    expect(leadingName('freight train')).toBeNull();
  });
});

describe('compactLatin', () => {
  it('meets numbered pinyin and a romanised name', () => {
    expect(compactLatin('Mao2 Ze2 dong1')).toBe(compactLatin('Mao Zedong'));
    expect(compactLatin("Bo'ao")).toBe('boao');
  });
});
