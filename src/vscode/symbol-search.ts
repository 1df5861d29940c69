/**
 * Texts of the symbol search: futures months as rows a person can tell apart,
 * and what the picker asks for.
 */
import type * as vscode from 'vscode';
import { contractMonthOf, monthName } from '../ib/facts/futures';
import type { ResolvedContract } from '../ib/types';
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

/**
 * One row per futures month, front month first. The label starts with the
 * month as YYYY-MM: VS Code sorts rows whose labels match the typed text by
 * name, and that order is then the calendar's.
 */
export function futureItems(months: readonly ResolvedContract[]): Array<vscode.QuickPickItem & { spec: string; contract: ResolvedContract }> {
  const specs = exactSpecs(months);
  return months.map((c, i) => ({
    label: `${c.symbol} ${isoMonth(contractMonthOf(c))} (${monthName(contractMonthOf(c))})`,
    description: [c.localSymbol, 'FUT', c.exchange, c.currency, expiry(c.lastTradeDateOrContractMonth)].filter(Boolean).join(' · '),
    detail: c.longName,
    spec: specs[i],
    contract: c,
    alwaysShow: true,
  }));
}

/** What the symbol picker asks for: short enough to be read whole there (about 75 characters); the grammar is in the README. */
export const SYMBOL_PLACEHOLDER = 'Symbol or name: AAPL, EUR.USD, ES (its months), SPX IND@CBOE, SHOP@TSE';
