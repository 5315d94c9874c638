import { existsSync } from 'node:fs';
import path from 'node:path';

/** The project root (the folder with package.json), whether running from sources (tsx, jest) or from dist/. */
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const DATA_DIR = path.join(PROJECT_ROOT, 'data');
export const WEB_DIST_DIR = path.join(PROJECT_ROOT, 'dist', 'web');
/** jieba's main dictionary, as installed with @node-rs/jieba (whose `dict` module also reads a 6 MB file we never use). */
export const JIEBA_DICT_FILE = path.join(path.dirname(require.resolve('@node-rs/jieba/package.json')), 'dict.txt');
