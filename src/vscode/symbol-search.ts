/**
 * Texts of the symbol search: futures months as rows a person can tell apart,
 * and examples computed from today's date (never an expired contract).
 */
import type * as vscode from 'vscode';
import type { ResolvedContract } from '../ib/types';
import { specForContract } from './symbol-text';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_CODES = 'FGHJKMNQUVXZ';

/** "Dec 2026" for "20261218" or "202612". */
export function monthName(lastTradeDateOrContractMonth: string | undefined): string {
  const m = /^(\d{4})(\d{2})/.exec(lastTradeDateOrContractMonth ?? '');
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : 'no month';
}

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
  return months.map((c) => ({
    label: `${c.symbol} ${isoMonth(c.lastTradeDateOrContractMonth)} (${monthName(c.lastTradeDateOrContractMonth)})`,
    description: [c.localSymbol, 'FUT', c.exchange, c.currency, expiry(c.lastTradeDateOrContractMonth)].filter(Boolean).join(' · '),
    detail: c.longName,
    spec: specForContract(c),
    contract: c,
    alwaysShow: true,
  }));
}

/** The next quarterly futures month (Mar, Jun, Sep, Dec) that has not expired (mid-month rolls to the next). */
export function frontQuarter(today: Date): { year: number; month: number } {
  let year = today.getUTCFullYear();
  let month = today.getUTCMonth() + 1;
  if (month % 3 === 0 && today.getUTCDate() > 14) month += 1;
  month = Math.ceil(month / 3) * 3;
  if (month > 12) {
    month -= 12;
    year += 1;
  }
  return { year, month };
}

/** Examples of futures symbols for today: "ES 202612 FUT@CME" and "ESZ6 FUT@CME". */
export function futureExamples(today: Date): { byMonth: string; byCode: string } {
  const { year, month } = frontQuarter(today);
  return {
    byMonth: `ES ${year}${String(month).padStart(2, '0')} FUT@CME`,
    byCode: `ES${MONTH_CODES[month - 1]}${year % 10} FUT@CME`,
  };
}

export function symbolPlaceholder(today: Date): string {
  return `Type a symbol or name: AAPL, EUR.USD, ES (lists its months), ${futureExamples(today).byMonth}, SPX IND@CBOE, SHOP@TSE CAD, 265598`;
}
