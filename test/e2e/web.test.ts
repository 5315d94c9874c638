import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWeb } from '../../scripts/build-web';
import type { SearchResponse } from '../../search-api/search/search-service';
import { NodeEngine } from '../../services/meili/node-engine';
import { indexInto, qs, SAMPLE_CORPUS, startTestApi, testEngine, uniqueIndex, type TestApi } from '../support/harness';
import { collectProblems, DESKTOP, launchChromium, params, PHONE, screenshot, settled } from './browser';

/**
 * The real page in headless Chromium against the real API and engine: the sample corpus in one index; a second
 * index with a hostile document and enough articles to page through; and an API whose engine connection can be cut
 * and restored, for the "engine down" state. Expected values come from the API's own answers, never hard-coded.
 */

const engine = testEngine();
const sampleIndex = uniqueIndex('web-sample');
const extraIndex = uniqueIndex('web-extra');
let sample: TestApi;
let extra: TestApi;
let flaky: TestApi;
let proxy: SwitchableProxy;
let browser: Browser;
let tmp: string;

/** Text a hostile source could carry; the page must show it as text and run nothing. */
const HOSTILE_TITLE = '注入测试 xssprobe <script>window.__xss = "title"</script> <img src=x onerror="window.__xss=\'img\'">';
const HOSTILE_BODY =
  'xssprobe 正文 <script>window.__xss = "body"</script> <b>bold</b> <img src=x onerror=window.__xss=1> ' +
  '<a href="javascript:window.__xss=2">link</a> &lt;already escaped&gt; &amp; done';
const PAGING_ARTICLES = 24;

/** A TCP relay to the engine that can refuse connections: the engine "goes down" and "comes back". */
interface SwitchableProxy {
  url: string;
  up: boolean;
  close(): Promise<void>;
}

async function startProxy(target: URL): Promise<SwitchableProxy> {
  const sockets = new Set<net.Socket>();
  const state = { up: true };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!state.up) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get up() {
      return state.up;
    },
    set up(v: boolean) {
      state.up = v;
      // Kept-alive connections would outlive the switch; cutting them makes "down" mean down at once.
      if (!v) for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function writeExtraCorpus(dir: string): string {
  const lines = [{ title: HOSTILE_TITLE, body: HOSTILE_BODY, outlet: 'Xin Hua She', published: '2025-08-25 09:30' }];
  const topics = ['港口', '铁路', '农业', '教育', '医疗', '能源', '旅游', '科技'];
  for (let i = 1; i <= PAGING_ARTICLES; i++) {
    const topic = topics[i % topics.length] ?? '';
    lines.push({
      title: `pagingprobe 第${i}篇 ${topic}合作进展`,
      body: `pagingprobe article ${i}. ${topic}领域的第${i}项合作 number ${i * 37} in series ${String.fromCharCode(65 + (i % 26))}.`,
      outlet: i % 2 ? 'Zhong Guo Xin Wen Wang' : 'Yang Shi Wang',
      published: `2025-07-${String(1 + (i % 28)).padStart(2, '0')} ${String(8 + (i % 12)).padStart(2, '0')}:00`,
    });
  }
  const file = path.join(dir, 'extra.jsonl');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

async function apiSearch(api: TestApi, p: Parameters<typeof qs>[0]): Promise<SearchResponse> {
  const res = await api.get<SearchResponse>(`/api/search${qs(p)}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function newPage(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'America/New_York' });
  const page = await context.newPage();
  return { context, page, problems: collectProblems(page) };
}

/** `{ value: count }` of one facet as the page shows it. */
async function facetCounts(page: Page, facet: 'outlet' | 'theme' | 'lang'): Promise<Record<string, number>> {
  return page.$$eval(`#facet-${facet} .facet-option`, (rows) =>
    Object.fromEntries(
      rows.map((row) => [
        (row.querySelector('input') as HTMLInputElement).value,
        Number((row.querySelector('.facet-count')?.textContent ?? '').replace(/[^\d]/g, '')),
      ]),
    ),
  );
}

const titles = (page: Page) => page.$$eval('#results .hit-title', (els) => els.map((e) => e.textContent ?? ''));
const summary = async (page: Page) => (await page.textContent('#summary')) ?? '';

beforeAll(async () => {
  await buildWeb();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'web-e2e-'));
  const [s, x] = await Promise.all([indexInto(engine, sampleIndex), indexInto(engine, extraIndex, [writeExtraCorpus(tmp)])]);
  expect(s.failedTasks).toEqual([]);
  expect(x).toMatchObject({ indexed: PAGING_ARTICLES + 1, failedTasks: [] });
  proxy = await startProxy(new URL(engine.connection.url));
  const viaProxy = new NodeEngine({ url: proxy.url, apiKey: engine.connection.apiKey, timeoutMs: 3_000 });
  [sample, extra, flaky, browser] = await Promise.all([
    startTestApi(engine, sampleIndex),
    startTestApi(engine, extraIndex),
    startTestApi(viaProxy, sampleIndex),
    launchChromium(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([sample?.close(), extra?.close(), flaky?.close(), proxy?.close()]);
  await Promise.all([engine.deleteIndexIfExists(sampleIndex), engine.deleteIndexIfExists(extraIndex)]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the web page', () => {
  it('searches a Chinese query as you type and highlights it', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(sample.server.url);
    await settled(page);
    const searches: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/search')) searches.push(r.url());
    });

    await page.locator('#q').pressSequentially('上海精神', { delay: 40 });
    await page.waitForURL((u) => u.searchParams.get('q') === '上海精神');
    await settled(page);

    const expected = await apiSearch(sample, { q: '上海精神' });
    expect(expected.total).toBeGreaterThan(0);
    expect(searches).toHaveLength(1); // debounced: one search for four keystrokes
    expect(await summary(page)).toMatch(new RegExp(`^共 ${expected.total} 条结果（用时 [\\d,]+ 毫秒）$`));
    expect(await titles(page)).toEqual(expected.hits.map((h) => h.title));
    const marks = await page.$$eval('#results .hit-title mark', (els) => els.map((e) => e.textContent));
    expect(marks).toContain('上海精神');
    expect(await page.title()).toContain('上海精神');
    await screenshot(page, 'desktop-zh-query');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('narrows by an outlet with disjunctive counts and puts it in the URL', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(sample.server.url);
    await settled(page);
    const outletsBefore = await facetCounts(page, 'outlet');
    const langsBefore = await facetCounts(page, 'lang');
    expect(outletsBefore['xinhua']).toBeGreaterThan(0);

    await page.check('#facet-outlet input[value="xinhua"]');
    await page.waitForURL((u) => u.searchParams.getAll('outlet').join() === 'xinhua');
    await settled(page);

    const expected = await apiSearch(sample, { outlet: ['xinhua'] });
    // The count shown before the click is what the click returns.
    expect(expected.total).toBe(outletsBefore['xinhua']);
    expect(await summary(page)).toMatch(new RegExp(`^共 ${expected.total} 条结果`));
    expect(await titles(page)).toEqual(expected.hits.map((h) => h.title));
    const outletNames = await page.$$eval('#results .meta-outlet', (els) => els.map((e) => e.textContent));
    expect(new Set(outletNames)).toEqual(new Set(['新华社']));
    // Other outlets keep their counts (their own facet ignores the outlet filter); languages are now counted within Xinhua.
    expect(await facetCounts(page, 'outlet')).toEqual(outletsBefore);
    const langsAfter = await facetCounts(page, 'lang');
    expect(langsAfter).toEqual(Object.fromEntries(expected.facets.lang.map((f) => [f.value, f.count])));
    expect(langsAfter).not.toEqual(langsBefore);
    expect(await page.isChecked('#facet-outlet input[value="xinhua"]')).toBe(true);
    expect(await page.textContent('#chips')).toContain('新华社');

    // The chip removes the filter again.
    await page.click('#chips .chip');
    await page.waitForURL((u) => !u.searchParams.has('outlet'));
    await settled(page);
    expect(await facetCounts(page, 'lang')).toEqual(langsBefore);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reproduces the whole state from a reloaded link, and back and forward walk the history', async () => {
    const { context, page, problems } = await newPage();
    const link = `${sample.server.url}/?q=${encodeURIComponent('上海合作组织')}&outlet=xinhua&outlet=economic-daily&sort=oldest&collapse=false`;
    await page.goto(link);
    await settled(page);
    const snapshot = async () => ({
      url: page.url(),
      q: await page.inputValue('#q'),
      sort: await page.inputValue('#sort'),
      collapse: await page.isChecked('#collapse'),
      checked: await page.$$eval('#filters input[type=checkbox]:checked', (els) => els.map((e) => (e as HTMLInputElement).value)),
      titles: await titles(page),
      summary: (await summary(page)).replace(/（用时 [\d,]+ 毫秒）/, ''),
    });
    const first = await snapshot();
    expect(first).toMatchObject({ q: '上海合作组织', sort: 'oldest', collapse: false });
    expect([...first.checked].sort()).toEqual(['economic-daily', 'xinhua']);
    const expected = await apiSearch(sample, { q: '上海合作组织', outlet: ['xinhua', 'economic-daily'], sort: 'oldest', collapse: false });
    expect(first.titles).toEqual(expected.hits.map((h) => h.title));
    expect(first.titles.length).toBeGreaterThan(1);

    await page.reload();
    await settled(page);
    expect(await snapshot()).toEqual(first);

    await page.selectOption('#sort', 'newest');
    await page.waitForURL((u) => u.searchParams.get('sort') === 'newest');
    await settled(page);
    const second = await snapshot();
    const newest = await apiSearch(sample, { q: '上海合作组织', outlet: ['xinhua', 'economic-daily'], sort: 'newest', collapse: false });
    expect(second.titles).toEqual(newest.hits.map((h) => h.title));
    // What a reader sees: "newest" means newest first even with a query (not date as a mere tie-break).
    const shown = await page.$$eval('#results time', (els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(shown).toHaveLength(second.titles.length);
    expect(shown.map((d) => Date.parse(d))).toEqual(shown.map((d) => Date.parse(d)).sort((a, b) => b - a));

    await page.goBack();
    await settled(page);
    expect(await snapshot()).toEqual(first);
    await page.goForward();
    await settled(page);
    expect(await snapshot()).toEqual(second);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches the interface to English, names of outlets and languages included', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(`${sample.server.url}/?outlet=xinhua`);
    await settled(page);
    const before = await titles(page);
    let searches = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/search')) searches++;
    });

    await page.click('button[data-ui="en"]');
    await page.waitForURL((u) => u.searchParams.get('ui') === 'en');
    await settled(page);

    expect(searches).toBe(0); // the answer already carries both languages
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.getAttribute('button[data-ui="en"]', 'aria-pressed')).toBe('true');
    expect(await summary(page)).toMatch(/^\d+ results? \(\d+ ms\)$/);
    expect(await page.textContent('#facet-outlet legend')).toBe('Outlet');
    const expected = await apiSearch(sample, { outlet: ['xinhua'] });
    const outletLabels = await page.$$eval('#facet-outlet .facet-name', (els) => els.map((e) => e.textContent));
    expect(outletLabels).toEqual(expected.facets.outlet.map((f) => f.labelEn));
    const langLabels = await page.$$eval('#facet-lang .facet-name', (els) => els.map((e) => e.textContent));
    expect(langLabels).toEqual(expected.facets.lang.map((f) => f.labelEn));
    expect(await page.textContent('#chips')).toContain('Outlet: Xinhua');
    expect(await page.textContent('#results .meta-outlet')).toBe('Xinhua');
    expect(await page.textContent('#results .meta-date')).toMatch(/^\d{1,2} \w{3,4} \d{4}, \d{2}:\d{2} Beijing time$/);
    expect(await page.textContent('label[for="date-from"]')).toBe('From');
    expect(await page.getAttribute('#q', 'placeholder')).toMatch(/^Search/);
    expect(await titles(page)).toEqual(before);
    await screenshot(page, 'desktop-en');

    await page.reload();
    await settled(page);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('button[data-ui="zh"]');
    await page.waitForURL((u) => !u.searchParams.has('ui'));
    expect(await page.textContent('#facet-outlet legend')).toBe('媒体');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows markup from a document as text and runs none of it', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(`${extra.server.url}/?q=xssprobe`);
    await settled(page);

    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    const hit = page.locator('#results .hit').first();
    const title = (await hit.locator('.hit-title').textContent()) ?? '';
    expect(title).toBe(HOSTILE_TITLE);
    expect(await hit.locator('.hit-title mark').first().textContent()).toBe('xssprobe');
    const snippet = (await hit.locator('.hit-snippet').textContent()) ?? '';
    expect(snippet).toContain('<script>window.__xss = "body"</script>');
    expect(snippet).toContain('<img src=x onerror=window.__xss=1>');
    expect(snippet).toContain('&lt;already escaped&gt; &amp; done');
    // Nothing but the page's own elements: no element came from the document's text.
    expect(await page.$$eval('#results script, #results img, #results b, #results a[href^="javascript"]', (els) => els.length)).toBe(0);
    await page.waitForTimeout(300); // an injected onerror would have fired by now
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    await screenshot(page, 'desktop-hostile-document');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says so when the engine is down, and recovers on retry', async () => {
    const { context, page } = await newPage();
    proxy.up = false;
    try {
      await page.goto(flaky.server.url);
      await settled(page);
      const alert = page.locator('#status[role="alert"]');
      expect(await alert.locator('.status-title').textContent()).toBe('搜索服务暂时不可用');
      expect(await page.$$eval('#results .hit', (els) => els.length)).toBe(0);
      await screenshot(page, 'desktop-engine-down');
    } finally {
      proxy.up = true;
    }
    await page.click('#status button:has-text("重试")');
    await page.locator('#results .hit').first().waitFor();
    await settled(page);
    expect(await page.isHidden('#status')).toBe(true);
    const expected = await apiSearch(sample, {});
    expect(await titles(page)).toEqual(expected.hits.map((h) => h.title));
    await context.close();
  });

  it('shows a loading state while a slow answer is on its way, and drops a search overtaken by typing', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(sample.server.url);
    await settled(page);
    // The real API answers; the network only holds the answer back for a moment.
    await page.route('**/api/search?**', async (route) => {
      await new Promise((r) => setTimeout(r, 1_200));
      await route.continue().catch(() => undefined); // an aborted request can no longer be continued
    });
    const aborted: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().includes('/api/search')) aborted.push(new URL(r.url()).searchParams.get('q') ?? '');
    });
    await page.fill('#q', 'Shanghai');
    await page.locator('#progress').waitFor({ state: 'visible', timeout: 1_000 });
    expect(await page.getAttribute('#results', 'aria-busy')).toBe('true');
    expect(await page.getAttribute('#main', 'class')).toContain('is-loading');

    await page.fill('#q', 'Tianjin');
    await page.waitForURL((u) => u.searchParams.get('q') === 'Tianjin');
    await settled(page);
    expect(aborted).toEqual(['Shanghai']);
    expect(await page.isHidden('#progress')).toBe(true);
    expect(await page.getAttribute('#results', 'aria-busy')).toBeNull();
    const expected = await apiSearch(sample, { q: 'Tianjin' });
    expect(await titles(page)).toEqual(expected.hits.map((h) => h.title));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('explains an empty result and offers to drop the filters', async () => {
    const { context, page } = await newPage();
    await page.goto(`${sample.server.url}/?q=qzxjvw&outlet=xinhua`);
    await settled(page);
    expect(await page.textContent('#status .status-title')).toBe('没有找到相关结果');
    expect(await page.textContent('#summary')).toMatch(/^共 0 条结果/);
    await page.click('#status button');
    await page.waitForURL((u) => !u.searchParams.has('outlet') && u.searchParams.get('q') === 'qzxjvw');
    await settled(page);
    expect(await page.textContent('#status .status-body')).toContain('关键词');
    await context.close();
  });

  it('names a bad parameter from a hand-edited link and removes it in one click', async () => {
    const { context, page } = await newPage();
    await page.goto(`${sample.server.url}/?from=2025-02-30&outlet=xinhua`);
    await settled(page);
    expect(await page.textContent('#status .status-title')).toBe('搜索条件有误');
    expect(await page.textContent('#status .status-body')).toContain('from');
    await page.click('#status button');
    await page.waitForURL((u) => !u.searchParams.has('from'));
    await settled(page);
    expect(params(page).getAll('outlet')).toEqual(['xinhua']);
    expect(await page.$$eval('#results .hit', (els) => els.length)).toBeGreaterThan(0);
    await context.close();
  });

  it('filters by a clicked day, a dragged range and the keyboard on the date histogram', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(`${sample.server.url}/?collapse=false`);
    await settled(page);
    const all = await apiSearch(sample, { collapse: false });
    const buckets = all.facets.date.buckets;
    expect(all.facets.date.interval).toBe('day');
    const busiest = [...buckets].sort((a, b) => b.count - a.count)[0];
    if (!busiest) throw new Error('no date buckets');

    await page.click(`#facet-date .bar[data-focus-key="date:${busiest.value}"]`);
    await page.waitForURL((u) => u.searchParams.get('from') === busiest.value && u.searchParams.get('to') === busiest.value);
    await settled(page);
    const days = await page.$$eval('#results time', (els) => els.map((e) => e.getAttribute('datetime')?.slice(0, 10)));
    expect(days).toHaveLength(busiest.count);
    expect(new Set(days)).toEqual(new Set([busiest.value]));
    expect(await page.getAttribute(`#facet-date .bar[data-focus-key="date:${busiest.value}"]`, 'aria-pressed')).toBe('true');

    // Shift-click widens the chosen range to the clicked day.
    const firstDay = buckets.map((b) => b.value).sort()[0];
    const lastDay = buckets.map((b) => b.value).sort().reverse()[0];
    const bars = page.locator('#facet-date .bar');
    await bars.first().click({ modifiers: ['Shift'] });
    await page.waitForURL((u) => u.searchParams.get('from') === firstDay && u.searchParams.get('to') === busiest.value);
    await settled(page);

    // Drag from the first bar to the last: the whole span.
    const firstBox = await bars.first().boundingBox();
    const lastBox = await bars.last().boundingBox();
    if (!firstBox || !lastBox) throw new Error('bars not laid out');
    await page.mouse.move(firstBox.x + firstBox.width / 2, firstBox.y + firstBox.height - 4);
    await page.mouse.down();
    await page.mouse.move(lastBox.x + lastBox.width / 2, lastBox.y + lastBox.height - 4, { steps: 8 });
    await page.mouse.up();
    await page.waitForURL((u) => u.searchParams.get('from') === firstDay && u.searchParams.get('to') === lastDay);
    await settled(page);
    expect(await summary(page)).toMatch(new RegExp(`^共 ${all.total} 条结果`));

    // Keyboard: one Tab stop for the chart, arrows move, Enter picks a day.
    await page.click('#chips button:has-text("全部清除")');
    await settled(page);
    await page.focus(`#facet-date .bar[tabindex="0"]`);
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.get('from') === firstDay && u.searchParams.get('to') === firstDay);
    await settled(page);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key'))).toBe(`date:${firstDay}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps keyboard focus on a facet checkbox across the re-render, with a visible focus ring', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(sample.server.url);
    await settled(page);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.focus('#facet-outlet input[value="economic-daily"]');
    await page.keyboard.press('Space');
    await page.waitForURL((u) => u.searchParams.get('outlet') === 'economic-daily');
    await settled(page);
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      return { value: el?.value, checked: el?.checked, outline: el ? getComputedStyle(el).outlineStyle : null };
    });
    expect(focused).toEqual({ value: 'economic-daily', checked: true, outline: 'solid' });
    expect(await page.getAttribute('#summary', 'aria-live')).toBe('polite');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('expands a collapsed story into its similar reports and shows every copy when collapsing is off', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(sample.server.url);
    await settled(page);
    const collapsed = await apiSearch(sample, {});
    const group = collapsed.hits.find((h) => (h.duplicates?.count ?? 0) > 0);
    expect(group).toBeDefined();
    if (!group?.duplicates) return;

    const card = page.locator('#results .hit', { has: page.locator(`[data-focus-key="similar:${group.id}"]`) });
    const toggle = card.locator('.similar-toggle');
    expect(await toggle.textContent()).toBe(`另有 ${group.duplicates.count} 篇相似报道`);
    await toggle.click();
    await card.locator('.similar-item').nth(group.duplicates.count - 1).waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const copies = await Promise.all(group.duplicates.ids.map((id) => sample.get<{ title: string }>(`/api/articles/${id}`)));
    expect(await card.locator('.similar-title').allTextContents()).toEqual(copies.map((c) => c.body.title));

    await page.uncheck('#collapse');
    await page.waitForURL((u) => u.searchParams.get('collapse') === 'false');
    await settled(page);
    const all = await apiSearch(sample, { collapse: false });
    expect(all.total).toBeGreaterThan(collapsed.total);
    expect(await summary(page)).toMatch(new RegExp(`^共 ${all.total} 条结果`));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('pages through results with links that keep the rest of the state', async () => {
    const { context, page, problems } = await newPage();
    await page.goto(`${extra.server.url}/?q=pagingprobe&collapse=false&sort=oldest`);
    await settled(page);
    const p1 = await apiSearch(extra, { q: 'pagingprobe', collapse: false, sort: 'oldest', page: 1 });
    const p2 = await apiSearch(extra, { q: 'pagingprobe', collapse: false, sort: 'oldest', page: 2 });
    expect(p1.total).toBe(PAGING_ARTICLES);
    expect(await titles(page)).toEqual(p1.hits.map((h) => h.title));
    expect(await page.textContent('#pager [aria-current="page"]')).toBe('1');

    await page.click('#pager a[rel="next"]');
    await page.waitForURL((u) => u.searchParams.get('page') === '2');
    await settled(page);
    expect(await titles(page)).toEqual(p2.hits.map((h) => h.title));
    expect(params(page).get('sort')).toBe('oldest');
    expect(await page.getAttribute('#pager a[rel="prev"]', 'href')).toBe('/?q=pagingprobe&sort=oldest&collapse=false');

    await page.goBack();
    await settled(page);
    expect(await titles(page)).toEqual(p1.hits.map((h) => h.title));
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reads well on a phone: filters in a drawer that opens, closes with Escape and applies', async () => {
    const { context, page, problems } = await newPage(PHONE);
    await page.goto(`${sample.server.url}/?q=${encodeURIComponent('上海合作组织')}`);
    await settled(page);
    expect(await page.isVisible('#facet-outlet')).toBe(false);
    await screenshot(page, 'phone-results');

    await page.click('#filters-open');
    await page.locator('#facet-outlet').waitFor({ state: 'visible' });
    expect(await page.getAttribute('#filters-open', 'aria-expanded')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filters-close');
    expect(await page.evaluate(() => document.getElementById('main')?.inert)).toBe(true);
    await page.check('#facet-outlet input[value="xinhua"]');
    await page.waitForURL((u) => u.searchParams.get('outlet') === 'xinhua');
    await settled(page);
    await screenshot(page, 'phone-filters');
    await page.keyboard.press('Escape');
    await page.locator('#facet-outlet').waitFor({ state: 'hidden' });
    expect(await page.textContent('#filters-open')).toBe('筛选（1）');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('filters-open');
    expect(await page.evaluate(() => document.getElementById('main')?.inert)).toBe(false);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
