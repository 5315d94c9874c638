import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../services/paths';

export interface SyntheticArticle {
  title: string;
  body: string;
  outlet: string;
  published: string;
  url: null;
}

/** `n` distinct English articles tagged with `tag` (searchable word), spread over a year of dates. */
export function syntheticArticles(n: number, tag: string): SyntheticArticle[] {
  return Array.from({ length: n }, (_, i) => {
    const day = new Date(Date.UTC(2024, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
    return {
      title: `${tag} synthetic report number ${i}`,
      body: `Synthetic body ${i} for ${tag}: delegates met to discuss trade, energy and security cooperation (item ${i * 7919}).`,
      outlet: ['Reuters', 'BBC', '新华社'][i % 3] as string,
      published: `${day}T08:00:00+08:00`,
      url: null,
    };
  });
}

export function writeJsonl(file: string, records: readonly object[]): string {
  writeFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return file;
}

/** Runs one of the project's TypeScript entry points as a child process, as `npm run …` would. */
export function spawnTs(script: string, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, script), ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function collect(child: ChildProcess): { out: () => string; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { out: () => out, exit };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The process entry of `npm start` (and the container), run from source. */
export const SERVICE_ENTRY = 'search-api/main.ts';

export interface ServiceProcess {
  /** Where it listens, from its own "ready" log line. */
  url: string;
  child: ChildProcess;
  /** Everything it wrote so far. */
  out(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, as Ctrl-C or a container stop would send it; resolves when it has exited. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * The service as `npm start` runs it, as a child process of its own with the given environment (LOG_LEVEL info or
 * more verbose, so its ready line tells where it listens). Fails with what it printed if it exits or is not ready in time.
 */
export async function startServiceProcess(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ServiceProcess> {
  const child = spawnTs(SERVICE_ENTRY, [], env);
  const io = collect(child);
  const ready = () => /"url":"(http:[^"]+)","msg":"search API and web page ready"/.exec(io.out())?.[1];
  const deadline = Date.now() + timeoutMs;
  let url = ready();
  while (!url) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${SERVICE_ENTRY} did not become ready (${child.exitCode ?? child.signalCode ?? 'timed out'}):\n${io.out()}`);
    }
    await sleep(100);
    url = ready();
  }
  return {
    url,
    child,
    out: io.out,
    exit: io.exit,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return io.exit;
    },
  };
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(intervalMs);
  }
}
