import {
  ENGINE_MAX_SYNONYMS_PER_TERM,
  GlossaryError,
  GlossaryIndex,
  glossaryDictionaryWords,
  glossaryToSynonyms,
  loadGlossary,
  loadLexicon,
  parseGlossary,
} from '../../../services/lexicon';
import { phraseKey } from '../../../services/lexicon/english';

const SAMPLE = [
  '# comment line',
  '上合组织|上海合作组织\tSCO|Shanghai Cooperation Organization',
  '',
  '观察员国\tobserver state   # trailing comment',
  '友城|友好城市\tsister city|sister cities|twin town',
].join('\n');

function problemsOf(text: string): string[] {
  try {
    parseGlossary(text, 'g.tsv');
  } catch (error) {
    if (error instanceof GlossaryError) return error.problems;
    throw error;
  }
  throw new Error('expected a GlossaryError');
}

describe('parseGlossary', () => {
  it('reads concepts with their line numbers and drops redundant number forms', () => {
    const { concepts } = parseGlossary(SAMPLE);
    expect(concepts).toEqual([
      { line: 2, zh: ['上合组织', '上海合作组织'], en: ['SCO', 'Shanghai Cooperation Organization'] },
      { line: 4, zh: ['观察员国'], en: ['observer state'] },
      { line: 5, zh: ['友城', '友好城市'], en: ['sister city', 'twin town'] },
    ]);
  });

  it.each([
    ['上合组织 SCO', /g\.tsv:1: expected 2 tab-separated columns .*tab turned into spaces/],
    ['上合组织\tSCO\textra', /g\.tsv:1: expected 2 tab-separated columns .*found 3/],
    ['上海合作組織\tSCO', /g\.tsv:1: zh alias "上海合作組織" is not simplified Chinese/],
    ['SCO\tSCO', /g\.tsv:1: zh alias "SCO" a Chinese alias is Chinese characters/],
    ['上合组织\t上合', /g\.tsv:1: en alias "上合" an English alias is Latin letters/],
    ['上合组织\t', /g\.tsv:1: en alias needs at least one English alias/],
    ['', /g\.tsv: no concepts/],
  ])('rejects %j', (text, message) => {
    expect(problemsOf(text).join('\n')).toMatch(message);
  });

  it('rejects an alias claimed by two concepts, naming both lines, ignoring case and number', () => {
    const problems = problemsOf('观察员国\tobserver state\n# x\n观察员\tObserver States');
    expect(problems).toEqual(['g.tsv:3: alias "observer state" is already used by the concept on line 1']);
  });

  it('reports every problem at once', () => {
    expect(problemsOf('a b\n上海合作組織\tSCO\n友城\t')).toHaveLength(3);
  });

  it('rejects a concept with more forms than the engine accepts synonyms for one term', () => {
    // 30 lower-case aliases give 60 forms with their plurals.
    const letters = (k: number): string => String.fromCharCode(97 + Math.floor(k / 26)) + String.fromCharCode(97 + (k % 26));
    const many = Array.from({ length: 30 }, (_, k) => `term x${letters(k)}`).join('|');
    expect(problemsOf(`上合组织\t${many}`).join('\n')).toMatch(/exceed the engine's 50 synonyms per term/);
  });
});

describe('glossaryToSynonyms', () => {
  const synonyms = glossaryToSynonyms(parseGlossary(SAMPLE));

  it('links every form of a concept to every other form, in both directions and within a language', () => {
    expect(synonyms['上合组织']).toEqual(
      expect.arrayContaining(['上海合作组织', 'sco', 'shanghai cooperation organization']),
    );
    expect(synonyms['shanghai cooperation organization']).toEqual(expect.arrayContaining(['上合组织', '上海合作组织', 'sco']));
    for (const [key, values] of Object.entries(synonyms)) {
      expect(values).not.toContain(key);
      for (const value of values) expect(synonyms[value]).toContain(key);
    }
  });

  it('uses lower-case English keys and adds the other number of lower-case nouns', () => {
    expect(Object.keys(synonyms)).toEqual(expect.arrayContaining(['observer state', 'observer states', 'sister cities', 'twin towns']));
    expect(Object.keys(synonyms).some((k) => /[A-Z]/.test(k))).toBe(false);
    expect(synonyms['观察员国']).toEqual(['observer state', 'observer states']);
  });

  it('gives the Chinese aliases as dictionary words', () => {
    expect(glossaryDictionaryWords(parseGlossary(SAMPLE))).toEqual(['上合组织', '上海合作组织', '观察员国', '友城', '友好城市']);
  });
});

describe('GlossaryIndex', () => {
  const index = new GlossaryIndex(parseGlossary(SAMPLE));

  it('finds the longest alias, whatever the case and number', () => {
    const matches = index.match(['the', 'shanghai', 'cooperation', 'organization', 'and', 'sister', 'cities']);
    expect(matches.map((m) => [m.start, m.length, m.concept.zh[0]])).toEqual([
      [1, 3, '上合组织'],
      [5, 2, '友城'],
    ]);
    expect(index.lookup('观察员国')?.en).toEqual(['observer state']);
    expect(index.lookup('Observer States')?.zh).toEqual(['观察员国']);
    expect(index.lookup('observer')).toBeUndefined();
  });
});

describe('the project glossary (data/lexicon/glossary.tsv)', () => {
  const glossary = loadGlossary();
  const lexicon = loadLexicon(glossary);

  it('loads, and stays within the engine limits', () => {
    expect(glossary.concepts.length).toBeGreaterThanOrEqual(60);
    for (const values of Object.values(lexicon.synonyms)) expect(values.length).toBeLessThanOrEqual(ENGINE_MAX_SYNONYMS_PER_TERM);
  });

  it('covers the cross-language pairs the issue names', () => {
    const pairs: Array<[string, string]> = [
      ['上合组织', 'shanghai cooperation organization'],
      ['上海精神', 'shanghai spirit'],
      ['冷战思维', 'cold war mentality'],
      ['观察员国', 'observer states'],
      ['一带一路', 'belt and road'],
      ['友城', 'sister cities'],
    ];
    for (const [zh, en] of pairs) expect(lexicon.synonyms[zh]).toContain(en);
  });

  it('keeps every Chinese alias whole unless it begins or ends with another dictionary word', () => {
    const words = new Set(lexicon.words);
    for (const zh of glossaryDictionaryWords(glossary)) {
      const compound = lexicon.compounds.find((c) => c.word === zh);
      expect(words.has(zh) || compound !== undefined).toBe(true);
    }
    expect(lexicon.compounds.map((c) => c.word)).toEqual(expect.arrayContaining(['人类命运共同体', '上合组织命运共同体']));
  });

  it('has no English alias that is a stopword-only phrase', () => {
    for (const concept of glossary.concepts) for (const alias of concept.en) expect(phraseKey(alias)).not.toBe('');
  });
});
