import * as vscode from 'vscode';
import { plainText, printable } from '../../ib/text';
import type { Quote } from '../../ib/types';
import { decimalsFor, formatDateTime, formatPercent, formatPrice, formatSigned, formatSize } from '../format';
import type { WatchRow } from './watchlist-model';

export const ROW_CONTEXT = 'ibSymbol';

/** How a quote's price was found, in words. */
export const PRICE_SOURCE: Record<NonNullable<Quote['priceSource']>, string> = { last: 'last trade', mid: 'mid of bid/ask', close: 'previous close' };

/** "delayed", "frozen", "HALTED" … the badge a row carries, or "". */
export function badgeText(q: Quote | undefined): string {
  if (!q) return '';
  const badges: string[] = [];
  if (q.halted) badges.push('HALTED');
  if (q.dataType === 'delayed' || q.dataType === 'delayed-frozen') badges.push('delayed');
  if (q.dataType === 'frozen' || q.dataType === 'delayed-frozen') badges.push('frozen');
  return badges.join(' · ');
}

/** "231.42  +1.18 (+0.51%)", with the badge appended. */
export function rowDescription(row: WatchRow): string {
  if (row.error) return `⚠ ${plainText(row.error.message)}`;
  const q = row.quote;
  if (!q) return '…';
  const price = q.price;
  const parts = [formatPrice(price)];
  if (q.change !== undefined) parts.push(`${formatSigned(q.change, price !== undefined ? decimalsFor(price) : undefined)} (${formatPercent(q.changePercent)})`);
  const badge = badgeText(q);
  if (badge) parts.push(`[${badge}]`);
  return parts.join('  ');
}

function icon(row: WatchRow): vscode.ThemeIcon {
  if (row.error) return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  const q = row.quote;
  if (!q) return new vscode.ThemeIcon('loading~spin');
  if (q.halted) return new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.yellow'));
  if (q.change !== undefined && q.change > 0) return new vscode.ThemeIcon('arrow-up', new vscode.ThemeColor('charts.green'));
  if (q.change !== undefined && q.change < 0) return new vscode.ThemeIcon('arrow-down', new vscode.ThemeColor('charts.red'));
  return new vscode.ThemeIcon('dash', new vscode.ThemeColor('charts.foreground'));
}

export function rowTooltip(row: WatchRow): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = false;
  md.appendMarkdown(`**`);
  md.appendText(row.symbol);
  md.appendMarkdown(`**\n\n`);
  if (row.error) {
    md.appendMarkdown('$(error) ');
    md.appendText(printable(`${row.error.message} ${row.error.action}`));
    return md;
  }
  const q = row.quote;
  if (!q) {
    md.appendText('Waiting for the first quote.');
    return md;
  }
  const rows: Array<[string, string]> = [
    ['Bid', `${formatPrice(q.bid)} × ${formatSize(q.bidSize)}`],
    ['Ask', `${formatPrice(q.ask)} × ${formatSize(q.askSize)}`],
    ['Last', `${formatPrice(q.last)} × ${formatSize(q.lastSize)}`],
    ['Price', `${formatPrice(q.price)}${q.priceSource ? ` (${PRICE_SOURCE[q.priceSource]})` : ''}`],
    ['Change', `${formatSigned(q.change, q.price !== undefined ? decimalsFor(q.price) : undefined)} (${formatPercent(q.changePercent)})`],
    ['Open', formatPrice(q.open)],
    ['High', formatPrice(q.high)],
    ['Low', formatPrice(q.low)],
    ['Prev. close', formatPrice(q.close)],
    ['Volume', formatSize(q.volume)],
    ['Time', formatDateTime(q.time)],
    ['Data', `${q.dataType}${q.fellBack ? ' (no live subscription)' : ''}${q.halted ? ', HALTED' : ''}`],
  ];
  md.appendMarkdown(['| | |', '|---|---:|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n'));
  return md;
}

/** The tree item of a row: symbol, price and change, coloured icon, badge, hover. */
export function rowItem(row: WatchRow): vscode.TreeItem {
  const item = new vscode.TreeItem(row.symbol, vscode.TreeItemCollapsibleState.None);
  item.id = row.symbol;
  item.description = rowDescription(row);
  item.iconPath = icon(row);
  item.tooltip = rowTooltip(row);
  item.contextValue = ROW_CONTEXT;
  item.accessibilityInformation = { label: `${row.symbol} ${item.description}` };
  item.command = { command: 'ibGateway.openChart', title: 'Open Chart', arguments: [row.symbol, { preserveFocus: true }] };
  return item;
}
