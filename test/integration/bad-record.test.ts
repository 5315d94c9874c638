import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyUid } from '../../services/meili/keys';
import { engineFromEnv } from '../support/engine-choice';
import { testEngine, uniqueIndex } from '../support/harness';
import { collect, spawnTs } from '../support/reliability';

/**
 * One bad record must not cost the records beside it. A lone surrogate escape is valid JSON in valid UTF-8, so it
 * reads fine, but the engine fails the whole batch holding it (and the batches processed with it) when it decodes
 * the document: the indexer refuses the record itself, naming file, line and reason, and indexes the rest.
 */

const choice = engineFromEnv();
const engine = testEngine(30_000);
const index = uniqueIndex('badrecord');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-badrecord-'));
const env = { MEILI_URL: choice.url, MEILI_MASTER_KEY: choice.apiKey, MEILI_INDEX: index, LOG_LEVEL: 'warn' };

afterAll(async () => {
  await engine.deleteIndexIfExists(index);
  for (const role of ['search', 'indexer'] as const) await engine.client.deleteKey(keyUid(role, index)).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

it('indexes the good record beside one with a lone surrogate escape and names the bad line', async () => {
  const file = path.join(dir, 'mixed.jsonl');
  // Written by hand: JSON.stringify would never produce the escape on its own line like a broken exporter does.
  writeFileSync(
    file,
    '{"title":"good quokka report","body":"A good record.","outlet":"Reuters","published":"2025-09-01T10:00:00+08:00","url":null}\n' +
      '{"title":"bad \\ud800","body":"A bad record.","outlet":"Reuters","published":"2025-09-01T11:00:00+08:00","url":null}\n',
  );
  const io = collect(spawnTs('indexer/cli.ts', [file], env));
  expect(await io.exit).toEqual({ code: 0, signal: null });
  expect(io.out()).toContain('read 2, indexed 1, skipped 1, failed engine tasks 0');
  expect(io.out()).toContain(`skipped ${file}:2: title contains an unpaired UTF-16 surrogate`);

  const hits = await engine.search(index, 'quokka', { limit: 5 });
  expect(hits.hits.map((h) => h.title)).toEqual(['good quokka report']);
  expect(await engine.countDocuments(index)).toBe(1);
}, 120_000);
