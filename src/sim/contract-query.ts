/**
 * Reading contracts out of requests and finding them in the universe, with
 * the errors TWS gives when that fails.
 */
import type { FieldReader } from './codec';
import type { ContractQuery, Instrument, Universe } from './market/types';
import { NO_SECURITY_DEFINITION } from './facts/tws-errors';

export interface RequestContract extends ContractQuery {
  strike?: number;
  right?: string;
  includeExpired?: boolean;
}

function clean(text: string): string | undefined {
  return text === '' ? undefined : text;
}

/** The 12 contract fields every request starts with (conId ... tradingClass). */
export function readContractFields(r: FieldReader): RequestContract {
  const conId = r.int();
  const symbol = clean(r.str());
  const secType = clean(r.str());
  const lastTradeDateOrContractMonth = clean(r.str());
  const strike = r.num();
  const right = clean(r.str());
  const multiplier = clean(r.str());
  const exchange = clean(r.str());
  const primaryExchange = clean(r.str());
  const currency = clean(r.str());
  const localSymbol = clean(r.str());
  const tradingClass = clean(r.str());
  return {
    conId: conId || undefined,
    symbol,
    secType,
    lastTradeDateOrContractMonth,
    strike,
    right,
    multiplier,
    exchange,
    primaryExchange,
    currency,
    localSymbol,
    tradingClass,
  };
}

/** The 13 fields @stoqey/ib's encodeContract writes (conId ... includeExpired). */
export function readEncodedContract(r: FieldReader): RequestContract {
  const contract = readContractFields(r);
  contract.includeExpired = r.bool();
  return contract;
}

/** The contract fields of REQ_MKT_DATA (no includeExpired), with the BAG legs and delta-neutral block after them. */
export function readMarketDataContract(r: FieldReader): RequestContract {
  const contract = readContractFields(r);
  if (contract.secType?.toUpperCase() === 'BAG') {
    const legs = r.int();
    r.skip(legs * 4);
  }
  if (r.bool()) r.skip(3);
  return contract;
}

/** The universe's query: only fields that narrow the search (strike/right have no meaning here). */
export function toQuery(c: RequestContract): ContractQuery {
  const q: ContractQuery = {};
  if (c.conId) q.conId = c.conId;
  if (c.symbol) q.symbol = c.symbol;
  if (c.secType) q.secType = c.secType;
  if (c.exchange) q.exchange = c.exchange;
  if (c.primaryExchange) q.primaryExchange = c.primaryExchange;
  if (c.currency) q.currency = c.currency;
  if (c.localSymbol) q.localSymbol = c.localSymbol;
  if (c.lastTradeDateOrContractMonth) q.lastTradeDateOrContractMonth = c.lastTradeDateOrContractMonth;
  if (c.tradingClass) q.tradingClass = c.tradingClass;
  if (c.multiplier) q.multiplier = c.multiplier;
  return q;
}

export type Resolution = { inst: Instrument } | { code: number; message: string };

/** IB's continuous future: contract details and historical data only (see market/continuous.ts). */
export function isContinuous(c: RequestContract): boolean {
  return c.secType?.trim().toUpperCase() === 'CONTFUT';
}

/**
 * One instrument for a data request: a conId wins; otherwise the query must fit
 * exactly one. A continuous future is no instrument here (IB streams none):
 * 200, even with its front month's conId.
 */
export function resolveOne(universe: Universe, c: RequestContract): Resolution {
  if (isContinuous(c)) return { code: 200, message: NO_SECURITY_DEFINITION };
  if (c.conId) {
    const inst = universe.byConId(c.conId);
    return inst ? { inst } : { code: 200, message: NO_SECURITY_DEFINITION };
  }
  const matches = universe.match(toQuery(c));
  if (matches.length === 0) return { code: 200, message: NO_SECURITY_DEFINITION };
  if (matches.length > 1) {
    return { code: 200, message: `The contract description specified for ${c.symbol ?? c.localSymbol ?? ''} is ambiguous.` };
  }
  return { inst: matches[0] };
}

/** The one instrument a request names; otherwise the request gets TWS's error (200) and undefined comes back. */
export function instrumentFor(
  link: { sendError(id: number, code: number, message: string): void },
  reqId: number,
  universe: Universe,
  c: RequestContract,
): Instrument | undefined {
  const res = resolveOne(universe, c);
  if ('inst' in res) return res.inst;
  link.sendError(reqId, res.code, res.message);
  return undefined;
}

/** "AAPL STK SMART USD", for the request log. */
export function describeContract(c: RequestContract): string {
  const parts = [
    c.conId ? `#${c.conId}` : undefined,
    c.symbol ?? c.localSymbol,
    c.secType,
    c.lastTradeDateOrContractMonth,
    c.exchange,
    c.primaryExchange ? `(${c.primaryExchange})` : undefined,
    c.currency,
  ];
  return parts.filter((p) => p !== undefined && p !== '').join(' ');
}
