import { writeFileSync } from 'node:fs';
import { seededRandom } from './seeded-random';

/**
 * A generated bilingual news corpus for tests that need volume (sharding): deterministic from a seed, written to a
 * temporary JSON Lines file, never to the repository. Every `dupEvery`-th article is republished later by another
 * outlet (same title and body), so near-duplicate groups exist and can be split across shards.
 */

const ZH_TOPICS = ['上海合作组织', '上海精神', '一带一路', '多边主义', '全球治理', '天津峰会', '经济合作', '能源安全', '数字经济', '人文交流'];
const ZH_VERBS = ['推动', '深化', '加强', '拓展', '支持'];
const ZH_OBJECTS = ['贸易往来', '互联互通', '绿色发展', '安全合作', '科技创新', '友好城市'];
const EN_TOPICS = ['Shanghai Cooperation Organization', 'Belt and Road', 'multilateral trade', 'energy security', 'digital economy', 'Tianjin summit', 'regional security', 'cultural exchange'];
const EN_VERBS = ['boosts', 'deepens', 'expands', 'strengthens', 'reviews'];
const EN_OBJECTS = ['trade ties', 'connectivity', 'green development', 'security cooperation', 'innovation', 'sister cities'];
const OUTLETS_ZH = ['新华社', '经济日报', '中国新闻网', '央视网'];
const OUTLETS_EN = ['Reuters', 'BBC', 'Xinhua'];
const THEMES = ['economy', 'security', 'diplomacy', 'culture', 'energy'];

export interface SyntheticOptions {
  count: number;
  seed?: number;
  /** Every n-th article gets a later republication by another outlet. */
  dupEvery?: number;
  /** First publication, and the span in days the corpus covers. */
  start?: Date;
  spanDays?: number;
}

export interface SyntheticCorpus {
  lines: string[];
  articles: number;
  duplicatePairs: number;
}

export function syntheticCorpus(options: SyntheticOptions): SyntheticCorpus {
  const rand = seededRandom(options.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const start = (options.start ?? new Date('2025-06-01T00:00:00Z')).getTime();
  const spanMinutes = (options.spanDays ?? 120) * 24 * 60;
  const dupEvery = options.dupEvery ?? 25;
  // Distinct minutes, ascending: articles arrive in publication order and no two share a timestamp.
  const step = Math.floor(spanMinutes / (options.count * 1.1));
  const lines: string[] = [];
  let minute = 0;
  let pairs = 0;
  for (let i = 0; lines.length < options.count; i++) {
    minute += 1 + Math.floor(rand() * step);
    const zh = rand() < 0.55;
    const title = zh
      ? `${pick(ZH_TOPICS)}${pick(ZH_VERBS)}${pick(ZH_OBJECTS)} 第${i}期`
      : `${pick(EN_TOPICS)} ${pick(EN_VERBS)} ${pick(EN_OBJECTS)} (${i})`;
    const sentences = Array.from({ length: 3 + Math.floor(rand() * 4) }, () =>
      zh ? `${pick(ZH_TOPICS)}${pick(ZH_VERBS)}${pick(ZH_OBJECTS)}。` : `The ${pick(EN_TOPICS)} ${pick(EN_VERBS)} ${pick(EN_OBJECTS)}.`,
    );
    const body = sentences.join(zh ? '' : ' ');
    const outlets = zh ? OUTLETS_ZH : OUTLETS_EN;
    const outlet = pick(outlets);
    const themes = [pick(THEMES), ...(rand() < 0.3 ? [pick(THEMES)] : [])];
    const published = new Date(start + minute * 60_000).toISOString();
    lines.push(JSON.stringify({ title, body, outlet, published, url: null, category: null, themes }));
    if (i % dupEvery === 0 && lines.length < options.count) {
      // The republication: another outlet, a little later, the same text.
      minute += 1;
      const other = outlets.find((o) => o !== outlet) ?? outlet;
      lines.push(JSON.stringify({ title, body, outlet: other, published: new Date(start + minute * 60_000).toISOString(), url: null, category: null, themes }));
      pairs += 1;
    }
  }
  return { lines, articles: lines.length, duplicatePairs: pairs };
}

export function writeSyntheticCorpus(file: string, options: SyntheticOptions): SyntheticCorpus {
  const corpus = syntheticCorpus(options);
  writeFileSync(file, `${corpus.lines.join('\n')}\n`);
  return corpus;
}
