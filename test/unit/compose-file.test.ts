import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

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
      expect.arrayContaining(['meilisearch', 'indexer', 'engine-keys', 'search-api', 'meili-1', 'meili-2', 'meili-3', 'meili-network']),
    );
    expect(engineServices.sort()).toEqual(['meili-1', 'meili-2', 'meili-3', 'meilisearch']);
    for (const name of ['meili-1', 'meili-2', 'meili-3', 'meili-network', 'indexer-cluster', 'engine-keys-cluster', 'search-api-cluster']) {
      expect(service(name).profiles).toEqual(['cluster']);
    }
    for (const name of ['meilisearch', 'indexer', 'engine-keys', 'search-api']) expect(service(name).profiles).toBeUndefined();
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
    expect(built.map(([name]) => name).sort()).toEqual(['engine-keys', 'indexer', 'search-api']);
    // The keys job runs from the API's image; it is built too so that `up --build` never runs it on a stale image.
    const imageOf: Record<string, string> = { 'engine-keys': 'search-api' };
    for (const [name, s] of built) {
      const target = imageOf[name] ?? name;
      expect({ name, target: s.build?.target }).toEqual({ name, target });
      expect({ name, image: s.image }).toEqual({ name, image: service(target).image });
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
    for (const dependant of ['indexer-cluster', 'engine-keys-cluster']) {
      expect(service(dependant).depends_on).toEqual({ 'meili-network': { condition: 'service_completed_successfully' } });
    }
    expect(service('search-api-cluster').depends_on).toEqual({ 'engine-keys-cluster': { condition: 'service_completed_successfully' } });
    expect(Object.keys(service('meili-network').depends_on ?? {}).sort()).toEqual(['meili-1', 'meili-2', 'meili-3']);
  });

  test('the public-facing APIs hold no master key, only the search-only key a job that ran first left on a read-only volume', () => {
    const apis = ['search-api', 'search-api-cluster'];
    for (const name of apis) {
      const api = service(name);
      const env = resolvedEnv(name);
      // No key variable but the search key's file, and the master key neither by name nor by value.
      expect({ name, keys: Object.keys(env).filter((k) => k.includes('KEY') && k !== 'MEILI_SEARCH_KEY_FILE') }).toEqual({ name, keys: [] });
      expect({ name, masterKeyInEnv: Object.values(env).some((v) => v.includes(masterKey)) }).toEqual({ name, masterKeyInEnv: false });
      expect({ name, mentionsMasterKey: JSON.stringify(api).includes('MEILI_MASTER_KEY') }).toEqual({ name, mentionsMasterKey: false });

      const file = env.MEILI_SEARCH_KEY_FILE ?? '';
      expect({ name, file }).toEqual({ name, file: expect.stringMatching(/^\/.+/) });
      const dir = posix.dirname(file);
      const mount = (api.volumes ?? []).find((m) => m.split(':')[1] === dir) ?? '';
      const volume = mount.split(':')[0] ?? '';
      expect({ name, mount }).toEqual({ name, mount: `${volume}:${dir}:ro` });
      expect(Object.keys(compose.volumes ?? {})).toContain(volume);

      // The writer: a one-shot job of the same profile that the API waits for, holding the master key for the same
      // engine and index, writing that very file on the same volume - and the only other service mounting it.
      const users = Object.entries(compose.services).filter(([, s]) => (s.volumes ?? []).some((m) => m.split(':')[0] === volume));
      const writers = users.map(([n]) => n).filter((n) => n !== name);
      expect({ name, writers: writers.length }).toEqual({ name, writers: 1 });
      const jobName = writers[0] ?? '';
      const job = service(jobName);
      expect(api.depends_on?.[jobName]).toEqual({ condition: 'service_completed_successfully' });
      expect(job.restart).toBe('no');
      expect(job.profiles).toEqual(api.profiles);
      expect(job.command).toEqual(['node', 'dist/scripts/keys/engine-keys.js', file]);
      expect(existsSync(join(REPO_ROOT, 'scripts', 'keys', 'engine-keys.ts'))).toBe(true);
      expect(job.volumes).toEqual([`${volume}:${dir}`]);
      const jobEnv = resolvedEnv(jobName);
      expect(jobEnv.MEILI_MASTER_KEY).toBe(masterKey);
      for (const k of ['MEILI_URL', 'MEILI_NETWORK', 'MEILI_INDEX'] as const) {
        if (k === 'MEILI_URL' && env.MEILI_NETWORK) continue; // a network is reached through all its nodes
        expect({ name, [k]: jobEnv[k] }).toEqual({ name, [k]: env[k] });
      }
    }
    // Each API has its own key volume.
    const volumes = apis.map((n) => (service(n).volumes ?? [])[0]?.split(':')[0]);
    expect(new Set(volumes).size).toBe(apis.length);
  });

  test('the Dockerfile makes the key volume\'s mount point the app user\'s, so a fresh volume is writable by the job', () => {
    const dir = posix.dirname(resolvedEnv('search-api').MEILI_SEARCH_KEY_FILE ?? '');
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.indexOf(' AS runtime'), dockerfile.indexOf(' AS indexer'));
    expect(runtime).toContain(`mkdir -p ${dir} && chown node:node ${dir}`);
    expect(runtime.indexOf(`chown node:node ${dir}`)).toBeLessThan(runtime.indexOf('USER node'));
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
