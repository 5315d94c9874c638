import { mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readSecretFile, writeSecretFile } from '../../services/secret-file';

describe('a secret handed over as a file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secret-file-'));

  it('round-trips a key, readable by its owner only, and leaves no partial file behind', () => {
    const file = join(dir, 'key');
    writeSecretFile(file, 'f'.repeat(64));
    expect(readFileSync(file, 'utf8')).toBe(`${'f'.repeat(64)}\n`);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(readSecretFile(file)).toEqual({ ok: true, value: 'f'.repeat(64) });
    expect(readdirSync(dir)).toEqual(['key']);
  });

  it('replaces an earlier key although the file itself is read-only (a re-run after the master key changed)', () => {
    const file = join(dir, 'rotated');
    writeSecretFile(file, 'old-key-0001');
    writeSecretFile(file, 'new-key-0002');
    expect(readSecretFile(file)).toEqual({ ok: true, value: 'new-key-0002' });
  });

  it('refuses to write what is not one key', () => {
    expect(() => writeSecretFile(join(dir, 'bad'), 'two words')).toThrow(/one key on one line/);
    expect(() => writeSecretFile(join(dir, 'bad'), '')).toThrow(/empty/);
    expect(readdirSync(dir)).not.toContain('bad');
  });

  it('accepts a trailing newline or CRLF, refuses anything else around the key', () => {
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return readSecretFile(join(dir, name));
    };
    expect(write('crlf', 'abc123\r\n')).toEqual({ ok: true, value: 'abc123' });
    expect(write('spaced', ' abc123\n')).toMatchObject({ ok: false });
    expect(write('blank-line', 'abc123\n\n')).toMatchObject({ ok: false });
    expect(readSecretFile(join(dir, 'nope'))).toEqual({ ok: false, problem: `cannot read ${join(dir, 'nope')} (ENOENT)` });
  });
});
