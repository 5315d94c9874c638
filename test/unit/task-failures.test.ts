import { blamesADocument } from '../../services/meili/task-failures';

describe('blamesADocument', () => {
  it.each([
    // What Meilisearch 1.21 answered for a lone surrogate escape in a document (seen against the real engine).
    ['internal', 'internal: Index `p`: internal: unexpected end of hex escape at line 1 column 12.', true],
    ['invalid_document_id', 'invalid_document_id: Document identifier `a b` is invalid.', true],
    ['missing_document_id', 'missing_document_id: Document doesn’t have a `id` attribute', true],
    ['max_fields_limit_exceeded', 'max_fields_limit_exceeded: A document cannot contain more than 65,535 fields.', true],
    ['invalid_document_geo_field', 'invalid_document_geo_field: …', true],
    ['internal', 'internal: Index `p`: internal: missing key in the main database.', false],
    ['no_space_left_on_device', 'no_space_left_on_device: No space left on device', false],
    ['database_size_limit_reached', 'database_size_limit_reached: …', false],
    ['index_not_found', 'index_not_found: Index `p` not found.', false],
    [undefined, 'not enqueued on node b: timeout', false],
  ])('%s (%s) -> %s', (code, error, expected) => {
    expect(blamesADocument({ code, error })).toBe(expected);
  });
});
