/**
 * The JSON schemas of the bridge's API: what fastify validates requests
 * against and serialises responses with, and what GET /openapi.json describes
 * (generated from the routes by @fastify/swagger, so the document is the
 * contract the server enforces). Field names are the jax Go provider's.
 */
import { LIMIT, TIMEFRAME_NAMES } from './timeframes';

export const detail = {
  type: 'object',
  properties: {
    detail: { type: 'string', description: 'what went wrong and what to do, as a sentence' },
    code: {
      type: 'integer',
      description:
        "IB's error code (200, 162, 354...), or the extension's own from 9001 (see the README's troubleshooting table); absent when the bridge refused the request itself (a bad parameter, a limit)",
    },
    category: {
      type: 'string',
      enum: ['connectivity', 'permission', 'contract', 'pacing', 'request', 'information'],
      description:
        "the code's kind: connectivity (ask again later), permission (market data not subscribed), contract (unknown or ambiguous symbol), pacing, request (IB refused the request as made)",
    },
  },
  required: ['detail'],
} as const;

const date = { type: 'string', format: 'date-time', description: 'RFC 3339, UTC' } as const;

export const quote = {
  type: 'object',
  required: ['symbol', 'price', 'bid', 'ask', 'bid_size', 'ask_size', 'volume', 'timestamp', 'exchange'],
  properties: {
    symbol: { type: 'string', description: 'the symbol as asked for, upper case' },
    price: { type: 'number', description: 'the last trade, else the midpoint of bid and ask (forex), else the previous close; 0 when IB has sent nothing yet' },
    bid: { type: 'number' },
    ask: { type: 'number' },
    bid_size: { type: 'integer', description: 'shares (or contracts, or units of the base currency)' },
    ask_size: { type: 'integer' },
    volume: { type: 'integer', description: "the day's volume: shares (contracts for a future; 0 for forex and indexes)" },
    timestamp: { ...date, description: 'the last trade, or the last update when IB sent no trade time' },
    exchange: { type: 'string', description: 'the primary exchange, else the exchange' },
  },
} as const;

export const candle = {
  type: 'object',
  required: ['timestamp', 'open', 'high', 'low', 'close', 'volume', 'vwap'],
  properties: {
    timestamp: {
      ...date,
      description:
        "the bar's start (UTC); a daily or weekly bar is dated by its trading day at 00:00:00Z. The last bar may still be forming while the market trades",
    },
    open: { type: 'number' },
    high: { type: 'number' },
    low: { type: 'number' },
    close: { type: 'number' },
    volume: { type: 'integer' },
    vwap: {
      type: 'number',
      description: "IB's weighted average price of the bar; for bars without trades (MIDPOINT, BID, ASK) the typical price (high + low + close) / 3",
    },
  },
} as const;

export const candles = {
  type: 'object',
  required: ['symbol', 'candles', 'count'],
  properties: { symbol: { type: 'string' }, candles: { type: 'array', items: candle }, count: { type: 'integer' } },
} as const;

export const health = {
  type: 'object',
  required: ['status', 'connected'],
  description:
    'Every field is there, except on a bridge started with a token asked without one (a liveness probe such as a Docker HEALTHCHECK): then status and connected only.',
  properties: {
    status: { type: 'string', enum: ['healthy', 'degraded'] },
    connected: { type: 'boolean' },
    version: { type: 'string' },
    market_data_mode: { type: 'string', description: 'live, frozen, delayed, delayed-frozen or auto' },
    paper_trading: { type: 'boolean' },
    gateway: { type: 'string', description: 'host:port of the gateway the bridge connects to' },
    simulated: { type: 'boolean', description: 'the gateway is a simulated one' },
    simulator: { type: 'string', description: 'host:port of the simulated gateway this bridge runs itself (--simulated), if any' },
    detail: { type: 'string', description: 'the connection in one sentence: where it is connected, or why not (a gateway not up yet, a client id in use)' },
  },
} as const;

export const result = {
  type: 'object',
  required: ['success', 'message'],
  properties: { success: { type: 'boolean' }, message: { type: 'string' } },
} as const;

export const symbolParams = {
  type: 'object',
  properties: { symbol: { type: 'string', minLength: 1, maxLength: 64, description: 'e.g. AAPL, EUR.USD, "ES 202612 FUT@CME", "SPX IND@CBOE"' } },
  required: ['symbol'],
} as const;

const useRth = (byDefault: boolean) =>
  ({
    type: 'boolean',
    default: byDefault,
    description: 'true: regular trading hours only; false: pre-market, after-hours and overnight bars too',
  }) as const;

/** `end` on both candle routes: what it means there, the forms it takes, and what leaving it out gives. */
const endText = (meaning: string, absent: string) =>
  `${meaning}: an RFC 3339 time with a zone (2026-11-20T16:00:00Z, 2026-11-20T11:00:00-05:00; fractional seconds allowed) or whole Unix seconds in decimal digits (1795190400), from 1990 on; left out, ${absent}`;

export const candlesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: {
      type: 'integer',
      minimum: LIMIT.min,
      maximum: LIMIT.max,
      default: LIMIT.default,
      description: `how many of the most recent bars, ${LIMIT.min} to ${LIMIT.max}, in plain decimal digits`,
    },
    timeframe: { type: 'string', maxLength: 16, default: '1d', description: `one of ${TIMEFRAME_NAMES.join(', ')}` },
    use_rth: useRth(true),
    end: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: endText('the `limit` bars that start before this time (in a query string, a zone\'s "+" is written %2B)', 'the most recent bars'),
    },
  },
} as const;

/** Left out, the instrument's own: TRADES, or MIDPOINT for forex (which has no trades). */
const WHAT_TO_SHOW_TEXT = 'TRADES, MIDPOINT, BID, ASK, ...; by default TRADES, or MIDPOINT for forex (IDEALPRO has no trades)';

export const postCandlesBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    duration: { type: 'string', maxLength: 16, default: '1 D', description: 'IB duration, e.g. "1 D", "2 W", "1 Y"' },
    bar_size: { type: 'string', maxLength: 16, default: '1 min', description: 'IB bar size, e.g. "5 secs", "1 min", "1 day"' },
    what_to_show: { type: 'string', maxLength: 32, description: WHAT_TO_SHOW_TEXT },
    use_rth: useRth(true),
    end: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: endText('the duration ends at this time (Unix seconds may also be a JSON integer)', 'now'),
    },
  },
} as const;

export const streamQuotesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { symbols: { type: 'string', minLength: 1, maxLength: 2000, description: 'comma-separated, e.g. AAPL,MSFT' } },
  required: ['symbols'],
} as const;

/** A route that takes no query parameters: one sent (a typo, a flag of another route) is a 400 naming it. */
export const noQuery = { type: 'object', properties: {}, additionalProperties: false } as const;

/** /ws/quotes/{symbol}: what the socket does when the gateway goes (it carries quote objects only, so it cannot say so in a message). */
export const wsSymbolQuery = {
  type: 'object',
  properties: {
    on_gateway_lost: {
      type: 'string',
      enum: ['stay', 'close'],
      default: 'stay',
      description:
        '"stay" (default): the socket stays open and quotes come again when the gateway is back; "close": the socket closes with 1013 (try again later) when the gateway goes, or at once if it is not there',
    },
    market_data_type: {
      type: 'boolean',
      default: false,
      description:
        'true: a {"event": "market_data_type", "symbol", "market_data_type": "live" | "frozen" | "delayed" | "delayed-frozen"} message before the first quote and when it changes (off by default: the socket carries quote objects only)',
    },
  },
  additionalProperties: false,
} as const;

export const streamBarsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    symbol: { type: 'string', minLength: 1, maxLength: 64 },
    bar_size: { type: 'string', maxLength: 16, default: '5 secs', description: '5 secs or more' },
    duration: { type: 'string', maxLength: 16, description: 'the backfill; by default the longest IB allows for the bar size' },
    what_to_show: { type: 'string', maxLength: 32, description: WHAT_TO_SHOW_TEXT },
    use_rth: useRth(false),
  },
  required: ['symbol'],
} as const;

export const connectBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { host: { type: 'string', maxLength: 253 }, port: { type: 'integer' }, client_id: { type: 'integer' } },
} as const;

/** A body the route takes nothing from (POST /disconnect): none, or an empty object; a field is named in a 400. */
export const noBody = { type: ['object', 'null'], properties: {}, additionalProperties: false } as const;

/** What any route may answer before it runs, each `{"detail"}`. */
export const guardErrors = {
  400: {
    description:
      'a query parameter (or body field) the route does not take, named; an HTTP/1.1 request without a Host header; a request that cannot be read as HTTP',
    ...detail,
  },
  408: { description: 'the request did not arrive in full in time (its line, headers and body); the connection is closed', ...detail },
  431: { description: 'the request line or headers are over 16 KB', ...detail },
  401: { description: 'the token is missing or wrong (only when the bridge was started with one)', ...detail },
  403: { description: 'a request from a page in a browser (an Origin header) is refused: the bridge serves programs', ...detail },
  421: {
    description:
      'without a token the bridge answers only to loopback names (localhost, 127.0.0.0/8, [::1]) and host.docker.internal or gateway.docker.internal in Host',
    ...detail,
  },
  429: { description: 'the bridge has as many connections open as it allows', ...detail },
} as const;

/** The error answers a data route can give, each `{"detail"}`. */
export const dataErrors = {
  ...guardErrors,
  400: { description: 'a bad parameter', ...detail },
  403: { description: 'IB will not give this account the data (market data permissions), or a request from a web page', ...detail },
  404: { description: 'IB knows no such symbol', ...detail },
  422: { description: 'IB refuses the request as made, or would (e.g. a bar size with that duration; most unknown IB codes)', ...detail },
  429: { description: 'a limit was reached (lines, connections, pacing)', ...detail },
  502: { description: 'an IB notice (category information) in place of an answer, practically never (its code and text in the detail)', ...detail },
  503: { description: 'not connected to IB', ...detail },
  504: { description: 'IB did not answer in time', ...detail },
} as const;

/** A stream's answers: text/event-stream (documented, never serialised by fastify), or an error before the stream starts. */
export const eventStream = (what: string) =>
  ({ 200: { description: what, content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...dataErrors }) as const;
