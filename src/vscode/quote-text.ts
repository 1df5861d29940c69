/**
 * A quote in words: its facts one per line and its badge. Pure (no vscode):
 * the hover, the details picker and the quote table's webview all use it.
 */
import { quotesOnly, unsized } from '../ib/facts/price';
import type { Quote } from '../ib/types';
import {
  decimalPlaces,
  type Decimals,
  formatDateTime,
  formatPercent,
  formatPrice,
  formatSigned,
  formatSize,
  gridFor,
  localZoneName,
  priceDecimals,
  quoteDecimals,
} from './format';

/** How a quote's price was found, in words. */
export const PRICE_SOURCE: Record<NonNullable<Quote['priceSource']>, string> = {
  last: 'last trade',
  mid: 'mid of bid/ask',
  bid: 'bid',
  ask: 'ask',
  close: 'previous close',
};

/**
 * The facts of a quote, one per line: what the details picker and the tooltip
 * show. Rows for what the instrument never has are left out rather than shown
 * empty: an index has no bid, ask, sizes, volume or open (IB sends its value as
 * the last); a forex pair on IDEALPRO no last trade or volume (its quotes are
 * indicative). A field the instrument has but IB has not sent yet shows "—".
 * Not `live` (not connected): the data is the last known.
 */
/** What a quote's data is while not connected: its last known values. */
export const STALE = 'last known, not connected';

export function quoteFacts(q: Quote, live = true): Array<[string, string]> {
  const d = quoteDecimals(q);
  const pd = priceDecimals(q);
  const book = !unsized(q.secType);
  const trades = !quotesOnly(q.secType);
  const sized = (price: number | undefined, size: number | undefined, decimals = d) =>
    book ? `${formatPrice(price, decimals)} × ${sizeWith(price, size)}` : formatPrice(price, decimals);
  const facts: Array<[string, string] | false> = [
    // an index is calculated, not traded: its value is what IB sends as the last
    ['Price', `${formatPrice(q.price, pd)}${q.priceSource ? ` (${!book && q.priceSource === 'last' ? 'index value' : PRICE_SOURCE[q.priceSource]})` : ''}`],
    ['Change', `${formatSigned(q.change, pd)} (${formatPercent(q.changePercent)})`],
    book && ['Bid', sized(q.bid, q.bidSize)],
    book && ['Ask', sized(q.ask, q.askSize)],
    // a trade may print below the increment (a sub-penny print): its digits are kept
    trades && ['Last', sized(q.last, q.lastSize, d !== undefined && q.last !== undefined ? gridFor(q.last, d) : d)],
    // IB sends an index no open (docs/real-tws-facts.md §3): shown only if one comes
    (book || q.open !== undefined) && ['Open', formatPrice(q.open, d)],
    ['High', formatPrice(q.high, d)],
    ['Low', formatPrice(q.low, d)],
    ['Prev. close', formatPrice(q.close, d)],
    // the whole count (a futures trader compares contracts at the roll); the row and the table give three digits
    book && trades && ['Volume', wholeCount(q.volume)],
    // local time (the charts show the exchange's), with its zone named; named by what it is
    [timeLabel(q), zonedTime(q.time)],
    ['Data', live ? `${q.dataType}${q.fellBack ? ' (no live subscription)' : ''}${q.halted ? ', HALTED' : ''}` : STALE],
  ];
  return facts.filter((f): f is [string, string] => f !== false);
}

/**
 * What Enter on a value row copies: its number ("189.23" of "189.23 (last trade)", of "189.23 × 300";
 * the volume's whole count, 32412345 of "32.4M";
 * "-1.73" of the shown "−1.73 (−0.91%)", an ASCII minus for a program), or the whole text (a time);
 * undefined when there is no value yet ("—").
 */
export function copyValue(shown: string, q?: Pick<Quote, 'volume'>, label?: string): string | undefined {
  // the volume is shown to three digits ("32.4M"): the count itself is copied
  if (label === 'Volume' && q?.volume !== undefined && Number.isFinite(q.volume)) return String(Math.round(q.volume));
  const first = shown.split(' ')[0].replace(/\u2212/g, '-');
  if (/^[-+]?[\d,]*\.?\d+[KMB%]?$/.test(first)) return first;
  return /[0-9A-Za-z]/.test(shown) ? shown : undefined;
}

/**
 * What a quote's time is (QuoteColumns.time()): its last trade's, "Last trade" (IB's tick 45/88); else when
 * its values last changed, "Updated": a forex pair on IDEALPRO, which has no trade tape (on a closed market,
 * when its line opened), or a line before its first trade time.
 */
export function timeLabel(q: Pick<Quote, 'timeIsTrade'>): 'Last trade' | 'Updated' {
  return q.timeIsTrade ? 'Last trade' : 'Updated';
}

/** A bid's, ask's or last's size as shown beside its price: "—" without the price (IB sends a closed market's bid as -1 with size 0). */
export function sizeWith(price: number | undefined, size: number | undefined): string {
  return formatSize(price !== undefined && Number.isFinite(price) ? size : undefined);
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

/**
 * One line a person reads: "AAPL: bid 231.40 × 300 · ask 231.44 × 200 · last
 * 231.42 · change +1.18 (+0.51%)". An index has no bid or ask (and no sizes):
 * its line starts at its last.
 */
export function quoteLine(q: Quote, label: string): string {
  const d = quoteDecimals(q);
  const pd = priceDecimals(q);
  const book = !unsized(q.secType) || q.bid !== undefined || q.ask !== undefined;
  const parts = [
    ...(book ? [`bid ${formatPrice(q.bid, d)} × ${sizeWith(q.bid, q.bidSize)}`, `ask ${formatPrice(q.ask, d)} × ${sizeWith(q.ask, q.askSize)}`] : []),
    q.priceSource === 'last' || q.priceSource === undefined
      ? `last ${formatPrice(q.last, d !== undefined && q.last !== undefined ? gridFor(q.last, d) : d)}`
      : `${q.priceSource} ${formatPrice(q.price, pd)}`,
    `change ${formatSigned(q.change, pd)} (${formatPercent(q.changePercent)})`,
  ];
  const flags = [q.dataType !== 'live' ? q.dataType : '', q.halted ? 'HALTED' : ''].filter(Boolean).join(', ');
  return `${label}: ${parts.join(' · ')}${flags ? ` [${flags}]` : ''}`;
}

/** A quote's local time with its zone named ("2026-11-17 10:00:12 EST"); a dash for none. */
function zonedTime(epochMs: number | undefined): string {
  return epochMs !== undefined && Number.isFinite(epochMs) ? `${formatDateTime(epochMs)} ${localZoneName(epochMs)}`.trim() : formatDateTime(epochMs);
}

/** A count in full for the clipboard ("22,134,500", not the hover's "22.1M"); a dash for none. */
function wholeCount(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : formatSize(value);
}

/** A quote as text for the clipboard: the volume in full. */
export function quoteClipboard(q: Quote, label: string): string {
  const d = quoteDecimals(q);
  return [
    quoteLine(q, label),
    `open ${formatPrice(q.open, d)} · high ${formatPrice(q.high, d)} · low ${formatPrice(q.low, d)} · prev. close ${formatPrice(q.close, d)} · volume ${wholeCount(q.volume)} · ${timeLabel(q).toLowerCase()} ${zonedTime(q.time)}`,
  ].join('\n');
}

/**
 * The quote as JSON for the clipboard (Copy as JSON), for a program or a fixture: the domain's fields by their
 * names and in their order, IB's own prices as sent; what is worked out here without the arithmetic's binary noise
 * (231.42 − 230.24 is 1.1799999999999784 as a double): a mid price and the change at the decimals they are shown
 * with (priceDecimals), the change in percent at four; the time in ISO 8601 UTC, not bare epoch ms.
 */
export function quoteJson(q: Quote): string {
  const pd = priceDecimals(q);
  const time = q.time !== undefined && Number.isFinite(q.time) ? new Date(q.time).toISOString() : undefined;
  const price = q.priceSource === 'mid' ? rounded(q.price, pd) : q.price;
  return JSON.stringify({ ...q, price, change: rounded(q.change, pd), changePercent: rounded(q.changePercent, 4), time }, null, 2);
}

function rounded(value: number | undefined, decimals: Decimals | undefined): number | undefined {
  return value === undefined || decimals === undefined || !Number.isFinite(value) ? value : Number(value.toFixed(decimalPlaces(decimals)));
}
