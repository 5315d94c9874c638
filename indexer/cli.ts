import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, loadDotenv } from '../services/config';
import { createLogger } from '../services/logger';
import { openEngine } from '../services/meili/topology';
import { indexFiles } from '.';

const USAGE = 'usage: npm run index -- FILE [FILE...]   (scraped results page .txt, or JSON Lines .jsonl)';

/** `npm run index -- FILE...`: indexes files into the configured engine and prints read / indexed / skipped. */
async function main(argv: string[]): Promise<number> {
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0 || argv.includes('--help')) {
    process.stderr.write(`${USAGE}\n`);
    return files.length === 0 ? 2 : 0;
  }
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    process.stderr.write(`no such file: ${missing.join(', ')}\n`);
    return 2;
  }
  loadDotenv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'indexer');
  const engine = await openEngine(config, log);
  try {
    const summary = await indexFiles({ engine: engine.admin, indexUid: config.MEILI_INDEX, files, batchSize: config.INDEX_BATCH_SIZE, log });
    process.stdout.write(
      `read ${summary.read}, indexed ${summary.indexed}, skipped ${summary.skipped}, failed engine tasks ${summary.failedTasks.length} (${(summary.durationMs / 1000).toFixed(1)} s)\n`,
    );
    for (const s of summary.skippedRecords) process.stdout.write(`  skipped ${s.file}:${s.line}: ${s.reason}\n`);
    return summary.failedTasks.length > 0 ? 1 : 0;
  } finally {
    await engine.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
