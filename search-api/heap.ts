/**
 * The API's V8 young-generation cap, passed on its command line (package.json `start`, the Dockerfile, the benchmark).
 * Under 32 concurrent searches V8 grows each semi-space to its 16 MB default for response
 * bodies that die at once, and RSS went past 200 MB with it (202 MB measured). At 8 MB: 174 MB, with API CPU per search
 * unchanged within noise; at 4 MB: 170 MB, but 20% more CPU per search in the scavenger. Node reads the flag only at
 * start-up.
 */
export const API_SEMI_SPACE_MB = 8;

/**
 * The API's old-generation cap. Left to itself V8 sizes the heap by the machine's memory (4 GB here) and lets the old
 * generation grow lazily under load: at 32 concurrent searches RSS reached 192-224 MB (238 MB at 128) with about 70 MB
 * of it live. With the cap V8 collects sooner: 156-160 MB at 32, 166 MB at 128, throughput within noise. 256 MB, as
 * the indexer's, leaves room for `npm start` indexing its corpus in this process (the indexer's live heap is about
 * 110 MB on 50,000 articles).
 */
export const API_MAX_OLD_SPACE_MB = 256;

/** Node's flags for the API process, in order; Node reads them only at start-up. */
export const API_HEAP_FLAGS = [`--max-semi-space-size=${API_SEMI_SPACE_MB}`, `--max-old-space-size=${API_MAX_OLD_SPACE_MB}`] as const;

/**
 * glibc malloc arenas for the API process, set in its environment (glibc reads it once, at start): by default glibc
 * keeps up to eight arenas per core for the process's threads (V8's, libuv's, jieba's) and RSS under load swung with
 * how they fragment: 191 and 232 MB in two identical runs at 32 concurrent searches, against 179 and 184 MB with two
 * arenas, same CPU within noise. The engine is not affected (Meilisearch brings its own allocator).
 */
export const API_MALLOC_ARENA_MAX = 2;
export const API_ENV = { MALLOC_ARENA_MAX: String(API_MALLOC_ARENA_MAX) } as const;
