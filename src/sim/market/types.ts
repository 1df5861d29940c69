/**
 * The simulated market's public shapes: the contract universe and the seeded
 * price model the simulator's protocol layer serves from. No I/O here.
 */

export type SimSecType = 'STK' | 'IND' | 'FUT' | 'CASH';

/** One instrument of the built-in universe, with what CONTRACT_DATA needs. */
export interface Instrument {
  conId: number;
  symbol: string;
  secType: SimSecType;
  /** Routing exchange used in contract details: SMART for stocks/ETFs, CME/CBOE/IDEALPRO... */
  exchange: string;
  primaryExchange: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
  /** FUT: expiry YYYYMMDD; empty otherwise. */
  lastTradeDateOrContractMonth: string;
  /** FUT: the last trading time on that date, "HH:mm" in timeZoneId (ES: "08:30"); trading stops there. */
  lastTradeTime?: string;
  /** FUT: contract month YYYYMM; empty otherwise. */
  contractMonth: string;
  multiplier: string;
  minTick: number;
  /**
   * The step of its quotes where it is finer than minTick (the order increment
   * CONTRACT_DATA reports): IDEALPRO quotes EUR.USD in 0.00001 (1.08733 /
   * 1.08735 recorded) while its minTick is 0.00005. Unset: minTick.
   */
  quoteTick?: number;
  longName: string;
  industry: string;
  category: string;
  subcategory: string;
  /** "COMMON", "ETF", "" */
  stockType: string;
  /** IANA-ish id as IB reports it, e.g. "US/Eastern", "US/Central". */
  timeZoneId: string;
  /** Comma separated, e.g. "SMART,NASDAQ,ARCA". */
  validExchanges: string;
  orderTypes: string;
  marketRuleIds: string;
  /** Reference price the walk starts from. */
  basePrice: number;
  /** Annualised volatility, e.g. 0.3. */
  volatility: number;
  /** Typical shares/contracts per day, for volume. */
  averageVolume: number;
  /** false: the (simulated) account has no live subscription -> 10167/354 unless delayed data is asked for. */
  liveSubscribed: boolean;
  /** false: no delayed data either (TWS answers 10168); default true. */
  delayedAvailable?: boolean;
  /** The data needs an additional API subscription the account lacks (TWS answers 10089). */
  apiSubscriptionMissing?: boolean;
  /** true for instruments that have no trades (forex): TRADES history is refused, MIDPOINT used. */
  quoteOnly: boolean;
  /** First session date with data, "YYYYMMDD" (REQ_HEAD_TIMESTAMP); no bars before it. */
  headDate?: string;
  /** The conId of the index this follows (a future on it, an ETF of it): its daily path, and its minutes while it is open (walk.ts). */
  follows?: number;
  /** Futures: days between one contract month and the next (quarterly 91, monthly 30): when the next one takes the volume. */
  cycleDays?: number;
  /** Futures: annual carry over the spot level (log) where it is not the default 0.045 (walk.ts); Treasury futures' is negative. */
  carry?: number;
  /** CONTRACT_DATA's underConId when known (ES: 11004968, the ES index IB names as its underlying); else 0 is sent. */
  detailsUnderConId?: number;
  /** CONTRACT_DATA's secIdList as type/value pairs (TSLA: ISIN US88160R1014, recorded); unset: an empty list. */
  secIds?: ReadonlyArray<readonly [string, string]>;
  /** CONTRACT_DATA's minSize, sizeIncrement, suggestedSizeIncrement (forex: 0.01 each, recorded); unset: 1, 1, and 100 for a stock else 1. */
  sizeRules?: readonly [string, string, string];
}

/** Fields a contract in a request may carry; empty strings and 0 count as "not given". */
export interface ContractQuery {
  conId?: number;
  symbol?: string;
  secType?: string;
  exchange?: string;
  primaryExchange?: string;
  currency?: string;
  localSymbol?: string;
  lastTradeDateOrContractMonth?: string;
  tradingClass?: string;
  multiplier?: string;
}

export interface Universe {
  all(): readonly Instrument[];
  byConId(conId: number): Instrument | undefined;
  /** Every instrument the query fits, as TWS's contract details would list them. */
  match(query: ContractQuery): Instrument[];
  /** REQ_MATCHING_SYMBOLS: by symbol prefix or name words, best first, at most 16. */
  search(pattern: string): Instrument[];
}

/** A bar; time is epoch seconds of the bar's start (UTC); for week and month bars, local midnight of the period's last trading day with data. */
export interface SimBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  wap: number;
  count: number;
}

/** The state of the book and tape at an instant. */
export interface SimTick {
  /** epoch ms */
  time: number;
  bid: number;
  ask: number;
  last: number;
  bidSize: number;
  askSize: number;
  lastSize: number;
  /** Cumulative volume of the current session. */
  volume: number;
}

export interface SessionStats {
  open: number;
  high: number;
  low: number;
  /** Previous session's close. */
  prevClose: number;
  volume: number;
}

export interface BarQuery {
  /** End of the requested window, epoch seconds (exclusive of bars that start at or after it). */
  endTime: number;
  /** Window length in seconds (the protocol layer converts "1 D" / "2 W"... honouring IB's calendar semantics). */
  durationSeconds: number;
  barSizeSeconds: number;
  /**
   * TRADES / ADJUSTED_LAST: the trade path. MIDPOINT, BID, ASK, BID_ASK: the same path (bid one tick
   * below, ask one above) with volume, wap and count -1 as IB sends them. HISTORICAL_VOLATILITY and
   * OPTION_IMPLIED_VOLATILITY: annualised volatility derived from the path.
   */
  whatToShow: string;
  /** Regular trading hours only. */
  useRTH: boolean;
}

export interface Market {
  readonly seed: number;
  readonly universe: Universe;
  /** Is the instrument trading at this instant (regular hours only when useRTH)? */
  isOpen(inst: Instrument, timeMs: number, useRTH: boolean): boolean;
  /** Deterministic bars, aggregated from one base series so they agree at every size. */
  bars(inst: Instrument, query: BarQuery): SimBar[];
  /** Deterministic book and tape at an instant, agreeing with bars(). */
  tickAt(inst: Instrument, timeMs: number): SimTick;
  /** Session open/high/low/volume so far and the previous close, at an instant. */
  sessionStats(inst: Instrument, timeMs: number): SessionStats;
  /** Earliest bar time available (REQ_HEAD_TIMESTAMP), epoch seconds. */
  headTimestamp(inst: Instrument, whatToShow: string): number;
}
