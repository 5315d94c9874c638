import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Logger } from '../logger';
import type { Engine } from './engine';

/**
 * A lease kept in the engine itself, so that it holds across processes and machines (compose runs the indexer in a
 * container): what keeps two reindexes of one index from running at once.
 *
 * Meilisearch has no conditional write, but creating an index is atomic and its tasks run in order, so: each
 * contender creates its own empty lease index, `<name>_<owner>` (host, pid and a random tag: readable in the index
 * list), waits until it exists, and only then lists the others. Of two contenders, the one that lists second sees the
 * first, so at most one finds no live other and goes on; a contender that sees one removes its own and is refused
 * (two at the same instant may both be: refusing is safe, running twice is not).
 *
 * The holder shows it is alive with a heartbeat: a task that changes nothing (an empty index update) every
 * `heartbeatMs`. A lease is live while its last task is younger than `staleMs`, both times by the engine's clock:
 * the task's enqueue time against the contender's own creation time, so machines' clocks never need to agree, and a
 * holder whose heartbeats wait behind its own indexing tasks still counts as alive (enqueueing is immediate). A lease
 * whose holder died goes stale and is removed by the next contender; before it acts on what it guards, the holder
 * checks that its lease still exists (one taken for dead after `staleMs` without a heartbeat, a stalled process, may
 * have been removed).
 */

export interface LeaseOptions {
  /** A lease older than this (no heartbeat) belongs to a process that died: 60 s by default. */
  staleMs?: number;
  /** Between two heartbeats: 5 s by default. */
  heartbeatMs?: number;
  /** Who takes it: host-pid by default, made safe for an index name. */
  owner?: string;
  log: Logger;
}

/** Another live holder has the lease. */
export class LeaseHeld extends Error {
  override name = 'LeaseHeld';
  constructor(
    readonly holders: ReadonlyArray<{ uid: string; ageMs: number }>,
    message: string,
  ) {
    super(message);
  }
}

export interface Lease {
  /** The index that is the lease. */
  readonly uid: string;
  /** Leases of dead holders this one removed when it was taken. */
  readonly removedStale: readonly string[];
  /** Whether the lease still exists (no contender took this holder for dead). */
  stillHeld(): Promise<boolean>;
  /** Stops the heartbeat and removes the lease. */
  release(): Promise<void>;
}

/** `host-pid-tag`, in the characters an index name allows. */
export function defaultOwner(): string {
  const host = os.hostname().replace(/[^A-Za-z0-9-]/g, '-').slice(0, 40);
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** Whether a lease whose last task was enqueued at `lastTask` is still held, seen at `now` (both engine clock). */
export function isLive(lastTask: { type: string; enqueuedAt: Date } | null, now: Date, staleMs: number): boolean {
  // Being deleted (released, or given up by a refused contender): not held.
  if (!lastTask || lastTask.type === 'indexDeletion') return false;
  return now.getTime() - lastTask.enqueuedAt.getTime() <= staleMs;
}

export async function acquireLease(engine: Engine, name: string, options: LeaseOptions): Promise<Lease> {
  const staleMs = options.staleMs ?? 60_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const prefix = `${name}_`;
  const uid = `${prefix}${options.owner ?? defaultOwner()}`;
  const log = options.log;

  const createdAt = await engine.createIndex(uid);
  const heartbeat = setInterval(() => {
    engine.touchIndex(uid).catch((err: unknown) => log.warn({ err: (err as Error).message, lease: uid }, 'lease heartbeat failed'));
  }, heartbeatMs);
  heartbeat.unref();

  const live: Array<{ uid: string; ageMs: number }> = [];
  const stale: string[] = [];
  try {
    for (const other of await engine.listIndexUids(prefix)) {
      if (other === uid) continue;
      const last = await engine.latestIndexTask(other);
      if (isLive(last, createdAt, staleMs)) live.push({ uid: other, ageMs: Math.max(0, createdAt.getTime() - (last?.enqueuedAt.getTime() ?? 0)) });
      else stale.push(other);
    }
  } catch (err) {
    clearInterval(heartbeat);
    await engine.deleteIndexIfExists(uid).catch(() => undefined);
    throw err;
  }

  if (live.length > 0) {
    clearInterval(heartbeat);
    await engine.deleteIndexIfExists(uid);
    const who = live.map((l) => `${l.uid.slice(prefix.length)} (last heartbeat ${Math.round(l.ageMs / 1000)} s ago)`).join(', ');
    throw new LeaseHeld(live, `held by ${who}`);
  }
  for (const s of stale) {
    log.warn({ lease: s }, 'removing a lease whose holder stopped sending heartbeats');
    await engine.deleteIndexIfExists(s);
  }

  return {
    uid,
    removedStale: stale,
    stillHeld: async () => (await engine.listIndexUids(prefix)).includes(uid),
    release: async () => {
      clearInterval(heartbeat);
      await engine.deleteIndexIfExists(uid);
    },
  };
}
