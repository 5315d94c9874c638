import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { createProgressReporter, etaText, formatDuration, progressFigures } from '../../indexer/progress';
import type { IndexProgress } from '../../indexer/pipeline';
import { readSource } from '../../indexer/sources';
import { createLogger } from '../../services/logger';
import { SAMPLE_CORPUS } from '../support/harness';

const at = (bytesRead: number, read: number, phase: IndexProgress['phase'] = 'reading'): IndexProgress => ({ bytesRead, totalBytes: 1_000, read, indexed: 0, skipped: 0, phase });

describe('progress figures', () => {
  it('goes by the share of bytes read: rate from articles so far, ETA from the bytes left', () => {
    expect(progressFigures(at(250, 500), 10_000)).toEqual({ fraction: 0.25, articlesPerSecond: 50, etaSeconds: 30 });
    expect(progressFigures(at(0, 0), 0).etaSeconds).toBeNull();
    expect(progressFigures({ bytesRead: 0, totalBytes: 0, read: 0 }, 1_000).fraction).toBe(1);
  });

  it('writes durations the way a clock does, and says when the engine is storing the last batches', () => {
    expect([formatDuration(42.4), formatDuration(187), formatDuration(3723), formatDuration(-1)]).toEqual(['42s', '3:07', '1:02:03', '0s']);
    expect(etaText(at(250, 500), progressFigures(at(250, 500), 10_000))).toBe('30s');
    expect(etaText(at(1_000, 900, 'finishing'), progressFigures(at(1_000, 900), 10_000))).toBe('storing the last batches');
  });
});

describe('progress reporters', () => {
  const quietLog = () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
    return { log: createLogger('info', 'indexer', sink), lines };
  };

  it('draws a bar with count, rate and ETA on a terminal', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 120 }) as unknown as NodeJS.WriteStream;
    let out = '';
    (tty as unknown as PassThrough).on('data', (d: Buffer) => (out += d.toString()));
    let clock = 0;
    const reporter = createProgressReporter({ stream: tty, log: quietLog().log, now: () => clock });
    reporter.update(at(100, 200));
    clock = 10_000;
    reporter.update(at(500, 2_000));
    reporter.stop();
    await new Promise((r) => setImmediate(r));
    expect(out).toMatch(/indexing \[[^\]]+\] 50% \| 2,000 articles \| 200 articles\/s \| ETA 10s/);
  });

  it('logs a line every few seconds otherwise, also while the engine stores the last batches', () => {
    jest.useFakeTimers();
    try {
      const { log, lines } = quietLog();
      const stream = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
      let clock = 0;
      const reporter = createProgressReporter({ stream, log, logEveryMs: 5_000, now: () => clock });
      reporter.update(at(100, 300));
      clock = 4_000;
      jest.advanceTimersByTime(4_000);
      expect(lines).toHaveLength(0);
      clock = 5_000;
      jest.advanceTimersByTime(1_000);
      reporter.update(at(1_000, 900, 'finishing'));
      clock = 10_000;
      jest.advanceTimersByTime(5_000);
      reporter.stop();
      jest.advanceTimersByTime(20_000);
      expect(lines.map(({ msg, read, percent, articlesPerSecond, eta }) => ({ msg, read, percent, articlesPerSecond, eta }))).toEqual([
        { msg: 'indexing progress', read: 300, percent: 10, articlesPerSecond: 60, eta: '45s' },
        { msg: 'indexing progress', read: 900, percent: 100, articlesPerSecond: 90, eta: 'storing the last batches' },
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('sources report the bytes they read', () => {
  const total = async (file: string) => {
    let bytes = 0;
    for await (const _record of readSource(file, (n) => (bytes += n)));
    return bytes;
  };

  it('adds up to the file size, for JSON Lines read in chunks and for a scraped page', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'progress-'));
    const file = path.join(dir, 'big.jsonl');
    const line = JSON.stringify({ title: 'T', body: 'x'.repeat(1_000), outlet: 'Reuters', published: null });
    writeFileSync(file, `${line}\n`.repeat(300));
    expect(await total(file)).toBe(statSync(file).size);
    expect(await total(SAMPLE_CORPUS)).toBe(statSync(SAMPLE_CORPUS).size);
  });
});
