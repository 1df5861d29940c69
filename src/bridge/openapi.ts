/**
 * What GET /openapi.json needs beyond the routes' own schemas to be a valid
 * OpenAPI 3.0 contract (a Go code generator reads it): only OpenAPI's methods,
 * a body that may be left out is not required, the WebSocket routes' error
 * answers. Also the answers to a route asked with the wrong method (405 with
 * `Allow`) and to a WebSocket route asked without an upgrade (426).
 */
import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-errors';
import { detail, guardErrors } from './schemas';

/** The operations an OpenAPI 3.0 path item may have, as HTTP methods. */
export const OPENAPI_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/** The error answers of a WebSocket route, before it upgrades, each `{"detail"}`. */
export const wsErrors = {
  ...guardErrors,
  400: { description: 'a bad symbol', ...detail },
  404: { description: 'IB knows no such symbol', ...detail },
  426: { description: 'a plain GET: the route needs a WebSocket upgrade', ...detail },
  429: { description: 'a limit was reached (lines, connections)', ...detail },
  503: { description: 'not connected to IB', ...detail },
} as const;

interface Operation {
  operationId?: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { nullable?: boolean } }> };
  responses?: Record<string, { headers?: Record<string, unknown> }>;
}

/** Each operation's name, for the code a generator writes (oapi-codegen, ogen: `client.GetQuote`, not `GetQuotesSymbol`). */
const OPERATION_IDS: Readonly<Record<string, string>> = {
  'get /health': 'getHealth',
  'get /quotes/{symbol}': 'getQuote',
  'get /candles/{symbol}': 'getCandles',
  'post /candles/{symbol}': 'postCandles',
  'post /connect': 'connect',
  'post /disconnect': 'disconnect',
  'get /contracts/search': 'searchContracts',
  'get /contracts/futures/{symbol}': 'getFutureMonths',
  'get /stream/quotes': 'streamQuotes',
  'get /stream/bars': 'streamBars',
  'get /ws/quotes/{symbol}': 'wsQuote',
  'get /ws/quotes': 'wsQuotes',
  'get /metrics': 'getMetrics',
};

/** The header a 503 carries while the bridge is trying to reach the gateway. */
const RETRY_AFTER = {
  'Retry-After': {
    description: 'seconds until the bridge may serve again (its next reconnect attempt and the handshake); absent when nothing is being tried',
    schema: { type: 'integer', minimum: 1 },
  },
} as const;

/** The header GET /quotes answers with beside the quote: a generator reads it from here. */
const QUOTE_HEADERS = {
  'X-IB-Market-Data-Type': {
    description:
      "the kind of data the quote is, as IB marks it: live, frozen (a closed market's last, when asked for), delayed (15 minutes old) or delayed-frozen",
    schema: { type: 'string', enum: ['live', 'frozen', 'delayed', 'delayed-frozen'] },
  },
  'X-IB-Price-Currency': {
    description: "the unit of the quote's prices: the contract's currency (USD, EUR...), or GBp for a London share quoted in pence while its contract says GBP",
    schema: { type: 'string' },
  },
} as const;

/**
 * Marks a request body whose schema allows null (the route takes none) as not
 * required; names every operation; declares GET /quotes' header and a 503's Retry-After.
 */
export function optionalBodies<T>(doc: T): T {
  const paths = (doc as { paths?: Record<string, Record<string, Operation>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, shared] of Object.entries(item)) {
      // a copy: routes may share one schema object (the refused ones do)
      const op: Operation = { ...shared, responses: { ...shared.responses } };
      item[method] = op;
      const body = op.requestBody;
      if (body && Object.values(body.content ?? {}).every((m) => m.schema?.nullable === true)) body.required = false;
      // the refused routes (/orders, ...): by method and path, as a generator would
      op.operationId ??=
        OPERATION_IDS[`${method} ${path}`] ?? `${method}${path.replace(/[^a-zA-Z]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`;
      const unavailable = op.responses?.['503'];
      if (unavailable) op.responses!['503'] = { ...unavailable, headers: { ...unavailable.headers, ...RETRY_AFTER } };
    }
  }
  const quote = paths['/quotes/{symbol}']?.get?.responses?.['200'];
  if (quote) quote.headers = { ...quote.headers, ...QUOTE_HEADERS };
  return doc;
}

/** The methods the bridge serves at a URL (its query ignored); none: there is no such route. */
export function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?')[0];
  return app.supportedMethods.filter((method) => app.findRoute({ method, url: path }) !== null);
}

export const upgradeRequired = (path: string): HttpError =>
  new HttpError(
    426,
    `The WebSocket ${path.length > 80 ? `${path.slice(0, 77)}...` : path} needs an upgrade: open it with a WebSocket client ("Upgrade: websocket"), not a plain GET.`,
  );
