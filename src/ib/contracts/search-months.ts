/**
 * IB's symbol search with a future's months in place of its month-less FUT
 * rows: a FUT match names the future as a whole, which no request can ask
 * quotes or bars for, so each (symbol, exchange) is listed as its months,
 * front month first. IB's guide describes the search's rows as underlyings
 * with the kinds of derivatives they have: an index row whose derivatives
 * include FUT (ES on CME) is kept, its months listed right after it. The
 * editor's symbol picker and the bridge's /contracts/search read the same
 * list.
 */
import type { ResolvedContract, SymbolMatch } from '../types';
import { namesAllMonths, readSymbol } from './symbol';

/** At most this many futures (symbol, exchange) groups are expanded into their months. */
const MAX_FUTURE_GROUPS = 3;
/** At most this many of IB's matches are listed. */
const MAX_MATCHES = 50;

export type SearchEntry = { kind: 'match'; match: SymbolMatch } | { kind: 'months'; months: ResolvedContract[] };

interface Lookup {
  search(pattern: string, signal?: AbortSignal): Promise<SymbolMatch[]>;
  futures(symbol: string, exchange?: string): Promise<ResolvedContract[]>;
}

const groupOf = (m: SymbolMatch) => `${m.symbol}@${m.primaryExchange ?? ''}`;
/** A future as a whole (FUT), or an index with futures on it (its derivatives include FUT): listed with its months. */
const isFutureRow = (m: SymbolMatch) => m.secType === 'FUT' || (m.secType === 'IND' && (m.derivativeSecTypes ?? []).includes('FUT'));

/** The root and exchange of a future written without its month ("ES FUT@CME", "ES@CME"), or undefined. */
function futureRoot(text: string): { symbol: string; exchange: string } | undefined {
  const p = readSymbol(text);
  return p && namesAllMonths(p) && p.symbol && p.exchange ? { symbol: p.symbol, exchange: p.exchange } : undefined;
}

/**
 * The matches for a text, a future's months in its place (a future whose months cannot be listed stays a match);
 * a future written without its month ("ES FUT@CME", "ES@CME") is its months there, as IB lists them.
 */
export async function searchWithMonths(contracts: Lookup, text: string, signal?: AbortSignal): Promise<{ matches: SymbolMatch[]; entries: SearchEntry[] }> {
  const root = futureRoot(text);
  if (root) {
    const months = await contracts.futures(root.symbol, root.exchange).catch(() => [] as ResolvedContract[]);
    if (months.length) return { matches: [], entries: [{ kind: 'months', months }] };
  }
  const matches = await contracts.search(text, signal);
  const futures = new Map<string, SymbolMatch>();
  for (const m of matches) if (isFutureRow(m) && !futures.has(groupOf(m))) futures.set(groupOf(m), m);
  const groups = [...futures.values()].slice(0, MAX_FUTURE_GROUPS);
  const months = await Promise.all(groups.map((g) => contracts.futures(g.symbol, g.primaryExchange).catch(() => [] as ResolvedContract[])));
  const entries: SearchEntry[] = [];
  const expanded = new Set<string>();
  for (const m of matches.slice(0, MAX_MATCHES)) {
    const key = groupOf(m);
    const i = isFutureRow(m) ? groups.findIndex((g) => groupOf(g) === key) : -1;
    // the index itself is a row of its own (SPX's value); a FUT row is only its months
    if (i < 0 || !months[i].length || m.secType === 'IND') entries.push({ kind: 'match', match: m });
    if (i >= 0 && months[i].length && !expanded.has(key)) {
      entries.push({ kind: 'months', months: months[i] });
      expanded.add(key);
    }
  }
  return { matches, entries };
}
