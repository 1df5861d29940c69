/**
 * A quote table row worked out from its fields, in the webview: the host
 * sends only the fields that changed, and the text is made here, where it is
 * shown, with the same words as the watchlist's hover.
 */
import { MONTH_NAMES } from '../../src/ib/facts/futures';
import type { Quote } from '../../src/ib/types';
import { formatDateTime, formatPercent, formatPrice, formatSigned, formatSize, priceDecimals, quoteDecimals } from '../../src/vscode/format';
import { badgeText, quoteFacts, sizeWith, STALE, timeLabel } from '../../src/vscode/quote-text';
import type { QuoteFields, QuoteTableRow } from './protocol';

/**
 * A quote's local time in the table: the time of day, and its day too when that is not today ("Dec 4
 * 18:31:50"): a quote from Friday read on Saturday (a closed market, the last known values) says so.
 */
export function tableTime(epochMs: number | undefined, now: number): string {
  const full = formatDateTime(epochMs);
  if (epochMs === undefined || !Number.isFinite(epochMs)) return full;
  const at = new Date(epochMs);
  const today = new Date(now);
  const sameDay = at.getFullYear() === today.getFullYear() && at.getMonth() === today.getMonth() && at.getDate() === today.getDate();
  return sameDay ? full.slice(11) : `${MONTH_NAMES[at.getMonth()]} ${at.getDate()} ${full.slice(11)}`;
}

/** The row the table shows for a symbol's fields (`now`: the day a time of today is shown without its date). */
export function tableRow(symbol: string, fields: QuoteFields, now = Date.now()): QuoteTableRow {
  const q: Quote | undefined = fields.dataType !== undefined ? { ...fields, symbol, halted: fields.halted ?? false, dataType: fields.dataType } : undefined;
  const d = q ? quoteDecimals(q) : undefined;
  const pd = q ? priceDecimals(q) : undefined;
  const dash = '—';
  return {
    symbol,
    cells: {
      symbol: fields.label ?? symbol,
      price: q ? formatPrice(q.price, pd) : dash,
      change: q ? formatSigned(q.change, pd) : dash,
      percent: q ? formatPercent(q.changePercent) : dash,
      bid: q ? formatPrice(q.bid, d) : dash,
      // a size without its price (IB's -1 bid with size 0 on a closed market) is no size
      bidSize: q ? sizeWith(q.bid, q.bidSize) : dash,
      ask: q ? formatPrice(q.ask, d) : dash,
      askSize: q ? sizeWith(q.ask, q.askSize) : dash,
      volume: q ? formatSize(q.volume) : dash,
      high: q ? formatPrice(q.high, d) : dash,
      low: q ? formatPrice(q.low, d) : dash,
      // not a trade's time (a forex pair has none; see timeLabel): said in the cell, under the column's "Time"
      time: q ? `${tableTime(q.time, now)}${Number.isFinite(q.time) && timeLabel(q) === 'Updated' ? ' (updated)' : ''}` : dash,
      data: fields.error !== undefined ? `⚠ ${fields.error}` : q ? (fields.stale ? STALE : badgeText(q) || q.dataType) : '…',
    },
    sort: q
      ? {
          price: q.price,
          change: q.change,
          percent: q.changePercent,
          bid: q.bid,
          bidSize: q.bid !== undefined ? q.bidSize : undefined,
          ask: q.ask,
          askSize: q.ask !== undefined ? q.askSize : undefined,
          volume: q.volume,
          high: q.high,
          low: q.low,
          time: q.time,
        }
      : {},
    direction: q?.change !== undefined && q.change > 0 ? 'up' : q?.change !== undefined && q.change < 0 ? 'down' : 'flat',
    title: q ? [fields.label ? `${fields.label}: ${symbol}` : symbol, ...quoteFacts(q, !fields.stale).map(([k, v]) => `${k}: ${v}`)].join('\n') : symbol,
  };
}
