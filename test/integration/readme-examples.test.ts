import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyUid } from '../../services/meili/keys';
import { PROJECT_ROOT } from '../../services/paths';
import { engineFromEnv } from '../support/engine-choice';
import { testEngine, uniqueIndex } from '../support/harness';
import { exampleCommands, retarget } from '../support/readme-examples';
import { startServiceProcess, type ServiceProcess } from '../support/reliability';

/**
 * The README is the users' front door: every curl example in it (and in docs/api.md) is run as typed, by the real
 * curl in a shell, against the service started the way `npm start` starts it (its process entry, the sample corpus
 * indexed at start-up) on an ephemeral port put in place of the documented localhost:3000. Each must answer 200 with
 * JSON. Without curl the suite fails: the examples are curl commands, and nothing else proves they work as typed.
 */

const DOCUMENTED = 'http://localhost:3000';
const DOCUMENTS = ['README.md', 'docs/api.md'];
const examples = DOCUMENTS.flatMap((file) => exampleCommands(readFileSync(path.join(PROJECT_ROOT, file), 'utf8'), 'curl').map((command) => [file, command] as const));

const choice = engineFromEnv();
const engine = testEngine();
const index = uniqueIndex('readme');
const curlHome = mkdtempSync(path.join(os.tmpdir(), 'readme-curl-'));
let service: ServiceProcess;

function curlInstalled(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a command in a shell as a reader would. The status and content type come from a curl config file in a home
 * of its own (curl reads CURL_HOME/.curlrc), written to stderr, so the command itself is not changed.
 */
function runAsTyped(command: string): Promise<{ status: number; contentType: string; body: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH, HOME: curlHome, CURL_HOME: curlHome }, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${command}: ${err.message}\n${stderr}`));
      const written = /^STATUS (\d{3}) (.*)$/m.exec(stderr);
      if (!written) return reject(new Error(`${command}: curl did not report a status (stderr: ${stderr})`));
      resolve({ status: Number(written[1]), contentType: written[2] ?? '', body: stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!curlInstalled()) throw new Error('curl is not installed: the README examples are curl commands (apt-get install curl; .ci/run installs it)');
  writeFileSync(path.join(curlHome, '.curlrc'), ['silent', 'show-error', 'write-out = "%{stderr}STATUS %{http_code} %{content_type}\\n"', ''].join('\n'));
  // As `npm start` runs: the process entry, the sample corpus indexed at start-up, the engine's master key from
  // which start-up derives the API's search-only key. MEILI_URL names the run's test engine instead of an embedded one.
  service = await startServiceProcess({ MEILI_URL: choice.url, MEILI_MASTER_KEY: choice.apiKey, MEILI_INDEX: index, PORT: '0', LOG_LEVEL: 'info' });
}, 180_000);

afterAll(async () => {
  await service?.stop();
  await engine.deleteIndexIfExists(index);
  for (const role of ['search', 'indexer'] as const) await engine.client.deleteKey(keyUid(role, index)).catch(() => undefined);
  rmSync(curlHome, { recursive: true, force: true });
});

it('finds the examples to run', () => {
  expect(examples.length).toBeGreaterThanOrEqual(2);
  expect(service.out()).toMatch(/"indexed":10\b.*"msg":"sample corpus indexed"/);
});

it.each(examples)('%s: %s answers 200 with JSON', async (_file, command) => {
  expect(command).toContain(DOCUMENTED);
  const answer = await runAsTyped(retarget(command, DOCUMENTED, service.url));
  expect({ status: answer.status, body: answer.body.slice(0, 300) }).toMatchObject({ status: 200 });
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(() => JSON.parse(answer.body) as unknown).not.toThrow();
});
