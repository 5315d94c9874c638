import { stat } from 'node:fs/promises';
import type { NewsDocument, SourceLocation } from '../services/article';
import type { Logger } from '../services/logger';
import type { Engine, FailedTask } from '../services/meili/engine';
import { buildIndexSettings, GENERATION_FIELD, PRIMARY_KEY, type LexiconSettings } from '../services/meili/settings';
import { DEFAULT_DEDUPE_OPTIONS } from '../services/dedupe';
import { groupFacetFields, GROUP_FACET_SOURCE_FIELDS } from '../services/meili/group-facets';
import { BatchWriter } from './batch-writer';
import { toNewsDocument, type DocumentContext } from './document';
import { GroupFacetMemory, type FacetValues } from './group-facet-memory';
import { readSource } from './sources';

/** The group fields of a document whose near-duplicate group changed after it was built. */
export type GroupUpdate = Pick<NewsDocument, 'id' | 'dupGroup' | 'dupOf'>;

/** Assigns near-duplicate groups as documents stream by (services/dedupe). */
export interface DuplicateGrouper {
  /** Sets `doc.dupGroup`/`doc.dupOf` and returns the other documents whose group fields changed. */
  assign(doc: NewsDocument): GroupUpdate[];
}

export interface IndexerOptions {
  engine: Engine;
  indexUid: string;
  files: readonly string[];
  lexicon: LexiconSettings;
  context: DocumentContext;
  duplicates?: DuplicateGrouper;
  /**
   * Group fields to write before anything else: groups whose stored copies disagreed, made whole again when the
   * duplicate memory was seeded (indexer/index.ts seedDuplicates).
   */
  groupRepairs?: readonly GroupUpdate[];
  batchSize: number;
  log: Logger;
  /**
   * The index generation to stamp on every document (services/meili/generation.ts): the reindex gives its build index
   * the live one's + 1; by default the index's own current generation, read once, so an incremental run adds to the
   * version it writes into.
   */
  generation?: number;
  /** Batches sent but not yet known to be stored (batch-writer.ts); 3 by default. */
  maxBatchesInFlight?: number;
  /** Told how far the run is, once per chunk of input read and when it ends (the CLI draws it: indexer/progress.ts). */
  onProgress?: (progress: IndexProgress) => void;
}

/** How far a run is: bytes of its input files read (what an ETA can go by), records read, documents stored. */
export interface IndexProgress {
  bytesRead: number;
  totalBytes: number;
  read: number;
  indexed: number;
  skipped: number;
  /** finishing: everything is read and sent, the run waits for the engine to store the last batches. */
  phase: 'reading' | 'finishing' | 'done';
}

export interface SkippedRecord {
  file: string;
  line: number;
  reason: string;
}

export interface IndexSummary {
  files: number;
  read: number;
  /** Documents the engine stored. */
  indexed: number;
  /** Records refused by the indexer's checks or, one by one, by the engine. */
  skipped: number;
  skippedRecords: SkippedRecord[];
  failedTasks: FailedTask[];
  durationMs: number;
}

/** Keeps the first problems in the summary; all of them are logged. */
const MAX_SKIPPED_IN_SUMMARY = 100;

/**
 * source files -> parsed articles -> documents -> engine batches. Streams: the batch being built and the few batches in
 * flight (batch-writer.ts) are held, so memory stays flat however large the corpus. A bad record is reported and
 * skipped, by the indexer's checks or by the engine; the run goes on.
 */
export async function runIndexer(options: IndexerOptions): Promise<IndexSummary> {
  const { engine, indexUid, log } = options;
  const started = Date.now();
  await engine.prepareIndex(indexUid, PRIMARY_KEY, buildIndexSettings(options.lexicon));
  const generation = options.generation ?? (await engine.currentGeneration(indexUid, GENERATION_FIELD));

  const writer = new BatchWriter(engine, indexUid, PRIMARY_KEY, { maxBatchesInFlight: options.maxBatchesInFlight ?? 3, log });
  const summary: IndexSummary = { files: 0, read: 0, indexed: 0, skipped: 0, skippedRecords: [], failedTasks: [], durationMs: 0 };
  const skip = (skipped: SkippedRecord) => {
    summary.skipped += 1;
    if (summary.skippedRecords.length < MAX_SKIPPED_IN_SUMMARY) summary.skippedRecords.push(skipped);
    log.warn(skipped, 'skipped record');
  };
  let batch: NewsDocument[] = [];
  let locations: SourceLocation[] = [];
  let batchIds = new Map<string, NewsDocument>();
  let groupUpdates = new Map<string, GroupUpdate>();
  // Twice the grouper's memory: a copy can join the group of any document the grouper still remembers.
  const facetMemory = new GroupFacetMemory(
    (ids) => readFacetValues(engine, indexUid, ids),
    2 * DEFAULT_DEDUPE_OPTIONS.maxEntries,
  );

  const writeGroupUpdates = async (updates: GroupUpdate[]) => {
    // Partial updates of documents sent earlier (this run or before), with their keys: a partial update cannot
    // derive them on the engine.
    const keys = await facetMemory.keysFor(updates);
    const unkeyed = updates.filter((u) => !keys.has(u.id)).map((u) => u.id);
    if (unkeyed.length > 0) log.warn({ ids: unkeyed.slice(0, 20), count: unkeyed.length }, 'group changed for documents whose facet values are unknown: their collapsed counts may be off until a reindex');
    await writer.update(updates.map((u) => ({ ...u, ...keys.get(u.id) })));
  };
  if (options.groupRepairs && options.groupRepairs.length > 0) {
    log.warn({ documents: options.groupRepairs.length }, 'rewriting group fields that an interrupted run left disagreeing');
    await writeGroupUpdates([...options.groupRepairs]);
  }

  const flush = async () => {
    // Group fields are final for this batch now: derive the collapsed-counting keys from them.
    for (const doc of batch) Object.assign(doc, groupFacetFields(doc));
    if (batch.length > 0) await writer.add(batch, locations);
    // Documents sent in earlier batches whose group grew: applied after their addition.
    if (groupUpdates.size > 0) await writeGroupUpdates([...groupUpdates.values()]);
    for (const doc of batch) facetMemory.remember(doc);
    batch = [];
    locations = [];
    batchIds = new Map();
    groupUpdates = new Map();
  };

  const progress: IndexProgress = { bytesRead: 0, totalBytes: await totalSize(options.files), read: 0, indexed: 0, skipped: 0, phase: 'reading' };
  const report = options.onProgress
    ? (bytes: number) => {
        progress.bytesRead += bytes;
        Object.assign(progress, { read: summary.read, indexed: writer.accepted, skipped: summary.skipped });
        options.onProgress?.({ ...progress });
      }
    : undefined;

  for (const file of options.files) {
    summary.files += 1;
    for await (const record of readSource(file, report)) {
      summary.read += 1;
      if (!record.ok) {
        skip({ file: record.location.file, line: record.location.line, reason: record.reason });
        continue;
      }
      const doc = toNewsDocument(record.article, options.context);
      // Generation 0 is "no stamp", so an index built before generations existed stays all of one generation.
      if (generation > 0) doc.generation = generation;
      for (const update of options.duplicates?.assign(doc) ?? []) {
        const pending = batchIds.get(update.id);
        if (pending) Object.assign(pending, update);
        else groupUpdates.set(update.id, update);
      }
      // The same article twice in one run (a re-sent file) must not count twice.
      if (batchIds.has(doc.id)) {
        Object.assign(batchIds.get(doc.id) as NewsDocument, doc);
        continue;
      }
      batch.push(doc);
      locations.push(record.article.location);
      batchIds.set(doc.id, doc);
      if (batch.length >= options.batchSize) await flush();
    }
  }
  await flush();
  progress.phase = 'finishing';
  report?.(0);
  await writer.finish();
  summary.indexed = writer.accepted;
  summary.failedTasks = writer.failedTasks;
  for (const r of writer.rejected) skip({ file: r.location?.file ?? '(unknown)', line: r.location?.line ?? 0, reason: r.reason });
  if (options.generation === undefined) {
    // A reindex swapped while this run wrote: its documents landed in the old index or, stamped with the old
    // generation, in the new one, where a sharded search sees two generations and refuses to answer. Writing them
    // again replaces them whole, with the new generation.
    const now = await engine.currentGeneration(indexUid, GENERATION_FIELD);
    if (now !== generation) log.error({ indexUid, wrote: generation, live: now }, 'the index was replaced by a reindex during this run: run it again with the same files');
  }
  summary.durationMs = Date.now() - started;
  progress.phase = 'done';
  report?.(0);
  return summary;
}

async function totalSize(files: readonly string[]): Promise<number> {
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Facet values of stored documents by id (those an earlier run wrote, when a copy joins their group). */
async function readFacetValues(engine: Engine, indexUid: string, ids: readonly string[]): Promise<Map<string, FacetValues>> {
  const found = await Promise.all(ids.map((id) => engine.getDocument<FacetValues & { id: string }>(indexUid, id, ['id', ...GROUP_FACET_SOURCE_FIELDS])));
  return new Map(found.flatMap((doc) => (doc ? [[doc.id, doc] as const] : [])));
}
