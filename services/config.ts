import { z } from 'zod';
import { readSecretFile } from './secret-file';

/**
 * The service's whole configuration, validated once at boot. Library code receives this object (or a slice of it)
 * and never reads process.env itself, so every knob is listed here and in the README's config table.
 */

const csv = z
  .string()
  .transform((s) => s.split(',').map((v) => v.trim()).filter((v) => v.length > 0));

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    MEILI_URL: z.url().optional(),
    MEILI_MASTER_KEY: z.string().min(1).optional(),
    MEILI_API_KEY: z.string().min(1).optional(),
    MEILI_SEARCH_KEY: z.string().min(1).optional(),
    /** The search-only key as a file (a secret on a volume; docker-compose's `engine-keys` job writes it). */
    MEILI_SEARCH_KEY_FILE: z.string().min(1).optional(),
    MEILI_INDEX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,100}$/, 'letters, digits, - and _ only (at most 100)')
      .default('news'),
    MEILI_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    MEILI_DATA_DIR: z.string().min(1).default('.data/meili'),
    MEILI_PORT: z.coerce.number().int().min(1).max(65535).default(7700),
    MEILI_BINARY: z.string().min(1).optional(),
    MEILI_SHARDS: z.coerce.number().int().min(1).max(16).default(1),
    MEILI_NETWORK: z.string().min(1).optional(),

    INDEX_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(2_000),
    INDEX_ON_START: boolish.default(true),
    SAMPLE_CORPUS: z.string().min(1).default('data/sample/sco-summit-2025.txt'),

    CORS_ORIGINS: csv.default([]),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1_200),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.MEILI_SEARCH_KEY && cfg.MEILI_SEARCH_KEY_FILE) {
      ctx.addIssue({ code: 'custom', path: ['MEILI_SEARCH_KEY_FILE'], message: 'cannot be combined with MEILI_SEARCH_KEY: give the key one way' });
    }
    if (cfg.NODE_ENV === 'production') {
      for (const problem of productionKeyProblems(cfg)) ctx.addIssue({ code: 'custom', ...problem });
    }
    if (cfg.MEILI_NETWORK && cfg.MEILI_SHARDS > 1) {
      ctx.addIssue({ code: 'custom', path: ['MEILI_NETWORK'], message: 'cannot be combined with MEILI_SHARDS > 1' });
    }
  });

type KeyFields = Pick<
  z.input<typeof configSchema>,
  'MEILI_MASTER_KEY' | 'MEILI_API_KEY' | 'MEILI_SEARCH_KEY' | 'MEILI_SEARCH_KEY_FILE' | 'MEILI_URL' | 'MEILI_NETWORK'
> & { INDEX_ON_START: boolean };

/**
 * In production the engine must be protected: an unkeyed or weakly keyed engine exposes the archive for writing.
 * A process may hold the master key, a write key, or - an API that only serves, as in docker-compose - nothing but a
 * search-only key; such a process cannot start or index an engine, so it needs one elsewhere and must not index.
 * `searchKey` is the key itself when known (from MEILI_SEARCH_KEY, or read from MEILI_SEARCH_KEY_FILE).
 */
function productionKeyProblems(cfg: KeyFields, searchKey = cfg.MEILI_SEARCH_KEY): { path: string[]; message: string }[] {
  const problems: { path: string[]; message: string }[] = [];
  const master = cfg.MEILI_MASTER_KEY;
  const hasSearchKey = Boolean(cfg.MEILI_SEARCH_KEY || cfg.MEILI_SEARCH_KEY_FILE);
  if (!master && !cfg.MEILI_API_KEY && !hasSearchKey) {
    problems.push({
      path: ['MEILI_MASTER_KEY'],
      message: 'is required in production (an API that only searches may hold MEILI_SEARCH_KEY or MEILI_SEARCH_KEY_FILE instead)',
    });
  } else if (master && Buffer.byteLength(master, 'utf8') < 16) {
    problems.push({ path: ['MEILI_MASTER_KEY'], message: 'must be at least 16 bytes in production' });
  }
  if (!master && !cfg.MEILI_API_KEY && hasSearchKey) {
    if (!cfg.MEILI_URL && !cfg.MEILI_NETWORK) {
      problems.push({ path: ['MEILI_URL'], message: 'a search-only key needs an engine run elsewhere (MEILI_URL or MEILI_NETWORK): an embedded engine is started with its master key' });
    }
    if (cfg.INDEX_ON_START) {
      problems.push({ path: ['INDEX_ON_START'], message: 'must be false when the only key is a search-only key (it cannot index)' });
    }
  }
  if (searchKey && (searchKey === master || searchKey === cfg.MEILI_API_KEY)) {
    problems.push({
      path: [cfg.MEILI_SEARCH_KEY_FILE ? 'MEILI_SEARCH_KEY_FILE' : 'MEILI_SEARCH_KEY'],
      message: `must hold a search-only key, not the ${searchKey === master ? 'master key' : 'MEILI_API_KEY'}`,
    });
  }
  return problems;
}

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Parses the environment; every problem is reported at once so an operator fixes them in one go. A key given as a file
 * (MEILI_SEARCH_KEY_FILE) is read here and handed on as MEILI_SEARCH_KEY, so nothing past this point knows the difference.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  }
  const config = result.data;
  if (!config.MEILI_SEARCH_KEY_FILE) return config;
  const read = readSecretFile(config.MEILI_SEARCH_KEY_FILE);
  if (!read.ok) throw new ConfigError([`MEILI_SEARCH_KEY_FILE: ${read.problem}`]);
  if (config.NODE_ENV === 'production') {
    const problems = productionKeyProblems(config, read.value);
    if (problems.length > 0) throw new ConfigError(problems.map((p) => `${p.path.join('.')}: ${p.message}`));
  }
  return { ...config, MEILI_SEARCH_KEY: read.value };
}

/** Loads `.env` (if any) into process.env without overriding variables that are already set. */
export function loadDotenv(path = '.env'): void {
  // dotenv is only needed by entry points; requiring it lazily keeps library modules free of env side effects.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('dotenv') as typeof import('dotenv')).config({ path, quiet: true });
}
