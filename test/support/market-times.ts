/**
 * Named instants for simulated market time. Every test, benchmark and demo
 * check that starts a simulator names the time it needs from this list instead
 * of inheriting the wall clock, so a run at night, at the weekend or on a US
 * holiday sees the same market as a run at noon.
 *
 * November 2026: US daylight saving ended on Sunday 1 November, so New York is
 * UTC-5 and Chicago UTC-6 for every instant below except the spring ones.
 */
export const MARKET_TIMES = {
  /** Tuesday 17 November 2026, 10:00 New York: a regular US session, an hour in (stocks, futures, forex, indexes all trade). */
  regularSession: '2026-11-17T15:00:00Z',
  /** Tuesday 17 November 2026, 07:00 New York: pre-market (extended hours only). */
  preMarket: '2026-11-17T12:00:00Z',
  /** Tuesday 17 November 2026, 17:30 New York: after-hours (regular session closed at 16:00). */
  afterHours: '2026-11-17T22:30:00Z',
  /** Wednesday 18 November 2026, 02:00 New York: overnight (stocks closed; futures and forex trade). */
  overnight: '2026-11-18T07:00:00Z',
  /** Saturday 21 November 2026, 12:00 New York: the weekend (everything closed). */
  saturday: '2026-11-21T17:00:00Z',
  /** Sunday 22 November 2026, 18:30 New York: futures (from 18:00) and forex (from 17:15) have reopened; stocks have not. */
  sundayEvening: '2026-11-22T23:30:00Z',
  /** Thursday 26 November 2026, 11:00 New York: Thanksgiving, a US exchange holiday. */
  thanksgiving: '2026-11-26T16:00:00Z',
  /** Monday 9 March 2026, 10:00 New York (EDT, UTC-4): the first session after the spring switch. */
  springForwardWeek: '2026-03-09T14:00:00Z',
  /** Monday 2 November 2026, 10:00 New York (EST, UTC-5): the first session after the autumn switch. */
  fallBackWeek: '2026-11-02T15:00:00Z',
  /** Monday 14 December 2026, 10:00 New York: ES's roll week (ESZ6's last trade day is Friday 18 December). */
  rollWeek: '2026-12-14T15:00:00Z',
} as const;

export type MarketTimeName = keyof typeof MARKET_TIMES;

/** Epoch ms of a named instant. */
export function marketTime(name: MarketTimeName): number {
  return Date.parse(MARKET_TIMES[name]);
}

/** The simulator clock option for a named instant (real-time speed unless given). */
export function simClockAt(name: MarketTimeName, speed?: number): { start: number; speed?: number } {
  return speed === undefined ? { start: marketTime(name) } : { start: marketTime(name), speed };
}
