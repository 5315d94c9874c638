/**
 * Near-duplicate groups as the index stores them can disagree: the indexer writes a batch's documents first and the
 * group fields of earlier copies that a new copy joined second (indexer/pipeline.ts), so a run that dies between the
 * two leaves the new copy naming its group while the earlier copies still stand alone. A rerun sees the earlier copies
 * again as known documents, which change nothing, so nothing would ever write their fields.
 *
 * Seeding the duplicate memory from the index (indexer/index.ts) therefore reads each document's claim - its group head
 * and members - and finds the groups whose claims disagree; the grouper makes each one group again and its members'
 * fields are rewritten. Groups whose stored members agree are left exactly as stored (members the seeding did not read
 * are trusted), so a group at the edge of the seeded window is never rewritten on a guess.
 */

/** What a stored document says about its group. */
export interface GroupClaim {
  dupGroup: string;
  dupOf: readonly string[];
}

/**
 * The groups, as sorted member ids, that the claims disagree about: every document linked by any claim to another
 * (transitively) is one group; a group is consistent when each document that made a claim names the same head and
 * exactly the group's members.
 */
export function disagreeingGroups(claims: ReadonlyMap<string, GroupClaim>): string[][] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
    // Path compression keeps repeated finds short.
    for (let at = id; at !== root; ) {
      const next = parent.get(at) as string;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const [id, claim] of claims) {
    union(id, id);
    union(id, claim.dupGroup);
    for (const other of claim.dupOf) union(id, other);
  }
  const components = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    const list = components.get(root);
    if (list) list.push(id);
    else components.set(root, [id]);
  }
  const out: string[][] = [];
  for (const members of components.values()) {
    if (members.length < 2) continue;
    const heads = new Set<string>();
    const agree = members.every((id) => {
      const claim = claims.get(id);
      if (!claim) return true;
      heads.add(claim.dupGroup);
      const named = new Set([id, ...claim.dupOf]);
      return named.size === members.length && members.every((m) => named.has(m));
    });
    if (!agree || heads.size > 1) out.push(members.sort());
  }
  return out;
}
