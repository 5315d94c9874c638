import { NodesExcludedError } from './errors';

/**
 * Which nodes of a sharded engine are answering, remembered between requests, so that a node that hangs (a frozen
 * process, a long GC pause, a stalled disk, a partition) costs the first request that meets it a short wait and no
 * later request anything.
 *
 * Why not wait for the engine to notice: a federated search's coordinator waits up to 5 s for each remote, fixed in
 * Meilisearch 1.21 (`proxy_search`: `min(deadline, now + 5 s)`, not configurable by request, setting or experimental
 * feature), and a coordinator that hangs itself never answers. So a request that has not answered after
 * `suspectAfterMs` starts a round of probes: every included node must answer `GET /health` within `probeTimeoutMs`
 * (one round in flight, however many requests wait). A node that refuses the connection is excluded; a node that stays
 * silent is excluded only when another node answered in the same round: when every node is slow to answer, the
 * machines (or this process) are overloaded, which is not a hang, and leaving nodes out would only make answers
 * partial. Requests waiting on an excluded node are given up (NodesExcludedError) and asked again without it; later
 * requests leave it out at once, reporting it missing. An excluded node is probed in the background, with backoff,
 * until it answers again.
 */

export interface NodeHealthTimings {
  /** How long a request may go unanswered before its nodes are probed. */
  suspectAfterMs: number;
  /** How long a node has to answer `/health` before it is excluded. */
  probeTimeoutMs: number;
  /** First and longest wait between the background probes of an excluded node. */
  retryFirstMs: number;
  retryMaxMs: number;
}

/**
 * Timings derived from the engine timeout: a hang is suspected, confirmed and routed around well within one
 * MEILI_TIMEOUT_MS (suspect + probe is at most 7/12 of it), and a node that answers again is back within a second.
 */
export function healthTimings(timeoutMs: number): NodeHealthTimings {
  const clamp = (v: number, lo: number, hi: number) => Math.round(Math.min(hi, Math.max(lo, v)));
  return {
    suspectAfterMs: clamp(timeoutMs / 4, 50, 1_000),
    probeTimeoutMs: clamp(timeoutMs / 3, 50, 2_000),
    retryFirstMs: 100,
    retryMaxMs: 1_000,
  };
}

/** The next wait between background probes: doubling from the first, capped. */
export function nextRetryMs(previous: number | undefined, timings: Pick<NodeHealthTimings, 'retryFirstMs' | 'retryMaxMs'>): number {
  return previous === undefined ? timings.retryFirstMs : Math.min(timings.retryMaxMs, previous * 2);
}

/** What a probe found: an answer, a refusal (connection refused, an error answer), or nothing within the timeout. */
export type ProbeOutcome = 'answers' | 'refuses' | 'silent';

export type NodeHealthEvent =
  | { kind: 'excluded'; node: string; reason: string }
  | { kind: 'recovered'; node: string; downMs: number };

/** Probes one node with `GET /health` (never rejects). */
export type NodeProbe = (node: string, timeoutMs: number) => Promise<ProbeOutcome>;

interface Down {
  since: number;
  reason: string;
  timer: NodeJS.Timeout | undefined;
  retryMs: number | undefined;
}

export class NodeHealth {
  private readonly down = new Map<string, Down>();
  private round: Promise<void> | undefined;
  private readonly listeners = new Set<(event: NodeHealthEvent) => void>();
  private closed = false;

  constructor(
    /** Every node, in the network's order (the order `excluded()` reports them in). */
    readonly nodes: readonly string[],
    private readonly probe: NodeProbe,
    readonly timings: NodeHealthTimings,
  ) {}

  isUp(node: string): boolean {
    return !this.down.has(node);
  }

  /** The excluded nodes, in network order. */
  excluded(): string[] {
    return this.nodes.filter((n) => this.down.has(n));
  }

  /** Subscribes to exclusions and recoveries (metrics, logs); returns the unsubscribe function. */
  onChange(listener: (event: NodeHealthEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Whether the node is included after a round of probes (see above). An excluded node is not probed here (its
   * background probe brings it back): false at once.
   */
  async check(node: string): Promise<boolean> {
    if (this.down.has(node)) return false;
    await this.probeRound();
    return this.isUp(node);
  }

  /** Probes an excluded node now rather than at its next background probe (a write about to need every node). */
  async recheck(node: string): Promise<boolean> {
    if (!this.down.has(node)) return this.check(node);
    const ok = (await this.probeOnce(node)) === 'answers';
    if (ok) this.recover(node);
    return ok;
  }

  /** One round of probes of every included node, shared by everyone who asks while it runs. */
  private probeRound(): Promise<void> {
    this.round ??= this.runRound().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  private async runRound(): Promise<void> {
    const nodes = this.nodes.filter((n) => !this.down.has(n));
    const outcomes = await Promise.all(nodes.map((n) => this.probeOnce(n)));
    const someAnswered = outcomes.includes('answers');
    nodes.forEach((node, i) => {
      if (outcomes[i] === 'refuses') this.exclude(node, 'refused /health');
      else if (outcomes[i] === 'silent' && someAnswered) this.exclude(node, `no answer to /health within ${this.timings.probeTimeoutMs} ms while other nodes answered`);
    });
  }

  private probeOnce(node: string): Promise<ProbeOutcome> {
    return this.probe(node, this.timings.probeTimeoutMs).catch((): ProbeOutcome => 'silent');
  }

  /** Leaves the node out of requests from now on, until a background probe finds it answering. */
  exclude(node: string, reason: string): void {
    if (this.down.has(node) || this.closed) return;
    this.down.set(node, { since: Date.now(), reason, timer: undefined, retryMs: undefined });
    this.emit({ kind: 'excluded', node, reason });
    this.scheduleProbe(node);
  }

  /**
   * `call`, given up when a node it involves stops answering: while it is pending, every `suspectAfterMs` a round of
   * probes runs, and when an involved node is (by then) excluded the call rejects with NodesExcludedError naming it.
   * The call itself is not cancelled (its own timeout ends it); its late outcome is ignored.
   */
  watch<T>(involved: readonly string[], call: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const arm = () => {
        timer = setTimeout(() => {
          void this.probeRound().then(() => {
            const sick = involved.filter((n) => this.down.has(n));
            if (sick.length > 0) finish(() => reject(new NodesExcludedError(sick)));
            else if (!settled) arm();
          });
        }, this.timings.suspectAfterMs);
        timer.unref();
      };
      arm();
      call.then(
        (value) => finish(() => resolve(value)),
        (err: unknown) => finish(() => reject(err)),
      );
    });
  }

  /** Stops the background probes (the process or test is done with this engine). */
  close(): void {
    this.closed = true;
    for (const d of this.down.values()) clearTimeout(d.timer);
  }

  private scheduleProbe(node: string): void {
    const d = this.down.get(node);
    if (!d || this.closed) return;
    d.retryMs = nextRetryMs(d.retryMs, this.timings);
    d.timer = setTimeout(() => {
      void this.probeOnce(node).then((outcome) => (outcome === 'answers' ? this.recover(node) : this.scheduleProbe(node)));
    }, d.retryMs);
    d.timer.unref();
  }

  private recover(node: string): void {
    const d = this.down.get(node);
    if (!d) return;
    clearTimeout(d.timer);
    this.down.delete(node);
    this.emit({ kind: 'recovered', node, downMs: Date.now() - d.since });
  }

  private emit(event: NodeHealthEvent): void {
    for (const l of this.listeners) l(event);
  }
}
