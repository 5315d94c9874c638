import type { Logger } from '../services/logger';
import type { Engine } from '../services/meili/engine';
import { acquireLease, LeaseHeld, type Lease, type LeaseOptions } from '../services/meili/lease';
import { GENERATION_FIELD } from '../services/meili/settings';
import type { IndexSummary } from './pipeline';
import { indexFiles, type IndexFilesOptions } from '.';
import { runFileCommand } from './command';
import { createProgressReporter } from './progress';

/**
 * Full reindex without a window of half-built results: the corpus goes into a fresh build index, its count is checked,
 * and only then is it swapped with the live index in one atomic engine task. The live name never changes, so the API
 * (and the search key scoped to it) keeps working throughout; the old contents end up in the build index and are
 * deleted. If anything fails before the swap, the live index is untouched and the build index is removed.
 *
 * The build index is stamped with the next generation (services/meili/generation.ts): on a sharded index the nodes
 * swap milliseconds apart, and the stamp is how a search tells the two versions apart instead of mixing them.
 */

export const BUILD_MARKER = '__build_';
/** The lease that lets one reindex of an index run at a time (services/meili/lease.ts): `<live>__reindex_lock_<owner>`. */
export const LEASE_MARKER = '__reindex_lock';

export interface ReindexOptions {
  engine: Engine;
  liveIndex: string;
  files: readonly string[];
  batchSize?: number;
  log: Logger;
  /**
   * Refuse to swap when the new index holds fewer than this fraction of the live one's documents (a truncated or wrong
   * corpus file). 0 disables the check.
   */
  minRatio?: number;
  /** Build index name; defaults to `<live>__build_<timestamp>`. */
  buildIndex?: string;
  /** Told how far the build is (indexer/progress.ts draws it). */
  onProgress?: IndexFilesOptions['onProgress'];
  /** The lease's timing (services/meili/lease.ts defaults: stale after 60 s without a heartbeat, one every 5 s). */
  lease?: Pick<LeaseOptions, 'staleMs' | 'heartbeatMs'>;
}

export interface ReindexResult {
  buildIndex: string;
  /** The generation now live. */
  generation: number;
  previousCount: number | null;
  count: number;
  summary: IndexSummary;
}

export class ReindexRefused extends Error {
  override name = 'ReindexRefused';
}

export function buildIndexName(liveIndex: string, now = new Date()): string {
  return `${liveIndex}${BUILD_MARKER}${now.toISOString().replace(/\D/g, '').slice(0, 17)}`;
}

/** Why a built index must not replace the live one, or null when it may. Pure, so the rules are unit-tested. */
export function swapRefusal(built: { count: number; failedTasks: number }, previousCount: number | null, minRatio: number): string | null {
  if (built.failedTasks > 0) return `${built.failedTasks} engine task(s) failed while building`;
  if (built.count === 0) return 'the new index is empty';
  if (previousCount !== null && minRatio > 0 && built.count < previousCount * minRatio) {
    return `the new index has ${built.count} documents, fewer than ${Math.round(minRatio * 100)}% of the live index's ${previousCount}`;
  }
  return null;
}

/**
 * One reindex of an index at a time, across processes and machines: a second one would delete the build index the
 * first is filling (the cleanup below) and swap in whichever finishes last. The lease lives in the engine.
 */
async function takeLease(options: ReindexOptions): Promise<Lease> {
  try {
    return await acquireLease(options.engine, `${options.liveIndex}${LEASE_MARKER}`, { ...options.lease, log: options.log });
  } catch (err) {
    if (!(err instanceof LeaseHeld)) throw err;
    throw new ReindexRefused(`reindex refused, live index ${options.liveIndex} unchanged: another reindex of it is running, ${err.message}; run this one when it has finished`);
  }
}

export async function reindex(options: ReindexOptions): Promise<ReindexResult> {
  const lease = await takeLease(options);
  try {
    return await reindexHoldingLease(options, lease);
  } finally {
    await lease.release().catch((err: unknown) => options.log.warn({ err, lease: lease.uid }, 'could not remove the reindex lease; it goes stale without heartbeats'));
  }
}

async function reindexHoldingLease(options: ReindexOptions, lease: Lease): Promise<ReindexResult> {
  const { engine, liveIndex, log } = options;
  const buildIndex = options.buildIndex ?? buildIndexName(liveIndex);

  // Leftovers of a reindex that died before its swap (no other reindex runs while this one holds the lease): never
  // live, safe to drop.
  for (const stale of await engine.listIndexUids(`${liveIndex}${BUILD_MARKER}`)) {
    if (stale === buildIndex) continue;
    log.warn({ index: stale }, 'deleting a build index left by an interrupted reindex');
    await engine.deleteIndexIfExists(stale);
  }

  let swapped = false;
  try {
    const generation = (await engine.currentGeneration(liveIndex, GENERATION_FIELD)) + 1;
    log.info({ buildIndex, generation, files: options.files.length }, 'reindex: building');
    const summary = await indexFiles({ engine, indexUid: buildIndex, files: options.files, batchSize: options.batchSize, log, generation, onProgress: options.onProgress });
    const count = await engine.countDocuments(buildIndex);
    const liveExists = await engine.indexExists(liveIndex);
    const previousCount = liveExists ? await engine.countDocuments(liveIndex) : null;
    const refusal = swapRefusal({ count, failedTasks: summary.failedTasks.length }, previousCount, options.minRatio ?? 0.9);
    if (refusal) throw new ReindexRefused(`reindex refused, live index ${liveIndex} unchanged: ${refusal}`);
    if (!(await lease.stillHeld())) {
      throw new ReindexRefused(`reindex refused, live index ${liveIndex} unchanged: its lease ${lease.uid} was taken for dead (no heartbeat reached the engine in time) and another reindex may be running`);
    }

    if (liveExists) await engine.swapIndexes(liveIndex, buildIndex);
    else await engine.swapIndexes(buildIndex, liveIndex, true);
    swapped = true;
    log.info({ liveIndex, previousCount, count, generation }, 'reindex: swapped in');
    return { buildIndex, generation, previousCount, count, summary };
  } finally {
    // After the swap the build name holds the old contents; before it, a half-built index. Either way it goes.
    await engine.deleteIndexIfExists(buildIndex).catch((err: unknown) => log.warn({ err, buildIndex, swapped }, 'could not delete the build index'));
  }
}

const USAGE = 'usage: npm run reindex -- [--allow-shrink] FILE [FILE...]   (rebuilds the live index from these files and swaps it in)';

if (require.main === module) {
  runFileCommand('reindex', USAGE, async ({ argv, files, config, log, engine }) => {
    const progress = createProgressReporter({ stream: process.stderr, log });
    try {
      const r = await reindex({
        engine: engine.admin,
        liveIndex: config.MEILI_INDEX,
        files,
        batchSize: config.INDEX_BATCH_SIZE,
        log,
        minRatio: argv.includes('--allow-shrink') ? 0 : 0.9,
        onProgress: progress.update,
      }).finally(() => progress.stop());
      const s = r.summary;
      process.stdout.write(
        `reindexed ${config.MEILI_INDEX}: ${r.previousCount ?? 0} -> ${r.count} documents (read ${s.read}, indexed ${s.indexed}, skipped ${s.skipped}, ${(s.durationMs / 1000).toFixed(1)} s)\n`,
      );
      for (const k of s.skippedRecords) process.stdout.write(`  skipped ${k.file}:${k.line}: ${k.reason}\n`);
      return 0;
    } catch (err) {
      if (err instanceof ReindexRefused) {
        process.stderr.write(`${err.message}\n`);
        return 1;
      }
      throw err;
    }
  });
}
