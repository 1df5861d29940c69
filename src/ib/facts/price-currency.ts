/**
 * The unit a price is quoted in, where it is not the contract's currency.
 * The London Stock Exchange quotes shares (and the ETFs it lists in pounds)
 * in pence, and IB passes its prices on as they are while the contract says
 * GBP: a last of 4293.9999 for GAW (currency GBP, primary exchange LSE) is
 * 42.94 pounds (as reported from ib_insync, bankroll-py/bankroll#31). Those
 * prices are "GBp", the market's own name for pence.
 */

/** Primary exchanges that quote GBP instruments in pence. */
const PENCE_EXCHANGES: ReadonlySet<string> = new Set(['LSE', 'LSEETF', 'LSEIOB1']);

export function priceCurrency(c: { secType: string; currency: string; primaryExchange?: string; exchange: string }): string {
  if (c.secType === 'STK' && c.currency === 'GBP' && PENCE_EXCHANGES.has(c.primaryExchange ?? c.exchange)) return 'GBp';
  return c.currency;
}
