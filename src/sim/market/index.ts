/**
 * The simulated market: contract universe, trading calendar and seeded prices.
 * createUniverse() lists the instruments and matches contract queries the way
 * TWS does; createMarket({ seed }) serves bars, ticks and session statistics
 * that are the same for the same seed whatever the order of the questions.
 * Day bars are dated at local midnight of the session date in the exchange's
 * zone (barDate() formats it), week and month bars at that of their last
 * trading day with data (barPeriod() names the week or month);
 * tradingHours()/liquidHours() write IB's CONTRACT_DATA hours; lastOpenAt()
 * finds the latest open instant.
 */
export type * from './types';
export { createUniverse, type UniverseOptions } from './universe';
export { createMarket, barDate, barPeriod, type MarketOptions } from './market';
export {
  isOpenAt,
  lastOpenAt,
  liquidHours,
  parseTradingHours,
  scheduleOf,
  sessionAt,
  sessionOn,
  sessionsBetween,
  tradingHours,
  type HoursEntry,
  type Schedule,
  type Session,
} from './calendar';
export { ianaZone } from './timezone';
export { BarBuilder } from './aggregate';
export { rounderFor, wirePrice } from './prices';
