/**
 * "Now" as the gateway sees it. Market hours are judged against the gateway's
 * clock (CURRENT_TIME), not this machine's: they agree for a real IB Gateway,
 * and a simulated one may run at any market time it is asked to. The offset is
 * measured once per connection and kept.
 */
import type { IbSession } from './types';

export class GatewayClock {
  private offset: { api: object; ms: number } | undefined;

  constructor(
    private readonly session: Pick<IbSession, 'api'>,
    private readonly localNow: () => number = Date.now,
  ) {}

  /** Epoch ms on the gateway's clock; this machine's clock while not connected or when the gateway does not answer. */
  async now(): Promise<number> {
    const api = this.session.api;
    if (!api) return this.localNow();
    if (this.offset?.api !== api) {
      try {
        const before = this.localNow();
        const seconds = await withTimeout(api.getCurrentTime(), 5000);
        const after = this.localNow();
        if (!(seconds > 0)) return this.localNow();
        // CURRENT_TIME has whole seconds: the middle of its second, against the middle of the round trip
        this.offset = { api, ms: seconds * 1000 + 500 - (before + after) / 2 };
      } catch {
        return this.localNow();
      }
    }
    return this.localNow() + this.offset.ms;
  }

  /** The last measured offset applied without asking again (this machine's clock before the first measure). */
  nowSync(): number {
    return this.localNow() + (this.offset && this.offset.api === this.session.api ? this.offset.ms : 0);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no answer')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
