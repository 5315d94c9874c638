import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { configSchema } from '../../services/config';
import { parseNetworkSpec } from '../../scripts/cluster/configure-network';
import {
  composeVariables,
  interpolate,
  parseCompose,
  readComposeText,
  type ComposeFile,
  type ComposeService,
} from '../support/compose-file';
import { loadPinnedImages, parseEnvLines, REPO_ROOT } from '../support/images';

/**
 * docker-compose.yml's wiring, checked without a Docker engine: every variable a Node service receives is one the
 * config schema knows and the resolved environment passes it in production mode; hosts and ports point at services
 * that exist; image defaults are the pinned ones. The compose test (test/compose) runs the stack for real.
 */

const text = readComposeText();
const compose: ComposeFile = parseCompose(text);
const pinned = loadPinnedImages();
const configKeys = new Set(Object.keys(configSchema.shape));
const masterKey = 'k'.repeat(32);

function service(name: string): ComposeService {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
}

function resolvedEnv(name: string): Record<string, string> {
  const env = service(name).environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, { MEILI_MASTER_KEY: masterKey })]));
}

const nodeServices = Object.entries(compose.services)
  .filter(([, s]) => (s.image ?? '').includes('news-search/') || s.build !== undefined)
  .map(([name]) => name);
const engineServices = Object.entries(compose.services)
  .filter(([, s]) => (s.image ?? '').includes('MEILI_IMAGE'))
  .map(([name]) => name);

describe('docker-compose.yml', () => {
  test('has the services production needs, and the cluster profile', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['meilisearch', 'indexer', 'search-api', 'meili-1', 'meili-2', 'meili-3', 'meili-network']),
    );
    expect(engineServices.sort()).toEqual(['meili-1', 'meili-2', 'meili-3', 'meilisearch']);
    for (const name of ['meili-1', 'meili-2', 'meili-3', 'meili-network', 'indexer-cluster', 'search-api-cluster']) {
      expect(service(name).profiles).toEqual(['cluster']);
    }
    for (const name of ['meilisearch', 'indexer', 'search-api']) expect(service(name).profiles).toBeUndefined();
  });

  test('image defaults are the ones pinned in docker/images.env, and the Dockerfile agrees', () => {
    const vars = composeVariables(text);
    expect(vars.get('MEILI_IMAGE')).toBe(pinned.MEILI_IMAGE_OFFICIAL);
    expect(vars.get('NODE_IMAGE')).toBe(pinned.NODE_IMAGE_OFFICIAL);
    expect(vars.get('INDEXER_IMAGE')).toBe(pinned.INDEXER_IMAGE);
    expect(vars.get('SEARCH_API_IMAGE')).toBe(pinned.SEARCH_API_IMAGE);
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^ARG NODE_IMAGE=${pinned.NODE_IMAGE_OFFICIAL.replace(/[.]/g, '\\.')}$`, 'm'));
  });

  test('services built here name targets the Dockerfile has, on the NODE_IMAGE base', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM \S+ AS (\S+)$/gm)].map((m) => m[1]);
    const built = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);
    expect(built.map(([name]) => name).sort()).toEqual(['indexer', 'search-api']);
    for (const [name, s] of built) {
      expect({ name, target: s.build?.target }).toEqual({ name, target: name });
      expect(stages).toContain(s.build?.target);
      expect(s.build?.args?.NODE_IMAGE).toBe('${NODE_IMAGE:-' + pinned.NODE_IMAGE_OFFICIAL + '}');
    }
  });

  test('every Node service gets only variables the config schema knows, and they pass it in production', () => {
    expect(nodeServices.length).toBeGreaterThanOrEqual(4);
    for (const name of nodeServices) {
      const env = resolvedEnv(name);
      const unknown = Object.keys(env).filter((k) => !configKeys.has(k));
      expect({ name, unknown }).toEqual({ name, unknown: [] });
      expect(env.NODE_ENV).toBe('production');
      const parsed = configSchema.safeParse(env);
      expect({ name, issues: parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }).toEqual(
        { name, issues: [] },
      );
    }
  });

  test('MEILI_URL and MEILI_NETWORK name engine services of the same profile on the engine port', () => {
    for (const name of nodeServices) {
      const env = resolvedEnv(name);
      const profile = service(name).profiles;
      const urls = [env.MEILI_URL, ...(env.MEILI_NETWORK ? parseNetworkSpec(env.MEILI_NETWORK).map((n) => n.url) : [])];
      for (const raw of urls.filter((u): u is string => u !== undefined)) {
        const url = new URL(raw);
        expect(engineServices).toContain(url.hostname);
        expect(url.port).toBe('7700');
        expect(service(url.hostname).profiles).toEqual(profile);
      }
    }
    const network = parseNetworkSpec(resolvedEnv('meili-network').MEILI_NETWORK ?? '');
    expect(network.map((n) => n.name)).toEqual(['meili-1', 'meili-2', 'meili-3']);
    // Node names are the service names, so a node's `self` is also the host name the others reach it by.
    for (const node of network) expect(new URL(node.url).hostname).toBe(node.name);
  });

  test('engines keep their data on named volumes, one each, and have a healthcheck', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = engineServices.map((name) => {
      const mounts = service(name).volumes ?? [];
      const data = mounts.find((m) => m.endsWith(':/meili_data'));
      expect({ name, data }).toEqual({ name, data: expect.any(String) });
      const volume = (data ?? '').split(':')[0] ?? '';
      expect(declared).toContain(volume);
      expect(service(name).healthcheck?.test.join(' ')).toContain('/health');
      expect(resolvedEnv(name).MEILI_MASTER_KEY).toBe(masterKey);
      return volume;
    });
    expect(new Set(used).size).toBe(used.length);
  });

  test('jobs start after the engine is healthy, the API has a /readyz healthcheck and publishes its PORT', () => {
    expect(service('indexer').depends_on).toEqual({ meilisearch: { condition: 'service_healthy' } });
    expect(service('indexer').restart).toBe('no');
    const api = service('search-api');
    expect(api.depends_on?.meilisearch?.condition).toBe('service_healthy');
    expect(api.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${resolvedEnv('search-api').PORT}/readyz`);
    expect(api.ports?.map((p) => p.split(':').pop())).toEqual([resolvedEnv('search-api').PORT]);
    expect(resolvedEnv('search-api').HOST).toBe('0.0.0.0');
    expect(resolvedEnv('search-api').INDEX_ON_START).toBe('false');
    for (const dependant of ['indexer-cluster', 'search-api-cluster']) {
      expect(service(dependant).depends_on).toEqual({ 'meili-network': { condition: 'service_completed_successfully' } });
    }
    expect(Object.keys(service('meili-network').depends_on ?? {}).sort()).toEqual(['meili-1', 'meili-2', 'meili-3']);
  });

  test('the master key is required, never defaulted', () => {
    expect(() => interpolate(text, {})).toThrow(/MEILI_MASTER_KEY/);
    expect(composeVariables(text).get('MEILI_MASTER_KEY')).toBeUndefined();
  });

  test('.env.example lists every variable the file reads', () => {
    const example = parseEnvLines(readFileSync(join(REPO_ROOT, '.env.example'), 'utf8'));
    const missing = [...composeVariables(text).keys()].filter((k) => !(k in example));
    expect(missing).toEqual([]);
  });
});
