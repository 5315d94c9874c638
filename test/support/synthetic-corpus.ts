import type { NewsDocument } from '../../services/article';
import type { DuplicateGrouper, GroupUpdate } from '../../indexer/pipeline';

export { syntheticCorpus, writeSyntheticCorpus, type SyntheticCorpus, type SyntheticOptions } from '../../scripts/synthetic-corpus';

/**
 * Groups articles with the same title and body (exact republications), the earliest as the group's head. Stands in
 * for the project's near-duplicate detector where a test needs groups it can predict.
 */
export class ExactDuplicateGrouper implements DuplicateGrouper {
  private readonly groups = new Map<string, string[]>();

  assign(doc: NewsDocument): GroupUpdate[] {
    const key = `${doc.title}\u0000${doc.body}`;
    const members = this.groups.get(key);
    if (!members) {
      this.groups.set(key, [doc.id]);
      return [];
    }
    if (!members.includes(doc.id)) members.push(doc.id);
    const head = members[0] as string;
    doc.dupGroup = head;
    doc.dupOf = members.filter((m) => m !== doc.id);
    return members.filter((m) => m !== doc.id).map((m) => ({ id: m, dupGroup: head, dupOf: members.filter((x) => x !== m) }));
  }
}
