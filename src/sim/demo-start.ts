/**
 * Where "--start last-session" puts the simulated clock: inside the most
 * recent regular US stock session, so a weekend or night demo streams.
 */
import type { Market } from './market/types';

const STEP_MS = 5 * 60 * 1000;

/** `nowMs` when SPY (or the first US stock) trades now; else 2 h 30 min before the last session closed. */
export function lastSessionStart(market: Market, nowMs: number): number {
  const all = market.universe.all();
  const ref = all.find((i) => i.symbol === 'SPY') ?? all.find((i) => i.secType === 'STK' && i.currency === 'USD') ?? all[0];
  if (!ref || market.isOpen(ref, nowMs, true)) return nowMs;
  for (let t = nowMs; t > nowMs - 14 * 86_400_000; t -= STEP_MS) {
    if (market.isOpen(ref, t, true)) {
      for (const back of [150, 90, 30, 0]) {
        const start = t - back * 60_000;
        if (market.isOpen(ref, start, true)) return start;
      }
    }
  }
  return nowMs;
}
