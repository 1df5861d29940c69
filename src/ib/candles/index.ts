export { CandleService, MIN_LIVE_BAR_SECONDS, type CandleServiceOptions } from './service';
export { mergeCandle, barTime, toCandle, dailyTime } from './merge';
export { PacingQueue, IB_PACING, realClock, type PacingLimits, type PacingClock, type PacingKey } from './pacing';
export { MarketHoursService, closedText, sessionText, isNoDataRefusal, type MarketHours, type BarsOrLastSession } from './closed-market';
