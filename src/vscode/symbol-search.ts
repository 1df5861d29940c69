/**
 * Texts of the symbol search: futures months as rows a person can tell apart,
 * and what the picker asks for.
 */
import type * as vscode from 'vscode';
import { contractMonthOf, monthName } from '../ib/facts/futures';
import type { ResolvedContract } from '../ib/types';
import { activeMonth, daysToExpiry, frontMonth } from '../ib/contracts/expired';
import { exactSpecs } from '../ib/contracts/symbol-text';

function expiry(d: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(d ?? '');
  return m ? `expires ${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/** "2026-12" for "20261218" or "202612". */
function isoMonth(d: string | undefined): string {
  const m = /^(\d{4})(\d{2})/.exec(d ?? '');
  return m ? `${m[1]}-${m[2]}` : '';
}

/** A month's row; in its future's roll week the front month's and the next month's carry `roll` (the front's conId). */
export type FutureItem = vscode.QuickPickItem & { spec: string; contract: ResolvedContract; roll?: { group: number; next: boolean } };

/**
 * One row per futures month, front month first. The label starts with the
 * month as YYYY-MM: VS Code sorts rows whose labels match the typed text by
 * name, and that order is then the calendar's. In the front month's roll
 * week (expired.ts activeMonth, on the gateway's clock `nowMs`) its row says
 * how many days it has left, and the next month is the one to pre-select.
 */
export function futureItems(months: readonly ResolvedContract[], nowMs?: number): FutureItem[] {
  const specs = exactSpecs(months);
  const active = nowMs === undefined ? undefined : activeMonth(months, nowMs);
  const front = nowMs === undefined ? undefined : frontMonth(months, nowMs);
  const rolling = active !== undefined && front !== undefined && active !== front;
  return months.map((c, i) => {
    const left = rolling && c === front ? daysToExpiry(c, nowMs!) : undefined;
    const soon = left === undefined ? undefined : left <= 0 ? 'last trade day today' : `${left} day${left === 1 ? '' : 's'} left`;
    return {
      label: `${c.symbol} ${isoMonth(contractMonthOf(c))} (${monthName(contractMonthOf(c))})`,
      description: [c.localSymbol, 'FUT', c.exchange, c.currency, expiry(c.lastTradeDateOrContractMonth), soon].filter(Boolean).join(' · '),
      detail: c.longName,
      spec: specs[i],
      contract: c,
      alwaysShow: true,
      ...(rolling && (c === front || c === active) ? { roll: { group: front.conId, next: c === active } } : {}),
    };
  });
}

/** What the symbol picker asks for: short enough to be read whole there (about 75 characters); the grammar is in the README. */
export const SYMBOL_PLACEHOLDER = 'Symbol or name: AAPL, EUR.USD, ES (its months), SPX IND@CBOE, SHOP@TSE';

/**
 * The row after a future's months for a chart: IB's continuous future of that symbol and exchange (CONTFUT), its
 * bars across the rolls; history only (IB streams no quotes for it), so offered only where bars are what is asked.
 */
export function continuousItem(months: readonly ResolvedContract[]): (vscode.QuickPickItem & { spec: string }) | undefined {
  const front = months[0];
  if (!front) return undefined;
  return {
    label: `${front.symbol} continuous`,
    description: `CONTFUT · ${front.exchange} · its bars across the rolls, history only`,
    spec: `${front.symbol} CONTFUT@${front.exchange}`,
    alwaysShow: true,
  };
}
