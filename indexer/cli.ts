import { ConfigError, loadConfig, loadDotenv } from '../services/config';
import { createLogger } from '../services/logger';
import { openEngine } from '../services/meili/topology';
import { indexFiles } from '.';
import { fileArguments } from './cli-args';

const USAGE = 'usage: npm run index -- FILE [FILE...]   (scraped results page .txt, or JSON Lines .jsonl)';

/** `npm run index -- FILE...`: indexes files into the configured engine and prints read / indexed / skipped. */
async function main(argv: string[]): Promise<number> {
  const args = fileArguments(argv, USAGE);
  if ('exitCode' in args) return args.exitCode;
  const { files } = args;
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
