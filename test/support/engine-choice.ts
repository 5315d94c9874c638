/**
 * Which engine the test run uses, written by the global setup for the test files and the teardown. One place decides:
 * MEILI_URL if set, else a container when a Docker engine answers, else the embedded binary.
 */
export interface EngineChoice {
  kind: 'external' | 'container' | 'embedded';
  url: string;
  apiKey: string;
  description: string;
}

export function engineFromEnv(): EngineChoice {
  const url = process.env.TEST_MEILI_URL;
  const apiKey = process.env.TEST_MEILI_KEY;
  const kind = process.env.TEST_ENGINE_KIND as EngineChoice['kind'] | undefined;
  if (!url || apiKey === undefined || !kind) {
    throw new Error('no test engine: run the tests through jest (test/support/global-setup.ts chooses one)');
  }
  return { kind, url, apiKey, description: process.env.TEST_ENGINE_DESCRIPTION ?? kind };
}
