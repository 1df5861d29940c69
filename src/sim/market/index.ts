/** The simulated market: contract universe, trading calendar and seeded prices. */
export type * from './types';
export { createUniverse, type UniverseOptions } from './universe';
export { createMarket, barDate, type MarketOptions } from './market';
export {
  isOpenAt, lastOpenAt, liquidHours, parseTradingHours, scheduleOf, sessionAt, sessionOn, sessionsBetween, tradingHours,
  type HoursEntry, type Schedule, type Session,
} from './calendar';
export { ianaZone } from './timezone';
