import { serialize, deserialize } from 'node:v8';
import {
  compareAt,
  isInt32Array,
  packSorted,
  packStrings,
  packedCount,
  packedStringsSchema,
  sortedIndexOf,
  stringAt,
} from '../../../services/lexicon/packed-strings';
import { seededRandom } from '../../../scripts/seeded-random';

describe('packStrings / stringAt', () => {
  it('gives every string back, empty ones included', () => {
    const strings = ['贸易', '', 'trade', 'Pokémon', '𠀀x'];
    const packed = packStrings(strings);
    expect(packedCount(packed)).toBe(strings.length);
    expect(strings.map((_, i) => stringAt(packed, i))).toEqual(strings);
  });

  it('throws on an index outside the table', () => {
    const packed = packStrings(['a', 'b']);
    expect(() => stringAt(packed, 2)).toThrow(RangeError);
    expect(() => stringAt(packed, -1)).toThrow(RangeError);
  });
});

describe('sortedIndexOf', () => {
  it('finds each key and nothing else, in the order Array.prototype.sort gives', () => {
    // Han, Latin-1, a surrogate pair and prefixes of one another: the cases where a comparison could go wrong.
    const keys = ['trade', 'trade war', 'tra', '贸易', '贸', 'Zürich', 'zurich', '𠀀', '\uffff', 'a', ''];
    const packed = packSorted(keys);
    for (const key of keys) expect(stringAt(packed, sortedIndexOf(packed, key))).toBe(key);
    for (const missing of ['trad', 'trade wars', '贸易战', 'Zurich', 'b', ' ']) expect(sortedIndexOf(packed, missing)).toBe(-1);
  });

  it('agrees with a Set on random keys', () => {
    const random = seededRandom(7);
    const word = () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => 'ab贸易'.charAt(Math.floor(random() * 4))).join('');
    const keys = new Set(Array.from({ length: 200 }, word));
    const packed = packSorted(keys);
    for (let i = 0; i < 500; i++) {
      const probe = word();
      expect(sortedIndexOf(packed, probe) >= 0).toBe(keys.has(probe));
    }
  });

  it('returns -1 on an empty table', () => {
    expect(sortedIndexOf(packSorted([]), 'a')).toBe(-1);
  });
});

describe('compareAt', () => {
  it('orders by UTF-16 code units, shorter prefix first', () => {
    const packed = packStrings(['ab', 'b']);
    expect(compareAt(packed, 0, 'ab')).toBe(0);
    expect(compareAt(packed, 0, 'abc')).toBeLessThan(0);
    expect(compareAt(packed, 0, 'a')).toBeGreaterThan(0);
    expect(compareAt(packed, 1, 'a')).toBeGreaterThan(0);
  });
});

describe('packSorted', () => {
  it('refuses duplicates, which would make a lookup ambiguous', () => {
    expect(() => packSorted(['a', 'b', 'a'])).toThrow(/duplicate/);
  });
});

describe('packedStringsSchema', () => {
  it('accepts a table after a round trip through v8.serialize', () => {
    const back: unknown = deserialize(serialize(packStrings(['上合', 'SCO'])));
    const parsed = packedStringsSchema.parse(back);
    expect(stringAt(parsed, 1)).toBe('SCO');
    expect(isInt32Array(parsed.offsets)).toBe(true);
  });

  it.each([
    ['offsets past the text', { text: 'ab', offsets: Int32Array.from([0, 3]) }],
    ['offsets not starting at 0', { text: 'ab', offsets: Int32Array.from([1, 2]) }],
    ['a plain array of offsets', { text: 'ab', offsets: [0, 2] }],
    ['no offsets', { text: '', offsets: new Int32Array(0) }],
  ])('rejects %s', (_label, value) => {
    expect(packedStringsSchema.safeParse(value).success).toBe(false);
  });
});
