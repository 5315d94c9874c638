import { z } from 'zod';

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
    // In production the engine must be protected: an unkeyed or weakly keyed engine exposes the archive for writing.
    if (cfg.NODE_ENV === 'production') {
      const key = cfg.MEILI_MASTER_KEY;
      if (!key && !cfg.MEILI_API_KEY) {
        ctx.addIssue({ code: 'custom', path: ['MEILI_MASTER_KEY'], message: 'is required in production' });
      } else if (key && Buffer.byteLength(key, 'utf8') < 16) {
        ctx.addIssue({ code: 'custom', path: ['MEILI_MASTER_KEY'], message: 'must be at least 16 bytes in production' });
      }
    }
    if (cfg.MEILI_NETWORK && cfg.MEILI_SHARDS > 1) {
      ctx.addIssue({ code: 'custom', path: ['MEILI_NETWORK'], message: 'cannot be combined with MEILI_SHARDS > 1' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; every problem is reported at once so an operator fixes them in one go. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`));
  }
  return result.data;
}

/** Loads `.env` (if any) into process.env without overriding variables that are already set. */
export function loadDotenv(path = '.env'): void {
  // dotenv is only needed by entry points; requiring it lazily keeps library modules free of env side effects.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('dotenv') as typeof import('dotenv')).config({ path, quiet: true });
}
