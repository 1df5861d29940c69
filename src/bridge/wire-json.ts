/**
 * The JSON the jax Go provider decodes, field names and types exactly: quotes,
 * candles and health. Numbers are JSON numbers, sizes and volumes whole shares,
 * times RFC 3339 in UTC ("2026-11-17T15:00:00.000Z").
 */
import { quotePrice as priceOf } from '../ib/facts/price';
import type { Candle, Quote, ResolvedContract } from '../ib/types';

/**
 * GET /quotes's response header naming the kind of data the quote is: "live",
 * "frozen" (the last of a closed market), "delayed" (15 minutes old, no live
 * subscription) or "delayed-frozen". A header, so the JSON keeps exactly the
 * fields a strict client decodes.
 */
export const MARKET_DATA_TYPE_HEADER = 'x-ib-market-data-type';
/** The unit the quote's prices are in, where the contract is known: its currency, or GBp for a London share's pence (facts/price-currency.ts). */
export const PRICE_CURRENCY_HEADER = 'x-ib-price-currency';

export interface QuoteJson {
  symbol: string;
  price: number;
  bid: number;
  ask: number;
  bid_size: number;
  ask_size: number;
  volume: number;
  timestamp: string;
  exchange: string;
}

export interface CandleJson {
  timestamp: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number;
}

export interface CandlesJson {
  symbol: string;
  candles: CandleJson[];
  count: number;
}

/** What /health says to anyone: the state alone (a liveness probe without the token hears only this). */
interface HealthState {
  status: 'healthy' | 'degraded';
  connected: boolean;
}

/** /health in full. */
interface HealthDetails extends HealthState {
  version: string;
  market_data_mode: string;
  paper_trading: boolean;
  /** The gateway the bridge connects to ("host:port"). */
  gateway: string;
  /** Whether that is a simulated gateway. */
  simulated: boolean;
  /** The simulated gateway this bridge runs itself (--simulated), "host:port": POST /connect there to go back to it. */
  simulator?: string;
  /** The connection in one sentence: where it is connected, or why not (the streams' status detail). */
  detail: string;
}

export type HealthJson = HealthState | HealthDetails;

const num = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) ? v : 0);
const whole = (v: number | undefined): number => Math.max(0, Math.round(num(v)));

/**
 * The price a client shows: the domain's one price rule (src/ib/facts/price.ts:
 * the last trade, else the midpoint, else one side, else the previous close;
 * forex by its midpoint); 0 (with bid and ask 0) means "no data" to the Go client.
 */
export function quotePrice(q: Quote): number {
  return num(q.price ?? priceOf(q)?.price);
}

/** A domain quote as the bridge sends it, under the symbol text the client asked for. */
export function quoteJson(symbol: string, q: Quote, contract: ResolvedContract | undefined, nowMs: number): QuoteJson {
  return {
    symbol,
    price: quotePrice(q),
    bid: num(q.bid),
    ask: num(q.ask),
    bid_size: whole(q.bidSize),
    ask_size: whole(q.askSize),
    volume: whole(q.volume),
    timestamp: new Date(q.time ?? nowMs).toISOString(),
    exchange: contract ? contract.primaryExchange || contract.exchange : '',
  };
}

/** Significant digits a vwap keeps: a relative 1e-12, past every real digit of a price and short of a double's noise (about 1e-16). */
const VWAP_DIGITS = 12;

/**
 * A computed price without its binary noise: (6185.5 + 6188 + 6187.8) / 3 is
 * 6187.100000000001 as a double, 6187.1 here; IB's own digits stay (a WAP of
 * 187.12345678 is sent as is), a repeating third is cut at 12 digits.
 */
export function cleanPrice(v: number): number {
  return Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(VWAP_DIGITS)) : v;
}

/**
 * A candle as the bridge sends it. vwap is IB's bar WAP where IB sent one (TRADES
 * bars), else the bar's typical price (high + low + close) / 3 (MIDPOINT, BID, ASK),
 * at 12 significant digits (cleanPrice).
 */
export function candleJson(c: Candle): CandleJson {
  return {
    timestamp: new Date(c.time * 1000).toISOString(),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: whole(c.volume),
    vwap: cleanPrice(c.wap ?? (c.high + c.low + c.close) / 3),
  };
}

export function candlesJson(symbol: string, candles: readonly Candle[]): CandlesJson {
  const list = candles.map(candleJson);
  return { symbol, candles: list, count: list.length };
}
