import { z } from 'zod';

import { buildImages, ComposeProject, describeWithDocker, freePort, KEY_RIGHTS_PROBE, type StackImages } from '../support/compose-stack';

/**
 * docker-compose.yml, up for real: the engine healthy, the indexer job done, the engine-keys job done and the API
 * holding only the search-only key it left (no master key in the container), the API healthy on its published port,
 * Chinese and English queries answered with highlights and facet counts, then `down -v` leaving nothing behind.
 * Skipped (with a printed reason) where no Docker engine answers; a failure instead when REQUIRE_DOCKER=1.
 */

const hitSchema = z.object({
  id: z.string(),
  title: z.string(),
  highlight: z.object({ title: z.string(), snippet: z.string() }),
});
const facetValue = z.object({ value: z.string(), label: z.string(), count: z.number().int().nonnegative() });
const searchSchema = z.object({
  query: z.string(),
  total: z.number().int().nonnegative(),
  hits: z.array(hitSchema),
  facets: z.object({ outlet: z.array(facetValue), lang: z.array(facetValue) }).loose(),
});

const marks = (html: string): string[] => [...html.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1] ?? '');

const describeDocker = describeWithDocker('compose stack test');

describeDocker('docker-compose stack (engine + indexer job + API)', () => {
  let project: ComposeProject;
  let apiUrl = '';
  const timings: Record<string, number> = {};
  const t0 = Date.now();

  beforeAll(async () => {
    const built = await buildImages();
    timings.imagesMs = built.ms;
    const images: StackImages = built.images;
    const port = await freePort();
    project = new ComposeProject('nscompose', { ...images, API_PORT: String(port), NPM_OFFLINE: 'true' });
    apiUrl = `http://127.0.0.1:${port}`;
    process.stdout.write(`\n[compose] project ${project.name}: ${images.MEILI_IMAGE}, ${images.SEARCH_API_IMAGE} on ${images.NODE_IMAGE}\n`);

    const up = Date.now();
    await project.compose(['up', '-d', '--no-build', 'meilisearch', 'indexer', 'search-api']);
    await project.waitHealthy('meilisearch', 60_000);
    timings.engineHealthyMs = Date.now() - up;
    const indexerExit = await project.waitExit('indexer', 120_000);
    if (indexerExit !== 0) throw new Error(`indexer exited with ${indexerExit}\n${await project.logs()}`);
    timings.indexedMs = Date.now() - up;
    await project.waitHealthy('search-api', 90_000);
    timings.upToHealthyMs = Date.now() - up;
  }, 900_000);

  afterAll(async () => {
    // Safety net: the last test tears down and checks; if it never ran, still leave nothing behind.
    await project?.down().catch(() => undefined);
    timings.totalMs = Date.now() - t0;
    process.stdout.write(`[compose] timings (ms): ${JSON.stringify(timings)}\n`);
  }, 120_000);

  async function search(q: string) {
    const res = await fetch(`${apiUrl}/api/search?q=${encodeURIComponent(q)}&limit=20`);
    expect(res.status).toBe(200);
    return searchSchema.parse(await res.json());
  }

  test('GET /healthz and /readyz answer 200 through the published port', async () => {
    expect((await fetch(`${apiUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${apiUrl}/readyz`)).status).toBe(200);
  });

  test('the running API container holds no master key: only the search-only key file the engine-keys job wrote', async () => {
    const api = await project.inspect('search-api');
    expect(api.State.Status).toBe('running');
    const names = api.Config.Env.map((e) => e.slice(0, e.indexOf('=')));
    expect(names.filter((n) => n.includes('KEY'))).toEqual(['MEILI_SEARCH_KEY_FILE']);
    // Nowhere in what Docker holds for this container: environment, command, labels, mounts.
    expect(api.raw.includes(project.masterKey)).toBe(false);
    const keyFile = api.Config.Env.find((e) => e.startsWith('MEILI_SEARCH_KEY_FILE='))?.split('=')[1] ?? '';
    const mount = api.Mounts.find((m) => keyFile.startsWith(`${m.Destination}/`));
    expect(mount).toMatchObject({ Type: 'volume', RW: false });
    // The key it holds searches and can do nothing else (asked from inside the container, as the API would).
    const rights = JSON.parse(await project.exec('search-api', ['node', '-e', KEY_RIGHTS_PROBE])) as unknown;
    expect(rights).toEqual({ search: 200, write: 403, keys: 403 });
    const key = (await project.exec('search-api', ['cat', keyFile])).trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toBe(project.masterKey);
    // Written by the one-shot job, which did its work and is gone.
    expect(await project.waitExit('engine-keys', 10_000)).toBe(0);
  });

  test('serves the web page built into the image', async () => {
    const res = await fetch(`${apiUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type') ?? '').toContain('text/html');
    expect(await res.text()).toMatch(/<script[^>]+src="[^"]*app[^"]*\.js/);
  });

  test.each([
    ['Chinese', '上海精神'],
    ['English', 'Shanghai Spirit'],
  ])('a %s query returns highlighted hits and facet counts', async (_lang, q) => {
    const body = await search(q);
    expect(body.query).toBe(q);
    expect(body.total).toBeGreaterThan(0);
    expect(body.hits.length).toBe(Math.min(body.total, 20));
    for (const hit of body.hits) {
      const highlighted = marks(hit.highlight.title + hit.highlight.snippet).length > 0;
      expect({ id: hit.id, highlighted }).toEqual({ id: hit.id, highlighted: true });
    }
    // The highlighted text is the query's own words (or segments of it), whatever the engine's tokenisation.
    const marked = body.hits.flatMap((h) => marks(h.highlight.title + h.highlight.snippet)).map((m) => m.toLowerCase());
    expect(marked.some((m) => m.length > 0 && q.toLowerCase().includes(m))).toBe(true);
    // Every article has exactly one outlet, and no outlet filter is applied: outlet counts add up to the total.
    expect(body.facets.outlet.length).toBeGreaterThan(0);
    expect(body.facets.outlet.reduce((sum, f) => sum + f.count, 0)).toBe(body.total);
    expect(body.facets.lang.length).toBeGreaterThan(0);
  });

  test('the indexer job and the API agree with the engine: an empty query lists every indexed article', async () => {
    const body = await search('');
    expect(body.total).toBeGreaterThan(0);
    const chinese = await search('上海精神');
    expect(body.total).toBeGreaterThanOrEqual(chinese.total);
  });

  test('down -v leaves no container, network or volume behind', async () => {
    const before = await project.leftovers();
    expect(before.containers.length).toBeGreaterThanOrEqual(4);
    expect(before.volumes.length).toBeGreaterThanOrEqual(2);
    const t = Date.now();
    await project.down();
    timings.downMs = Date.now() - t;
    expect(await project.leftovers()).toEqual({ containers: [], networks: [], volumes: [] });
  });
});
