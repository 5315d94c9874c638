import type { NewsDocument } from '../services/article';
import type { Logger } from '../services/logger';
import type { Engine, FailedTask } from '../services/meili/engine';
import { buildIndexSettings, GENERATION_FIELD, PRIMARY_KEY, type LexiconSettings } from '../services/meili/settings';
import { DEFAULT_DEDUPE_OPTIONS } from '../services/dedupe';
import { groupFacetFields, GROUP_FACET_SOURCE_FIELDS } from '../services/meili/group-facets';
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
  batchSize: number;
  log: Logger;
  /**
   * The index generation to stamp on every document (services/meili/generation.ts): the reindex gives its build index
   * the live one's + 1; by default the index's own current generation, read once, so an incremental run adds to the
   * version it writes into.
   */
  generation?: number;
}

export interface SkippedRecord {
  file: string;
  line: number;
  reason: string;
}

export interface IndexSummary {
  files: number;
  read: number;
  indexed: number;
  skipped: number;
  skippedRecords: SkippedRecord[];
  failedTasks: FailedTask[];
  durationMs: number;
}

/** Keeps the first problems in the summary; all of them are logged. */
const MAX_SKIPPED_IN_SUMMARY = 100;

/**
 * source files -> parsed articles -> documents -> engine batches. Streams: at most one batch of documents is held,
 * so memory stays flat however large the corpus. A bad record is reported and skipped; the run goes on.
 */
export async function runIndexer(options: IndexerOptions): Promise<IndexSummary> {
  const { engine, indexUid, log } = options;
  const started = Date.now();
  await engine.prepareIndex(indexUid, PRIMARY_KEY, buildIndexSettings(options.lexicon));
  const generation = options.generation ?? (await engine.currentGeneration(indexUid, GENERATION_FIELD));

  const taskUids: number[] = [];
  const summary: IndexSummary = { files: 0, read: 0, indexed: 0, skipped: 0, skippedRecords: [], failedTasks: [], durationMs: 0 };
  let batch: NewsDocument[] = [];
  let batchIds = new Map<string, NewsDocument>();
  let groupUpdates = new Map<string, GroupUpdate>();
  // Twice the grouper's memory: a copy can join the group of any document the grouper still remembers.
  const facetMemory = new GroupFacetMemory(
    (ids) => readFacetValues(engine, indexUid, ids),
    2 * DEFAULT_DEDUPE_OPTIONS.maxEntries,
  );

  const flush = async () => {
    // Group fields are final for this batch now: derive the collapsed-counting keys from them.
    for (const doc of batch) Object.assign(doc, groupFacetFields(doc));
    if (batch.length > 0) {
      taskUids.push(await engine.addDocuments(indexUid, batch, PRIMARY_KEY));
      summary.indexed += batch.length;
    }
    if (groupUpdates.size > 0) {
      // Documents sent in earlier batches whose group grew: partial updates, applied after their addition, with
      // their keys (a partial update cannot derive them on the engine).
      const updates = [...groupUpdates.values()];
      const keys = await facetMemory.keysFor(updates);
      const unkeyed = updates.filter((u) => !keys.has(u.id)).map((u) => u.id);
      if (unkeyed.length > 0) log.warn({ ids: unkeyed.slice(0, 20), count: unkeyed.length }, 'group changed for documents whose facet values are unknown: their collapsed counts may be off until a reindex');
      taskUids.push(await engine.updateDocuments(indexUid, updates.map((u) => ({ ...u, ...keys.get(u.id) })), PRIMARY_KEY));
    }
    for (const doc of batch) facetMemory.remember(doc);
    batch = [];
    batchIds = new Map();
    groupUpdates = new Map();
  };

  for (const file of options.files) {
    summary.files += 1;
    for await (const record of readSource(file)) {
      summary.read += 1;
      if (!record.ok) {
        summary.skipped += 1;
        const skipped = { file: record.location.file, line: record.location.line, reason: record.reason };
        if (summary.skippedRecords.length < MAX_SKIPPED_IN_SUMMARY) summary.skippedRecords.push(skipped);
        log.warn(skipped, 'skipped record');
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
      batchIds.set(doc.id, doc);
      if (batch.length >= options.batchSize) await flush();
    }
  }
  await flush();
  summary.failedTasks = await engine.waitForTasks(taskUids);
  for (const failure of summary.failedTasks) log.error(failure, 'engine task failed');
  if (options.generation === undefined) {
    // A reindex swapped while this run wrote: its documents landed in the old index or, stamped with the old
    // generation, in the new one, where a sharded search sees two generations and refuses to answer. Writing them
    // again replaces them whole, with the new generation.
    const now = await engine.currentGeneration(indexUid, GENERATION_FIELD);
    if (now !== generation) log.error({ indexUid, wrote: generation, live: now }, 'the index was replaced by a reindex during this run: run it again with the same files');
  }
  summary.durationMs = Date.now() - started;
  return summary;
}

/** Facet values of stored documents by id (those an earlier run wrote, when a copy joins their group). */
async function readFacetValues(engine: Engine, indexUid: string, ids: readonly string[]): Promise<Map<string, FacetValues>> {
  const found = await Promise.all(ids.map((id) => engine.getDocument<FacetValues & { id: string }>(indexUid, id, ['id', ...GROUP_FACET_SOURCE_FIELDS])));
  return new Map(found.flatMap((doc) => (doc ? [[doc.id, doc] as const] : [])));
}
