/**
 * "Now" as the gateway sees it. Market hours are judged against the gateway's
 * clock (CURRENT_TIME), not this machine's: they agree for a real IB Gateway,
 * and a simulated one may run at any market time it is asked to. The offset is
 * measured once per connection and kept.
 */
import type { Disposable, IbSession } from './types';

/**
 * The gateway clock's offset from this machine's, from one CURRENT_TIME answer
 * (whole seconds) read between `before` and `after` (this machine's epoch ms).
 * The gateway read some instant of that second during the round trip, so the
 * offset lies between `seconds*1000 - after` and `seconds*1000 + 1000 - before`.
 * When 0 lies in it, the clocks agree as far as can be told (a real gateway on
 * this machine, or one kept in time by NTP) and no offset is applied: the
 * middle of the second would move every time up to half a second, ahead as
 * often as behind. Otherwise (a simulated gateway at another market time) the
 * middle of the second against the middle of the round trip.
 */
export function measuredOffset(seconds: number, before: number, after: number): number {
  const low = seconds * 1000 - after;
  const high = seconds * 1000 + 1000 - before;
  if (low <= 0 && 0 <= high) return 0;
  return seconds * 1000 + 500 - (before + after) / 2;
}

export class GatewayClock {
  /** The offset last measured, and on which connection: measured again on each new one. */
  private offset: { api: object; ms: number } | undefined;

  constructor(
    private readonly session: Pick<IbSession, 'api'>,
    private readonly localNow: () => number = Date.now,
  ) {}

  /**
   * Epoch ms on the gateway's clock. While not connected, or when the gateway does not answer,
   * the offset measured last (this machine's clock before any).
   */
  async now(): Promise<number> {
    const api = this.session.api;
    if (api && this.offset?.api !== api) {
      try {
        const before = this.localNow();
        const seconds = await api.currentTime(5000);
        const after = this.localNow();
        if (seconds > 0 && this.session.api === api) this.offset = { api, ms: measuredOffset(seconds, before, after) };
      } catch {
        // keep the last offset
      }
    }
    return this.nowSync();
  }

  /** The gateway's clock by the offset measured last, without asking it. */
  nowSync(): number {
    return this.localNow() + (this.offset?.ms ?? 0);
  }
}

/**
 * The gateway's clock for a service that reads it often (a quote's time):
 * asked once per connection, at once and as soon as a connection is ready
 * (subscribe before sending anything on ready, so its answer comes first),
 * read from the offset measured last in between.
 */
export function gatewayClockPerConnection(session: Pick<IbSession, 'api' | 'onReady'>, localNow: () => number = Date.now): { now: () => number } & Disposable {
  const clock = new GatewayClock(session, localNow);
  let asked: object | undefined;
  const ask = () => {
    const api = session.api;
    if (api && asked !== api) {
      asked = api;
      void clock.now();
    }
  };
  ask();
  const ready = session.onReady(ask);
  return {
    now: () => {
      ask();
      return clock.nowSync();
    },
    dispose: () => ready.dispose(),
  };
}
