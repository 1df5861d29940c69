/**
 * Futures months as people write them, for examples computed from today's
 * date (an example never names an expired contract).
 */

export const MONTH_CODES = 'FGHJKMNQUVXZ';

/** The months as written in English dates and in futures' names ("Dec 2026"). */
export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "Dec 2026" for "20261218" or "202612". */
export function monthName(lastTradeDateOrContractMonth: string | undefined): string {
  const m = /^(\d{4})(\d{2})/.exec(lastTradeDateOrContractMonth ?? '');
  return m ? `${MONTH_NAMES[Number(m[2]) - 1]} ${m[1]}` : 'no month';
}

/**
 * A future's contract month, YYYYMM: IB's `contractMonth` where it gave one,
 * else the month of its last trade. They differ where trading ends in the
 * month before (NYMEX crude: CLF6, the January 2026 contract, last trades on
 * 2025-12-19); a YYYYMM sent to IB is read as the contract month.
 */
export function contractMonthOf(c: { contractMonth?: string; lastTradeDateOrContractMonth?: string }): string | undefined {
  for (const month of [c.contractMonth, c.lastTradeDateOrContractMonth?.slice(0, 6)]) if (month && /^\d{6}$/.test(month)) return month;
  return undefined;
}

/** The next quarterly month (Mar, Jun, Sep, Dec) not expired yet: after mid-month, the next quarter. */
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

/** "ES 202612 FUT@CME" and "ESZ6 FUT@CME" for the front quarter of `today`. */
export function futureExamples(today: Date, symbol = 'ES', exchange = 'CME'): { byMonth: string; byCode: string; month: string; code: string } {
  const { year, month } = frontQuarter(today);
  const yyyymm = `${year}${String(month).padStart(2, '0')}`;
  const code = `${MONTH_CODES[month - 1]}${year % 10}`;
  return { byMonth: `${symbol} ${yyyymm} FUT@${exchange}`, byCode: `${symbol}${code} FUT@${exchange}`, month: yyyymm, code };
}
