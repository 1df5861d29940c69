/**
 * Symbol texts the domain's parseSymbol reads back to the same contract.
 * Used to store a person's choice among ambiguous candidates.
 */
import { namesAllMonths, parseSymbol } from './symbol';
import { monthName } from '../facts/futures';
import { contractMonthOf } from '../facts/futures';
import type { ResolvedContract, SymbolMatch } from '../types';

/** "EUR.USD", "ES 202512 FUT@CME", "SPX IND@CBOE", "SHOP@TSE CAD". */
export function specForContract(c: ResolvedContract): string {
  switch (c.secType) {
    case 'CASH':
      return `${c.symbol}.${c.currency}`;
    case 'FUT':
      // the contract month (YYYYMM) names a month's contract the way a person writes it, and IB reads it so
      return `${c.symbol} ${contractMonthOf(c) ?? ''} FUT@${c.exchange}`.replace(/\s+/g, ' ');
    case 'IND':
      return `${c.symbol} IND@${c.exchange}`;
    case 'CONTFUT':
      return `${c.symbol} CONTFUT@${c.exchange}`;
    default:
      return `${c.symbol}@${c.primaryExchange || c.exchange} ${c.currency}`;
  }
}

/**
 * The texts of a list of contracts (futures months, the candidates of an ambiguous symbol), each naming
 * exactly its contract: a month's text ("DAX 202612 FUT@EUREX") is shared by the classes IB lists for
 * one underlying and month (FDAX, FDXM and FDXS on EUREX; VIX's monthlies and weeklies), and would ask
 * for all of them again once stored, so those are named by their contract ids.
 */
export function exactSpecs(months: readonly ResolvedContract[]): string[] {
  const texts = months.map(specForContract);
  return texts.map((t, i) => (texts.indexOf(t) !== texts.lastIndexOf(t) ? String(months[i].conId) : t));
}

/**
 * The text for a search match: plain when the symbol is unique among the
 * matches and trades in US dollars (what a plain symbol means), qualified
 * otherwise ("RY@TSE CAD": a plain "RY" would ask for a US listing).
 */
export function specForMatch(m: SymbolMatch, all: readonly SymbolMatch[]): string {
  const text = matchText(m, all);
  // a text the grammar does not read back as that kind of contract ("700@SEHK HKD": digits; "BRK B"; a
  // future without its month) is named by its contract id, which always asks for exactly it
  try {
    const p = parseSymbol(text);
    // (a future without its month names all its months: not this one)
    if (p.conId === undefined && (p.secType ?? 'STK') === m.secType && !namesAllMonths(p)) return text;
  } catch {
    // not a symbol the grammar reads
  }
  return String(m.conId);
}

function matchText(m: SymbolMatch, all: readonly SymbolMatch[]): string {
  if (m.secType === 'CASH' && m.currency) return `${m.symbol}.${m.currency}`;
  if (m.secType === 'IND') return m.primaryExchange ? `${m.symbol} IND@${m.primaryExchange}` : `${m.symbol} IND`;
  const twins = all.filter((o) => o.symbol === m.symbol && o.secType === m.secType).length;
  if (twins <= 1 && (!m.currency || m.currency === 'USD')) return m.symbol;
  const exch = m.primaryExchange ? `@${m.primaryExchange}` : '';
  return `${m.symbol}${exch}${m.currency ? ` ${m.currency}` : ''}`;
}

/** How a symbol is stored: upper case (the grammar ignores case), single spaces. */
export function storedSymbol(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toUpperCase();
}

/**
 * What names the same contract, whatever the spelling: "ES 202612 FUT@CME"
 * and "ESZ6 FUT@CME" give one key; undefined when the text does not parse.
 */
export function contractKey(text: string, referenceYear?: number): string | undefined {
  try {
    const p = parseSymbol(text, referenceYear);
    if (p.conId !== undefined) return `#${p.conId}`;
    // a month code is keyed by its root and month, as the same month written YYYYMM
    const month = (p.lastTradeDateOrContractMonth ?? p.contractMonth)?.slice(0, 6);
    return [p.symbol ?? p.root, p.secType, p.primaryExchange ?? p.exchange, p.currency, month].map((x) => x ?? '').join('|');
  } catch {
    return undefined;
  }
}

/**
 * What a list shows for a symbol entry: the text as written, but a future's
 * month in words ("ES Dec 2026" for "ES 202612 FUT@CME" or "ESZ6 FUT@CME"),
 * as the symbol search names it.
 */
export function entryLabel(text: string, referenceYear?: number): string {
  try {
    const p = parseSymbol(text, referenceYear);
    // a contract month (YYYYMM); a last trade day (YYYYMMDD) can be in the month before the contract's (NYMEX crude): as written
    const symbol = p.symbol ?? p.root;
    const month = p.lastTradeDateOrContractMonth ?? p.contractMonth;
    if (p.secType === 'FUT' && symbol && /^\d{6}$/.test(month ?? '')) return `${symbol} ${monthName(month)}`;
    if (p.secType === 'CONTFUT' && symbol) return `${symbol} continuous`;
  } catch {
    // not a symbol the grammar reads: shown as written
  }
  return text;
}
