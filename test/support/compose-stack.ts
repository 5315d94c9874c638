import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';

import { parseEnvLines, REPO_ROOT } from './images';

/**
 * Driving docker-compose.yml from tests: whether Docker and compose answer, the images, a uniquely named project on
 * free ports, waiting for health and for one-shot jobs, and proof that `down -v` left nothing behind.
 */

const execFileAsync = promisify(execFile);

export interface DockerStatus {
  ok: boolean;
  reason: string;
}

/** Synchronous so a test file can decide between describe and describe.skip when it loads. */
export function dockerStatus(): DockerStatus {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'pipe', timeout: 15_000 });
  } catch {
    return { ok: false, reason: 'no Docker engine answers (`docker info` failed; scripts/docker/ensure-dockerd.sh starts one)' };
  }
  try {
    execFileSync('docker-compose', ['version', '--short'], { stdio: 'pipe', timeout: 15_000 });
  } catch {
    return { ok: false, reason: 'docker-compose is not installed (apt-get install -y docker-compose)' };
  }
  return { ok: true, reason: '' };
}

/**
 * Chooses describe or describe.skip for a suite that needs Docker. Without Docker the suite is skipped with a
 * message printed for the reader - unless REQUIRE_DOCKER=1 (CI), where a missing engine is a failure, not a skip.
 * SKIP_COMPOSE_TESTS=1 skips them on purpose (they build images and start stacks: a minute or two).
 */
export function describeWithDocker(title: string): jest.Describe {
  if (process.env.SKIP_COMPOSE_TESTS === '1') {
    process.stdout.write(`\n[compose] SKIPPED ${title}: SKIP_COMPOSE_TESTS=1\n`);
    return describe.skip;
  }
  const status = dockerStatus();
  if (status.ok) return describe;
  if (process.env.REQUIRE_DOCKER === '1') {
    return ((name: string) =>
      describe(name, () => {
        test('a Docker engine answers (REQUIRE_DOCKER=1)', () => {
          throw new Error(status.reason);
        });
      })) as unknown as jest.Describe;
  }
  process.stdout.write(`\n[compose] SKIPPED ${title}: ${status.reason}\n`);
  return describe.skip;
}

export interface StackImages {
  MEILI_IMAGE: string;
  NODE_IMAGE: string;
  INDEXER_IMAGE: string;
  SEARCH_API_IMAGE: string;
}

/**
 * Builds (or reuses) the images with scripts/docker/build-images.sh - official ones where present or pullable, local
 * stand-ins otherwise - and returns the names it chose. Rebuilt every run so the stack never runs stale code: with
 * nothing changed, every layer comes from the cache in seconds.
 */
export async function buildImages(): Promise<{ images: StackImages; ms: number }> {
  const t0 = Date.now();
  await execFileAsync(join(REPO_ROOT, 'scripts', 'docker', 'build-images.sh'), [], {
    cwd: REPO_ROOT,
    env: process.env,
    timeout: 900_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const chosen = parseEnvLines(readFileSync(join(REPO_ROOT, '.data', 'docker-build', 'images.env'), 'utf8'));
  const pick = (k: keyof StackImages): string => {
    const v = chosen[k];
    if (!v) throw new Error(`build-images.sh chose no ${k}`);
    return v;
  };
  return {
    images: {
      MEILI_IMAGE: pick('MEILI_IMAGE'),
      NODE_IMAGE: pick('NODE_IMAGE'),
      INDEXER_IMAGE: pick('INDEXER_IMAGE'),
      SEARCH_API_IMAGE: pick('SEARCH_API_IMAGE'),
    },
    ms: Date.now() - t0,
  };
}

/** The parts of `docker inspect` the tests read about a running container. */
const containerSchema = z.object({
  Config: z.object({ Env: z.array(z.string()).nullable().transform((e) => e ?? []) }).loose(),
  Mounts: z.array(z.object({ Type: z.string(), Name: z.string().optional(), Destination: z.string(), RW: z.boolean() }).loose()),
  State: z.object({ Status: z.string() }).loose(),
});

export type InspectedContainer = z.infer<typeof containerSchema> & { raw: string };

/**
 * Run inside the API container (`docker exec … node -e`): with the key the API holds (read from its key file), what
 * the engine lets it do. Prints {"search":200,"write":403,"keys":403} for a search-only key.
 */
export const KEY_RIGHTS_PROBE = `
const key = require('fs').readFileSync(process.env.MEILI_SEARCH_KEY_FILE, 'utf8').trim();
const url = (process.env.MEILI_URL || '').replace(/\\/$/, '');
const index = process.env.MEILI_INDEX || 'news';
const headers = { Authorization: 'Bearer ' + key, 'Content-Type': 'application/json' };
const status = async (method, path, body) => (await fetch(url + path, { method, headers, body })).status;
(async () => {
  const search = await status('POST', '/indexes/' + index + '/search', JSON.stringify({ q: '', limit: 0 }));
  const write = await status('POST', '/indexes/' + index + '/documents', JSON.stringify([{ id: 'forged', title: 'forged' }]));
  const keys = await status('GET', '/keys');
  process.stdout.write(JSON.stringify({ search, write, keys }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export class ComposeProject {
  readonly name: string;
  readonly masterKey = randomBytes(24).toString('hex');
  private readonly envFile: string;

  constructor(
    prefix: string,
    private readonly vars: Record<string, string>,
  ) {
    // Unique per run: several people and CI jobs share this Docker engine.
    this.name = `${prefix}${process.pid}${randomBytes(2).toString('hex')}`;
    // An empty env file, so a developer's own .env cannot change what the test runs.
    this.envFile = join(mkdtempSync(join(tmpdir(), 'compose-env-')), 'empty.env');
    writeFileSync(this.envFile, '');
  }

  private env(): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: process.env.DOCKER_HOST, MEILI_MASTER_KEY: this.masterKey, ...this.vars };
  }

  async compose(args: string[], timeoutMs = 300_000): Promise<string> {
    const full = ['--env-file', this.envFile, '-p', this.name, '-f', join(REPO_ROOT, 'docker-compose.yml'), ...args];
    try {
      const { stdout } = await execFileAsync('docker-compose', full, { cwd: REPO_ROOT, env: this.env(), timeout: timeoutMs, maxBuffer: 32 * 1024 * 1024 });
      return stdout;
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(`docker-compose ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
    }
  }

  async containerId(service: string, profileArgs: string[] = []): Promise<string> {
    const id = (await this.compose([...profileArgs, 'ps', '-q', service])).trim();
    if (!id) throw new Error(`no container for ${service}`);
    return id;
  }

  /** `docker inspect` of a service's container: its environment, mounts and state (and the whole answer as text). */
  async inspect(service: string, profileArgs: string[] = []): Promise<InspectedContainer> {
    const id = await this.containerId(service, profileArgs);
    const { stdout } = await execFileAsync('docker', ['inspect', id], { maxBuffer: 8 * 1024 * 1024 });
    const [first] = z.array(z.unknown()).parse(JSON.parse(stdout));
    return { ...containerSchema.parse(first), raw: stdout };
  }

  /** Runs a command in a service's running container and returns its stdout. */
  async exec(service: string, command: string[], profileArgs: string[] = []): Promise<string> {
    const id = await this.containerId(service, profileArgs);
    const { stdout } = await execFileAsync('docker', ['exec', id, ...command], { timeout: 60_000, maxBuffer: 8 * 1024 * 1024 });
    return stdout;
  }

  /** Waits for a healthcheck to report healthy; fails at once if the container exits. */
  async waitHealthy(service: string, timeoutMs: number, profileArgs: string[] = []): Promise<void> {
    const id = await this.containerId(service, profileArgs);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await execFileAsync('docker', ['inspect', '-f', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', id]);
      const [state, health] = stdout.trim().split(' ');
      if (health === 'healthy') return;
      if (state === 'exited' || state === 'dead') throw new Error(`${service} ${state} before it was healthy\n${await this.logs()}`);
      if (Date.now() > deadline) throw new Error(`${service} not healthy after ${timeoutMs} ms (${state}/${health})\n${await this.logs()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Waits for a one-shot job to finish and returns its exit code. */
  async waitExit(service: string, timeoutMs: number, profileArgs: string[] = []): Promise<number> {
    const id = await this.containerId(service, profileArgs);
    const { stdout } = await execFileAsync('docker', ['wait', id], { timeout: timeoutMs });
    return Number(stdout.trim());
  }

  async logs(): Promise<string> {
    return this.compose(['--profile', 'cluster', 'logs', '--no-color', '--tail', '40']).catch((e: Error) => e.message);
  }

  /** One service's whole log (stdout and stderr, no prefixes). */
  async serviceLogs(service: string, profileArgs: string[] = []): Promise<string> {
    return this.compose([...profileArgs, 'logs', '--no-color', '--no-log-prefix', service]);
  }

  /** `down -v`, with every profile so nothing of this project survives. */
  async down(): Promise<void> {
    await this.compose(['--profile', 'cluster', 'down', '-v', '--remove-orphans', '--timeout', '10']);
  }

  /** What Docker still holds of this project: containers, networks, volumes (by compose label or by name prefix). */
  async leftovers(): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
    const list = async (args: string[], format: string): Promise<string[]> => {
      const found = new Set<string>();
      for (const filter of [`label=com.docker.compose.project=${this.name}`, `name=${this.name}_`]) {
        const { stdout } = await execFileAsync('docker', [...args, '--filter', filter, '--format', format]);
        for (const line of stdout.split('\n')) if (line.trim()) found.add(line.trim());
      }
      return [...found];
    };
    const [containers, networks, volumes] = await Promise.all([
      list(['ps', '-a'], '{{.Names}}'),
      list(['network', 'ls'], '{{.Name}}'),
      list(['volume', 'ls'], '{{.Name}}'),
    ]);
    return { containers, networks, volumes };
  }
}
