/**
 * Time as the domain sees it: the wall clock, and timers. One interface for
 * every timing, injected so each can be tested on a fake clock: the
 * connection's (backoff, heartbeat, handshake limit, accounts grace), history
 * pacing and time limits, and the watchlist's row pacing.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Timers that can all be cleared at once (one attempt's, say). */
export class TimerSet {
  private readonly handles = new Set<unknown>();

  constructor(private readonly clock: Clock) {}

  /** Runs fn once after ms unless cleared first; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void {
    const handle = this.clock.setTimeout(() => {
      this.handles.delete(handle);
      fn();
    }, ms);
    this.handles.add(handle);
    return () => {
      if (this.handles.delete(handle)) this.clock.clearTimeout(handle);
    };
  }

  clear(): void {
    for (const h of this.handles) this.clock.clearTimeout(h);
    this.handles.clear();
  }
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
