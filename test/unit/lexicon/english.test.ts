import { englishWords, numberVariants, phraseKey, pluralize, singularize } from '../../../services/lexicon/english';

describe('English number', () => {
  it.each([
    ['states', 'state'],
    ['cities', 'city'],
    ['partners', 'partner'],
    ['exchanges', 'exchange'],
    ['churches', 'church'],
    ['crises', 'crisis'],
    ['consensus', 'consensus'],
    ['news', 'news'],
    ['process', 'process'],
    ['summit', 'summit'],
  ])('singular of %s is %s', (plural, singular) => {
    expect(singularize(plural)).toBe(singular);
  });

  it.each([
    ['state', 'states'],
    ['city', 'cities'],
    ['day', 'days'],
    ['tax', 'taxes'],
    ['crisis', 'crises'],
    ['news', 'news'],
  ])('plural of %s is %s', (singular, plural) => {
    expect(pluralize(singular)).toBe(plural);
  });

  it('inflects only the last, lower-case word of a phrase', () => {
    expect(numberVariants('observer state').sort()).toEqual(['observer state', 'observer states']);
    expect(numberVariants('sister cities').sort()).toEqual(['sister cities', 'sister city']);
    expect(numberVariants('Shanghai Cooperation Organization')).toEqual(['shanghai cooperation organization']);
    expect(numberVariants('SCO')).toEqual(['sco']);
  });

  it('gives one key to every case and number of a phrase', () => {
    expect(phraseKey('Sister Cities')).toBe('sister city');
    expect(phraseKey('sister city')).toBe('sister city');
    expect(phraseKey('  Observer   STATES ')).toBe('observer state');
    expect(phraseKey('people-to-people exchanges')).toBe('people-to-people exchange');
    expect(phraseKey('')).toBe('');
  });

  it('splits words the way a query is read, keeping hyphenated compounds', () => {
    expect(englishWords('Xi Jinping, SCO+ and people-to-people ties 上合')).toEqual([
      'xi', 'jinping', 'sco', 'and', 'people-to-people', 'ties',
    ]);
    expect(englishWords('Café Zürich')).toEqual(['café', 'zürich']);
  });
});
