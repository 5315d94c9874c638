import { groupFacetFields, type GroupFacetFields, type GroupFacetSource } from '../services/meili/group-facets';
import type { NewsDocument } from '../services/article';

/** A document's facet values: what its collapsed-counting keys are made of besides its group. */
export type FacetValues = Omit<GroupFacetSource, 'dupGroup' | 'dupOf'>;

/** Reads facet values of stored documents this run has not seen (those of an earlier run that a new copy joins). */
export type StoredFacetReader = (ids: readonly string[]) => Promise<Map<string, FacetValues>>;

/**
 * The facet values of documents sent in earlier batches, so that when a later copy joins their group, their
 * collapsed-counting keys (services/meili/group-facets.ts) can be sent with the new group fields: a partial update
 * cannot derive one field from another on the engine. Bounded like the duplicate grouper's own memory, oldest out
 * first; documents it has forgotten or never saw are read back from the engine.
 */
export class GroupFacetMemory {
  private readonly values = new Map<string, FacetValues>();

  constructor(
    private readonly readStored: StoredFacetReader,
    private readonly maxEntries: number,
  ) {}

  remember(doc: NewsDocument): void {
    this.values.delete(doc.id);
    this.values.set(doc.id, { outlet: doc.outlet, themes: doc.themes, lang: doc.lang, day: doc.day, month: doc.month });
    if (this.values.size > this.maxEntries) {
      const oldest = this.values.keys().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
  }

  /**
   * The keys for each group update, keyed by id. An update whose document the engine does not have either (it never
   * held it) gets none: its keys are written with the document itself.
   */
  async keysFor(updates: ReadonlyArray<Pick<NewsDocument, 'id' | 'dupGroup' | 'dupOf'>>): Promise<Map<string, GroupFacetFields>> {
    const missing = updates.filter((u) => !this.values.has(u.id)).map((u) => u.id);
    const stored = missing.length > 0 ? await this.readStored(missing) : new Map<string, FacetValues>();
    const out = new Map<string, GroupFacetFields>();
    for (const u of updates) {
      const values = this.values.get(u.id) ?? stored.get(u.id);
      if (values) out.set(u.id, groupFacetFields({ ...values, dupGroup: u.dupGroup, dupOf: u.dupOf }));
    }
    return out;
  }
}
