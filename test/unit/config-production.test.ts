import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigError, loadConfig } from '../../services/config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('production refuses an unprotected engine', () => {
  it('names MEILI_MASTER_KEY when it is missing', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'MEILI_MASTER_KEY: is required in production (an API that only searches may hold MEILI_SEARCH_KEY or MEILI_SEARCH_KEY_FILE instead)',
    ]);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/Invalid configuration:\n {2}- MEILI_MASTER_KEY: is required in production/);
  });

  it('refuses a master key shorter than 16 bytes, counting UTF-8 bytes', () => {
    expect(problemsOf({ NODE_ENV: 'production', MEILI_MASTER_KEY: 'fifteen-bytes!!' })).toEqual(['MEILI_MASTER_KEY: must be at least 16 bytes in production']);
    // Five CJK characters are 15 bytes, six are 18.
    expect(problemsOf({ NODE_ENV: 'production', MEILI_MASTER_KEY: '上海合作组' })).toHaveLength(1);
    expect(problemsOf({ NODE_ENV: 'production', MEILI_MASTER_KEY: '上海合作组织' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'production', MEILI_MASTER_KEY: 'sixteen-bytes-ok' })).toEqual([]);
  });

  it('lets development run without a key', () => {
    expect(problemsOf({ NODE_ENV: 'development' })).toEqual([]);
  });
});

describe('an API that holds only a search-only key (docker-compose hands it one as a file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'config-key-'));
  const searchKey = 'a'.repeat(64);
  const keyFile = (name: string, content: string): string => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };
  const api = { NODE_ENV: 'production', MEILI_URL: 'http://meilisearch:7700', INDEX_ON_START: 'false' };

  it('starts in production with MEILI_SEARCH_KEY_FILE alone, and searches with the key read from it', () => {
    const config = loadConfig({ ...api, MEILI_SEARCH_KEY_FILE: keyFile('search-key', `${searchKey}\n`) });
    expect(config.MEILI_SEARCH_KEY).toBe(searchKey);
    expect(config.MEILI_MASTER_KEY).toBeUndefined();
    expect(config.MEILI_API_KEY).toBeUndefined();
  });

  it('starts in production with MEILI_SEARCH_KEY alone, against an engine network too', () => {
    expect(problemsOf({ ...api, MEILI_SEARCH_KEY: searchKey })).toEqual([]);
    const network = { NODE_ENV: 'production', INDEX_ON_START: 'false', MEILI_NETWORK: 'a=http://a:7700,b=http://b:7700' };
    expect(problemsOf({ ...network, MEILI_SEARCH_KEY: searchKey })).toEqual([]);
  });

  it('refuses a missing, empty or multi-line key file, naming the variable and never echoing the content', () => {
    expect(problemsOf({ ...api, MEILI_SEARCH_KEY_FILE: join(dir, 'absent') })).toEqual([`MEILI_SEARCH_KEY_FILE: cannot read ${join(dir, 'absent')} (ENOENT)`]);
    expect(problemsOf({ ...api, MEILI_SEARCH_KEY_FILE: keyFile('empty', '\n') })).toEqual([`MEILI_SEARCH_KEY_FILE: ${join(dir, 'empty')} is empty`]);
    const twoLines = problemsOf({ ...api, MEILI_SEARCH_KEY_FILE: keyFile('two', 'secret-one\nsecret-two\n') });
    expect(twoLines).toEqual([expect.stringMatching(/^MEILI_SEARCH_KEY_FILE: .*must hold one key on one line/)]);
    expect(twoLines.join('')).not.toContain('secret-one');
  });

  it('refuses the key given twice, as a variable and as a file', () => {
    expect(problemsOf({ ...api, MEILI_SEARCH_KEY: searchKey, MEILI_SEARCH_KEY_FILE: keyFile('both', searchKey) })).toEqual([
      'MEILI_SEARCH_KEY_FILE: cannot be combined with MEILI_SEARCH_KEY: give the key one way',
    ]);
  });

  it('refuses a search-only key where this process would have to start or fill the engine', () => {
    expect(problemsOf({ NODE_ENV: 'production', INDEX_ON_START: 'false', MEILI_SEARCH_KEY: searchKey })).toEqual([
      'MEILI_URL: a search-only key needs an engine run elsewhere (MEILI_URL or MEILI_NETWORK): an embedded engine is started with its master key',
    ]);
    // INDEX_ON_START defaults to true: `npm start`'s indexing of the sample corpus cannot run on a search-only key.
    expect(problemsOf({ NODE_ENV: 'production', MEILI_URL: api.MEILI_URL, MEILI_SEARCH_KEY: searchKey })).toEqual([
      'INDEX_ON_START: must be false when the only key is a search-only key (it cannot index)',
    ]);
    // With a write key beside it, indexing on start is the writer's business.
    expect(problemsOf({ NODE_ENV: 'production', MEILI_URL: api.MEILI_URL, MEILI_API_KEY: 'b'.repeat(64), MEILI_SEARCH_KEY: searchKey })).toEqual([]);
  });

  it('refuses a "search key" that is the master key or the write key, however it is given', () => {
    const master = 'm'.repeat(32);
    expect(problemsOf({ ...api, MEILI_MASTER_KEY: master, MEILI_SEARCH_KEY: master })).toEqual(['MEILI_SEARCH_KEY: must hold a search-only key, not the master key']);
    expect(problemsOf({ ...api, MEILI_MASTER_KEY: master, MEILI_SEARCH_KEY_FILE: keyFile('master', master) })).toEqual([
      'MEILI_SEARCH_KEY_FILE: must hold a search-only key, not the master key',
    ]);
    expect(problemsOf({ ...api, MEILI_API_KEY: searchKey, MEILI_SEARCH_KEY: searchKey })).toEqual(['MEILI_SEARCH_KEY: must hold a search-only key, not the MEILI_API_KEY']);
  });

  it('leaves development as it was: no key at all still runs the embedded engine', () => {
    expect(problemsOf({ NODE_ENV: 'development', MEILI_SEARCH_KEY: searchKey })).toEqual([]);
  });
});
