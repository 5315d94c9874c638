import { NodesExcludedError } from '../../services/meili/errors';
import { healthTimings, NodeHealth, nextRetryMs, type NodeHealthEvent, type ProbeOutcome } from '../../services/meili/node-health';

const FAST = { suspectAfterMs: 20, probeTimeoutMs: 20, retryFirstMs: 10, retryMaxMs: 40 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A network whose nodes answer probes as `answering` says at the time of the probe; the others are silent or refuse. */
function network(answering: Set<string>, refusing: ReadonlySet<string> = new Set()) {
  const probed: string[] = [];
  const events: NodeHealthEvent[] = [];
  const health = new NodeHealth(['a', 'b', 'c'], async (node): Promise<ProbeOutcome> => {
    probed.push(node);
    await sleep(1);
    return answering.has(node) ? 'answers' : refusing.has(node) ? 'refuses' : 'silent';
  }, FAST);
  health.onChange((e) => events.push(e));
  return { health, probed, events };
}

describe('health timings', () => {
  it.each([1_000, 3_000, 5_000, 30_000])('confirm a hang well within one timeout of %i ms', (timeout) => {
    const t = healthTimings(timeout);
    expect(t.suspectAfterMs + t.probeTimeoutMs).toBeLessThanOrEqual((7 / 12) * timeout + 1);
    expect(t.probeTimeoutMs).toBeLessThanOrEqual(2_000);
    expect(t.suspectAfterMs).toBeLessThanOrEqual(1_000);
  });

  it('back off from the first wait, doubling up to the longest', () => {
    const waits: number[] = [];
    let w: number | undefined;
    for (let i = 0; i < 6; i++) waits.push((w = nextRetryMs(w, { retryFirstMs: 100, retryMaxMs: 1_000 })));
    expect(waits).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });
});

describe('NodeHealth', () => {
  it('excludes a node that is silent while the others answer, once, in one round of probes shared by every caller', async () => {
    const { health, probed, events } = network(new Set(['a', 'c']));
    const results = await Promise.all([health.check('b'), health.check('b'), health.check('a')]);
    expect(results).toEqual([false, false, true]);
    expect(probed.filter((n) => n === 'b')).toHaveLength(1);
    expect(health.excluded()).toEqual(['b']);
    expect(health.isUp('b')).toBe(false);
    // Excluded: not probed again by a caller (the background probe owns it), answered at once.
    expect(await health.check('b')).toBe(false);
    expect(events).toEqual([{ kind: 'excluded', node: 'b', reason: expect.stringMatching(/no answer to \/health within 20 ms while other nodes answered/) }]);
    health.close();
  });

  it('excludes nobody when every node is silent: an overloaded machine is not a hung node', async () => {
    const { health, events } = network(new Set());
    expect(await Promise.all([health.check('a'), health.check('b'), health.check('c')])).toEqual([true, true, true]);
    await expect(health.watch(['a', 'b'], sleep(80).then(() => 'slow but whole'))).resolves.toBe('slow but whole');
    expect(health.excluded()).toEqual([]);
    expect(events).toEqual([]);
    health.close();
  });

  it('excludes a node that refuses its probe even when no other node answers', async () => {
    const { health } = network(new Set(), new Set(['c']));
    expect(await health.check('c')).toBe(false);
    expect(health.excluded()).toEqual(['c']);
    health.close();
  });

  it('takes an excluded node back when its background probe finds it answering again', async () => {
    const answering = new Set(['a', 'c']);
    const { health, events } = network(answering);
    health.exclude('b', 'test');
    await sleep(50);
    expect(health.isUp('b')).toBe(false);
    answering.add('b');
    for (let waited = 0; !health.isUp('b') && waited < 2_000; waited += 10) await sleep(10);
    expect(health.isUp('b')).toBe(true);
    expect(events.map((e) => e.kind)).toEqual(['excluded', 'recovered']);
    health.close();
  });

  it('rechecks an excluded node at once when asked (a write about to need every node)', async () => {
    const answering = new Set(['a', 'c']);
    const { health } = network(answering);
    health.exclude('b', 'test');
    expect(await health.recheck('b')).toBe(false);
    answering.add('b');
    expect(await health.recheck('b')).toBe(true);
    expect(health.excluded()).toEqual([]);
    health.close();
  });

  it('gives up a request waiting on a node that stops answering, naming it', async () => {
    const { health } = network(new Set(['a', 'c']));
    const never = new Promise<string>(() => undefined);
    const t0 = Date.now();
    await expect(health.watch(['a', 'b', 'c'], never)).rejects.toEqual(new NodesExcludedError(['b']));
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(health.excluded()).toEqual(['b']);
    health.close();
  });

  it('lets a slow request finish while its nodes answer, and passes its outcome through', async () => {
    const { health } = network(new Set(['a', 'b', 'c']));
    await expect(health.watch(['a', 'b'], sleep(100).then(() => 'done'))).resolves.toBe('done');
    await expect(health.watch(['a'], Promise.reject(new Error('engine said no')))).rejects.toThrow('engine said no');
    expect(health.excluded()).toEqual([]);
    health.close();
  });

  it('does not probe a request that answers before it is suspected', async () => {
    const { health, probed } = network(new Set(['a', 'b', 'c']));
    await expect(health.watch(['a', 'b', 'c'], Promise.resolve(1))).resolves.toBe(1);
    await sleep(40);
    expect(probed).toEqual([]);
    health.close();
  });

  it('stops probing excluded nodes when closed', async () => {
    const { health, probed } = network(new Set());
    health.exclude('a', 'test');
    health.close();
    await sleep(60);
    expect(probed).toEqual([]);
  });
});
