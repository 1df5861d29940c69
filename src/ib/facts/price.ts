/**
 * The price shown for a quote: one rule, used by the quote model (and through
 * it the watchlist row, Get Quote and anything else that shows a quote).
 *
 * - Where the instrument trades: the last trade.
 * - Where it does not (IDEALPRO forex sends no last trade; quotes are
 *   indicative), or before the first trade: the mid of bid and ask.
 * - The previous close only when there is neither (no live bid/ask: a closed
 *   market, an index before its first print).
 */
import type { SecType } from '../types';

export interface PriceInputs {
  last?: number;
  bid?: number;
  ask?: number;
  close?: number;
}

/** Where the price is the mid of bid and ask, never a last trade. */
export function quotesOnly(secType: SecType | undefined): boolean {
  return secType === 'CASH';
}

export type PriceSource = 'last' | 'mid' | 'close';

/** The price to show and where it came from; undefined when there is none. */
export function quotePrice(q: PriceInputs, secType?: SecType): { price: number; source: PriceSource } | undefined {
  if (q.last !== undefined && !quotesOnly(secType)) return { price: q.last, source: 'last' };
  if (q.bid !== undefined && q.ask !== undefined && q.ask >= q.bid) return { price: (q.bid + q.ask) / 2, source: 'mid' };
  if (q.close !== undefined) return { price: q.close, source: 'close' };
  return undefined;
}
