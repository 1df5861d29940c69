/** GET /openapi.json: the whole API, for people and code generators. */
import { LIMIT, TIMEFRAME_NAMES } from './timeframes';

const detail = { type: 'object', properties: { detail: { type: 'string' } }, required: ['detail'] };
const quote = {
  type: 'object',
  required: ['symbol', 'price', 'bid', 'ask', 'bid_size', 'ask_size', 'volume', 'timestamp', 'exchange'],
  properties: {
    symbol: { type: 'string' },
    price: { type: 'number' },
    bid: { type: 'number' },
    ask: { type: 'number' },
    bid_size: { type: 'integer' },
    ask_size: { type: 'integer' },
    volume: { type: 'integer' },
    timestamp: { type: 'string', format: 'date-time' },
    exchange: { type: 'string' },
  },
};
const candles = {
  type: 'object',
  required: ['symbol', 'candles', 'count'],
  properties: {
    symbol: { type: 'string' },
    count: { type: 'integer' },
    candles: {
      type: 'array',
      items: {
        type: 'object',
        required: ['timestamp', 'open', 'high', 'low', 'close', 'volume', 'vwap'],
        properties: {
          timestamp: { type: 'string', format: 'date-time' },
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
      },
    },
  },
};
const result = { type: 'object', required: ['success', 'message'], properties: { success: { type: 'boolean' }, message: { type: 'string' } } };
const symbol = { name: 'symbol', in: 'path', required: true, schema: { type: 'string', maxLength: 64 }, example: 'AAPL' };
const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const errors = {
  400: { description: 'bad parameter', ...json(detail) },
  404: { description: 'unknown symbol', ...json(detail) },
  422: { description: 'IB would refuse the request', ...json(detail) },
  429: { description: 'a limit reached (lines, connections, pacing)', ...json(detail) },
  503: { description: 'not connected to IB', ...json(detail) },
};
const refused = { summary: 'Refused: the bridge is read-only', responses: { 501: { description: 'never served', ...json(detail) } } };

export function openApiDocument(version: string): object {
  return {
    openapi: '3.0.3',
    info: { title: 'IB Gateway jax bridge', version, description: 'Interactive Brokers market data over HTTP for the jax services. Read-only.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'needed when the bridge listens beyond this machine' } } },
    paths: {
      '/health': {
        get: {
          summary: 'Bridge and gateway state',
          responses: {
            200: {
              description: 'always 200',
              ...json({
                type: 'object',
                required: ['status', 'connected', 'version', 'market_data_mode', 'paper_trading'],
                properties: {
                  status: { enum: ['healthy', 'degraded'] },
                  connected: { type: 'boolean' },
                  version: { type: 'string' },
                  market_data_mode: { type: 'string' },
                  paper_trading: { type: 'boolean' },
                },
              }),
            },
          },
        },
      },
      '/quotes/{symbol}': { get: { summary: 'Latest quote', parameters: [symbol], responses: { 200: { description: 'a quote', ...json(quote) }, ...errors } } },
      '/candles/{symbol}': {
        get: {
          summary: 'The limit most recent bars of a timeframe, oldest first',
          parameters: [
            symbol,
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: LIMIT.min, maximum: LIMIT.max, default: LIMIT.default } },
            { name: 'timeframe', in: 'query', schema: { type: 'string', enum: TIMEFRAME_NAMES, default: '1d' } },
          ],
          responses: { 200: { description: 'candles', ...json(candles) }, ...errors },
        },
        post: {
          summary: "Bars by IB's own words",
          parameters: [symbol],
          requestBody: json({
            type: 'object',
            properties: {
              duration: { type: 'string', default: '1 D' },
              bar_size: { type: 'string', default: '1 min' },
              what_to_show: { type: 'string', default: 'TRADES' },
            },
          }),
          responses: { 200: { description: 'candles', ...json(candles) }, ...errors },
        },
      },
      '/connect': {
        post: {
          summary: 'Connect (headless: optionally elsewhere)',
          requestBody: json({ type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' }, client_id: { type: 'integer' } } }),
          responses: { 200: { description: 'outcome', ...json(result) } },
        },
      },
      '/disconnect': { post: { summary: 'Disconnect (headless only)', responses: { 200: { description: 'outcome', ...json(result) } } } },
      '/contracts/search': {
        get: {
          summary: 'Symbol search',
          parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string', maxLength: 64 } }],
          responses: { 200: { description: 'matches' }, ...errors },
        },
      },
      '/stream/quotes': {
        get: {
          summary: 'Server-Sent Events: event "quote" with a quote as data; "dropped" when a slow reader missed quotes; "error"',
          parameters: [{ name: 'symbols', in: 'query', required: true, schema: { type: 'string' }, example: 'AAPL,MSFT' }],
          responses: { 200: { description: 'text/event-stream' }, ...errors },
        },
      },
      '/stream/bars': {
        get: {
          summary: 'Server-Sent Events: "bars" (the backfill) then "bar" (each update)',
          parameters: [
            { name: 'symbol', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'bar_size', in: 'query', schema: { type: 'string', default: '5 secs' } },
          ],
          responses: { 200: { description: 'text/event-stream' }, ...errors },
        },
      },
      '/ws/quotes/{symbol}': {
        get: { summary: 'WebSocket: a quote object on every change', parameters: [symbol], responses: { 101: { description: 'upgrade' } } },
      },
      '/ws/quotes': {
        get: {
          summary: 'WebSocket: send {"action":"subscribe"|"unsubscribe","symbols":[...]}; receive {"event":"quote","data":{...}}',
          responses: { 101: { description: 'upgrade' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text/plain' } } } },
      '/orders': { get: refused, post: refused },
      '/positions': { get: refused },
      '/account': { get: refused },
    },
  };
}
