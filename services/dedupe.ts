import type { NewsDocument } from './article';
import { toSimplified } from './text/normalize';

/**
 * Near-duplicate stories (the same story republished, retitled or re-summarised) found while the indexer streams.
 *
 * Each article becomes three sets of hashed words (segmented by jieba, traditional folded to simplified): title words,
 * body words, body word 3-grams (shingles). Candidates come from MinHash LSH banding over the title words and the
 * body shingles, so an article is compared with a handful of others, not with everything; each candidate is then
 * checked exactly on the stored sets. Two articles are the same story when
 *
 *   (T) a retitled or re-summarised copy: published within `titleWindowSeconds`, one title is the other with words
 *       added before or after it (a byline, a tag; or the same title), title word Jaccard ≥ titleJaccard, and the
 *       bodies share words (Jaccard ≥ bodyWordsThreshold);
 *   (B) the same text under any title: published within `windowSeconds` and body 3-gram Jaccard ≥ bodyShingleThreshold.
 *
 * Undated articles only match undated ones. Why these rules (measured on the 50k corpus, scripts in the report):
 * CCTV's headlines are templates that differ by one name or word (习近平会见法国总统 / 习近平会见南非总统;
 * 主席团举行第二次会议 / 主席团常务主席第二次会议举行) – an added byline around an unchanged title (孙壮志:) is told
 * from a changed word by requiring the shorter title whole inside the longer; recurring headlines (李强主持召开国务院常务会议,
 * 文化中国行) come back on later days with new bodies – the short window of rule T and its body condition keep them
 * apart; template bodies (two 主席团 meetings, word Jaccard 0.91) differ in their 3-grams (0.69) – so rule B uses 3-grams.
 *
 * Memory is bounded: at most `maxEntries` articles are remembered (the oldest read is forgotten first), LSH buckets
 * hold at most `maxBucketSize` ids, and a group stops growing at `maxGroupSize`. An article can therefore only be
 * grouped with one of the last `maxEntries` articles read (in this run, plus those seeded from the index).
 * Measured on the 50k corpus (node --expose-gc): about 6.5 KB per remembered article, so the heap grows to ~125 MB at
 * 20,000 articles and stays there (125-145 MB from 20k to 50k read); grouping all 50,718 takes ~85 s of one core,
 * jieba included, and finds 489 groups (987 articles, all Reuters/BBC corrections and re-sends; none in the CCTV text).
 */

export interface DedupeOptions {
  /** Rule B: the same text further apart than this is a different story. */
  windowSeconds: number;
  /** Rule T: a similar title further apart than this is a recurring headline, not a copy. */
  titleWindowSeconds: number;
  titleJaccard: number;
  bodyWordsThreshold: number;
  bodyShingleThreshold: number;
  maxEntries: number;
  maxBucketSize: number;
  maxGroupSize: number;
}

export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = {
  windowSeconds: 3 * 86_400,
  titleWindowSeconds: 12 * 3600,
  titleJaccard: 0.5,
  bodyWordsThreshold: 0.35,
  bodyShingleThreshold: 0.8,
  maxEntries: 20_000,
  maxBucketSize: 64,
  maxGroupSize: 50,
};

/** What the grouper needs of a document (NewsDocument has all of it). */
export interface DedupeInput {
  id: string;
  title: string;
  body: string;
  timestamp: number | null;
}

export interface GroupFields {
  id: string;
  dupGroup: string;
  dupOf: string[];
}

export type WordSplitter = (text: string) => string[];

/** FNV-1a, 32 bits: a fast, well-spread hash for short strings. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's finaliser: turns (value, seed) into an independent-looking 32-bit hash, one per MinHash permutation. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The words compared: simplified, and 丨 (a CJK stroke headlines use as a separator, like |) is not a word. */
export function comparableWords(split: WordSplitter, text: string): string[] {
  return split(toSimplified(text).replace(/丨/g, ' '));
}

/** The distinct hashed word n-grams of a word list, sorted (what Jaccard and MinHash work on). */
export function shingleSet(words: readonly string[], n = 1): Uint32Array {
  const hashes = words.map(hash32);
  const set = new Set<number>();
  // An n-gram's hash is built from its words' hashes (no joined strings: this runs on every word of every article).
  const gram = (from: number, to: number) => {
    let h = 0;
    for (let k = from; k < to; k++) h = mix((h ^ (hashes[k] as number)) >>> 0, k - from + 1);
    return h;
  };
  if (n === 1) for (const h of hashes) set.add(h);
  else for (let i = 0; i + n <= hashes.length; i++) set.add(gram(i, i + n));
  // A text shorter than n words is its own single shingle.
  if (hashes.length > 0 && hashes.length < n) set.add(gram(0, hashes.length));
  return Uint32Array.from(set).sort();
}

/** Whether the shorter word sequence occurs, whole and in order, inside the longer (a byline or tag added around it). */
export function sequenceContained(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  if (short.length === 0) return false;
  const sep = '\u0001';
  return `${sep}${long.join(sep)}${sep}`.includes(`${sep}${short.join(sep)}${sep}`);
}

function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      common += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return common;
}

/** Exact Jaccard similarity of two sorted sets; two empty sets are not similar (nothing to compare). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  const common = intersectionSize(a, b);
  return common / (a.length + b.length - common);
}

/** Share of the smaller set found in the larger: 1 when one title only adds words (a byline) to the other. */
export function containment(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  return intersectionSize(a, b) / Math.min(a.length, b.length);
}

/**
 * LSH band keys of a set: `bands` MinHash bands of `rows` rows; sets sharing a key are candidates. A key is a 32-bit
 * hash of the band's kind, number and minima: numbers rather than strings, because the duplicate memory holds 24 keys
 * for each of its 20,000 articles. Two bands hashing alike only add a candidate, which the exact checks then reject.
 */
export function bandKeys(kind: number, set: Uint32Array, bands: number, rows: number): Uint32Array {
  if (set.length === 0) return new Uint32Array(0);
  const keys = new Uint32Array(bands);
  for (let b = 0; b < bands; b++) {
    let key = mix(kind * 1024 + b, 0x5bd1e995);
    for (let r = 0; r < rows; r++) {
      const seed = Math.imul(b * rows + r + 1, 0x9e3779b1);
      let min = 0xffffffff;
      for (const x of set) {
        const h = mix(x, seed);
        if (h < min) min = h;
      }
      key = mix((key ^ min) >>> 0, r + 1);
    }
    keys[b] = key;
  }
  return keys;
}

/**
 * Banding: P(candidate) = 1 - (1 - J^rows)^bands. Titles (short): 16 bands of 2 rows find J = 0.5 with p ≈ 0.99.
 * Body 3-grams: 8 bands of 4 rows find J = 0.8 with p ≈ 0.99 and J = 0.3 with p ≈ 0.06 (few wasted comparisons).
 */
const TITLE_BANDS = { bands: 16, rows: 2 };
const BODY_BANDS = { bands: 8, rows: 4 };

interface Member {
  id: string;
  timestamp: number | null;
}

interface Group {
  members: Member[];
}

export interface Entry {
  id: string;
  timestamp: number | null;
  titleWords: string[];
  title: Uint32Array;
  body: Uint32Array;
  bodyShingles: Uint32Array;
  keys: Uint32Array;
  group: Group;
}

/** Earliest publication first; undated last; the id breaks ties so the order never depends on arrival. */
function byPublication(a: Member, b: Member): number {
  if (a.timestamp !== b.timestamp) {
    if (a.timestamp === null) return 1;
    if (b.timestamp === null) return -1;
    return a.timestamp - b.timestamp;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function fieldsOf(group: Group, id: string): GroupFields {
  const first = group.members[0];
  return { id, dupGroup: first ? first.id : id, dupOf: group.members.filter((m) => m.id !== id).map((m) => m.id) };
}

export interface Similarity {
  titleJaccard: number;
  /** One title is the other with words added before or after it (孙壮志:弘扬… vs 弘扬…), or the same. */
  titleContained: boolean;
  bodyWords: number;
  bodyShingles: number;
}

/** The four similarity measures, each asked for only when a rule still needs it (see matchScore). */
interface Measures {
  bodyShingles(): number;
  titleJaccard(): number;
  bodyWords(): number;
  titleContained(): boolean;
}

/**
 * The duplicate rules (documented above): the match score (the sum of the three similarities) when a pair is a near
 * duplicate, null when it is not. The cheap tests come first, so that most candidates of a large archive, days apart
 * or sharing little text, are rejected after one measure.
 */
function matchScore(m: Measures, dtSeconds: number | null, opts: DedupeOptions): number | null {
  const gap = dtSeconds === null ? 0 : Math.abs(dtSeconds);
  const inTextWindow = gap <= opts.windowSeconds;
  const inTitleWindow = gap <= opts.titleWindowSeconds;
  if (!inTextWindow && !inTitleWindow) return null;
  const bodyShingles = m.bodyShingles();
  // Same text: the body's word 3-grams nearly all shared.
  if (inTextWindow && bodyShingles >= opts.bodyShingleThreshold) return m.titleJaccard() + m.bodyWords() + bodyShingles;
  // Retitled: one title inside the other and enough body words shared, within hours.
  if (!inTitleWindow) return null;
  const titleJaccard = m.titleJaccard();
  if (titleJaccard < opts.titleJaccard) return null;
  const bodyWords = m.bodyWords();
  if (bodyWords < opts.bodyWordsThreshold) return null;
  if (!m.titleContained()) return null;
  return titleJaccard + bodyWords + bodyShingles;
}

/** The duplicate rules on precomputed similarities, for tests and for tuning. */
export function isNearDuplicate(sim: Similarity, dtSeconds: number | null, opts: DedupeOptions = DEFAULT_DEDUPE_OPTIONS): boolean {
  const measures: Measures = {
    bodyShingles: () => sim.bodyShingles,
    titleJaccard: () => sim.titleJaccard,
    bodyWords: () => sim.bodyWords,
    titleContained: () => sim.titleContained,
  };
  return matchScore(measures, dtSeconds, opts) !== null;
}

type Comparable = Pick<Entry, 'title' | 'titleWords' | 'body' | 'bodyShingles'>;

export function similarity(a: Comparable, b: Comparable): Similarity {
  return {
    titleJaccard: jaccard(a.title, b.title),
    titleContained: sequenceContained(a.titleWords, b.titleWords),
    bodyWords: jaccard(a.body, b.body),
    bodyShingles: jaccard(a.bodyShingles, b.bodyShingles),
  };
}

/** The match score of two documents (null when they are not near duplicates), each measure computed on demand. */
export function nearDuplicateScore(a: Comparable, b: Comparable, dtSeconds: number | null, opts: DedupeOptions = DEFAULT_DEDUPE_OPTIONS): number | null {
  const measures: Measures = {
    bodyShingles: () => jaccard(a.bodyShingles, b.bodyShingles),
    titleJaccard: () => jaccard(a.title, b.title),
    bodyWords: () => jaccard(a.body, b.body),
    titleContained: () => sequenceContained(a.titleWords, b.titleWords),
  };
  return matchScore(measures, dtSeconds, opts);
}

function timeGap(a: number | null, b: number | null): number | null | 'incomparable' {
  if (a === null && b === null) return null;
  if (a === null || b === null) return 'incomparable';
  return a - b;
}

export class NearDuplicateGrouper {
  private readonly opts: DedupeOptions;
  private readonly entries = new Map<string, Entry>();
  private readonly buckets = new Map<number, string[]>();

  constructor(
    private readonly split: WordSplitter,
    options: Partial<DedupeOptions> = {},
  ) {
    this.opts = { ...DEFAULT_DEDUPE_OPTIONS, ...options };
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Places a document in its group and returns the group fields of every other member whose fields changed (their
   * stored copies need the update). The document's own fields are returned as `self`. Seeing an id again (a re-run)
   * changes nothing.
   */
  place(doc: DedupeInput): { self: GroupFields; changed: GroupFields[] } {
    const known = this.entries.get(doc.id);
    if (known) return { self: fieldsOf(known.group, doc.id), changed: [] };

    const entry = this.makeEntry(doc);
    const match = this.bestMatch(entry);
    const changed: GroupFields[] = [];
    if (match && match.group.members.length < this.opts.maxGroupSize) {
      const group = match.group;
      const listed = group.members.find((m) => m.id === doc.id);
      if (listed) listed.timestamp = doc.timestamp;
      else group.members.push({ id: doc.id, timestamp: doc.timestamp });
      group.members.sort(byPublication);
      for (const m of group.members) if (m.id !== doc.id) changed.push(fieldsOf(group, m.id));
      entry.group = group;
    }
    this.remember(entry);
    return { self: fieldsOf(entry.group, doc.id), changed };
  }

  /** The indexer's DuplicateGrouper: sets the document's group fields, returns the other members' new fields. */
  assign(doc: NewsDocument): GroupFields[] {
    const { self, changed } = this.place(doc);
    doc.dupGroup = self.dupGroup;
    doc.dupOf = self.dupOf;
    return changed;
  }

  /**
   * Loads a document already in the index with its stored group fields, so that a later run can add members to
   * existing groups. Members of a group that are not seeded themselves still count (as undated, until seeded).
   */
  seed(doc: DedupeInput & { dupGroup: string; dupOf: readonly string[] }): void {
    if (this.entries.has(doc.id)) return;
    const entry = this.makeEntry(doc);
    const ids = new Set([doc.dupGroup, doc.id, ...doc.dupOf]);
    let group: Group | undefined;
    for (const id of ids) {
      const other = this.entries.get(id);
      if (other && other.group.members.some((m) => m.id === doc.id)) group = other.group;
    }
    if (!group) group = { members: [...ids].map((id) => ({ id, timestamp: id === doc.id ? doc.timestamp : null })) };
    const self = group.members.find((m) => m.id === doc.id);
    if (self) self.timestamp = doc.timestamp;
    // The stored order (dupGroup first, then dupOf earliest first) stands until timestamps of all members are known.
    const stored = [doc.dupGroup, ...doc.dupOf];
    group.members.sort((a, b) => {
      const ia = stored.indexOf(a.id);
      const ib = stored.indexOf(b.id);
      return (ia < 0 ? Infinity : ia) - (ib < 0 ? Infinity : ib);
    });
    entry.group = group;
    this.remember(entry);
  }

  /**
   * Makes these documents one group, ordered by publication (members not remembered count as undated), and returns the
   * group fields of every member: how a group whose stored copies disagree (services/dedupe-repair.ts) is put right.
   */
  regroup(ids: readonly string[]): GroupFields[] {
    const group: Group = { members: ids.map((id) => ({ id, timestamp: this.entries.get(id)?.timestamp ?? null })) };
    group.members.sort(byPublication);
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry) entry.group = group;
    }
    return ids.map((id) => fieldsOf(group, id));
  }

  private makeEntry(doc: DedupeInput): Entry {
    return this.features(doc);
  }

  /** The comparable form of a document (exposed for tests and tuning scripts). */
  features(doc: DedupeInput): Entry {
    const titleWords = comparableWords(this.split, doc.title);
    const title = shingleSet(titleWords);
    const bodyWords = comparableWords(this.split, doc.body);
    const body = shingleSet(bodyWords);
    const bodyShingles = shingleSet(bodyWords, 3);
    const titleKeys = bandKeys(1, title, TITLE_BANDS.bands, TITLE_BANDS.rows);
    const bodyKeys = bandKeys(2, bodyShingles, BODY_BANDS.bands, BODY_BANDS.rows);
    const keys = new Uint32Array(titleKeys.length + bodyKeys.length);
    keys.set(titleKeys);
    keys.set(bodyKeys, titleKeys.length);
    const members = [{ id: doc.id, timestamp: doc.timestamp }];
    return { id: doc.id, timestamp: doc.timestamp, titleWords, title, body, bodyShingles, keys, group: { members } };
  }

  private bestMatch(entry: Entry): Entry | null {
    const seen = new Set<string>();
    let best: Entry | null = null;
    let bestScore = -1;
    for (const key of entry.keys) {
      for (const id of this.buckets.get(key) ?? []) {
        if (seen.has(id)) continue;
        seen.add(id);
        const other = this.entries.get(id);
        if (!other) continue;
        const gap = timeGap(entry.timestamp, other.timestamp);
        if (gap === 'incomparable') continue;
        const score = nearDuplicateScore(entry, other, gap, this.opts);
        if (score === null) continue;
        // Ties go to the smaller id so the result does not depend on bucket order.
        if (score > bestScore || (score === bestScore && best !== null && other.id < best.id)) {
          best = other;
          bestScore = score;
        }
      }
    }
    return best;
  }

  private remember(entry: Entry): void {
    this.entries.set(entry.id, entry);
    for (const key of entry.keys) {
      const list = this.buckets.get(key);
      if (!list) this.buckets.set(key, [entry.id]);
      else {
        list.push(entry.id);
        if (list.length > this.opts.maxBucketSize) list.shift();
      }
    }
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.forget(oldest);
    }
  }

  private forget(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    for (const key of entry.keys) {
      const list = this.buckets.get(key);
      if (!list) continue;
      const i = list.indexOf(id);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.buckets.delete(key);
    }
  }
}
