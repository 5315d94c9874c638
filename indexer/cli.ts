import { indexFiles } from '.';
import { runFileCommand } from './command';
import { createProgressReporter } from './progress';

const USAGE = 'usage: npm run index -- FILE [FILE...]   (scraped results page .txt, or JSON Lines .jsonl)';

/** `npm run index -- FILE...`: indexes files into the configured engine and prints read / indexed / skipped. */
runFileCommand('indexer', USAGE, async ({ files, config, log, engine }) => {
  const progress = createProgressReporter({ stream: process.stderr, log });
  const summary = await indexFiles({ engine: engine.admin, indexUid: config.MEILI_INDEX, files, batchSize: config.INDEX_BATCH_SIZE, log, onProgress: progress.update }).finally(() => progress.stop());
  process.stdout.write(
    `read ${summary.read}, indexed ${summary.indexed}, skipped ${summary.skipped}, failed engine tasks ${summary.failedTasks.length} (${(summary.durationMs / 1000).toFixed(1)} s)\n`,
  );
  for (const s of summary.skippedRecords) process.stdout.write(`  skipped ${s.file}:${s.line}: ${s.reason}\n`);
  return summary.failedTasks.length > 0 ? 1 : 0;
});
