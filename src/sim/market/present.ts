/**
 * Bars as each kind of data shows them (whatToShow): TRADES as they are;
 * MIDPOINT, BID, ASK and BID_ASK without volume, the last as IB describes it;
 * the volatilities as a level. Pure.
 */
import type { Rounder } from './prices';
import type { Instrument, SimBar } from './types';

export function present(inst: Instrument, r: Rounder, bars: SimBar[], whatToShow: string): SimBar[] {
  const what = whatToShow.trim().toUpperCase();
  const noVolume = (b: SimBar, o: number, h: number, l: number, c: number): SimBar => ({
    time: b.time,
    open: o,
    high: h,
    low: l,
    close: c,
    volume: -1,
    wap: -1,
    count: -1,
  });
  switch (what) {
    case '':
    case 'TRADES':
    case 'ADJUSTED_LAST':
      return bars;
    case 'MIDPOINT':
      return bars.map((b) => noVolume(b, b.open, b.high, b.low, b.close));
    case 'BID': {
      const d = (x: number): number => r.price(x - r.tick);
      return bars.map((b) => noVolume(b, d(b.open), d(b.high), d(b.low), d(b.close)));
    }
    case 'ASK': {
      const u = (x: number): number => r.price(x + r.tick);
      return bars.map((b) => noVolume(b, u(b.open), u(b.high), u(b.low), u(b.close)));
    }
    case 'BID_ASK': {
      // IB: open and close are the time-weighted average bid and ask, high the highest ask, low the lowest bid
      // (its API guide, "Historical Data Page Query Specification Fields"); the book is about a tick wide
      const half = 0.6 * r.tick;
      const average = (b: SimBar): number => (b.open + b.high + b.low + b.close) / 4;
      return bars.map((b) => noVolume(b, r.fine(average(b) - half), r.price(b.high + r.tick), r.price(b.low - r.tick), r.fine(average(b) + half)));
    }
    case 'HISTORICAL_VOLATILITY':
    case 'OPTION_IMPLIED_VOLATILITY': {
      const k = what === 'OPTION_IMPLIED_VOLATILITY' ? 1.1 : 1;
      const v = (x: number): number => Math.round(k * inst.volatility * Math.sqrt(inst.basePrice / x) * 1e6) / 1e6;
      return bars.map((b) => noVolume(b, v(b.open), v(b.low), v(b.high), v(b.close)));
    }
    default:
      return bars;
  }
}
