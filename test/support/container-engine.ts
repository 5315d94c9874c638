import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { loadPinnedImages, REPO_ROOT } from './images';
import { MeilisearchContainer } from './meilisearch-container';

/**
 * The container side of the tests' engine choice: is there a Docker engine, which Meilisearch image to run, and a
 * started engine with a way to remove it. The jest global setup decides between MEILI_URL, this and the embedded
 * binary; nothing here falls back silently, so a run that was meant to use a container cannot quietly use another.
 */

// Ryuk, testcontainers' reaper, is itself an image that must be pulled: where no registry answers it cannot start, so
// containers are removed by stop(), by the exit hook below, and (after a kill -9) by the next run's sweep.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

const execFileAsync = promisify(execFile);

const OWNER_LABEL = 'news-search.test-owner';
const OWNER = `${hostname()}:${process.pid}`;

export interface ContainerEngine {
  url: string;
  masterKey: string;
  image: string;
  /** Why this image: "official (present)", "official (pulled)", "local build", "MEILI_IMAGE". */
  imageSource: string;
  /** Milliseconds from create to /health answering "available". */
  startMs: number;
  stop(): Promise<void>;
}

async function runtimeClient() {
  // Required lazily: loading testcontainers costs ~200 ms, wasted on machines that take the embedded path.
  const { getContainerRuntimeClient } = await import('testcontainers');
  return getContainerRuntimeClient();
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** True when a Docker (or compatible) engine answers. Never throws; bounded by `timeoutMs`. */
export async function dockerAvailable(timeoutMs = 10_000): Promise<boolean> {
  try {
    const client = await withTimeout(runtimeClient(), timeoutMs, 'the container runtime');
    await withTimeout(client.container.dockerode.ping(), timeoutMs, 'docker ping');
    return true;
  } catch {
    return false;
  }
}

async function imageExists(image: string): Promise<boolean> {
  const client = await runtimeClient();
  const { ImageName } = await import('testcontainers');
  return client.image.exists(ImageName.fromString(image));
}

async function tryPull(image: string): Promise<boolean> {
  try {
    const client = await runtimeClient();
    const { ImageName } = await import('testcontainers');
    await withTimeout(client.image.pull(ImageName.fromString(image)), 300_000, `docker pull ${image}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * The engine image, in this order: MEILI_IMAGE if set (used as given); the official image when present or pullable;
 * the local stand-in of the same binary, built by scripts/docker/build-images.sh if it is not there yet.
 */
export async function resolveMeiliImage(env: NodeJS.ProcessEnv = process.env): Promise<{ image: string; source: string }> {
  const pinned = loadPinnedImages();
  if (env.MEILI_IMAGE) return { image: env.MEILI_IMAGE, source: 'MEILI_IMAGE' };
  if (await imageExists(pinned.MEILI_IMAGE_OFFICIAL)) return { image: pinned.MEILI_IMAGE_OFFICIAL, source: 'official (present)' };
  if (await tryPull(pinned.MEILI_IMAGE_OFFICIAL)) return { image: pinned.MEILI_IMAGE_OFFICIAL, source: 'official (pulled)' };
  if (!(await imageExists(pinned.MEILI_IMAGE_LOCAL))) {
    // A few seconds: the binary is already in node_modules. NO_PULL because the pull was just tried.
    await execFileAsync(join(REPO_ROOT, 'scripts', 'docker', 'build-images.sh'), ['meilisearch'], {
      cwd: REPO_ROOT,
      env: { ...env, NO_PULL: '1', FORCE_LOCAL: '1' },
      timeout: 300_000,
    });
  }
  return { image: pinned.MEILI_IMAGE_LOCAL, source: 'local build' };
}

/** Removes engines left by earlier runs on this host whose process is gone (killed before it could clean up). */
async function sweepOrphans(): Promise<void> {
  const client = await runtimeClient();
  const leftovers = await client.container.dockerode.listContainers({ all: true, filters: { label: [OWNER_LABEL] } });
  for (const info of leftovers) {
    const [host, pid] = (info.Labels[OWNER_LABEL] ?? '').split(':');
    if (host !== hostname() || !pid || processAlive(Number(pid))) continue;
    await client.container.dockerode.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts a Meilisearch container for the test run. Throws when Docker answers but no image can be had. */
export async function startContainerEngine(): Promise<ContainerEngine> {
  await sweepOrphans();
  const { image, source } = await resolveMeiliImage();
  const masterKey = randomBytes(24).toString('hex');
  // Named up front so the hooks below can remove it even if the run is interrupted while it is still starting.
  const name = `news-search-test-${process.pid}-${randomBytes(3).toString('hex')}`;

  // If the run dies without calling stop() (Ctrl-C, an uncaught error in teardown), still remove the container.
  // Synchronous on purpose: 'exit' handlers cannot wait for promises.
  const onExit = (): void => {
    try {
      execFileSync('docker', ['rm', '-f', '-v', name], { stdio: 'ignore', timeout: 20_000 });
    } catch {
      // Already gone, or no CLI: the next run's sweep removes it.
    }
  };
  process.once('exit', onExit);
  // A signal's default action ends the process without 'exit' handlers. Listening for it cancels that default, so
  // after cleaning up, end the run as the signal would have (re-raising is not enough: other libraries listen too).
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  for (const signal of signals) process.once(signal, onSignal);
  const unhook = (): void => {
    process.removeListener('exit', onExit);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };

  const t0 = Date.now();
  let started;
  try {
    started = await new MeilisearchContainer(image, masterKey).withName(name).withLabels({ [OWNER_LABEL]: OWNER }).start();
  } catch (err) {
    // A container that never became healthy is still a container.
    onExit();
    unhook();
    throw err;
  }
  const startMs = Date.now() - t0;

  let stopped = false;
  return {
    url: started.getUrl(),
    masterKey,
    image,
    imageSource: source,
    startMs,
    async stop() {
      if (stopped) return;
      stopped = true;
      unhook();
      // remove: true, removeVolumes: true - the anonymous /meili_data volume goes with the container.
      await started.stop({ remove: true, removeVolumes: true, timeout: 5_000 });
    },
  };
}
