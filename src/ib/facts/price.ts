/**
 * The price shown for a quote: one rule, used by the quote model (and through
 * it the watchlist row, Get Quote and anything else that shows a quote).
 *
 * - Where the instrument trades: the last trade.
 * - Where it does not (IDEALPRO forex sends no last trade; quotes are
 *   indicative), or before the first trade: the mid of bid and ask; one side
 *   when only one is quoted.
 * - The previous close only when there is neither (no live bid/ask: a closed
 *   market, an index before its first print); never while a bid or an ask
 *   is quoted, even a crossed one.
 * Zero and -1 are IB's "none"; any other value below zero is a price (crude
 * settled at -37.63 on 2020-04-20; spreads). The jax bridge sends the same price.
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

/**
 * An index is a calculated value, not traded: IB sends its last, high, low
 * and close, no open, sizes or volume (the size field of its price ticks is no
 * size; docs/real-tws-facts.md §3).
 */
export function unsized(secType: SecType | undefined): boolean {
  return secType === 'IND';
}

export type PriceSource = 'last' | 'mid' | 'bid' | 'ask' | 'close';

/** The fields of a quote whose presence makes its picture whole (see wholePicture). */
export interface PictureFields extends PriceInputs {
  bidSize?: number;
  askSize?: number;
  volume?: number;
}

/**
 * Whether a quote holds everything its instrument ever has: an index its
 * last; a forex pair bid and ask with their sizes; anything else also its
 * last trade and the day's volume. A line's first picture comes as a dozen
 * messages: until it is whole, what came first may be the bid alone.
 */
export function wholePicture(q: PictureFields, secType: SecType | undefined): boolean {
  if (unsized(secType)) return has(q.last);
  const book = has(q.bid) && has(q.ask) && q.bidSize !== undefined && q.askSize !== undefined;
  if (quotesOnly(secType)) return book;
  return book && has(q.last) && q.volume !== undefined;
}

/** A price IB gave (zero and -1 are its "none"). */
function has(v: number | undefined): v is number {
  return v !== undefined && Number.isFinite(v) && v !== 0 && v !== -1;
}

/** The mid of bid and ask without binary noise (1.3181 and 1.3182: 1.31815, not 1.3181500000000002). */
function mid(bid: number, ask: number): number {
  return Math.round(((bid + ask) / 2) * 1e10) / 1e10;
}

/** The price to show and where it came from; undefined when there is none. */
export function quotePrice(q: PriceInputs, secType?: SecType): { price: number; source: PriceSource } | undefined {
  if (has(q.last) && !quotesOnly(secType)) return { price: q.last, source: 'last' };
  // a crossed book (bid above ask, a moment on IDEALPRO's aggregated quotes) is still the market's: its mid lies between them
  if (has(q.bid) && has(q.ask)) return { price: mid(q.bid, q.ask), source: 'mid' };
  // one side of the book is still the market's, not yesterday's
  if (has(q.bid) && !has(q.ask)) return { price: q.bid, source: 'bid' };
  if (has(q.ask) && !has(q.bid)) return { price: q.ask, source: 'ask' };
  if (has(q.close)) return { price: q.close, source: 'close' };
  return undefined;
}
