/**
 * The indexer's V8 heap cap, passed on its command line (package.json `index`/`reindex`, the Dockerfile's indexer
 * entry point, the benchmark). Its live heap is bounded by design (the duplicate memory's 20,000 articles, the batch
 * being built and at most three held until the engine stored them (batch-writer.ts): about 110 MB after a full
 * collection on the 50k corpus, measured when one batch was held), but left to itself V8 grows the heap to
 * several times that on a long fast run and RSS climbs with it (700 MB at 200,000 articles against 360 MB at 12,500).
 * With the cap, collection runs sooner and memory stays flat as the corpus grows. Node reads the flag only at start-up.
 */
export const INDEXER_MAX_OLD_SPACE_MB = 256;
export const INDEXER_HEAP_FLAG = `--max-old-space-size=${INDEXER_MAX_OLD_SPACE_MB}`;
