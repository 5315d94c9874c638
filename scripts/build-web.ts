/**
 * Builds the web page into dist/web: the TypeScript bundled and minified by esbuild into one script, the stylesheet
 * minified, and index.html with content hashes on both URLs so a browser never mixes an old script with a new page.
 *
 *   npm run build:web            (tsx scripts/build-web.ts)
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT, WEB_DIST_DIR } from '../services/paths';

/** Sources stay where they are whether this runs from scripts/ (tsx) or from dist/scripts/ (compiled). */
export const WEB_SRC_DIR = path.join(PROJECT_ROOT, 'search-api', 'web');

export interface BuildWebResult {
  outDir: string;
  files: Record<string, number>;
}

function shortHash(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 10);
}

export async function buildWeb(outDir = WEB_DIST_DIR, { minify = true } = {}): Promise<BuildWebResult> {
  // Files are overwritten in place (their names never change), so a server already serving this folder never
  // sees it missing, e.g. while the end-to-end tests rebuild it beside other suites.
  await mkdir(outDir, { recursive: true });

  const [script, css] = await Promise.all([
    build({
      entryPoints: [path.join(WEB_SRC_DIR, 'src', 'main.ts')],
      bundle: true,
      minify,
      sourcemap: 'linked',
      format: 'iife',
      target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
      tsconfig: path.join(WEB_SRC_DIR, 'tsconfig.json'),
      outfile: path.join(outDir, 'app.js'),
      legalComments: 'none',
      logLevel: 'warning',
      write: false,
    }),
    build({
      entryPoints: [path.join(WEB_SRC_DIR, 'styles.css')],
      bundle: true,
      minify,
      target: ['chrome100', 'firefox100', 'safari15'],
      outfile: path.join(outDir, 'styles.css'),
      logLevel: 'warning',
      write: false,
    }),
  ]);

  const files: Record<string, number> = {};
  const hashes: Record<string, string> = {};
  for (const out of [...script.outputFiles, ...css.outputFiles]) {
    const name = path.basename(out.path);
    await writeFile(out.path, out.contents);
    files[name] = out.contents.byteLength;
    hashes[name] = shortHash(out.contents);
  }

  let html = await readFile(path.join(WEB_SRC_DIR, 'index.html'), 'utf8');
  for (const name of ['app.js', 'styles.css']) {
    const attr = name.endsWith('.js') ? 'src' : 'href';
    const before = `${attr}="${name}"`;
    if (!html.includes(before)) throw new Error(`index.html does not reference ${name} as ${before}`);
    html = html.replace(before, `${attr}="${name}?v=${hashes[name]}"`);
  }
  await writeFile(path.join(outDir, 'index.html'), html);
  files['index.html'] = Buffer.byteLength(html);
  await copyFile(path.join(WEB_SRC_DIR, 'favicon.svg'), path.join(outDir, 'favicon.svg'));
  return { outDir, files };
}

if (require.main === module) {
  buildWeb(process.argv[2] ? path.resolve(process.argv[2]) : WEB_DIST_DIR).then(
    ({ outDir, files }) => {
      const list = Object.entries(files)
        .map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(1)} KiB`)
        .join(', ');
      console.log(`web page built in ${path.relative(process.cwd(), outDir) || '.'}: ${list}`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
