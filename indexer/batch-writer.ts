import type { SourceLocation } from '../services/article';
import type { Logger } from '../services/logger';
import type { Engine, FailedTask } from '../services/meili/engine';
import { blamesADocument } from '../services/meili/task-failures';

/** A document the engine refused on its own (its batch was split until it was alone), with where it came from. */
export interface RejectedDocument {
  id: string;
  location: SourceLocation | null;
  reason: string;
}

type Doc = { id: string };
type Kind = 'add' | 'update';

/** What the writer needs of the engine (services/meili/engine.ts). */
export type DocumentStore = Pick<Engine, 'addDocuments' | 'updateDocuments' | 'waitForTasks' | 'getDocument' | 'deleteDocuments'>;

interface Write {
  kind: Kind;
  docs: Doc[];
  /** Where each added document came from (same order as docs); empty for updates. */
  locations: Array<SourceLocation | null>;
  /** The documents by id, so that a later group update can refresh a copy that may have to be sent again. */
  byId: Map<string, Doc>;
  taskUid: number;
}

export interface BatchWriterOptions {
  /**
   * Batches of documents sent but not yet known to be stored. They are kept because a batch the engine refuses has to
   * be sent again; more of them in flight keep the engine busy while documents are built, fewer keep memory down.
   */
  maxBatchesInFlight: number;
  log: Logger;
}

/**
 * Sends the indexer's batches to the engine and makes sure each document is stored or reported, without waiting for
 * each batch: a few batches stay in flight, and the oldest is waited for only when the window is full.
 *
 * The engine refuses a whole batch for one invalid document, and with it every batch it happened to process together
 * with it (autobatching). A batch refused for a document (services/meili/task-failures.ts) is sent again alone; if it
 * fails again it is split in two and each half sent, down to the document to blame, which is reported. So no good
 * document is lost, and `accepted` counts only what the engine stored.
 *
 * A batch sent again lands after batches sent later, including partial group updates (pipeline.ts) of its own
 * documents; the copies kept here are refreshed with every group update, so what is sent again is current.
 */
export class BatchWriter {
  /** Documents the engine stored (added or replaced). */
  accepted = 0;
  readonly rejected: RejectedDocument[] = [];
  readonly failedTasks: FailedTask[] = [];
  private readonly inFlight: Write[] = [];
  private readonly rejectedIds = new Set<string>();

  constructor(
    private readonly engine: DocumentStore,
    private readonly indexUid: string,
    private readonly primaryKey: string,
    private readonly options: BatchWriterOptions,
  ) {}

  /** Adds or replaces whole documents. */
  async add(docs: Doc[], locations: ReadonlyArray<SourceLocation | null>): Promise<void> {
    await this.enqueue('add', docs, [...locations]);
  }

  /** Partial updates of documents sent in earlier batches. */
  async update(updates: Doc[]): Promise<void> {
    // An update of a refused document would create a partial document of that id.
    const wanted = updates.filter((u) => !this.rejectedIds.has(u.id));
    for (const write of this.inFlight) {
      for (const u of wanted) {
        const held = write.byId.get(u.id);
        if (held) Object.assign(held, u);
      }
    }
    if (wanted.length > 0) await this.enqueue('update', wanted, []);
  }

  /** Waits for everything sent; afterwards accepted, rejected and failedTasks are final. */
  async finish(): Promise<void> {
    for (let write = this.inFlight.shift(); write; write = this.inFlight.shift()) await this.settle(write);
  }

  private async enqueue(kind: Kind, docs: Doc[], locations: Array<SourceLocation | null>): Promise<void> {
    const taskUid = await this.send(kind, docs);
    this.inFlight.push({ kind, docs, locations, byId: new Map(docs.map((d) => [d.id, d])), taskUid });
    while (this.inFlight.filter((w) => w.kind === 'add').length > this.options.maxBatchesInFlight) {
      await this.settle(this.inFlight.shift() as Write);
    }
  }

  private send(kind: Kind, docs: readonly Doc[]): Promise<number> {
    return kind === 'add' ? this.engine.addDocuments(this.indexUid, docs, this.primaryKey) : this.engine.updateDocuments(this.indexUid, docs, this.primaryKey);
  }

  private async settle(write: Write): Promise<void> {
    const failures = await this.engine.waitForTasks([write.taskUid]);
    if (failures.length === 0) {
      if (write.kind === 'add') this.accepted += write.docs.length;
      return;
    }
    if (!failures.every(blamesADocument)) {
      this.fail(failures);
      return;
    }
    // Its own document or one of a batch processed with it: sent alone, it tells. Alone means after the batches still
    // in flight, which the engine would otherwise process together with it (one index's tasks run in order).
    const last = this.inFlight.at(-1);
    if (last) await this.engine.waitForTasks([last.taskUid]);
    this.options.log.warn({ task: write.taskUid, documents: write.docs.length, error: failures[0]?.error }, 'the engine refused a batch for a document: sending it again, split until the document is found');
    await this.resolve(write.kind, write.docs, write.locations);
  }

  /** Sends documents alone and waits; when the engine blames one of them, halves until it is isolated. */
  private async resolve(kind: Kind, docs: Doc[], locations: Array<SourceLocation | null>): Promise<void> {
    const failures = await this.engine.waitForTasks([await this.send(kind, docs)]);
    if (failures.length === 0) {
      if (kind === 'add') this.accepted += docs.length;
      return;
    }
    if (!failures.every(blamesADocument)) {
      this.fail(failures);
      return;
    }
    if (docs.length > 1) {
      const half = Math.ceil(docs.length / 2);
      await this.resolve(kind, docs.slice(0, half), locations.slice(0, half));
      await this.resolve(kind, docs.slice(half), locations.slice(half));
      return;
    }
    const doc = docs[0] as Doc;
    if (kind === 'update') {
      // Our own partial update refused on its own: not the input's fault, a failure to report.
      this.fail(failures);
      return;
    }
    this.rejectedIds.add(doc.id);
    this.rejected.push({ id: doc.id, location: locations[0] ?? null, reason: `the engine refused it: ${failures[0]?.error ?? 'unknown error'}` });
    await this.removePartialCopy(doc.id);
  }

  /**
   * A group update sent while the document's batch was in flight creates the document with only the group fields when
   * the addition fails: such a stub (it has no title) is removed. A stored document of the same id (an earlier, valid
   * version) is left as it is.
   */
  private async removePartialCopy(id: string): Promise<void> {
    const stored = await this.engine.getDocument<{ title?: unknown }>(this.indexUid, id, ['title']);
    if (!stored || stored.title !== undefined) return;
    const failures = await this.engine.waitForTasks([await this.engine.deleteDocuments(this.indexUid, [id])]);
    if (failures.length > 0) this.fail(failures);
  }

  private fail(failures: readonly FailedTask[]): void {
    for (const f of failures) this.options.log.error(f, 'engine task failed');
    this.failedTasks.push(...failures);
  }
}
