/**
 * Which instrument a symbol resolved to, in one line for a person: the name
 * IB gives it, its kind, where it trades, its currency and, for a future, its
 * size and last trade day. "ES" typed as a stock is Eversource on NYSE, not
 * the E-mini: the line is how a person sees which one a row streams.
 */
import { priceCurrency } from '../facts/price-currency';
import { daysToExpiry, lastTradeDay, ROLL_DAYS } from './expired';
import { printable } from '../text';
import type { ResolvedContract } from '../types';

const KIND: Record<ResolvedContract['secType'], string> = { STK: 'stock', FUT: 'future', IND: 'index', CASH: 'forex pair', CONTFUT: 'continuous future' };

/** The longest name shown (IB's long names are a few words). */
const MAX_NAME = 60;

/**
 * "APPLE INC · stock · NASDAQ · USD · conId 265598",
 * "E-mini S&P 500 · future ESZ6 · CME · USD · ×50 · last trade 2026-12-18 · conId 495512563",
 * "European Monetary Union Euro · forex pair · IDEALPRO · priced in USD · conId 12087792",
 * "GAW · stock · LSE · GBP, priced in GBp (pence) · conId 35151400".
 */
export function contractLine(c: ResolvedContract, nowMs?: number): string {
  const parts: string[] = [];
  const name = c.longName ? printable(c.longName).trim() : '';
  if (name) parts.push(name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name);
  parts.push(c.secType === 'FUT' && c.localSymbol ? `${KIND.FUT} ${c.localSymbol}` : KIND[c.secType]);
  // IB's continuous future stands on its front month now (its contract id is that month's)
  if (c.secType === 'CONTFUT' && c.localSymbol) parts.push(`history only, front month now ${c.localSymbol}`);
  parts.push(c.secType === 'STK' && c.primaryExchange && c.primaryExchange !== 'SMART' ? c.primaryExchange : c.exchange);
  const unit = priceCurrency(c);
  // a London share's prices are pence while IB's contract says GBP
  if (c.currency) parts.push(c.secType === 'CASH' ? `priced in ${c.currency}` : unit === c.currency ? unit : `${c.currency}, priced in ${unit} (pence)`);
  if (c.secType === 'FUT') {
    if (c.multiplier) parts.push(`×${c.multiplier}`);
    const last = lastTradeDay(c);
    // in its roll week (on the gateway's clock), how long it has left
    const left = nowMs === undefined ? undefined : daysToExpiry(c, nowMs);
    const soon =
      left === undefined || left < 0 || left > ROLL_DAYS ? '' : left === 0 ? ' (its last trade day: today)' : ` (${left} day${left === 1 ? '' : 's'} left)`;
    if (last) parts.push(`last trade ${last}${soon}`);
  }
  parts.push(`conId ${c.conId}`);
  return parts.join(' · ');
}
