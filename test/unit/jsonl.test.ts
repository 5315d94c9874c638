import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJsonLines } from '../../indexer/sources/jsonl';
import type { SourceRecord } from '../../indexer/sources/record';

const dir = mkdtempSync(path.join(os.tmpdir(), 'jsonl-'));
async function read(content: string | Buffer): Promise<SourceRecord[]> {
  const file = path.join(dir, `f${Math.random()}.jsonl`);
  writeFileSync(file, content);
  const out: SourceRecord[] = [];
  for await (const r of readJsonLines(file)) out.push(r);
  return out;
}
const line = (o: object) => `${JSON.stringify(o)}\n`;
const good = { title: 'T', body: 'B', outlet: 'Reuters', published: '1987-03-01T10:00:00-05:00', url: null };

describe('JSON Lines source', () => {
  it('reads articles with their offsets and keeps null dates as undated', async () => {
    const records = await read(line(good) + line({ ...good, published: null, title: 'undated' }));
    expect(records.map((r) => r.ok)).toEqual([true, true]);
    const [a, b] = records;
    expect(a?.ok && a.article.published?.toISOString()).toBe('1987-03-01T15:00:00.000Z');
    expect(b?.ok && b.article.published).toBeNull();
  });

  it.each([
    ['missing date', line({ ...good, published: undefined }), /missing published/],
    ['bad date', line({ ...good, published: '1987-13-01T00:00:00Z' }), /published is not a valid date/],
    ['empty title', line({ ...good, title: '   ' }), /title is empty/],
    ['oversized body', line({ ...good, body: 'x'.repeat(200_001) }), /body is longer than/],
    ['not an object', '[1,2]\n', /not a JSON object/],
    ['broken JSON', '{"title": \n', /invalid JSON/],
    // Valid UTF-8 and valid JSON, but not valid Unicode: the engine would fail the whole batch on it.
    ['lone surrogate in the title', '{"title":"bad \\ud800","body":"b","outlet":"Reuters","published":null}\n', /^title contains an unpaired UTF-16 surrogate/],
    ['lone low surrogate in the body', '{"title":"t","body":"x \\udc00 y","outlet":"Reuters","published":null}\n', /^body contains an unpaired/],
    ['lone surrogate in a theme', line({ ...good, themes: ['ok', 'bad \ud800'] }), /^themes\.1 contains an unpaired/],
    ['lone surrogate in the url', line({ ...good, url: 'https://x.test/\udfff' }), /^url contains an unpaired/],
  ])('reports %s with file and line, and indexes the rest', async (_n, bad, reason) => {
    const records = await read(line(good) + bad + line(good));
    expect(records).toHaveLength(3);
    const problem = records[1];
    expect(problem?.ok).toBe(false);
    if (problem && !problem.ok) {
      expect(problem.location.line).toBe(2);
      expect(problem.location.file).toMatch(/\.jsonl$/);
      expect(problem.reason).toMatch(reason);
    }
    expect(records[0]?.ok && records[2]?.ok).toBe(true);
  });

  it('reports invalid UTF-8 instead of indexing replacement characters', async () => {
    const bad = Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","body":"","outlet":"x","published":null}\n')]);
    const records = await read(Buffer.concat([Buffer.from(line(good)), bad]));
    expect(records[1]).toMatchObject({ ok: false, location: { line: 2 }, reason: 'line is not valid UTF-8' });
  });

  it('reports a truncated last line', async () => {
    const records = await read(line(good) + '{"title":"cut off","bo');
    expect(records[1]).toMatchObject({ ok: false, location: { line: 2 } });
    expect(records[1]?.ok === false && records[1].reason).toMatch(/truncated last line/);
  });

  it('keeps characters outside the BMP (a well-formed surrogate pair)', async () => {
    const records = await read('{"title":"emoji \\ud83d\\ude00 and 𠀀","body":"","outlet":"Reuters","published":null}\n');
    expect(records[0]?.ok && records[0].article.title).toBe('emoji 😀 and 𠀀');
  });

  it('accepts CRLF line ends and blank lines', async () => {
    const records = await read(`${JSON.stringify(good)}\r\n\r\n${JSON.stringify(good)}\r\n`);
    expect(records.map((r) => r.ok)).toEqual([true, true]);
  });
});
