import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeEngine } from '../../services/meili/node-engine';
import { startEmbeddedEngine, type RunningEngine } from '../../services/meili/embedded';
import { indexInto } from '../support/harness';
import { sleep, startServiceProcess, waitFor } from '../support/reliability';

/**
 * `npm start`'s SIGTERM path, on the real entry point (SERVICE_ENTRY as a child process): a request in flight when
 * the signal arrives still gets its answer, new connections are refused, and the process exits 0 afterwards.
 * The in-flight request is held open by freezing this suite's own engine (SIGSTOP) until after the signal.
 */

const MASTER = 'shutdown-master-key-0123456789';
let dataDir: string;
let meili: RunningEngine;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'news-shutdown-'));
  meili = await startEmbeddedEngine({ dataDir, port: 0, masterKey: MASTER });
  await indexInto(new NodeEngine({ url: meili.url, apiKey: MASTER, timeoutMs: 30_000 }), 'news');
}, 120_000);
afterAll(async () => {
  try {
    process.kill(meili.pid, 'SIGCONT');
  } catch {
    // gone
  }
  await meili?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function request(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

it('drains in-flight requests on SIGTERM, refuses new ones, and exits 0', async () => {
  const service = await startServiceProcess({
    NODE_ENV: 'production',
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: MASTER,
    MEILI_INDEX: 'news',
    MEILI_TIMEOUT_MS: '20000',
    INDEX_ON_START: 'false',
    PORT: '0',
    LOG_LEVEL: 'info',
  });
  const { child, url } = service;
  const io = { out: service.out, exit: service.exit };
  try {
    expect((await request(`${url}/api/search?q=SCO`)).status).toBe(200);

    process.kill(meili.pid, 'SIGSTOP');
    const inFlight = request(`${url}/api/search?q=${encodeURIComponent('上海精神')}`);
    await sleep(300);
    child.kill('SIGTERM');
    await waitFor('draining to start', async () => (io.out().includes('draining in-flight requests') ? true : undefined), 5_000);
    await expect(request(`${url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
    expect(child.exitCode).toBeNull(); // still waiting for the in-flight request

    process.kill(meili.pid, 'SIGCONT');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect((JSON.parse(answered.body) as { total: number }).total).toBeGreaterThan(0);
    expect(await io.exit).toEqual({ code: 0, signal: null });
    expect(io.out()).toContain('"msg":"stopped"');
  } finally {
    process.kill(meili.pid, 'SIGCONT');
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
