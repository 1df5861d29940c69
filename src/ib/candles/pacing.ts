/**
 * A queue that keeps historical-data requests within IB's pacing rules and
 * makes a request wait rather than fail. For bars of 30 secs or less ("small
 * bars": IB lifted the rules for 1 min and more):
 * - no identical request within 15 s,
 * - at most 5 requests for one contract (and data type) within 2 s (IB: "six
 *   or more ... within two seconds" is a violation),
 * - at most 60 requests within 10 minutes,
 * a BID_ASK request counting twice in the last two, as IB counts it;
 * each window widened by a small margin (see PacingLimits.marginMs); and for
 * every request, at most 50 open at once. (A pacing refusal of a larger bar
 * is still sent again later: see isPacingRefusal.)
 * The limits and the clock are injectable so tests can run them fast.
 */
import { systemClock, type Clock } from '../clock';

export interface PacingLimits {
  identicalWindowMs: number;
  perContractCount: number;
  perContractWindowMs: number;
  windowCount: number;
  windowMs: number;
  maxOpen: number;
  /**
   * Added to every window: a request the queue starts may wait in the
   * client's send throttle before the gateway sees it, so the gateway's
   * windows start later than ours.
   */
  marginMs: number;
}

export const IB_PACING: Readonly<PacingLimits> = {
  identicalWindowMs: 15_000,
  perContractCount: 5,
  perContractWindowMs: 2_000,
  windowCount: 60,
  windowMs: 600_000,
  maxOpen: 50,
  marginMs: 500,
};

/** What the rules look at: the contract (with data type), the full identity of the request, and whether its bars are small. */
export interface PacingKey {
  contract: string;
  identity: string;
  /** Bars of 30 secs or less: the only ones IB paces. */
  small: boolean;
  /** How many requests IB counts it as (2 for BID_ASK); 1 when left out. */
  weight?: number;
}

interface Waiting {
  key: PacingKey;
  start: () => void;
  cancel: (e: Error) => void;
}

export class PacingQueue {
  readonly limits: PacingLimits;
  private readonly waiting: Waiting[] = [];
  private readonly starts: Array<{ time: number; key: PacingKey }> = [];
  private open = 0;
  private timer: unknown;
  private timerAt = Infinity;
  private closed = false;

  constructor(
    limits: Partial<PacingLimits> = {},
    private readonly clock: Clock = systemClock,
  ) {
    this.limits = { ...IB_PACING, ...limits };
  }

  /** Requests waiting for their turn. */
  get pending(): number {
    return this.waiting.length;
  }

  /** Requests started and not finished. */
  get running(): number {
    return this.open;
  }

  /** Runs `task` when the rules allow; the promise settles with the task. */
  run<T>(key: PacingKey, task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The history queue is closed.'));
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        key,
        cancel: reject,
        start: () => {
          this.open++;
          let p: Promise<T>;
          try {
            p = task();
          } catch (e) {
            p = Promise.reject(e instanceof Error ? e : new Error(String(e)));
          }
          p.then(resolve, reject).finally(() => {
            this.open--;
            this.pump();
          });
        },
      });
      this.pump();
    });
  }

  /** Forgets the requests sent so far (another gateway counts its own); waiting ones keep their place. */
  forgetSent(): void {
    this.starts.length = 0;
    this.pump();
  }

  /**
   * Counts a request as sent again (a retry after a pacing refusal or a
   * resubscribe that bypasses the queue) without waiting for a turn.
   */
  record(key: PacingKey): void {
    if (key.small) this.count(key, this.clock.now());
  }

  /** A start, once for every request IB counts it as. */
  private count(key: PacingKey, time: number): void {
    for (let i = 0; i < (key.weight ?? 1); i++) this.starts.push({ time, key });
  }

  /** Earliest time the rules allow this key to start (ignores the open limit). */
  earliestStart(key: PacingKey, now = this.clock.now()): number {
    if (!key.small) return now;
    const L = this.limits;
    const identical = L.identicalWindowMs + L.marginMs;
    const perContract = L.perContractWindowMs + L.marginMs;
    const window = L.windowMs + L.marginMs;
    this.forget(now);
    let t = now;
    for (const s of this.starts) {
      if (s.key.identity === key.identity) t = Math.max(t, s.time + identical);
    }
    const sameContract = this.starts.filter((s) => s.key.contract === key.contract && s.time > now - perContract);
    // room for as many as IB counts this one: the start that must leave the window first
    const need = Math.min(key.weight ?? 1, L.perContractCount, L.windowCount);
    if (sameContract.length + need > L.perContractCount) {
      t = Math.max(t, sameContract[sameContract.length + need - 1 - L.perContractCount].time + perContract);
    }
    const inWindow = this.starts.filter((s) => s.time > now - window);
    if (inWindow.length + need > L.windowCount) {
      t = Math.max(t, inWindow[inWindow.length + need - 1 - L.windowCount].time + window);
    }
    return t;
  }

  /** Rejects everything waiting; running tasks finish on their own. */
  close(reason = 'The history queue is closed.'): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const all = this.waiting.splice(0);
    for (const w of all) w.cancel(new Error(reason));
  }

  private forget(now: number): void {
    const keep = Math.max(this.limits.windowMs, this.limits.identicalWindowMs, this.limits.perContractWindowMs) + this.limits.marginMs;
    while (this.starts.length && this.starts[0].time <= now - keep) this.starts.shift();
  }

  private pump(): void {
    if (this.closed) return;
    const now = this.clock.now();
    let next = Infinity;
    for (let i = 0; i < this.waiting.length && this.open < this.limits.maxOpen; ) {
      const w = this.waiting[i];
      const at = this.earliestStart(w.key, now);
      if (at <= now) {
        this.waiting.splice(i, 1);
        if (w.key.small) this.count(w.key, now);
        w.start();
      } else {
        next = Math.min(next, at);
        i++;
      }
    }
    if (this.waiting.length === 0 && this.timer !== undefined) {
      this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
    }
    if (this.open >= this.limits.maxOpen) return; // a finishing task pumps again
    if (next < Infinity && next !== this.timerAt) {
      if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
      this.timerAt = next;
      this.timer = this.clock.setTimeout(
        () => {
          this.timer = undefined;
          this.timerAt = Infinity;
          this.pump();
        },
        Math.max(1, next - now),
      );
    }
  }
}
