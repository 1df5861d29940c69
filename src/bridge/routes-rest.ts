/**
 * The request/response routes: health, quotes, candles, connect, disconnect,
 * metrics, the API description, and the refusal of orders,
 * positions and account data (this product is read-only).
 */
import type { FastifyInstance } from 'fastify';
import { checkClientId, checkHost, checkPort, isLoopbackHost } from '../ib/config';
import { symbolParam } from './symbols';
import type { ConnectionSettings } from '../ib/types';
import {
  endOrThrow,
  limitOrThrow,
  postedRequest,
  refuseBadRequest,
  limitTextOrThrow,
  recentCandles,
  timeframeOrThrow,
  type PostCandlesBody,
} from './candles-route';
import { hostOnThisMachine } from './docker-host';
import { HttpError } from './http-errors';
import { strictBodyTypes } from './json-body';
import { metricsText } from './metrics';
import { detailOf, healthStatus, isReady, requireServable } from './stream-status';
import { OPENAPI_METHODS } from './openapi';
import type { BridgeContext } from './server';
import {
  candles as candlesSchema,
  candlesQuery,
  connectBody,
  dataErrors,
  detail,
  guardErrors,
  health,
  postCandlesBody,
  quote,
  result,
  noBody,
  noQuery,
  symbolParams,
} from './schemas';
import { candlesJson, MARKET_DATA_TYPE_HEADER, PRICE_CURRENCY_HEADER, quoteJson, type HealthJson } from './wire-json';
import { priceCurrency } from '../ib/facts/price-currency';

const READ_ONLY =
  'This bridge is read-only: it serves market data and never places, changes, cancels or lists orders, and does not serve positions or account data.';

async function readOnly(): Promise<never> {
  throw new HttpError(501, READ_ONLY);
}

/** A body past the bridge's limit (the routes take a few short fields). */
const BODY_TOO_LARGE = { description: 'the body is over 16 KB', ...detail } as const;

export function registerRestRoutes(app: FastifyInstance, ctx: BridgeContext): void {
  const { services, options, hub } = ctx;
  const { connection, quotes, candles } = services;
  // paper or live as last known while connected: the account does not change while the gateway is away
  let lastMode = connection.status.mode;
  const tradingMode = () => {
    const s = connection.status;
    if (s.mode !== 'unknown') lastMode = s.mode;
    return lastMode !== 'unknown' ? lastMode : s.simulated ? 'paper' : 'unknown';
  };
  const ready = () => requireServable(connection.status);

  app.get(
    '/health',
    { schema: { summary: 'Bridge and gateway state (200 whether or not IB is connected)', querystring: noQuery, response: { 200: health, ...guardErrors } } },
    async (req): Promise<HealthJson> => {
      const s = connection.status;
      const connected = isReady(s);
      // with a token, a request without one (a liveness probe: see server.ts) hears the state and not where or what
      if (options.token !== undefined && req.headers.authorization === undefined) return { status: healthStatus(s), connected };
      return {
        status: healthStatus(s),
        connected,
        version: options.version,
        market_data_mode: quotes.marketDataType,
        paper_trading: tradingMode() === 'paper',
        gateway: `${s.host}:${s.port}`,
        simulated: s.simulated ?? false,
        ...(options.simulator ? { simulator: `${options.simulator.host}:${options.simulator.port}` } : {}),
        detail: detailOf(s),
      };
    },
  );

  const quoteRoute = {
    summary: 'The latest quote (headers X-IB-Market-Data-Type: live, frozen, delayed or delayed-frozen; X-IB-Price-Currency: the unit of its prices)',
    params: symbolParams,
    querystring: noQuery,
    response: { 200: quote, ...dataErrors },
  };
  app.get<{ Params: { symbol: string } }>('/quotes/:symbol', { schema: quoteRoute }, async (req, reply) => {
    const symbol = symbolParam(req.params.symbol);
    ready();
    const { quote, contract } = await hub.latest(symbol, options.quoteTimeoutMs ?? 12_000);
    // what kind of data the quote is (a delayed one is 15 minutes old), outside the JSON a strict client decodes
    void reply.header(MARKET_DATA_TYPE_HEADER, quote.dataType);
    // and what unit its prices are in: a London share's are pence (GBp) while its contract says GBP
    if (contract?.currency) void reply.header(PRICE_CURRENCY_HEADER, priceCurrency(contract));
    return quoteJson(symbol, quote, contract, Date.now());
  });

  app.get<{ Params: { symbol: string }; Querystring: { limit?: number; timeframe?: string; use_rth?: boolean; end?: string } }>(
    '/candles/:symbol',
    {
      schema: {
        summary: 'The `limit` most recent bars of a timeframe (with `end`, the last that start before it), oldest first',
        params: symbolParams,
        querystring: candlesQuery,
        response: { 200: candlesSchema, ...dataErrors },
      },
      preValidation: async (req) => {
        const query = req.query as Record<string, unknown>;
        // the schema would coerce 0x10, 1e2 or " 1" to a number
        limitTextOrThrow(query.limit);
        // a bad or repeated end: the accepted forms in the detail, not the schema's words
        endOrThrow(query.end);
      },
    },
    async (req) => {
      const symbol = symbolParam(req.params.symbol);
      const limit = limitOrThrow(req.query.limit);
      const tf = timeframeOrThrow(req.query.timeframe);
      const end = endOrThrow(req.query.end);
      ready();
      return candlesJson(symbol, await recentCandles(candles, symbol, tf, limit, req.query.use_rth ?? true, end));
    },
  );

  app.post<{ Params: { symbol: string }; Body: PostCandlesBody | undefined }>(
    '/candles/:symbol',
    {
      schema: {
        summary: "Bars asked for in IB's own words",
        params: symbolParams,
        // everything is in the body: a query parameter (GET's ?limit=) is named, never ignored
        querystring: noQuery,
        body: postCandlesBody,
        response: { 200: candlesSchema, 413: BODY_TOO_LARGE, 415: { description: 'the body is not JSON', ...detail }, ...dataErrors },
      },
      // an end the schema would refuse in its own words (a list, true) or coerce (12.5): the accepted forms in the detail
      preValidation: async (req) => {
        const body = req.body as Record<string, unknown> | null | undefined;
        if (typeof body === 'object' && body !== null && !Array.isArray(body)) endOrThrow(body.end);
        // a JSON value of another type ("use_rth": "true", "duration": 5) is named, not coerced
        strictBodyTypes(body, postCandlesBody, ['end']);
      },
    },
    async (req) => {
      const symbol = symbolParam(req.params.symbol);
      const request = postedRequest(symbol, req.body ?? {});
      refuseBadRequest(request);
      ready();
      return candlesJson(symbol, await candles.fetch(request));
    },
  );

  app.post<{ Body: { host?: string; port?: number; client_id?: number } | undefined }>(
    '/connect',
    {
      schema: {
        summary: 'Connect (headless: optionally to another gateway)',
        querystring: noQuery,
        body: connectBody,
        response: {
          200: result,
          ...guardErrors,
          400: { description: 'the body is not a JSON object of host, port and client_id', ...detail },
          409: { description: 'in the editor: the editor owns the connection', ...detail },
          413: BODY_TOO_LARGE,
          415: { description: 'the body is not JSON', ...detail },
          422: { description: 'a bad host, port or client id', ...detail },
        },
      },
      // "port": "4002" is named, not coerced
      preValidation: async (req) => strictBodyTypes(req.body, connectBody),
    },
    async (req) => {
      const body = req.body ?? {};
      const given = body.host !== undefined || body.port !== undefined || body.client_id !== undefined;
      const s = connection.status;
      if (given && options.connectionControl === 'shared') {
        throw new HttpError(409, 'This bridge runs in the editor and uses its connection: change jax.ib.host, jax.ib.port or jax.ib.clientId there.');
      }
      if (options.connectionControl === 'shared') {
        // the editor's commands own connecting (they confirm a gateway on another computer first)
        const now = connection.status;
        return isReady(now)
          ? { success: true, message: `Connected to ${now.host}:${now.port} (the editor's connection).` }
          : { success: false, message: 'This bridge runs in the editor and uses its connection, which is not ready; connect there (IB: Connect).' };
      }
      let before: ConnectionSettings | undefined;
      let moved = false;
      if (given) {
        const problems = [
          body.host !== undefined ? checkHost(body.host, 'host').problem : undefined,
          body.port !== undefined ? checkPort(body.port, 'port').problem : undefined,
          body.client_id !== undefined ? checkClientId(body.client_id, 'client_id').problem : undefined,
        ].filter((p): p is string => p !== undefined);
        if (problems.length > 0) throw new HttpError(422, `Cannot connect there: ${problems.join('; ')}.`);
        // a gateway that was serving: where the bridge goes back to when the new one does not answer
        if (isReady(s)) before = { enabled: true, host: s.host, port: s.port, clientId: s.clientId, simulated: s.simulated, autoReconnect: true };
        const host = body.host !== undefined ? hostOnThisMachine(body.host).host : s.host;
        const port = body.port ?? s.port;
        moved = host !== s.host || port !== s.port || (body.client_id ?? s.clientId) !== s.clientId;
        await connection.updateSettings({
          enabled: true,
          host,
          port,
          clientId: body.client_id ?? s.clientId,
          // simulated only where this bridge's own simulated gateway listens (another gateway may be a live account)
          simulated: options.simulator !== undefined && options.simulator.port === port && isLoopbackHost(host) && isLoopbackHost(options.simulator.host),
          autoReconnect: true,
        });
      }
      // a new gateway was tried by the new settings already (a second try would double a silent one's wait)
      if (!moved || connection.status.phase === 'disconnected') {
        try {
          await connection.connect();
        } catch {
          // the outcome is in the status
        }
      }
      const after = connection.status;
      if (isReady(after)) return { success: true, message: `Connected to ${after.host}:${after.port} as client ${after.clientId}.` };
      const why = after.error ? `${after.error.message} ${after.error.action}` : `Not connected to ${after.host}:${after.port} (${after.phase}).`;
      if (!before) return { success: false, message: why };
      // the new gateway did not answer: every other client of the bridge keeps the one that served it
      const back = before;
      await connection.updateSettings(back);
      void connection.connect().catch(() => undefined);
      return { success: false, message: `${why} The bridge stays on ${back.host}:${back.port}.` };
    },
  );

  app.post(
    '/disconnect',
    {
      schema: {
        summary: 'Disconnect (headless only)',
        querystring: noQuery,
        body: noBody,
        response: { 200: result, ...guardErrors, 413: BODY_TOO_LARGE, 415: { description: 'the body is not JSON', ...detail } },
      },
    },
    async () => {
      if (options.connectionControl === 'shared') {
        return { success: false, message: 'This bridge runs in the editor and uses its connection; disconnect there (IB: Disconnect) if you mean to.' };
      }
      await connection.disconnect();
      return { success: true, message: 'Disconnected from IB Gateway/TWS.' };
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        querystring: noQuery,
        response: { 200: { description: 'the Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } }, ...guardErrors },
      },
    },
    async (_req, reply) => {
      void reply.type('text/plain; version=0.0.4; charset=utf-8');
      return metricsText(ctx);
    },
  );

  app.get('/openapi.json', { schema: { hide: true, querystring: noQuery } }, async () => app.swagger());

  // every method is refused; the description lists OpenAPI's (it has no QUERY, PROPFIND, ...)
  const refused = { summary: 'Refused: the bridge is read-only', response: { 501: { description: 'never served', ...detail }, ...guardErrors } };
  const documented: readonly string[] = OPENAPI_METHODS;
  const others = app.supportedMethods.filter((m) => !documented.includes(m));
  for (const path of ['/orders', '/positions', '/account', '/accounts']) {
    app.route({ method: [...OPENAPI_METHODS], url: path, schema: refused, handler: readOnly });
    if (others.length > 0) app.route({ method: others, url: path, schema: { hide: true }, handler: readOnly });
    app.all(`${path}/*`, { schema: { hide: true } }, readOnly);
  }
}
