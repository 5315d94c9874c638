import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A secret handed from one process to another as a file (the `*_FILE` convention of container secrets): one process
 * writes it on a volume the other mounts read-only, so the reader never sees what the writer held to make it.
 */

/** One token on one line: a trailing newline (`echo key > file`) is fine, anything else around it is a mistake. */
export const secretValueSchema = z
  .string()
  .transform((s) => s.replace(/\r?\n$/, ''))
  .pipe(
    z
      .string()
      .min(1, 'is empty')
      .max(1024, 'holds more than 1024 characters: not a key')
      .regex(/^[\x21-\x7e]*$/, 'must hold one key on one line (printable ASCII, no spaces)'),
  );

export type SecretRead = { ok: true; value: string } | { ok: false; problem: string };

/** Reads and validates a secret file; a problem is said in words an operator can act on (the file is never echoed). */
export function readSecretFile(file: string): SecretRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    return { ok: false, problem: `cannot read ${file} (${code})` };
  }
  const parsed = secretValueSchema.safeParse(text);
  if (!parsed.success) return { ok: false, problem: `${file} ${parsed.error.issues.map((i) => i.message).join('; ')}` };
  return { ok: true, value: parsed.data };
}

/**
 * Writes a secret readable by its owner only. Written beside the target and renamed over it, so a reader never sees a
 * half-written key, and a re-run replaces the file even though it is not writable.
 */
export function writeSecretFile(file: string, value: string): void {
  const valid = secretValueSchema.parse(value);
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  try {
    writeFileSync(partial, `${valid}\n`, { mode: 0o400, flag: 'wx' });
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
