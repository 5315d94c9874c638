import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

import { REPO_ROOT } from './images';

/** docker-compose.yml as the tests see it: parsed (YAML merge keys resolved) and validated for the parts we use. */

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

const serviceSchema = z.object({
  image: z.string().optional(),
  build: z
    .object({ context: z.string(), dockerfile: z.string().optional(), target: z.string().optional(), args: stringMap.optional() })
    .optional(),
  command: z.array(z.string()).optional(),
  environment: stringMap.optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  profiles: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).loose().optional(),
  restart: z.string().optional(),
});

const composeSchema = z.object({
  services: z.record(z.string(), serviceSchema.loose()),
  volumes: z.record(z.string(), z.unknown().nullable()).optional(),
});

export type ComposeService = z.infer<typeof serviceSchema>;
export type ComposeFile = z.infer<typeof composeSchema>;

export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');

export function readComposeText(file = COMPOSE_FILE): string {
  return readFileSync(file, 'utf8');
}

export function parseCompose(text: string): ComposeFile {
  return composeSchema.parse(parse(text, { merge: true }));
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** Every variable the file interpolates, with its default when it has one (`${NAME:-default}`). */
export function composeVariables(text: string): Map<string, string | undefined> {
  const vars = new Map<string, string | undefined>();
  for (const m of text.matchAll(VAR)) {
    const [, name, op, arg] = m;
    if (!name) continue;
    const dflt = op === ':-' || op === '-' ? (arg ?? '') : undefined;
    if (!vars.has(name) || vars.get(name) === undefined) vars.set(name, dflt);
  }
  return vars;
}

/** Compose's interpolation, for the forms the file uses: ${X}, ${X:-default}, ${X:?error}. */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(VAR, (_all, name: string, op: string | undefined, arg: string | undefined) => {
    const v = env[name];
    if (op === ':-') return v ? v : (arg ?? '');
    if (op === '-') return v ?? arg ?? '';
    if (op === ':?' || op === '?') {
      if (!v) throw new Error(`${name}: ${arg}`);
      return v;
    }
    return v ?? '';
  });
}
