import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexFiles } from '../../indexer';
import type { IndexProgress } from '../../indexer/pipeline';
import { silentLogger } from '../../services/logger';
import { SAMPLE_CORPUS, testEngine, uniqueIndex } from '../support/harness';
import { syntheticArticles, writeJsonl } from '../support/reliability';

/** The pipeline tells how far a run is as it reads (what the CLI's bar and log lines are drawn from). */

const engine = testEngine(30_000);
const index = uniqueIndex('progress');
const dir = mkdtempSync(path.join(os.tmpdir(), 'news-progress-'));

afterAll(async () => {
  await engine.deleteIndexIfExists(index);
  rmSync(dir, { recursive: true, force: true });
});

it('reports bytes read of all input files as it goes, then the final counts', async () => {
  // Several 64 KB chunks, so progress is reported while reading, not only at the end.
  const file = writeJsonl(path.join(dir, 'many.jsonl'), syntheticArticles(1_500, 'progress'));
  const files = [SAMPLE_CORPUS, file];
  const totalBytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const seen: IndexProgress[] = [];
  const summary = await indexFiles({ engine, indexUid: index, files, batchSize: 200, log: silentLogger, onProgress: (p) => seen.push(p) });

  expect(summary).toMatchObject({ read: 1_510, indexed: 1_510, failedTasks: [] });
  expect(seen.every((p) => p.totalBytes === totalBytes)).toBe(true);
  for (let i = 1; i < seen.length; i++) {
    expect(seen[i]?.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]?.bytesRead ?? 0);
    expect(seen[i]?.read).toBeGreaterThanOrEqual(seen[i - 1]?.read ?? 0);
  }
  const reading = seen.filter((p) => p.phase === 'reading');
  expect(reading.filter((p) => p.bytesRead > 0 && p.bytesRead < totalBytes).length).toBeGreaterThan(3);
  expect(seen.map((p) => p.phase).filter((ph, i, all) => ph !== all[i - 1])).toEqual(['reading', 'finishing', 'done']);
  expect(seen.at(-1)).toEqual({ bytesRead: totalBytes, totalBytes, read: 1_510, indexed: 1_510, skipped: 0, phase: 'done' });
}, 120_000);
