import { defaultOwner, isLive } from '../../services/meili/lease';

describe('lease liveness', () => {
  const now = new Date('2025-09-01T10:00:00Z');
  const ago = (ms: number, type = 'indexUpdate') => ({ type, enqueuedAt: new Date(now.getTime() - ms) });

  it('is live while the last heartbeat is within the bound, by the engine clock on both sides', () => {
    expect(isLive(ago(0), now, 60_000)).toBe(true);
    expect(isLive(ago(60_000), now, 60_000)).toBe(true);
    // A heartbeat enqueued after the contender's own creation finished.
    expect(isLive(ago(-500), now, 60_000)).toBe(true);
    expect(isLive(ago(60_001), now, 60_000)).toBe(false);
  });

  it('is not live when the lease is being deleted or has no task at all', () => {
    expect(isLive(ago(10, 'indexDeletion'), now, 60_000)).toBe(false);
    expect(isLive(null, now, 60_000)).toBe(false);
  });

  it('names its owner in characters an index name allows', () => {
    expect(defaultOwner()).toMatch(/^[A-Za-z0-9-]+-\d+-[0-9a-f]{6}$/);
  });
});
