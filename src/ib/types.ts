/**
 * The domain's public shapes. Everything the VS Code layer shows comes from
 * these types; nothing here knows about VS Code.
 */

/** A listener registration that can be undone. Structurally compatible with vscode.Disposable. */
export interface Disposable {
  dispose(): void;
}

/** Settings that mirror the jax config block `{"ib": {"enabled", "host", "port", "client_id"}}`. */
export interface ConnectionSettings {
  enabled: boolean;
  host: string;
  port: number;
  clientId: number;
  /** Reconnect on its own after a drop (default true). */
  autoReconnect?: boolean;
  /** Backoff bounds for reconnects, in ms (defaults 1000 / 30000). */
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** Heartbeat: a current-time request every intervalMs, a silent gateway after timeoutMs (defaults 10000 / 5000). */
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** Connect time limit in ms (default 10000). */
  connectTimeoutMs?: number;
  /** Set when the gateway is the built-in simulator: the UI labels everything SIMULATED. */
  simulated?: boolean;
}

export type ConnectionPhase = 'disabled' | 'disconnected' | 'connecting' | 'ready' | 'reconnecting' | 'failed';

export type TradingMode = 'paper' | 'live' | 'unknown';

export type FarmHealth = 'ok' | 'broken' | 'inactive';

export type ErrorCategory = 'connectivity' | 'permission' | 'contract' | 'pacing' | 'request' | 'information';

/** An IB error code turned into something a person can act on. */
export interface IbErrorInfo {
  code: number;
  category: ErrorCategory;
  /** A human sentence: what happened. */
  message: string;
  /** What to do about it. */
  action: string;
  /** IB's own text, when there was one. */
  raw?: string;
  reqId?: number;
  /** Who said it: IB Gateway/TWS (absent or 'ib'), or the extension itself ('local', with a code of its own: see LOCAL_CODES). */
  source?: 'ib' | 'local';
}

/** Everything the status bar needs, always complete for the current phase. */
export interface ConnectionStatus {
  phase: ConnectionPhase;
  host: string;
  port: number;
  clientId: number;
  simulated: boolean;
  /** Negotiated in the handshake; decides units and date formats. Known once ready. */
  serverVersion?: number;
  /** TWS's connection time from the handshake, "yyyyMMdd HH:mm:ss <login zone>": zone-less times are in that zone. Known once ready. */
  serverTime?: string;
  accounts?: string[];
  mode: TradingMode;
  /** epoch ms, when the current session became ready. */
  connectedSince?: number;
  /** reconnecting: attempt number (1-based) and when the next try happens (epoch ms). */
  attempt?: number;
  nextAttemptAt?: number;
  /** failed / reconnecting: why. */
  error?: IbErrorInfo;
  /** Data farms by name (e.g. "usfarm", "ushmds", "secdefil") from 2103/2104/2105/2106/2107/2108/2158. */
  farms: Record<string, FarmHealth>;
  /** Of `farms`, those a market-data notice named (2103/2104/2108): they carry quote lines; the others carry history (HMDS) or contract definitions. */
  quoteFarms?: string[];
  /** IB's own link to its servers (1100 lost, 1101 restored with data lost, 1102 restored). */
  ibLink: 'ok' | 'lost';
}

/** What data services need from a connection; ConnectionManager implements it. */
export interface IbSession {
  /** The live connection's read requests (the only ones the services can make), or undefined when not ready. */
  readonly api: import('./transport/wire').ReadOnlyWire | undefined;
  readonly status: ConnectionStatus;
  /** Fires each time the connection becomes ready (first connect and every reconnect). */
  onReady(listener: () => void): Disposable;
  /** Fires when live subscriptions must be re-sent (1101, a farm coming back 2103 -> 2104, after a reconnect). */
  /** Live requests are to be sent again (cancelled first); `scope` 'history' when only a historical data farm came back. */
  onResubscribe(listener: (reason: string, scope: ResendScope) => void): Disposable;
}

// ---------------------------------------------------------------- contracts

/** CONTFUT: IB's continuous future, history only (its bars across the rolls; IB streams no quotes for it). */
export type SecType = 'STK' | 'IND' | 'FUT' | 'CASH' | 'CONTFUT';

/** What a person typed, parsed (see parseSymbol in contracts). */
export interface SymbolSpec {
  /** The text as typed, trimmed; the key for caches and watchlists. */
  text: string;
  conId?: number;
  symbol?: string;
  secType?: SecType;
  exchange?: string;
  primaryExchange?: string;
  currency?: string;
  /** FUT: YYYYMM or YYYYMMDD. */
  lastTradeDateOrContractMonth?: string;
  /**
   * FUT by month code: IB's local symbol (root, month letter, last digit of the year: "ESZ6", "VXZ6", "6EZ6"),
   * sent in place of the symbol and month (a local symbol names one future; the root need not be IB's symbol).
   */
  localSymbol?: string;
  /** The month-code form as read: its root and contract month YYYYMM (for keys and labels; not sent). */
  root?: string;
  contractMonth?: string;
}

/** A contract IB knows, after qualification. */
export interface ResolvedContract {
  conId: number;
  symbol: string;
  secType: SecType;
  exchange: string;
  primaryExchange?: string;
  currency: string;
  localSymbol?: string;
  /** FUT: the last trade day, YYYYMMDD. */
  lastTradeDateOrContractMonth?: string;
  /** FUT: the contract month, YYYYMM, as IB gives it (facts/futures.ts contractMonthOf: not always the last trade's month). */
  contractMonth?: string;
  multiplier?: string;
  minTick?: number;
  longName?: string;
  timeZoneId?: string;
  tradingHours?: string;
  liquidHours?: string;
  /** FUT: an expired month, which IB finds only when a request says includeExpired (each request for it does). */
  includeExpired?: boolean;
  /** A short label for lists: "AAPL (NASDAQ, USD)", "ESZ5 (CME)". */
  display: string;
}

export interface SymbolMatch {
  conId: number;
  symbol: string;
  secType: string;
  primaryExchange?: string;
  currency?: string;
  description?: string;
  derivativeSecTypes?: string[];
}

// ---------------------------------------------------------------- quotes

export type MarketDataType = 'live' | 'frozen' | 'delayed' | 'delayed-frozen';
export type MarketDataTypeSetting = MarketDataType | 'auto';

export interface Quote {
  /** The spec text the quote was asked for. */
  symbol: string;
  conId?: number;
  /** The instrument's security type: what fields it ever has (an index no bid/ask, a forex pair no last trade; src/ib/facts/price.ts). */
  secType?: SecType;
  bid?: number;
  ask?: number;
  last?: number;
  bidSize?: number;
  askSize?: number;
  lastSize?: number;
  volume?: number;
  open?: number;
  high?: number;
  low?: number;
  /** Previous session's close. */
  close?: number;
  /** The price to show (src/ib/facts/price.ts): last trade, else mid of bid/ask (or one side), else previous close. */
  price?: number;
  /** Where `price` came from. */
  priceSource?: 'last' | 'mid' | 'bid' | 'ask' | 'close';
  /** price − previous close (none while the price is the previous close). */
  change?: number;
  changePercent?: number;
  /** epoch ms of the last trade (or of the last update when no trade time is known). */
  time?: number;
  /** `time` is IB's time of the last trade (tick 45/88); absent when it is the last update's (forex has no trade tape). */
  timeIsTrade?: boolean;
  halted: boolean;
  dataType: MarketDataType;
  /** The instrument's price increment from IB's contract details (0.01, 0.25, 0.00005, 1/64 …): what sets the decimals a price is shown with. */
  minTick?: number;
  /** auto fell back to delayed for this symbol (not subscribed). */
  fellBack?: boolean;
  /**
   * Some values are still those from before the line was sent again (after a
   * reconnect) and the gateway has not sent them anew yet: the quote mixes
   * the new picture with the old one. Absent once every value came again.
   */
  stale?: boolean;
}

// ---------------------------------------------------------------- candles

/** A candle, time as UTC epoch seconds of the bar's start. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** IB's weighted average price of the bar, when IB sent one (TRADES bars; not MIDPOINT, BID or ASK). */
  wap?: number;
}

export type WhatToShow = 'TRADES' | 'MIDPOINT' | 'BID' | 'ASK' | 'BID_ASK' | 'ADJUSTED_LAST' | 'HISTORICAL_VOLATILITY' | 'OPTION_IMPLIED_VOLATILITY';

export interface HistoryRequest {
  /** Symbol text (parsed with parseSymbol) or an already resolved contract. */
  symbol: string | ResolvedContract;
  /** IB bar size setting, e.g. "5 secs", "1 min", "1 hour", "1 day". */
  barSize: string;
  /** IB duration string, e.g. "1 D", "2 W", "1 Y". */
  duration: string;
  whatToShow?: WhatToShow;
  /** Regular trading hours only (default true). */
  useRTH?: boolean;
  /** IB end date time "yyyyMMdd-HH:mm:ss" (UTC) or empty for now. */
  endDateTime?: string;
}

/** Events of a live candle series: a full backfill, then merged updates. */
export type CandleEvent =
  | { type: 'reset'; candles: Candle[] }
  | { type: 'update'; candle: Candle; /** true when it replaced the last bar, false when appended */ replaced: boolean }
  | { type: 'error'; error: IbErrorInfo };

/** What a resend covers: every live request, or the chart series only (a historical data farm back: quote lines do not come from it). */
export type ResendScope = 'all' | 'history';
