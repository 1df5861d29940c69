export { CandleService, type CandleServiceOptions } from './service';
export { MIN_LIVE_BAR_SECONDS } from './request';
export { calendarPeriod, mergeCandle, samePeriod } from './merge';
export { MarketHoursService, closedText, sessionText, isNoDataRefusal, type MarketHours, type BarsOrLastSession } from './closed-market';
