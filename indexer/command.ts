import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, loadDotenv, type Config } from '../services/config';
import { createLogger, type Logger } from '../services/logger';
import { openEngine, type EngineHandle } from '../services/meili/topology';

/**
 * The FILE arguments of an indexer command, or the exit code to stop with (usage: 2, --help: 0, a missing file: 2)
 * after saying why on stderr.
 */
export function fileArguments(argv: readonly string[], usage: string): { files: string[] } | { exitCode: number } {
  const files = argv.filter((a) => !a.startsWith('-'));
  if (files.length === 0 || argv.includes('--help')) {
    process.stderr.write(`${usage}\n`);
    return { exitCode: files.length === 0 ? 2 : 0 };
  }
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    process.stderr.write(`no such file: ${missing.join(', ')}\n`);
    return { exitCode: 2 };
  }
  return { files };
}

export interface FileCommand {
  argv: readonly string[];
  files: string[];
  config: Config;
  log: Logger;
  engine: EngineHandle;
}

/**
 * Runs an indexer command (`npm run index`, `npm run reindex`): file arguments, configuration, the configured engine
 * (stopped afterwards whatever happens), and the process exit code; an error is one line on stderr and exit 1.
 */
export function runFileCommand(name: string, usage: string, body: (command: FileCommand) => Promise<number>): void {
  const run = async (argv: readonly string[]): Promise<number> => {
    const args = fileArguments(argv, usage);
    if ('exitCode' in args) return args.exitCode;
    loadDotenv();
    const config = loadConfig();
    const log = createLogger(config.LOG_LEVEL, name);
    const engine = await openEngine(config, log);
    try {
      return await body({ argv, files: args.files, config, log, engine });
    } finally {
      await engine.stop();
    }
  };
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
