import { z } from 'zod';
import { ConfigError, loadConfig, loadDotenv } from '../../services/config';
import { createLogger } from '../../services/logger';
import { openEngine } from '../../services/meili/topology';
import { writeSecretFile } from '../../services/secret-file';

/**
 * docker-compose's `engine-keys` job (and `engine-keys-cluster`): with the master key, creates or finds the scoped keys
 * (services/meili/keys.ts, on every node of a network) and writes the API's search-only key to FILE, on a volume the
 * API mounts read-only and reads through MEILI_SEARCH_KEY_FILE. So the public-facing API never holds the master key;
 * this job, which does, exits before the API starts. Idempotent: a re-run finds the same key (fixed uids).
 *
 *   MEILI_URL=http://meilisearch:7700 MEILI_MASTER_KEY=... node dist/scripts/keys/engine-keys.js /run/news-search/search-key
 */

const USAGE = 'usage: engine-keys FILE   (writes the API\'s search-only key to FILE; needs MEILI_MASTER_KEY)';

async function main(argv: readonly string[]): Promise<number> {
  const args = z.tuple([z.string().min(1)]).safeParse(argv);
  if (!args.success) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const [file] = args.data;
  loadDotenv();
  const config = loadConfig();
  if (!config.MEILI_MASTER_KEY) throw new Error('MEILI_MASTER_KEY: is required to create the scoped keys');
  const log = createLogger(config.LOG_LEVEL, 'engine-keys');
  const engine = await openEngine(config, log);
  try {
    const key = engine.searchKey;
    // keys.ts falls back to a write key outside production; what this job hands over must only ever search.
    if (!key || key === config.MEILI_MASTER_KEY || key === engine.adminKey) {
      throw new Error('no search-only key came out of the key policy: refusing to hand the API a stronger key');
    }
    writeSecretFile(file, key);
    log.info({ file, index: config.MEILI_INDEX, nodes: engine.nodes?.map((n) => n.name) }, 'search-only key written for the API');
    return 0;
  } finally {
    await engine.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`engine-keys: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
