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
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['MEILI_MASTER_KEY: is required in production']);
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
