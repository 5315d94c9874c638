import type { FailedTask } from './engine';

/**
 * Which failures of a document task blame a document of its payload, so that the batch without that document would
 * succeed (indexer/batch-writer.ts splits such a batch to find it). Read from Meilisearch 1.21's own mapping of
 * indexing errors to codes (crates/meilisearch-types/src/error.rs, `impl ErrorCode for milli::Error`): these are the
 * UserErrors raised while extracting one document. Anything else (no space left, database full, an index missing,
 * a node away, an embedder down) is not cured by leaving a document out, and is reported as a failed task.
 *
 * The engine applies a failure to every task of the autobatch it processed the document in: a good batch enqueued
 * next to a bad one fails with the same code, which is why the writer first resends a failed batch alone.
 */
const DOCUMENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_document_id',
  'missing_document_id',
  'invalid_document_fields',
  'invalid_document_geo_field',
  'invalid_vector_dimensions',
  'invalid_vectors_type',
  'too_many_vectors',
  'max_fields_limit_exceeded',
]);

/**
 * A document's JSON that the engine accepted at enqueue time (it only parses the top level then) but cannot decode
 * while indexing, such as a lone surrogate escape (`"\ud800"`): milli's InternalError::SerdeJson, code `internal`,
 * whose message is serde_json's, ending in its position ("unexpected end of hex escape at line 1 column 12."). Other
 * internal errors (storage, a panic) carry no such position.
 */
const DOCUMENT_JSON_ERROR = /\binternal: .* at line \d+ column \d+\.?$/;

export function blamesADocument(failure: Pick<FailedTask, 'code' | 'error'>): boolean {
  if (failure.code !== undefined && DOCUMENT_ERROR_CODES.has(failure.code)) return true;
  return failure.code === 'internal' && DOCUMENT_JSON_ERROR.test(failure.error);
}
