/** Candles as text for a new editor: CSV or JSON, for someone writing a jax service. */
import type { Candle } from '../ib/types';

export type CandleFormat = 'csv' | 'json';

export function candlesToCsv(candles: readonly Candle[]): string {
  const lines = ['time,date,open,high,low,close,volume'];
  for (const c of candles) {
    lines.push([c.time, new Date(c.time * 1000).toISOString(), c.open, c.high, c.low, c.close, c.volume].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function candlesToJson(candles: readonly Candle[], meta: { symbol: string; barSize: string; duration: string; simulated: boolean }): string {
  return `${JSON.stringify({ ...meta, count: candles.length, candles }, null, 2)}\n`;
}
