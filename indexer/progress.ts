import { SingleBar } from 'cli-progress';
import type { Logger } from '../services/logger';
import type { IndexProgress } from './pipeline';

/**
 * What the indexer commands show while a long run goes on (the archive takes minutes): on a terminal a progress bar
 * with the share of the input read, articles, rate and ETA; otherwise (a log file, a container) a log line every few
 * seconds. The pipeline only reports (IndexerOptions.onProgress); drawing stays here, out of the library code.
 */

export interface ProgressFigures {
  /** Share of the input bytes read, 0..1. */
  fraction: number;
  articlesPerSecond: number;
  /** Seconds left at the rate so far (by bytes: articles vary in size, bytes are what is left to read); null until known. */
  etaSeconds: number | null;
}

export function progressFigures(p: Pick<IndexProgress, 'bytesRead' | 'totalBytes' | 'read'>, elapsedMs: number): ProgressFigures {
  const fraction = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 1;
  const seconds = elapsedMs / 1000;
  const articlesPerSecond = seconds > 0 ? p.read / seconds : 0;
  const etaSeconds = fraction > 0 && seconds > 0 ? (seconds * (1 - fraction)) / fraction : null;
  return { fraction, articlesPerSecond, etaSeconds };
}

/** 42s, 3:07, 1:02:03. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** The ETA as shown: the rest of the input at the rate so far, or that the engine is storing the last batches. */
export function etaText(p: Pick<IndexProgress, 'phase'>, figures: ProgressFigures): string {
  if (p.phase === 'done') return 'done';
  if (p.phase === 'finishing') return 'storing the last batches';
  return figures.etaSeconds === null ? '…' : formatDuration(figures.etaSeconds);
}

export interface ProgressReporter {
  update(progress: IndexProgress): void;
  stop(): void;
}

export interface ProgressOptions {
  /** Where a bar is drawn; a bar only when it is a terminal. */
  stream: NodeJS.WriteStream;
  log: Logger;
  /** Between two log lines when there is no terminal. */
  logEveryMs?: number;
  now?: () => number;
}

export function createProgressReporter(options: ProgressOptions): ProgressReporter {
  return options.stream.isTTY ? barReporter(options) : logReporter(options);
}

function barReporter({ stream, now = Date.now }: ProgressOptions): ProgressReporter {
  const started = now();
  const bar = new SingleBar({
    stream,
    format: 'indexing [{bar}] {percentage}% | {read} articles | {rate} articles/s | ETA {remaining}',
    barsize: 30,
    hideCursor: true,
    // The bar redraws itself; at most a few times a second whatever the update rate.
    fps: 5,
  });
  let running = false;
  return {
    update(p) {
      const f = progressFigures(p, now() - started);
      const payload = { read: p.read.toLocaleString('en'), rate: Math.round(f.articlesPerSecond).toLocaleString('en'), remaining: etaText(p, f) };
      if (!running) {
        bar.start(p.totalBytes, p.bytesRead, payload);
        running = true;
      } else bar.update(p.bytesRead, payload);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

function logReporter({ log, logEveryMs = 5_000, now = Date.now }: ProgressOptions): ProgressReporter {
  const started = now();
  let latest: IndexProgress | null = null;
  // A timer, not the updates, paces the lines: the engine may take a while to store the last batches.
  const timer = setInterval(() => {
    if (!latest) return;
    const f = progressFigures(latest, now() - started);
    log.info(
      { read: latest.read, indexed: latest.indexed, skipped: latest.skipped, percent: Math.floor(f.fraction * 100), articlesPerSecond: Math.round(f.articlesPerSecond), eta: etaText(latest, f) },
      'indexing progress',
    );
  }, logEveryMs);
  timer.unref();
  return {
    update(p) {
      latest = p;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
