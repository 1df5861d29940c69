/**
 * COMEX's futures in the simulator's catalogue: gold, GC. CME lists a GC
 * month for every calendar month but trades the even ones (Feb, Apr, Jun,
 * Aug, Oct, Dec: G J M Q V Z) as its active months; the simulator lists the
 * next six of those, as IB's front months. Trading in a month stops on its
 * third-to-last business day at 12:30 Chicago (13:30 New York); IB gives a
 * COMEX future timeZoneId US/Eastern, and its hours are CME Globex's metals
 * week in New York time (futures-hours.ts).
 */
import type { FutureSeed } from './futures';

export const COMEX_SEEDS: readonly FutureSeed[] = [
  {
    symbol: 'GC',
    exchange: 'COMEX',
    name: 'Gold',
    multiplier: '100', // 100 troy ounces: $10 a tick
    minTick: 0.1,
    price: 2460,
    vol: 0.16,
    avgVolume: 230_000,
    conIdBase: 649_250_000,
    quarterly: false,
    months: [2, 4, 6, 8, 10, 12],
    expiryRule: 'third-last',
    count: 6,
    // a placeholder: no capture of a GC CONTRACT_DATA (the simulator serves no REQ_MARKET_RULE)
    marketRule: '87',
    lastTradeTime: '13:30',
    timeZoneId: 'US/Eastern',
  },
];
