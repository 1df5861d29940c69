/**
 * The built-in contract universe and TWS-style matching: a conId alone
 * identifies; symbol, secType, exchange (SMART means any US/CA stock venue),
 * currency, local symbol, expiry and multiplier narrow; empty fields are
 * wildcards. Futures months that expired in the last two years are kept apart
 * (expiredMatch): TWS finds them only for a request that sets includeExpired,
 * and streams nothing for them.
 */
import { expiredFuturesAsOf, futuresAsOf } from './futures';
import { staticInstruments, syntheticStocks } from './instruments';
import type { ContractQuery, Instrument, Universe } from './types';

export interface UniverseOptions {
  /** The date futures months are chosen around (epoch ms); default now. */
  now?: number;
  /** Adds this many synthetic listings SIM001..SIMnnn (load tests, benchmarks); default 0. */
  syntheticStocks?: number;
  /**
   * Numbers the futures months from another base (default 0): a second gateway that numbers them as another
   * would (IB's own conIds for these months are not the simulator's).
   */
  futuresConIdShift?: number;
}

const EXCHANGE_ALIASES: Record<string, string> = { GLOBEX: 'CME', ECBOT: 'CBOT', NYMEX: 'NYMEX' };

const text = (v: string | undefined): string | undefined => {
  const t = v?.trim();
  return t ? t.toUpperCase() : undefined;
};

function exchangeFits(inst: Instrument, exchange: string): boolean {
  const ex = EXCHANGE_ALIASES[exchange] ?? exchange;
  if (ex === 'SMART') return inst.secType === 'STK';
  if (inst.exchange === ex || inst.primaryExchange === ex) return true;
  return inst.validExchanges.split(',').includes(ex);
}

function fits(inst: Instrument, q: ContractQuery): boolean {
  const symbol = text(q.symbol);
  if (symbol !== undefined && inst.symbol !== symbol && !(inst.secType === 'CASH' && inst.localSymbol === symbol)) return false;
  const secType = text(q.secType);
  if (secType !== undefined && inst.secType !== secType) return false;
  const exchange = text(q.exchange);
  if (exchange !== undefined && !exchangeFits(inst, exchange)) return false;
  const primary = text(q.primaryExchange);
  if (primary !== undefined && inst.primaryExchange !== primary && inst.secType === 'STK') return false;
  const currency = text(q.currency);
  if (currency !== undefined && inst.currency !== currency) return false;
  const local = text(q.localSymbol)?.replace(/\s+/g, '');
  if (local !== undefined && inst.localSymbol.replace(/\s+/g, '') !== local) return false;
  const tradingClass = text(q.tradingClass);
  if (tradingClass !== undefined && inst.tradingClass !== tradingClass) return false;
  // a contract sent back as CONTRACT_DATA wrote it may carry the last trade time and zone ("20250620 08:30 US/Central")
  const expiry = text(q.lastTradeDateOrContractMonth)?.split(/\s+/)[0];
  if (expiry !== undefined) {
    if (/^\d{6}$/.test(expiry) ? inst.contractMonth !== expiry : inst.lastTradeDateOrContractMonth !== expiry) return false;
  }
  const multiplier = text(q.multiplier);
  if (multiplier !== undefined && Number(inst.multiplier || 1) !== Number(multiplier)) return false;
  return true;
}

interface Searchable {
  inst: Instrument;
  name: string;
  words: string[];
}

function searchScore(e: Searchable, pattern: string): number | undefined {
  const { inst } = e;
  if (inst.symbol === pattern || inst.localSymbol === pattern) return 0;
  if (inst.symbol.startsWith(pattern) || inst.localSymbol.startsWith(pattern)) return 1;
  if (e.words.some((w) => w.startsWith(pattern))) return 2;
  if (pattern.length >= 3 && e.name.includes(pattern)) return 3;
  return undefined;
}

/** Each universe's expired futures months, by conId. */
const expiredMonths = new WeakMap<Universe, ReadonlyMap<number, Instrument>>();

/**
 * The expired futures months (two years back from the universe's date) a query
 * fits, as TWS finds them for a request with includeExpired: a conId alone
 * identifies; otherwise a symbol or local symbol is needed.
 */
export function expiredMatch(universe: Universe, query: ContractQuery): Instrument[] {
  const months = expiredMonths.get(universe);
  if (!months) return [];
  const conId = Number(query.conId ?? 0);
  if (conId > 0) {
    const inst = months.get(conId);
    return inst && fits(inst, query) ? [inst] : [];
  }
  if (text(query.symbol) === undefined && text(query.localSymbol) === undefined) return [];
  return [...months.values()].filter((i) => fits(i, query));
}

/** Whether the instrument is one of the universe's expired futures months. */
export function isExpiredMonth(universe: Universe, inst: Instrument): boolean {
  return expiredMonths.get(universe)?.get(inst.conId) === inst;
}

export function createUniverse(options: UniverseOptions = {}): Universe {
  const now = options.now ?? Date.now();
  const list: readonly Instrument[] = Object.freeze([
    ...staticInstruments(),
    ...futuresAsOf(now, options.futuresConIdShift),
    ...syntheticStocks(options.syntheticStocks ?? 0),
  ]);
  const expired = new Map(expiredFuturesAsOf(now, options.futuresConIdShift).map((i) => [i.conId, i]));
  const byId = new Map(list.map((i) => [i.conId, i]));
  const searchable: Searchable[] = list.map((inst) => {
    const name = inst.longName.toUpperCase();
    return { inst, name, words: name.split(/[^A-Z0-9&]+/).filter(Boolean) };
  });
  const universe: Universe = {
    all: () => list,
    byConId: (conId) => byId.get(conId),
    match(query) {
      const conId = Number(query.conId ?? 0);
      if (conId > 0) {
        const inst = byId.get(conId);
        return inst && fits(inst, query) ? [inst] : [];
      }
      if (text(query.symbol) === undefined && text(query.localSymbol) === undefined) return [];
      return list.filter((i) => fits(i, query));
    },
    search(pattern) {
      const p = pattern.trim().toUpperCase();
      if (!p) return [];
      const scored: Array<{ inst: Instrument; score: number }> = [];
      for (const e of searchable) {
        const score = searchScore(e, p);
        if (score !== undefined) scored.push({ inst: e.inst, score });
      }
      scored.sort(
        (a, b) => a.score - b.score || a.inst.symbol.length - b.inst.symbol.length || a.inst.symbol.localeCompare(b.inst.symbol) || a.inst.conId - b.inst.conId,
      );
      return scored.slice(0, 16).map((s) => s.inst);
    },
  };
  expiredMonths.set(universe, expired);
  return universe;
}
