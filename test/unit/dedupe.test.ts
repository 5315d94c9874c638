import { readSource } from '../../indexer/sources';
import { toNewsDocument } from '../../indexer/document';
import type { NewsDocument } from '../../services/article';
import {
  containment,
  DEFAULT_DEDUPE_OPTIONS,
  isNearDuplicate,
  jaccard,
  NearDuplicateGrouper,
  nearDuplicateScore,
  sequenceContained,
  similarity,
  shingleSet,
  type Similarity,
} from '../../services/dedupe';
import { loadUserDictionary } from '../../services/lexicon';
import { OutletRegistry } from '../../services/outlets';
import { Segmenter } from '../../services/text/segment';
import { SAMPLE_CORPUS } from '../support/harness';

const segmenter = new Segmenter(loadUserDictionary());
const split = (text: string) => segmenter.words(text);
const HOUR = 3600;
const DAY = 86_400;
const T0 = Date.parse('2025-08-28T07:41:00Z') / 1000;

const set = (...xs: number[]) => Uint32Array.from(xs).sort();

describe('set similarity', () => {
  it('computes Jaccard and containment on sorted sets', () => {
    expect(jaccard(set(1, 2, 3), set(2, 3, 4))).toBeCloseTo(2 / 4);
    expect(containment(set(1, 2), set(1, 2, 3, 4))).toBe(1);
    expect(jaccard(set(), set())).toBe(0);
  });

  it('builds word n-gram sets that ignore repetition and keep short texts', () => {
    expect(shingleSet(['a', 'b', 'a', 'b']).length).toBe(2);
    expect(shingleSet(['a', 'b', 'c', 'a', 'b', 'c'], 3).length).toBe(3);
    expect(shingleSet(['a'], 3).length).toBe(1);
    expect(shingleSet(['a', 'b', 'c'], 3)).not.toEqual(shingleSet(['c', 'b', 'a'], 3));
  });

  it('accepts a title inside another only whole and in order', () => {
    expect(sequenceContained(['弘扬', '上海精神'], ['孙壮志', '弘扬', '上海精神'])).toBe(true);
    expect(sequenceContained(['习近平', '会见', '法国', '总统'], ['习近平', '会见', '南非', '总统'])).toBe(false);
    expect(sequenceContained(['主席团', '举行', '会议'], ['主席团', '常务', '主席', '举行', '会议'])).toBe(false);
    expect(sequenceContained(['a', 'b'], ['ab'])).toBe(false);
  });
});

describe('the duplicate rule and its thresholds', () => {
  const o = DEFAULT_DEDUPE_OPTIONS;
  const retitled: Similarity = { titleJaccard: o.titleJaccard, titleContained: true, bodyWords: o.bodyWordsThreshold, bodyShingles: 0 };
  const sameText: Similarity = { titleJaccard: 0, titleContained: false, bodyWords: 1, bodyShingles: o.bodyShingleThreshold };

  it('rule T: contained title, enough shared words, within the title window (bounds inclusive)', () => {
    expect(isNearDuplicate(retitled, o.titleWindowSeconds)).toBe(true);
    expect(isNearDuplicate(retitled, -o.titleWindowSeconds)).toBe(true);
    expect(isNearDuplicate(retitled, o.titleWindowSeconds + 1)).toBe(false);
    expect(isNearDuplicate({ ...retitled, bodyWords: o.bodyWordsThreshold - 0.01 }, 0)).toBe(false);
    expect(isNearDuplicate({ ...retitled, titleJaccard: o.titleJaccard - 0.01 }, 0)).toBe(false);
    expect(isNearDuplicate({ ...retitled, titleContained: false }, 0)).toBe(false);
  });

  it('rule B: the same text under any title within the wider window', () => {
    expect(isNearDuplicate(sameText, o.windowSeconds)).toBe(true);
    expect(isNearDuplicate(sameText, o.windowSeconds + 1)).toBe(false);
    expect(isNearDuplicate({ ...sameText, bodyShingles: o.bodyShingleThreshold - 0.01 }, 0)).toBe(false);
    expect(isNearDuplicate(sameText, null)).toBe(true);
  });
});

/** Synthetic bodies: a shared template with a few changed words, like the Chinese corpus' recurring items. */
const meetingBody = (topic: string, detail: string) => `央视网消息（新闻联播）：国务院总理李强主持召开国务院常务会议，研究${topic}。会议指出，${detail}。`;

const doc = (id: string, title: string, body: string, timestamp: number | null) => ({ id, title, body, timestamp });

describe('NearDuplicateGrouper', () => {
  it('groups a copy with a byline added to its title and a re-worded summary; the earliest represents the group', () => {
    const g = new NearDuplicateGrouper(split);
    const later = g.place(doc('b', '孙壮志:弘扬上海精神 贡献上合力量', 'The Shanghai Spirit emphasizes mutual trust, mutual benefit, equality and consultation among member states.', T0 + 2 * HOUR));
    expect(later.self).toEqual({ id: 'b', dupGroup: 'b', dupOf: [] });
    const earlier = g.place(doc('a', '弘扬上海精神 贡献上合力量', 'The Shanghai Spirit is essential: mutual trust, mutual benefit, equality and consultation guide member states.', T0));
    expect(earlier.self).toEqual({ id: 'a', dupGroup: 'a', dupOf: ['b'] });
    expect(earlier.changed).toEqual([{ id: 'b', dupGroup: 'a', dupOf: ['a'] }]);
  });

  it('keeps a recurring headline with new bodies apart, on other days and on the same day', () => {
    const g = new NearDuplicateGrouper(split);
    const title = '李强主持召开国务院常务会议';
    const bodies = [
      meetingBody('促进民营经济发展壮大的政策措施', '民营企业是推进中国式现代化的生力军，要着力优化营商环境，依法保护民营企业产权和企业家权益，稳定市场预期'),
      meetingBody('当前防汛抗旱工作', '入汛以来多地遭受强降雨，要压实各级防汛责任，加强山洪地质灾害监测预警，及时转移受威胁群众'),
      meetingBody('进一步做好高校毕业生就业工作', '今年毕业生规模创新高，要拓宽市场化社会化就业渠道，扩大基层就业和见习岗位，强化困难毕业生帮扶'),
      meetingBody('秋粮生产和粮食收购', '秋粮占全年粮食产量的四分之三，要加强田间管理和病虫害防治，抓好收购资金和仓容准备，确保颗粒归仓'),
    ];
    const placed = [
      ...bodies.map((b, i) => g.place(doc(`w${i}`, title, b, T0 + i * 7 * DAY))),
      // The same headline several times in one evening, each with its own body.
      ...bodies.map((b, i) => g.place(doc(`s${i}`, title, b.replace('主持召开', '今天主持召开'), T0 + 30 * DAY + i * 60))),
    ];
    for (const p of placed) expect(p.self.dupOf).toEqual([]);
  });

  it('keeps template stories that differ by a name apart', () => {
    const g = new NearDuplicateGrouper(split);
    const body = (who: string) => `国家主席习近平今天在人民大会堂会见${who}。习近平指出，中方愿同各方一道，推动双边关系不断向前发展。`;
    expect(g.place(doc('fr', '习近平会见法国总统', body('法国总统'), T0)).self.dupOf).toEqual([]);
    expect(g.place(doc('za', '习近平会见南非总统', body('南非总统'), T0)).self.dupOf).toEqual([]);
  });

  it('groups the same text under a new title, and only within the window', () => {
    const body = 'WASHINGTON, March 17 - A White House-ordered report said that growing U.S. reliance on foreign oil into the 1990s could threaten national security.';
    const g = new NearDuplicateGrouper(split);
    g.place(doc('x', 'U.S. WARNS OF DEPENDENCE ON FOREIGN OIL', body, T0));
    expect(g.place(doc('y', 'CORRECTED - REPORT WARNS ON OIL', body, T0 + DAY)).self.dupGroup).toBe('x');
    expect(g.place(doc('z', 'REPORT WARNS ON OIL AGAIN', body, T0 + 10 * DAY)).self.dupOf).toEqual([]);
  });

  it('matches undated articles only with undated ones', () => {
    const g = new NearDuplicateGrouper(split);
    const body = 'Partners of those who love their hi-tech gear may want to get their presents in early this year as gadgets sell out.';
    g.place(doc('d', 'Gadget show heralds MP3 season', body, T0));
    expect(g.place(doc('u1', 'Gadget show heralds MP3 Christmas', body, null)).self.dupOf).toEqual([]);
    expect(g.place(doc('u2', 'Gadget show heralds MP3 season', body, null)).self.dupGroup).toBe('u1');
  });

  it('is idempotent: placing an id again changes nothing', () => {
    const g = new NearDuplicateGrouper(split);
    const body = 'Oil ministers meet in Vienna to discuss output quotas for the coming quarter and prices.';
    g.place(doc('p', 'OPEC MINISTERS MEET', body, T0));
    const q = g.place(doc('q', 'OPEC MINISTERS MEET', body, T0 + HOUR));
    const again = g.place(doc('q', 'OPEC MINISTERS MEET', body, T0 + HOUR));
    expect(again).toEqual({ self: q.self, changed: [] });
    expect(g.size).toBe(2);
  });

  it('moves a group to an earlier copy that arrives later, updating every member, also after seeding', () => {
    const body = 'Oil ministers meet in Vienna to discuss output quotas for the coming quarter and prices.';
    const g = new NearDuplicateGrouper(split);
    g.seed({ ...doc('p', 'OPEC MINISTERS MEET', body, T0), dupGroup: 'p', dupOf: ['q'] });
    g.seed({ ...doc('q', 'OPEC MINISTERS MEET', body, T0 + HOUR), dupGroup: 'p', dupOf: ['p'] });
    const early = g.place(doc('e', 'OPEC MINISTERS MEET', body, T0 - HOUR));
    expect(early.self).toEqual({ id: 'e', dupGroup: 'e', dupOf: ['p', 'q'] });
    expect(early.changed).toEqual([
      { id: 'p', dupGroup: 'e', dupOf: ['e', 'q'] },
      { id: 'q', dupGroup: 'e', dupOf: ['e', 'p'] },
    ]);
    // A seeded document seen again in a later run keeps its stored fields.
    expect(g.place(doc('q', 'OPEC MINISTERS MEET', body, T0 + HOUR)).self).toEqual({ id: 'q', dupGroup: 'e', dupOf: ['e', 'p'] });
  });

  it('keeps memory bounded: at most maxEntries remembered, the oldest forgotten first', () => {
    const g = new NearDuplicateGrouper(split, { maxEntries: 50 });
    for (let i = 0; i < 200; i++) g.place(doc(`n${i}`, `STORY NUMBER ${i} ABOUT TOPIC ${i % 7}`, `Body of story ${i} with words ${i * 3} and ${i * 5}.`, T0 + i));
    expect(g.size).toBe(50);
    // A copy of a forgotten article finds nothing; a copy of a remembered one finds it.
    expect(g.place(doc('c0', 'STORY NUMBER 0 ABOUT TOPIC 0', 'Body of story 0 with words 0 and 0.', T0)).self.dupOf).toEqual([]);
    expect(g.place(doc('c199', 'STORY NUMBER 199 ABOUT TOPIC 3', 'Body of story 199 with words 597 and 995.', T0 + 199)).self.dupOf).toEqual(['n199']);
  });

  it('groups exactly the two republished pairs of the sample corpus', async () => {
    const g = new NearDuplicateGrouper(split);
    const outlets = OutletRegistry.fromFile();
    const docs = new Map<string, NewsDocument>();
    for await (const record of readSource(SAMPLE_CORPUS)) {
      if (!record.ok) continue;
      const d = toNewsDocument(record.article, { outlets, words: split });
      for (const u of g.assign(d)) Object.assign(docs.get(u.id) as NewsDocument, u);
      docs.set(d.id, d);
    }
    const groups = [...docs.values()].filter((d) => d.dupOf.length > 0).map((d) => `${d.published} -> ${docs.get(d.dupGroup)?.published}`);
    expect(groups.sort()).toEqual([
      '2025-08-28T15:41:00+08:00 -> 2025-08-28T15:41:00+08:00',
      '2025-08-29T00:33:00+08:00 -> 2025-08-28T15:41:00+08:00',
      '2025-08-30T23:20:00+08:00 -> 2025-08-30T23:20:00+08:00',
      '2025-08-31T01:43:00+08:00 -> 2025-08-30T23:20:00+08:00',
    ]);
  });
});

describe('nearDuplicateScore', () => {
  it('decides exactly as isNearDuplicate(similarity) on every pair of the sample corpus, at several time gaps', async () => {
    const g = new NearDuplicateGrouper(split);
    const entries = [];
    for await (const r of readSource(SAMPLE_CORPUS)) {
      if (!r.ok) continue;
      const d = toNewsDocument(r.article, { outlets: OutletRegistry.fromFile(), words: split });
      entries.push(g.features(d));
      // A retitled copy: the title with a byline, the body unchanged, so that the title rule is exercised too.
      entries.push(g.features({ ...d, id: `${d.id}-byline`, title: `记者:${d.title}` }));
    }
    let matches = 0;
    for (const a of entries) {
      for (const b of entries) {
        for (const gap of [null, 0, 3600, 13 * 3600, 2 * 86_400, 4 * 86_400]) {
          const sim = similarity(a, b);
          const expected = isNearDuplicate(sim, gap) ? sim.titleJaccard + sim.bodyWords + sim.bodyShingles : null;
          expect(nearDuplicateScore(a, b, gap)).toBe(expected);
          if (expected !== null) matches += 1;
        }
      }
    }
    // Both outcomes occur, or the comparison proves nothing.
    expect(matches).toBeGreaterThan(0);
    expect(matches).toBeLessThan(entries.length * entries.length * 6);
  });
});
