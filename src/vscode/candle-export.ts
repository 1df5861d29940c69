/** Candles as text for a new editor: CSV or JSON, for someone writing a jax service. */
import { barSizeSeconds } from '../ib/bar-sizes';
import type { Candle, ResolvedContract } from '../ib/types';

export type CandleFormat = 'csv' | 'json';

/**
 * The columns of both formats: bar start in epoch seconds and as an ISO date in UTC, then OHLCV. A bar of a day
 * or more is IB's trading day (a date, no time): its `date` is that day ("2023-04-13"), and its `time` that day's
 * 00:00 UTC, which read in the exchange's zone would be the evening before.
 */
export const CANDLE_COLUMNS = ['time', 'date', 'open', 'high', 'low', 'close', 'volume'] as const;

/** Whether bars of this size are dated by their trading day (a day, a week, a month). */
function byDay(barSize: string): boolean {
  return (barSizeSeconds(barSize) ?? 0) >= 86_400;
}

/**
 * Whether the bars carry traded volume. IB sends none (-1) for bars without trades (a forex pair's MIDPOINT,
 * BID or ASK) and for an index: then no bar has any, the chart shows no volume pane, and the export writes
 * no volume (an empty CSV cell, JSON null), never 0, which reads as "nothing traded".
 */
function traded(candles: readonly Candle[]): boolean {
  return candles.some((c) => c.volume > 0);
}

function row(c: Candle, daily: boolean, withVolume: boolean): Record<(typeof CANDLE_COLUMNS)[number], number | string | null> {
  const iso = new Date(c.time * 1000).toISOString();
  return { time: c.time, date: daily ? iso.slice(0, 10) : iso, open: c.open, high: c.high, low: c.low, close: c.close, volume: withVolume ? c.volume : null };
}

export function candlesToCsv(candles: readonly Candle[], barSize: string): string {
  const lines = [CANDLE_COLUMNS.join(',')];
  const daily = byDay(barSize);
  const withVolume = traded(candles);
  for (const c of candles) {
    const r = row(c, daily, withVolume);
    lines.push(CANDLE_COLUMNS.map((k) => r[k] ?? '').join(','));
  }
  return `${lines.join('\n')}\n`;
}

export interface CandleMeta {
  symbol: string;
  barSize: string;
  duration: string;
  simulated: boolean;
  contract?: ResolvedContract;
}

/** The same columns as the CSV, with the contract, bar size and time zones named. */
export function candlesToJson(candles: readonly Candle[], meta: CandleMeta): string {
  const c = meta.contract;
  const doc = {
    symbol: meta.symbol,
    contract: c
      ? {
          conId: c.conId,
          symbol: c.symbol,
          secType: c.secType,
          exchange: c.exchange,
          primaryExchange: c.primaryExchange,
          currency: c.currency,
          localSymbol: c.localSymbol,
          lastTradeDateOrContractMonth: c.lastTradeDateOrContractMonth,
        }
      : undefined,
    barSize: meta.barSize,
    duration: meta.duration,
    /** "date" is UTC (for bars of a day or more: the trading day, no time); the exchange trades in this zone. */
    timeZone: 'UTC',
    datedBy: byDay(meta.barSize) ? 'trading day' : 'bar start',
    exchangeTimeZone: c?.timeZoneId,
    simulated: meta.simulated,
    columns: CANDLE_COLUMNS,
    count: candles.length,
    candles: candles.map((x) => row(x, byDay(meta.barSize), traded(candles))),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** "AAPL 5 mins 1 D.csv": the tab's name says what it holds. */
export function exportName(symbol: string, barSize: string, duration: string, format: CandleFormat): string {
  // eslint-disable-next-line no-control-regex
  const safe = `${symbol} ${barSize} ${duration}`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
  return `${safe}.${format}`;
}
