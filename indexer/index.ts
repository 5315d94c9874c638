import type { Logger } from '../services/logger';
import type { Engine } from '../services/meili/engine';
import { loadLexicon } from '../services/lexicon';
import { OutletRegistry } from '../services/outlets';
import { runIndexer, type IndexSummary } from './pipeline';

export interface IndexFilesOptions {
  engine: Engine;
  indexUid: string;
  files: readonly string[];
  batchSize?: number;
  log: Logger;
}

/** The indexer with the project's own data (outlets, lexicon): what the CLI, `npm start` and tests run. */
export async function indexFiles(options: IndexFilesOptions): Promise<IndexSummary> {
  const lexicon = loadLexicon();
  return runIndexer({
    engine: options.engine,
    indexUid: options.indexUid,
    files: options.files,
    lexicon: { dictionary: lexicon.words, synonyms: lexicon.synonyms },
    context: { outlets: OutletRegistry.fromFile() },
    batchSize: options.batchSize ?? 2_000,
    log: options.log,
  });
}
