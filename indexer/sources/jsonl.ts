import { createReadStream } from 'node:fs';
import type { BytesRead, SourceRecord } from './record';
import { MAX_BODY_CHARS, toArticle } from './record';

/** A line longer than this cannot hold a valid article (the body cap plus a generous envelope). */
export const MAX_LINE_BYTES = MAX_BODY_CHARS * 4 + 64 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Streams a JSON Lines file one article per line. Lines are split on bytes and decoded strictly, so invalid UTF-8 is
 * reported (file, line, reason) instead of being turned into replacement characters; memory stays flat.
 */
export async function* readJsonLines(file: string, onBytes?: BytesRead): AsyncGenerator<SourceRecord> {
  let lineNo = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;

  const finish = (bytes: Buffer, last: boolean): SourceRecord | null => {
    lineNo += 1;
    const location = { file, line: lineNo };
    if (oversized) return { ok: false, location, reason: `line is longer than ${MAX_LINE_BYTES} bytes` };
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { ok: false, location, reason: 'line is not valid UTF-8' };
    }
    if (text.trim() === '') return null;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      const why = last ? 'truncated last line (no closing newline and not valid JSON)' : `invalid JSON: ${(err as Error).message}`;
      return { ok: false, location, reason: why };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      return { ok: false, location, reason: 'line is not a JSON object' };
    }
    return toArticle(raw, location);
  };

  for await (const chunk of createReadStream(file)) {
    let buf = chunk as Buffer;
    // Once per chunk (64 KB), before its lines are handed out: progress costs nothing per record.
    onBytes?.(buf.length);
    let nl = buf.indexOf(0x0a);
    while (nl !== -1) {
      const part = buf.subarray(0, nl);
      const line = pending.length ? Buffer.concat([...pending, part]) : part;
      if (!oversized && pendingBytes + part.length > MAX_LINE_BYTES) oversized = true;
      const rec = finish(stripCr(line), false);
      if (rec) yield rec;
      pending = [];
      pendingBytes = 0;
      oversized = false;
      buf = buf.subarray(nl + 1);
      nl = buf.indexOf(0x0a);
    }
    if (buf.length > 0) {
      pendingBytes += buf.length;
      if (pendingBytes > MAX_LINE_BYTES) {
        // Keep counting but stop buffering: an oversized line is reported, not held in memory.
        oversized = true;
        pending = [];
      } else {
        pending.push(Buffer.from(buf));
      }
    }
  }
  if (pendingBytes > 0) {
    const rec = finish(stripCr(Buffer.concat(pending)), true);
    if (rec) yield rec;
  }
}

function stripCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, line.length - 1) : line;
}
