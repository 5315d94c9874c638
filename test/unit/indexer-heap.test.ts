import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INDEXER_HEAP_FLAG } from '../../indexer/heap';
import { API_ENV, API_HEAP_FLAGS } from '../../search-api/heap';
import { indexerCommand } from '../../scripts/bench/api';
import { PROJECT_ROOT } from '../../services/paths';

/** The indexer's heap cap is only read at start-up, so every way of starting the indexer must pass the same flag. */
describe('the indexer heap cap', () => {
  const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

  it('is on the command line of npm run index and npm run reindex', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.index).toContain(`node ${INDEXER_HEAP_FLAG} `);
    expect(scripts.reindex).toContain(`node ${INDEXER_HEAP_FLAG} `);
  });

  it("is on the container's indexer entry point and on the benchmark's indexer", () => {
    expect(read('Dockerfile')).toContain(`ENTRYPOINT ["node", "${INDEXER_HEAP_FLAG}", "dist/indexer/cli.js"]`);
    expect(indexerCommand()).toContain(INDEXER_HEAP_FLAG);
  });
});

/** Likewise the API's heap caps (search-api/heap.ts): npm start, the container and the benchmark's API. */
describe('the API heap caps', () => {
  const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');

  it('is on the command line of npm start and of the container', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.start).toBe(`MALLOC_ARENA_MAX=${API_ENV.MALLOC_ARENA_MAX} node ${API_HEAP_FLAGS.join(' ')} dist/search-api/main.js`);
    expect(read('Dockerfile')).toContain(`CMD ${JSON.stringify(['node', ...API_HEAP_FLAGS, 'dist/search-api/main.js']).replace(/,/g, ', ')}`);
    // glibc reads its arena cap only from the environment the process starts with.
    expect(read('Dockerfile')).toMatch(new RegExp(`FROM runtime AS search-api\\n(?:#.*\\n)*ENV [^\\n]*MALLOC_ARENA_MAX=${API_ENV.MALLOC_ARENA_MAX}`));
  });

  it("is on the benchmark's API command line and in its environment", () => {
    expect(read('scripts/bench/api.ts')).toMatch(/\[\s*\.\.\.API_HEAP_FLAGS,/);
    expect(read('scripts/bench/api.ts')).toMatch(/\.\.\.API_ENV,/);
  });
});
