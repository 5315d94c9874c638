import { z } from 'zod';

/**
 * Many short strings as one string and one offset table. A Map of 90,000 words costs the heap an object per key and
 * per value (tens of megabytes for CC-CEDICT); this costs two allocations, and a sorted table is searched in place
 * (binary search, comparing UTF-16 code units like Array.prototype.sort does) without creating a string per step.
 * Plain data, so it crosses a process or thread boundary with v8.serialize or postMessage as it is.
 */
export interface PackedStrings {
  /** All strings, concatenated. */
  text: string;
  /** Start of string i at offsets[i], its end at offsets[i + 1]: one more entry than there are strings. */
  offsets: Int32Array;
}

export function packStrings(strings: readonly string[]): PackedStrings {
  const offsets = new Int32Array(strings.length + 1);
  let end = 0;
  strings.forEach((s, i) => {
    end += s.length;
    offsets[i + 1] = end;
  });
  if (end > 0x7fffffff) throw new RangeError('packStrings: text too long for 32-bit offsets');
  return { text: strings.join(''), offsets };
}

export function packedCount(packed: PackedStrings): number {
  return packed.offsets.length - 1;
}

/** String i; throws outside the table, because a bad index is a bug, not a missing word. */
export function stringAt(packed: PackedStrings, i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= packedCount(packed)) throw new RangeError(`stringAt: no string ${i}`);
  return packed.text.slice(packed.offsets[i], packed.offsets[i + 1]);
}

/** Negative, zero or positive as string i sorts before, equal to or after `key` (UTF-16 code unit order). */
export function compareAt(packed: PackedStrings, i: number, key: string): number {
  const start = packed.offsets[i] ?? 0;
  const length = (packed.offsets[i + 1] ?? 0) - start;
  const shared = Math.min(length, key.length);
  for (let k = 0; k < shared; k++) {
    const diff = packed.text.charCodeAt(start + k) - key.charCodeAt(k);
    if (diff !== 0) return diff;
  }
  return length - key.length;
}

/** Index of `key` in a table packed from sorted, distinct strings (see packSorted), or -1. */
export function sortedIndexOf(packed: PackedStrings, key: string): number {
  let lo = 0;
  let hi = packedCount(packed) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareAt(packed, mid, key);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Sorts (code unit order, as sortedIndexOf searches) and packs distinct strings; throws on a duplicate. */
export function packSorted(strings: Iterable<string>): PackedStrings {
  const sorted = [...strings].sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) throw new Error(`packSorted: duplicate ${JSON.stringify(sorted[i])}`);
  }
  return packStrings(sorted);
}

/**
 * Typed-array checks that hold across realms (jest runs tests in a vm context whose Int32Array is not node core's,
 * and v8.deserialize builds node core's), which `instanceof` does not.
 */
export function isInt32Array(value: unknown): value is Int32Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Int32Array]';
}

export function isUint8Array(value: unknown): value is Uint8Array {
  return ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]';
}

/** PackedStrings read back from another process or thread: offsets must start at 0, end at the text's length. */
export const packedStringsSchema = z
  .object({ text: z.string(), offsets: z.custom<Int32Array>(isInt32Array, 'expected an Int32Array') })
  .refine((p) => p.offsets.length >= 1 && p.offsets[0] === 0 && p.offsets[p.offsets.length - 1] === p.text.length, 'inconsistent offsets');

/**
 * A map from strings to short lists of numbers, packed: sorted keys, and for key i the values
 * values[starts[i]] .. values[starts[i + 1] - 1], in the order they were given.
 */
export interface PackedMultiMap {
  keys: PackedStrings;
  starts: Int32Array;
  values: Int32Array;
}

export function packMultiMap(map: ReadonlyMap<string, readonly number[]>): PackedMultiMap {
  const keys = packSorted(map.keys());
  const count = packedCount(keys);
  const starts = new Int32Array(count + 1);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    starts[i] = values.length;
    values.push(...(map.get(stringAt(keys, i)) ?? []));
  }
  starts[count] = values.length;
  return { keys, starts, values: Int32Array.from(values) };
}

/** The values of `key`, or an empty list. */
export function multiMapValues(map: PackedMultiMap, key: string): number[] {
  const i = sortedIndexOf(map.keys, key);
  if (i < 0) return [];
  return Array.from(map.values.subarray(map.starts[i] ?? 0, map.starts[i + 1] ?? 0));
}

export const packedMultiMapSchema = z
  .object({
    keys: packedStringsSchema,
    starts: z.custom<Int32Array>(isInt32Array, 'expected an Int32Array'),
    values: z.custom<Int32Array>(isInt32Array, 'expected an Int32Array'),
  })
  .refine((m) => m.starts.length === packedCount(m.keys) + 1 && m.starts[m.starts.length - 1] === m.values.length, 'inconsistent multimap');

/** A copy that owns its memory (v8.deserialize leaves typed arrays as views into one large buffer). */
export function ownMultiMap(m: PackedMultiMap): PackedMultiMap {
  return { keys: { text: m.keys.text, offsets: m.keys.offsets.slice() }, starts: m.starts.slice(), values: m.values.slice() };
}
