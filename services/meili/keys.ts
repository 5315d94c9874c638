import { createHash } from 'node:crypto';
import type { Key } from 'meilisearch';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Engine } from './engine';
import { NodeEngine } from './node-engine';
import { EngineRequestError, toEngineError } from './errors';
import { isSharded } from './sharded-engine';
import type { EngineHandle } from './topology';

/**
 * Least privilege for engine keys. The master key stays in the process that owns the engine and is used for one thing:
 * to create (or look up) two scoped keys. The indexer writes with an admin-scoped key that cannot manage keys, the API
 * searches with a search-only key limited to the news indexes, and the web page gets no key at all (it talks to the
 * API, never the engine).
 *
 * Keys are created with fixed uids derived from the role and the index name. Meilisearch derives a key's value from its
 * uid and the master key, so a restart (or a second process) finds the same key instead of piling up new ones.
 */

export type KeyRole = 'search' | 'indexer';

/** What each role may do. No `keys.*`: a leaked scoped key cannot mint or read other keys. */
export const ROLE_ACTIONS: Record<KeyRole, readonly string[]> = {
  search: ['search'],
  // The indexer creates the index, applies settings, adds documents, waits for its tasks and swaps in a rebuilt index.
  indexer: ['search', 'documents.*', 'indexes.*', 'settings.*', 'tasks.get', 'stats.get', 'version'],
};

/** The index pattern the search key is scoped to: the live index and its build/shard siblings (`news`, `news__build_…`). */
export function indexPattern(indexUid: string): string {
  return `${indexUid}*`;
}

/**
 * Indexes each role's key covers. The indexer's key spans all indexes: the engine hides index-less tasks (an index
 * swap) from index-scoped keys, so a scoped indexer could not wait for its own swap. It is still an admin key without
 * key management, like the engine's own "Default Admin API Key".
 */
export function roleIndexes(role: KeyRole, indexUid: string): string[] {
  return role === 'search' ? [indexPattern(indexUid)] : ['*'];
}

/** A stable UUID (v4 layout, as the engine requires) for a role and index: same inputs, same key across restarts. */
export function keyUid(role: KeyRole, indexUid: string): string {
  const h = createHash('sha256').update(`bilingual-news-search/${role}/${indexUid}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function keyName(role: KeyRole, indexUid: string): string {
  return `news-search ${role} (${indexPattern(indexUid)})`;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/**
 * Looks up the role's key, creating it when missing. A key whose rights no longer match the policy (an older release
 * granted more) is deleted and recreated: the engine cannot change a key's actions in place, and the recreated key has
 * the same value because its uid is the same.
 */
export async function ensureKey(manager: NodeEngine, role: KeyRole, indexUid: string): Promise<string> {
  // The indexer and the engine-keys job start together (docker-compose): both may find the key missing and create it.
  // The one that loses finds it made by the other, with the same uid and so the same value, and takes it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureKeyOnce(manager, role, indexUid);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof EngineRequestError && err.code === 'api_key_already_exists')) throw err;
    }
  }
}

async function ensureKeyOnce(manager: NodeEngine, role: KeyRole, indexUid: string): Promise<string> {
  const uid = keyUid(role, indexUid);
  const wanted = { actions: [...ROLE_ACTIONS[role]], indexes: roleIndexes(role, indexUid) };
  let existing: Key | null = null;
  try {
    existing = await manager.client.getKey(uid);
  } catch (err) {
    const e = toEngineError(err);
    if (!(e instanceof EngineRequestError && e.code === 'api_key_not_found')) throw e;
  }
  if (existing && sameSet(existing.actions, wanted.actions) && sameSet(existing.indexes, wanted.indexes) && !existing.expiresAt) {
    return existing.key;
  }
  try {
    if (existing) await manager.client.deleteKey(uid);
    const created = await manager.client.createKey({ uid, name: keyName(role, indexUid), description: 'managed by bilingual-news-search; recreated at startup when its rights differ', ...wanted, expiresAt: null });
    return created.key;
  } catch (err) {
    throw toEngineError(err);
  }
}

export interface ScopedKeys {
  indexerKey: string;
  searchKey: string;
}

/** Both scoped keys for an index; `manager` must hold a key with `keys.*` rights (normally the master key). */
export async function provisionKeys(manager: NodeEngine, indexUid: string): Promise<ScopedKeys> {
  return {
    indexerKey: await ensureKey(manager, 'indexer', indexUid),
    searchKey: await ensureKey(manager, 'search', indexUid),
  };
}

/**
 * Applies the key policy to a located engine: the handle's `admin` then writes with the indexer key and `search` reads
 * with the search-only key. Keys the operator set explicitly win (MEILI_API_KEY for writing, MEILI_SEARCH_KEY or the
 * file MEILI_SEARCH_KEY_FILE for searching); otherwise the keys are provisioned with the master key. Without a master
 * key and without a search key the API would have to search with a write key, which production refuses.
 */
export async function applyKeyPolicy(
  handle: Omit<EngineHandle, 'search'>,
  config: Pick<Config, 'NODE_ENV' | 'MEILI_INDEX' | 'MEILI_MASTER_KEY' | 'MEILI_API_KEY' | 'MEILI_SEARCH_KEY' | 'MEILI_TIMEOUT_MS'>,
  log: Logger,
): Promise<EngineHandle> {
  const masterKey = handle.mode === 'embedded' ? handle.adminKey : config.MEILI_MASTER_KEY;
  const sharded = isSharded(handle.admin) ? handle.admin : null;
  // A sharded network is reached through every node with the same key (sharded-engine.ts).
  const connect = (apiKey: string | undefined): Engine =>
    sharded ? sharded.withKey(apiKey) : new NodeEngine({ url: handle.url, apiKey, timeoutMs: config.MEILI_TIMEOUT_MS });
  const provision = async (key: string): Promise<ScopedKeys> => {
    if (!sharded) return provisionKeys(new NodeEngine({ url: handle.url, apiKey: key, timeoutMs: config.MEILI_TIMEOUT_MS }), config.MEILI_INDEX);
    // Keys are per node. Same uid and same master key give the same key value on every node; different values mean
    // the nodes have different master keys, and one scoped key could not reach them all.
    const perNode = await Promise.all(
      sharded.nodes.map((n) =>
        provisionKeys(new NodeEngine({ url: n.url, apiKey: key, timeoutMs: config.MEILI_TIMEOUT_MS }), config.MEILI_INDEX).catch((err: unknown) => {
          // Name the node: "timed out" alone does not say which of the network's engines to look at.
          const e = toEngineError(err);
          e.message = `node ${n.name} (${n.url}): ${e.message}`;
          throw e;
        }),
      ),
    );
    const first = perNode[0] as ScopedKeys;
    if (perNode.some((k) => k.indexerKey !== first.indexerKey || k.searchKey !== first.searchKey)) {
      throw new Error('the engine network nodes have different master keys: give every node the same MEILI_MASTER_KEY');
    }
    return first;
  };
  let adminKey = config.MEILI_API_KEY ?? handle.adminKey;
  let searchKey = config.MEILI_SEARCH_KEY;

  const manager = masterKey ?? config.MEILI_API_KEY;
  if (manager && (!searchKey || !config.MEILI_API_KEY)) {
    try {
      const keys = await provision(manager);
      if (!config.MEILI_API_KEY) adminKey = keys.indexerKey;
      searchKey ??= keys.searchKey;
      log.info({ index: indexPattern(config.MEILI_INDEX) }, 'scoped engine keys ready (indexer: admin without key management, API: search only)');
    } catch (err) {
      if (masterKey) throw err;
      // An operator-supplied API key without `keys.*` rights: fine for the indexer, not enough to mint a search key.
      log.warn({ err: (err as Error).message }, 'could not provision a search-only key with MEILI_API_KEY');
    }
  }
  if (!manager && searchKey) {
    // docker-compose's API: the `engine-keys` job made the keys; this process can search and nothing else.
    log.info({ index: indexPattern(config.MEILI_INDEX) }, 'holding only a search-only engine key (no master or write key)');
  }
  if (!searchKey) {
    if (config.NODE_ENV === 'production') {
      throw new Error('MEILI_SEARCH_KEY: is required in production when no MEILI_MASTER_KEY is given (the API must not search with a write key)');
    }
    log.warn('no search-only key: the API searches with the write key (development only)');
    searchKey = adminKey;
  }
  return { ...handle, adminKey, searchKey, admin: connect(adminKey), search: connect(searchKey) };
}
