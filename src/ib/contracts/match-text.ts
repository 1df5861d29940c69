/**
 * How a symbol search's row is described to a person: its kind, where it is
 * listed, its currency, and whether the extension shows that kind at all
 * (stocks and ETFs, indices, futures months, forex pairs). IB's search also
 * lists crypto, commodities, CFDs and others: such a row says so before it
 * is picked, rather than failing after.
 */
import type { SymbolMatch } from '../types';
import { isSecType } from './to-contract';

/** What a row of a kind the extension does not show says. */
export const NOT_SHOWN = 'not shown by this extension';

/** "STK · NASDAQ · USD"; "CRYPTO · PAXOS · USD · not shown by this extension". */
export function matchDescription(m: SymbolMatch): string {
  const where = [m.secType, m.primaryExchange, m.currency].filter(Boolean);
  return (isSecType(m.secType) ? where : [...where, NOT_SHOWN]).join(' · ');
}

/** The rows of kinds the extension shows first, each group in IB's order. */
export function shownFirst<T>(rows: readonly T[], shown: (row: T) => boolean): T[] {
  return [...rows.filter(shown), ...rows.filter((r) => !shown(r))];
}
