import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../services/paths';

/**
 * Headless Chromium for the end-to-end tests, driven by playwright-core (which downloads no browser). Which one:
 * CHROMIUM_PATH when set; else the system's (Debian's `chromium` package, with `fonts-noto-cjk` for Chinese glyphs
 * in screenshots); else the headless Chromium inside the npm package @sparticuz/chromium, which `npm ci` installs, so
 * a fresh machine runs the browser tests without installing anything. Either uses the system's fonts: without a CJK
 * font Chinese renders as boxes in screenshots, while the DOM the tests assert on is the same.
 */

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(PROJECT_ROOT, 'artifacts', 'screenshots');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChromiumChoice {
  executablePath: string;
  /** Where it came from, for the run's log. */
  source: string;
}

/** The Chromium to run, in the order above. A CHROMIUM_PATH that does not exist fails rather than falls back. */
export async function chooseChromium(env: NodeJS.ProcessEnv = process.env, systemPath = SYSTEM_CHROMIUM): Promise<ChromiumChoice> {
  const override = env.CHROMIUM_PATH;
  if (override) {
    if (!existsSync(override)) throw new Error(`CHROMIUM_PATH=${override}: no such file`);
    return { executablePath: override, source: `CHROMIUM_PATH (${override})` };
  }
  if (existsSync(systemPath)) return { executablePath: systemPath, source: `the system's ${systemPath}` };
  return { executablePath: await bundledChromium(), source: '@sparticuz/chromium from node_modules' };
}

const BUNDLED_PACKAGE = '@sparticuz/chromium';

/**
 * The package ships Chromium brotli-compressed and unpacks it into os.tmpdir() on first use, trusting whatever it finds
 * there. Unpacked instead into a folder of its own under node_modules/.cache (per package version, gone with the next
 * `npm ci`), through a temporary folder renamed into place: a half-written binary is never picked up, and runs side by
 * side share one copy. The package is an ES module; a child Node process unpacks it, outside jest's CommonJS runtime.
 */
async function bundledChromium(): Promise<string> {
  // Read from the folder: the package's `exports` do not list its package.json.
  const manifest = path.join(PROJECT_ROOT, 'node_modules', BUNDLED_PACKAGE, 'package.json');
  if (!existsSync(manifest)) {
    throw new Error(`no Chromium: none on the system and ${BUNDLED_PACKAGE} is not installed (run "npm ci", or set CHROMIUM_PATH)`);
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'chromium', `sparticuz-${version}`);
  const binary = path.join(cache, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(cache), { recursive: true });
  const partial = mkdtempSync(`${cache}.partial-`);
  try {
    const script = `import c from '${BUNDLED_PACKAGE}'; process.stdout.write(await c.executablePath());`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TMPDIR: partial },
      timeout: 120_000,
    });
    if (stdout !== path.join(partial, 'chromium')) throw new Error(`${BUNDLED_PACKAGE} unpacked to ${stdout}, not ${partial}`);
    try {
      renameSync(partial, cache);
    } catch (err) {
      // Another run got there first: use its copy.
      if (!existsSync(binary)) throw err;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return binary;
}

let announced = false;

export async function launchChromium(): Promise<Browser> {
  const choice = await chooseChromium();
  if (!announced) {
    announced = true;
    process.stdout.write(`[e2e] browser: ${choice.source}\n`);
  }
  try {
    return await chromium.launch({ executablePath: choice.executablePath, args: ARGS, timeout: 30_000 });
  } catch (err) {
    // The npm Chromium brings its own libraries but NSS; a slim base image may lack it.
    throw new Error(`Chromium from ${choice.source} did not start (a missing system library? apt-get install libnss3): ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Waits until the page shows the answer for its current URL: the page marks `#main[data-settled]` with the URL it
 * rendered once no search is in flight.
 */
export async function settled(page: Page, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const main = document.getElementById('main');
      return main?.dataset['settled'] === location.pathname + location.search;
    },
    undefined,
    { timeout },
  );
}

/** Page errors and failed requests a test can assert are empty; a broken script would otherwise pass unnoticed. */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The URL's query parameters, decoded, for assertions that do not depend on parameter order or encoding. */
export function params(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams;
}
