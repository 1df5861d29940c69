/**
 * Bars as IB sends them -> candles, and IB's rule for merging a live bar into
 * a series: the same time replaces the last bar, a newer time appends, an
 * older time is ignored. Week and month bars are dated by their last trading
 * day with data (facts/bar-time), so the running week's date moves on each
 * trading day: a bar of the same week or month replaces the last one.
 */
import { normaliseBarSize } from '../bar-sizes';
import { parseBarTime, type BarTimeContext } from '../facts/bar-time';
import { isUnsetCount } from '../facts/units';
import type { Candle } from '../types';

/** The calendar period a bar of this size spans, where IB dates it by its last day: week or month; else undefined. */
export type CalendarPeriod = 'week' | 'month';

export function calendarPeriod(barSize: string): CalendarPeriod | undefined {
  const normal = normaliseBarSize(barSize);
  return normal === '1 week' ? 'week' : normal === '1 month' ? 'month' : undefined;
}

/** The week (its Monday, in days since 1970) or month (year * 12 + month) of a bar's date (UTC midnight of its day). */
function periodKey(time: number, period: CalendarPeriod): number {
  const day = Math.floor(time / 86400);
  if (period === 'week') return day - ((day + 3) % 7); // 1 January 1970 was a Thursday
  const d = new Date(day * 86400_000);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** Whether two bar times fall in the same week or month. */
export function samePeriod(a: number, b: number, period: CalendarPeriod): boolean {
  return periodKey(a, period) === periodKey(b, period);
}

/**
 * Merges `bar` into `candles` in place; with `period`, a bar of the last
 * bar's week or month replaces it whatever its date (`moved`: the date changed).
 */
export function mergeCandle(candles: Candle[], bar: Candle, period?: CalendarPeriod): { replaced: boolean; ignored?: boolean; moved?: boolean } {
  const last = candles[candles.length - 1];
  if (last && bar.time === last.time) {
    candles[candles.length - 1] = bar;
    return { replaced: true };
  }
  if (last && period && periodKey(bar.time, period) === periodKey(last.time, period)) {
    candles[candles.length - 1] = bar;
    return { replaced: true, moved: true };
  }
  if (last && bar.time < last.time) return { replaced: false, ignored: true };
  candles.push(bar);
  return { replaced: false };
}

/**
 * A bar time as UTC epoch seconds (see facts/bar-time for every format TWS
 * writes). Without a context a zone-less time is read as UTC.
 */
export function barTime(text: string, ctx?: BarTimeContext): number | undefined {
  return parseBarTime(text, ctx);
}

/**
 * One bar from IB's historicalData / historicalDataUpdate fields, or undefined when it cannot be read.
 * IB's WAP is kept when it is a price (IB writes -1 or 0 for bars without trades, e.g. MIDPOINT).
 */
export function toCandle(
  time: string,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number | undefined,
  ctx?: BarTimeContext,
  wap?: number,
): Candle | undefined {
  const t = barTime(time, ctx);
  // a price below zero is a price (crude on 2020-04-20: low -40.32; spreads); only what is not a number is not
  if (t === undefined || ![open, high, low, close].every((v) => Number.isFinite(v))) return undefined;
  // TWS sends keep-up-to-date bars with empty prices (read as 0) when it has none: not a bar
  if (open === 0 && high === 0 && low === 0 && close === 0) return undefined;
  const vol = volume !== undefined && Number.isFinite(volume) && volume >= 0 && !isUnsetCount(volume) ? volume : 0;
  const candle: Candle = { time: t, open, high, low, close, volume: vol };
  if (wap !== undefined && Number.isFinite(wap) && wap > 0) candle.wap = wap;
  return candle;
}

/**
 * Daily and longer bars keyed by their date: UTC midnight of the trading day.
 * IB sends them as "yyyyMMdd" (already UTC midnight here) or, from some
 * gateways, as epoch seconds of the exchange's local midnight; rounding to the
 * nearest UTC midnight gives the same date for any exchange within 12 hours of UTC.
 */
export function dailyTime(epochSeconds: number): number {
  return Math.round(epochSeconds / 86400) * 86400;
}
