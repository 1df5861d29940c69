/**
 * A quote in words: its facts one per line and its badge. Pure (no vscode):
 * the hover, the details picker and the quote table's webview all use it.
 */
import type { Quote } from '../ib/types';
import { decimalsFor, formatDateTime, formatPercent, formatPrice, formatSigned, formatSize } from './format';

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
  return [
    ['Price', `${formatPrice(q.price)}${q.priceSource ? ` (${PRICE_SOURCE[q.priceSource]})` : ''}`],
    ['Change', `${formatSigned(q.change, q.price !== undefined ? decimalsFor(q.price) : undefined)} (${formatPercent(q.changePercent)})`],
    ['Bid', `${formatPrice(q.bid)} × ${formatSize(q.bidSize)}`],
    ['Ask', `${formatPrice(q.ask)} × ${formatSize(q.askSize)}`],
    ['Last', `${formatPrice(q.last)} × ${formatSize(q.lastSize)}`],
    ['Open', formatPrice(q.open)],
    ['High', formatPrice(q.high)],
    ['Low', formatPrice(q.low)],
    ['Prev. close', formatPrice(q.close)],
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
