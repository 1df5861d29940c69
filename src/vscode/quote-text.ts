/**
 * A quote in words: its facts one per line and its badge. Pure (no vscode):
 * the hover, the details picker and the quote table's webview all use it.
 */
import type { Quote } from '../ib/types';
import { formatDateTime, formatPercent, formatPrice, formatSigned, formatSize, quoteDecimals } from './format';

/** How a quote's price was found, in words. */
export const PRICE_SOURCE: Record<NonNullable<Quote['priceSource']>, string> = {
  last: 'last trade',
  mid: 'mid of bid/ask',
  bid: 'bid',
  ask: 'ask',
  close: 'previous close',
};

/** The facts of a quote, one per line: what the details picker and the tooltip show. */
export function quoteFacts(q: Quote): Array<[string, string]> {
  const d = quoteDecimals(q);
  return [
    ['Price', `${formatPrice(q.price, d)}${q.priceSource ? ` (${PRICE_SOURCE[q.priceSource]})` : ''}`],
    ['Change', `${formatSigned(q.change, d)} (${formatPercent(q.changePercent)})`],
    ['Bid', `${formatPrice(q.bid, d)} × ${formatSize(q.bidSize)}`],
    ['Ask', `${formatPrice(q.ask, d)} × ${formatSize(q.askSize)}`],
    ['Last', `${formatPrice(q.last, d)} × ${formatSize(q.lastSize)}`],
    ['Open', formatPrice(q.open, d)],
    ['High', formatPrice(q.high, d)],
    ['Low', formatPrice(q.low, d)],
    ['Prev. close', formatPrice(q.close, d)],
    ['Volume', formatSize(q.volume)],
    ['Time', formatDateTime(q.time)],
    ['Data', `${q.dataType}${q.fellBack ? ' (no live subscription)' : ''}${q.halted ? ', HALTED' : ''}`],
  ];
}

/** "delayed", "frozen", "HALTED" … the badge a row carries, or "". */
export function badgeText(q: Quote | undefined): string {
  if (!q) return '';
  const badges: string[] = [];
  if (q.halted) badges.push('HALTED');
  if (q.dataType === 'delayed' || q.dataType === 'delayed-frozen') badges.push('delayed');
  if (q.dataType === 'frozen' || q.dataType === 'delayed-frozen') badges.push('frozen');
  return badges.join(' · ');
}
