import { existsSync } from 'node:fs';

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
