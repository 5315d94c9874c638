import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The container images the project uses, read from docker/images.env: the one file the shell scripts source, the
 * compose-file test checks docker-compose.yml's defaults against, and these helpers use. Pinning them anywhere else
 * would let the tests run a different engine from the one production runs.
 */

export const REPO_ROOT = join(__dirname, '..', '..');
export const IMAGES_ENV_FILE = join(REPO_ROOT, 'docker', 'images.env');

const imageRef = z.string().regex(/^[a-z0-9][a-z0-9._\/-]*(:[A-Za-z0-9._-]+)?$/, 'an image reference');

const imagesSchema = z.object({
  MEILI_IMAGE_OFFICIAL: imageRef,
  NODE_IMAGE_OFFICIAL: imageRef,
  MEILI_IMAGE_LOCAL: imageRef,
  NODE_IMAGE_LOCAL: imageRef,
  INDEXER_IMAGE: imageRef,
  SEARCH_API_IMAGE: imageRef,
  MEILI_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/),
  NODE_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/),
  NPM_VERSION: z.string().regex(/^\d+\.\d+\.\d+$/),
});

export type PinnedImages = z.infer<typeof imagesSchema>;

/** Parses KEY=VALUE lines (comments and blank lines ignored), the subset of shell syntax images.env is written in. */
export function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`not a KEY=VALUE line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export function loadPinnedImages(file = IMAGES_ENV_FILE): PinnedImages {
  return imagesSchema.parse(parseEnvLines(readFileSync(file, 'utf8')));
}
