import { readFileSync } from 'node:fs';
import { parseScrapedPage } from '../../indexer/sources/scraped-page';
import { SAMPLE_CORPUS } from '../support/harness';

const okArticles = (text: string) => [...parseScrapedPage(text, 'page.txt')].flatMap((r) => (r.ok ? [r.article] : []));
const problems = (text: string) => [...parseScrapedPage(text, 'page.txt')].flatMap((r) => (r.ok ? [] : [r]));

describe('scraped results page', () => {
  it('reads the ten articles of the bundled sample and skips the header', () => {
    const records = [...parseScrapedPage(readFileSync(SAMPLE_CORPUS, 'utf8'), 'sample.txt')];
    expect(records.filter((r) => !r.ok)).toEqual([]);
    const articles = okArticles(readFileSync(SAMPLE_CORPUS, 'utf8'));
    expect(articles).toHaveLength(10);
    expect(articles[0]).toMatchObject({ title: '携手构建更加紧密的上海合作组织命运共同体', outlet: 'Xin Hua She', location: { file: 'page.txt', line: 4 } });
    expect(articles[0]?.published?.toISOString()).toBe('2025-08-31T19:35:00.000Z');
  });

  it('reads the outlet line in Beijing time', () => {
    const [a] = okArticles('标题\nJing Ji Ri Bao· 2025-08-30 23:20\n正文');
    expect(a?.published?.toISOString()).toBe('2025-08-30T15:20:00.000Z');
    expect(a?.outlet).toBe('Jing Ji Ri Bao');
  });

  it.each([
    ['an impossible date', '标题\nXin Hua She· 2025-02-30 10:00\n正文', 1, /published is not a valid date/],
    ['an empty title', ' \nXin Hua She· 2025-08-30 10:00\n正文', 1, /title is empty/],
    ['a missing body', '标题\nXin Hua She· 2025-08-30 10:00', 1, /missing body/],
  ])('reports %s with its line and goes on', (_name, text, line, reason) => {
    const [problem] = problems(`${text}\n好标题\nXin Hua She· 2025-08-30 10:00\n好正文`);
    expect(problem).toMatchObject({ location: { file: 'page.txt', line } });
    expect(problem && !problem.ok ? problem.reason : '').toMatch(reason);
    expect(okArticles(`${text}\n好标题\nXin Hua She· 2025-08-30 10:00\n好正文`).map((a) => a.title)).toContain('好标题');
  });
});
