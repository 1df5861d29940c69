import * as vscode from 'vscode';
import { contractLine } from '../../ib/contracts/contract-line';
import { plainText, printable } from '../../ib/text';
import { formatPercent, formatPrice, formatSigned, formatSize, priceDecimals, quoteDecimals } from '../format';
import { badgeText, quoteFacts, sizeWith, STALE } from '../quote-text';
import { markdownText } from '../markdown-text';
import type { WatchRow } from './watchlist-model';

export const ROW_CONTEXT = 'ibSymbol';

/** Where a row is, for its menu (no Move Up on the first row, no Move Down on the last): `ibSymbol.first` and so on. */
export type RowPlace = 'first' | 'last' | 'only';

export function rowPlace(index: number, count: number): RowPlace | undefined {
  if (count === 1) return 'only';
  if (index === 0) return 'first';
  if (index === count - 1) return 'last';
  return undefined;
}

/**
 * What a row's price is, as its badge says it: the previous close where that is the price (an index before its
 * first print, a stock whose last IB cleared before a new session), then delayed, frozen, halted or not connected.
 */
function rowBadges(q: NonNullable<WatchRow['quote']>, live: boolean, prevClose: string): string[] {
  const badge = live ? badgeText(q) : STALE;
  return [...(q.priceSource === 'close' ? [prevClose] : []), ...(badge ? [badge] : [])];
}

/**
 * "231.42  +1.18 (+0.51%)  [delayed]  231.40×300 / 231.44×200  vol 12.3K  229.10–232.05":
 * price and change, the badge (what the price is: the previous close, delayed,
 * frozen, halted, not connected), bid and ask with sizes, the day's volume and
 * range, readable while the market trades. What a narrow side bar cuts off is the last.
 */
export function rowDescription(row: WatchRow, live = true): string {
  if (row.error) return `⚠ ${plainText(row.error.message)}`;
  const q = row.quote;
  if (!q) return live ? '…' : '—';
  const price = q.price;
  const d = quoteDecimals(q);
  const pd = priceDecimals(q);
  const parts = [formatPrice(price, pd)];
  if (q.change !== undefined) parts.push(`${formatSigned(q.change, pd)} (${formatPercent(q.changePercent)})`);
  // right after the price: what the price is (the previous close, delayed, halted, not live) must show at the side bar's default width
  const badges = rowBadges(q, live, 'prev close');
  if (badges.length) parts.push(`[${badges.join(' · ')}]`);
  if (q.bid !== undefined || q.ask !== undefined)
    parts.push(`${formatPrice(q.bid, d)}×${sizeWith(q.bid, q.bidSize)} / ${formatPrice(q.ask, d)}×${sizeWith(q.ask, q.askSize)}`);
  if (q.volume !== undefined) parts.push(`vol ${formatSize(q.volume)}`);
  if (q.low !== undefined && q.high !== undefined) parts.push(`${formatPrice(q.low, d)}–${formatPrice(q.high, d)}`);
  return parts.join('  ');
}

/**
 * The row as a screen reader says it, each number named: "AAPL, 231.42, up
 * 1.18, up 0.51%, delayed, bid 231.40 size 300, ask 231.44 size 200, volume
 * 12.3K, low 229.10, high 232.05" (the shown text reads as a run of numbers);
 * the badge in words ("previous close" for the row's "prev close").
 */
export function rowSpoken(row: Pick<WatchRow, 'label' | 'error' | 'quote'>, live = true): string {
  if (row.error) return `${row.label}, error: ${plainText(row.error.message)}`;
  const q = row.quote;
  if (!q) return `${row.label}, ${live ? 'waiting for the first quote' : 'no quote, not connected'}`;
  const d = quoteDecimals(q);
  const pd = priceDecimals(q);
  const parts = [row.label, formatPrice(q.price, pd)];
  const signed = (v: string) => (v.startsWith('+') ? `up ${v.slice(1)}` : /^[-−]/.test(v) ? `down ${v.slice(1)}` : `unchanged ${v}`);
  if (q.change !== undefined) parts.push(signed(formatSigned(q.change, pd)), signed(formatPercent(q.changePercent)));
  parts.push(...rowBadges(q, live, 'previous close'));
  if (q.bid !== undefined) parts.push(`bid ${formatPrice(q.bid, d)} size ${formatSize(q.bidSize)}`);
  if (q.ask !== undefined) parts.push(`ask ${formatPrice(q.ask, d)} size ${formatSize(q.askSize)}`);
  if (q.volume !== undefined) parts.push(`volume ${formatSize(q.volume)}`);
  if (q.low !== undefined && q.high !== undefined) parts.push(`low ${formatPrice(q.low, d)}`, `high ${formatPrice(q.high, d)}`);
  return parts.join(', ');
}

/** The icons a row can show, made once (a row's look is worked out up to four times a second). */
const ICONS = {
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  notLive: new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('disabledForeground')),
  waiting: new vscode.ThemeIcon('loading~spin'),
  halted: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow')),
  up: new vscode.ThemeIcon('arrow-up', new vscode.ThemeColor('charts.green')),
  down: new vscode.ThemeIcon('arrow-down', new vscode.ThemeColor('charts.red')),
  flat: new vscode.ThemeIcon('dash', new vscode.ThemeColor('charts.foreground')),
};

function icon(row: WatchRow, live = true): keyof typeof ICONS {
  if (row.error) return 'error';
  if (!live) return 'notLive';
  const q = row.quote;
  if (!q) return 'waiting';
  if (q.halted) return 'halted';
  if (q.change !== undefined && q.change > 0) return 'up';
  if (q.change !== undefined && q.change < 0) return 'down';
  return 'flat';
}

/** What a row's hover tells: its symbol, the instrument it resolved to, and its error or quote. */
export type RowFacts = Pick<WatchRow, 'symbol' | 'label' | 'error' | 'quote' | 'contract'>;

export function rowTooltip(row: RowFacts, live = true, simulated = false, now?: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = false;
  // the entry as written (the watchlist setting's text), where the name differs
  md.appendMarkdown(`**${markdownText(row.label)}**${row.label !== row.symbol ? markdownText(` · ${row.symbol}`) : ''}\n\n`);
  // which instrument it is: "ES" typed as a stock is Eversource on NYSE, not the E-mini
  if (row.contract) md.appendMarkdown(`${markdownText(contractLine(row.contract, now))}\n\n`);
  if (row.error) {
    md.appendMarkdown(`$(error) ${markdownText(printable(`${row.error.message} ${row.error.action}`))}`);
    return md;
  }
  const q = row.quote;
  if (!q) {
    md.appendMarkdown('Waiting for the first quote.');
    return md;
  }
  const rows = quoteFacts(q, live);
  md.appendMarkdown(['| | |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
  // the simulated gateway's prices and times are not the market's (its clock may be hours away)
  if (simulated) md.appendMarkdown('\n\n$(beaker) **SIMULATED** gateway: prices and times are not real.');
  return md;
}

/** What a row shows: its text and its icon (by name), and what a screen reader says of it. */
export interface RowLook {
  readonly description: string;
  readonly spoken: string;
  readonly icon: vscode.ThemeIcon;
  readonly iconName: keyof typeof ICONS;
}

export function rowLook(row: WatchRow, live = true): RowLook {
  const iconName = icon(row, live);
  return { description: rowDescription(row, live), spoken: rowSpoken(row, live), icon: ICONS[iconName], iconName };
}

/** Whether two looks show the same (text and icon). */
export function sameLook(a: RowLook | undefined, b: RowLook): boolean {
  return a !== undefined && a.description === b.description && a.icon === b.icon;
}

/** A look as one line of text, equal when the looks are (for tests). */
export function lookKey(look: RowLook): string {
  return `${look.description}|${look.iconName}`;
}

/**
 * The tree item of a row: symbol, price and change, coloured icon, badge. Its
 * hover and its command (a click or Enter opens the row's chart) are resolved
 * when hovered or opened (see row-commands.ts), not sent with every render. With
 * `item`, that item is changed to show the row (the row's own, given to VS
 * Code at every render: VS Code keeps the item it was given until the row
 * renders again, so a new one each time is a new object kept for a second).
 */
export function rowItem(row: WatchRow, live = true, look: RowLook = rowLook(row, live), place?: RowPlace, item?: vscode.TreeItem): vscode.TreeItem {
  item ??= new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
  item.label = row.label;
  item.id = row.symbol;
  item.description = look.description;
  item.iconPath = look.icon;
  item.contextValue = place ? `${ROW_CONTEXT}.${place}` : ROW_CONTEXT;
  // resolved again when asked for (a hover, an opening), not sent with the render
  item.tooltip = undefined;
  item.command = undefined;
  item.accessibilityInformation = { label: look.spoken };
  return item;
}
