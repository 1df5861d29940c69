/**
 * Conversions between the domain's contract shapes and @stoqey/ib's.
 */
import { priceCurrency } from '../facts/price-currency';
import { currentExchangeName } from '../facts/exchange-names';
import type { Contract, ContractDescription, ContractDetails, SecType as IbSecTypeT } from '@stoqey/ib';
import { contractMonthOf } from '../facts/futures';
import { SecType as IbSecType } from '../ib-lib';
import type { ResolvedContract, SecType, SymbolMatch, SymbolSpec } from '../types';

const SEC_TYPES: Record<SecType, IbSecTypeT> = {
  STK: IbSecType.STK,
  IND: IbSecType.IND,
  FUT: IbSecType.FUT,
  CASH: IbSecType.CASH,
  CONTFUT: IbSecType.CONTFUT,
};

/**
 * The contract to qualify for a parsed spec; `includeExpired` also finds futures months that have expired (IB
 * keeps them, and their history, for two years after their expiry, found only so).
 */
export function specToContract(spec: SymbolSpec, includeExpired = false): Contract {
  const c: Contract = {};
  if (spec.conId !== undefined) c.conId = spec.conId;
  if (spec.symbol !== undefined) c.symbol = spec.symbol;
  if (spec.secType !== undefined) c.secType = SEC_TYPES[spec.secType];
  if (spec.exchange !== undefined) c.exchange = spec.exchange;
  if (spec.primaryExchange !== undefined) c.primaryExch = spec.primaryExchange;
  if (spec.currency !== undefined) c.currency = spec.currency;
  if (spec.lastTradeDateOrContractMonth !== undefined) c.lastTradeDateOrContractMonth = spec.lastTradeDateOrContractMonth;
  if (spec.localSymbol !== undefined) c.localSymbol = spec.localSymbol;
  if (includeExpired) c.includeExpired = true;
  return c;
}

/** The contract to send with a data request for a qualified contract. */
export function resolvedToContract(r: ResolvedContract): Contract {
  // a continuous future is asked as itself: its contract id is its front month's, which would ask for that month's bars
  if (r.secType === 'CONTFUT') return { symbol: r.symbol, secType: SEC_TYPES.CONTFUT, exchange: r.exchange, currency: r.currency };
  const c: Contract = {
    conId: r.conId,
    symbol: r.symbol,
    secType: SEC_TYPES[r.secType],
    exchange: r.exchange,
    currency: r.currency,
  };
  if (r.primaryExchange) c.primaryExch = r.primaryExchange;
  if (r.lastTradeDateOrContractMonth) c.lastTradeDateOrContractMonth = r.lastTradeDateOrContractMonth;
  if (r.localSymbol) c.localSymbol = r.localSymbol;
  // an expired month: IB finds it (its details, its bars) only so
  if (r.includeExpired) c.includeExpired = true;
  return c;
}

export function isSecType(s: unknown): s is SecType {
  return s === 'STK' || s === 'IND' || s === 'FUT' || s === 'CASH' || s === 'CONTFUT';
}

/** A short label for lists: "AAPL (NASDAQ, USD)", "GAW (LSE, GBp)", "ESZ5 (CME)", "EUR.USD", "SPX (CBOE)". */
export function displayLabel(r: Omit<ResolvedContract, 'display'>): string {
  switch (r.secType) {
    case 'CASH':
      return `${r.symbol}.${r.currency}`;
    case 'FUT':
      return `${r.localSymbol || `${r.symbol} ${contractMonthOf(r) ?? ''}`.trim()} (${r.exchange})`;
    case 'IND':
      return `${r.symbol} (${r.exchange})`;
    case 'CONTFUT':
      return `${r.symbol} continuous (${r.exchange})`;
    default: {
      const venue = r.primaryExchange && r.primaryExchange !== 'SMART' ? r.primaryExchange : r.exchange;
      // the unit its prices are in: a London share's are pence (GBp) while its contract says GBP
      return `${r.symbol} (${venue}, ${priceCurrency(r)})`;
    }
  }
}

/**
 * The date of a future's last trade day. TWS writes it with the time and zone
 * ("20250620 08:30 US/Central", captured) and @stoqey/ib 1.6 passes the whole
 * text on (it splits on the literal text "\\s+", not on spaces): sent back in a
 * request, that text is not a contract month.
 */
function expiryDate(text: string | undefined): string | undefined {
  const first = text?.trim().split(/\s+/)[0];
  return first || undefined;
}

/**
 * The longest identifier taken from a gateway (symbol, local symbol, exchange,
 * currency: IB's are a few characters; 64 is what a person may type): a
 * contract is sent back with every request for it, so a hostile gateway's
 * 10 MB symbol would be encoded again with each one.
 */
const MAX_ID_LENGTH = 64;
/** The longest descriptive text kept (a company's long name, trading hours for weeks ahead). */
const MAX_TEXT_LENGTH = 4096;

const idOk = (v: string | undefined) => v === undefined || v.length <= MAX_ID_LENGTH;
const text = (v: string | undefined) => (v && v.length <= MAX_TEXT_LENGTH ? v : undefined);

/** A qualified contract from IB's contract details, or undefined for a type this extension does not handle (or identifiers no gateway sends). */
export function detailsToResolved(d: ContractDetails): ResolvedContract | undefined {
  const c = d.contract;
  if (!c.conId || !c.symbol || !isSecType(c.secType)) return undefined;
  if (![c.symbol, c.localSymbol, c.exchange, c.currency, c.primaryExch].every(idOk)) return undefined;
  const r: Omit<ResolvedContract, 'display'> = {
    conId: c.conId,
    symbol: c.symbol,
    secType: c.secType,
    exchange: c.exchange || 'SMART',
    currency: c.currency ?? '',
  };
  const extra: Partial<ResolvedContract> = {
    primaryExchange: c.primaryExch ? currentExchangeName(c.primaryExch) : undefined,
    localSymbol: c.localSymbol || undefined,
    lastTradeDateOrContractMonth: expiryDate(c.lastTradeDateOrContractMonth),
    contractMonth: d.contractMonth || undefined,
    multiplier: c.multiplier !== undefined && c.multiplier !== 0 ? String(c.multiplier) : undefined,
    minTick: d.minTick,
    longName: text(d.longName),
    timeZoneId: idOk(d.timeZoneId) ? d.timeZoneId || undefined : undefined,
    tradingHours: text(d.tradingHours),
    liquidHours: text(d.liquidHours),
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (r as Record<string, unknown>)[k] = v;
  return { ...r, display: displayLabel(r) };
}

export function descriptionToMatch(d: ContractDescription): SymbolMatch | undefined {
  const c = d.contract;
  if (!c?.conId || !c.symbol) return undefined;
  const m: SymbolMatch = { conId: c.conId, symbol: c.symbol, secType: String(c.secType ?? '') };
  if (c.primaryExch) m.primaryExchange = currentExchangeName(c.primaryExch);
  if (c.currency) m.currency = c.currency;
  if (c.description) m.description = c.description;
  if (d.derivativeSecTypes?.length) m.derivativeSecTypes = d.derivativeSecTypes.map(String);
  return m;
}
