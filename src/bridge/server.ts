/**
 * The jax bridge: the IB data this process has (the editor's connection, or
 * the headless one), served over HTTP to the jax Go services. Fastify with
 * schema validation; every failure is `{"detail": "<sentence>"}` with a 4xx or
 * 5xx status; nothing here places, changes or lists orders.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import swagger from '@fastify/swagger';
import websocket from '@fastify/websocket';
import type { Socket } from 'node:net';
import { silentLogger, type Logger } from '../ib/log';
import type { Disposable } from '../ib/types';
import { checkBinding, hasToken } from './auth';
import { browserRefusal } from './browser-guard';
import { HttpError, toHttpError } from './http-errors';
import { retryAfterNow } from './stream-status';
import { registerJsonBody } from './json-body';
import { readQueryWords } from './query-words';
import { allowedMethods, optionalBodies, upgradeRequired, wsErrors } from './openapi';
import { QuoteHub } from './quote-hub';
import { registerContractRoutes } from './routes-contracts';
import { registerRestRoutes } from './routes-rest';
import { registerStreamRoutes } from './routes-stream';
import { DEFAULT_PORT, type BridgeOptions, type BridgeServices } from './types';

/** What the routes share. */
export interface BridgeContext {
  services: BridgeServices;
  options: BridgeOptions;
  hub: QuoteHub;
  logger: Logger;
  counters: BridgeCounters;
  /**
   * Registers a stream client (SSE or WebSocket) until it ends, counting its
   * answer (`answered`: "GET /stream/quotes 200", "GET /ws/quotes 101"): a
   * stream's reply is taken over from the HTTP framework, which counts none.
   */
  trackStream(close: () => void, answered: string): Disposable;
}

export interface BridgeCounters {
  requests: number;
  refused: number;
  streams: number;
  /** Answers by method, route pattern ("unmatched" when none) and status: 'GET /quotes/:symbol 200' -> count. */
  responses: Map<string, number>;
}

const MAX_BODY = 16 * 1024;
/** How long an idle keep-alive connection is kept open. */
const KEEP_ALIVE_MS = 120_000;
/**
 * How long a request may take to arrive in full (its line, headers and body;
 * then 408): short, as Go servers' ReadHeaderTimeout is, so that connections
 * left half sent cannot hold the connection limit long.
 */
const REQUEST_TIMEOUT_MS = 10_000;

export class Bridge {
  private app: FastifyInstance | undefined;

  /** How long a request may take to arrive in full (the option, else REQUEST_TIMEOUT_MS). */
  private get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  }
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<() => void>();
  private readonly hub: QuoteHub;
  private readonly logger: Logger;
  private readonly listeners = new Set<(clients: number) => void>();
  private readonly counters: BridgeCounters = { requests: 0, refused: 0, streams: 0, responses: new Map() };
  private addr: { host: string; port: number } | undefined;

  constructor(
    private readonly services: BridgeServices,
    private readonly options: BridgeOptions,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.hub = new QuoteHub(services.quotes, services.contracts, {
      maxLines: options.maxLines,
      lingerMs: options.lingerMs,
      streamGraceMs: options.streamGraceMs,
      connected: () => services.connection.status.phase === 'ready',
    });
  }

  /** Open connections (HTTP keep-alive, SSE and WebSocket clients). */
  get clients(): number {
    return this.sockets.size;
  }

  /** Stream clients (SSE and WebSocket) now. */
  get streamClients(): number {
    return this.streams.size;
  }

  get address(): { host: string; port: number } | undefined {
    return this.addr;
  }

  get url(): string | undefined {
    if (!this.addr) return undefined;
    const host = this.addr.host.includes(':') ? `[${this.addr.host}]` : this.addr.host;
    return `http://${host}:${this.addr.port}`;
  }

  /** Fires with the number of open connections whenever it changes. */
  onClients(listener: (clients: number) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  async start(): Promise<{ host: string; port: number; url: string }> {
    if (this.app) throw new Error('the bridge is already running');
    const host = this.options.host ?? '127.0.0.1';
    const problem = checkBinding(host, this.options.token);
    if (problem) throw new Error(`the bridge did not start: ${problem}`);
    const app = Fastify({
      logger: false,
      bodyLimit: MAX_BODY,
      // a long symbol reaches the schema (400 with a sentence), not the router's bare 414
      routerOptions: { maxParamLength: 16 * 1024 },
      connectionTimeout: 0,
      // longer than a client keeps an idle connection (Go's http.Transport: 90 s), so the client always closes it
      // first: a server closing it as the client reuses it fails the request, and a POST is not sent again
      keepAliveTimeout: KEEP_ALIVE_MS,
      requestTimeout: this.requestTimeoutMs,
      // node checks for requests past that time this often (its default is 30 s, a slow client waited up to 60 s)
      http: {
        headersTimeout: this.requestTimeoutMs,
        connectionsCheckingInterval: Math.min(2_000, this.requestTimeoutMs),
        // node's own refusal of a missing Host is a 400 without a body: the onRequest hook says why instead
        requireHostHeader: false,
      },
      return503OnClosing: true,
      forceCloseConnections: true,
      // a path that is not percent-encoded UTF-8 (/quotes/%FF): the bridge's own 400, not the router's format
      frameworkErrors: (error, _req, reply) => {
        const detail =
          error.code === 'FST_ERR_BAD_URL'
            ? 'The path is not valid percent-encoded UTF-8: send a symbol as UTF-8, percent-encoded (AAPL, EUR.USD, ES%20202612%20FUT%40CME).'
            : 'The request could not be routed.';
        void (reply as FastifyReply).code(400).type('application/json; charset=utf-8').send({ detail });
      },
      // a request node cannot parse (a huge path or header, bad framing): a status and a sentence, then close
      clientErrorHandler: (err: NodeJS.ErrnoException, socket: Socket) => {
        if (!socket.writable) return socket.destroy();
        const [status, detail] =
          err.code === 'HPE_HEADER_OVERFLOW'
            ? ['431 Request Header Fields Too Large', 'The request line or headers are too large (the limit is 16 KB); symbols are at most 64 characters.']
            : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
              ? ['408 Request Timeout', `The request was not sent in full within ${this.requestTimeoutMs / 1000} s; send it again.`]
              : ['400 Bad Request', 'The request could not be read as HTTP.'];
        const body = JSON.stringify({ detail });
        socket.end(
          `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      },
      ajv: { customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false } },
    });
    this.app = app;
    // Response schemas describe the API (GET /openapi.json); answers are plain JSON.stringify, which keeps
    // fast-json-stringify out of the bundle and never drops or coerces a field the schema did not foresee.
    app.setSerializerCompiler(() => (data) => JSON.stringify(data));
    registerJsonBody(app);
    readQueryWords(app);
    // GET /openapi.json is generated from the routes' own schemas: the document is what the server enforces
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'IB Gateway jax bridge',
          version: this.options.version,
          description: 'Interactive Brokers market data over HTTP for the jax services. Read-only: orders, positions and account data are refused.',
        },
        components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'needed when the bridge listens beyond this machine' } } },
      },
      // @fastify/websocket hides its routes from the description; the jax Go provider's WebSocket is part of the API
      transform: ({ schema, url, route }) => ({
        schema: (route as { websocket?: boolean }).websocket ? { ...schema, hide: false, response: { ...(schema.response as object), ...wsErrors } } : schema,
        url,
      }),
      // a body that may be left out (null: the defaults) is not required
      transformObject: (doc) => ('openapiObject' in doc ? optionalBodies(doc.openapiObject) : doc.swaggerObject),
    });
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
    // bodies are JSON only: anything else is a 415 with a sentence
    app.removeContentTypeParser('text/plain');
    this.guard(app);
    const ctx: BridgeContext = {
      services: this.services,
      options: this.options,
      hub: this.hub,
      logger: this.logger,
      counters: this.counters,
      trackStream: (close, answered) => {
        this.streams.add(close);
        this.counters.streams++;
        this.counters.responses.set(answered, (this.counters.responses.get(answered) ?? 0) + 1);
        this.emitClients();
        return {
          dispose: () => {
            if (this.streams.delete(close)) this.emitClients();
          },
        };
      },
    };
    registerRestRoutes(app, ctx);
    registerContractRoutes(app, ctx);
    registerStreamRoutes(app, ctx);
    try {
      await app.listen({ host, port: this.options.port ?? DEFAULT_PORT });
    } catch (e) {
      this.app = undefined;
      await app.close().catch(() => undefined);
      const code = (e as { code?: string }).code;
      if (code === 'EADDRINUSE')
        throw Object.assign(
          new Error(
            `the bridge did not start: port ${this.options.port ?? DEFAULT_PORT} on ${host} is already in use (another bridge?); choose another with --port or jax.ib.bridge.port`,
          ),
          { code },
        );
      throw new Error(`the bridge did not start on ${host}:${this.options.port ?? DEFAULT_PORT}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const a = app.server.address();
    const port = typeof a === 'object' && a ? a.port : (this.options.port ?? DEFAULT_PORT);
    this.addr = { host, port };
    this.logger.info(`bridge: serving the jax API at ${this.url}${this.options.token ? ' (a token is required)' : ' (this machine only, no token)'}`);
    return { host, port, url: this.url! };
  }

  async stop(): Promise<void> {
    const app = this.app;
    if (!app) return;
    this.app = undefined;
    for (const close of [...this.streams]) close();
    this.streams.clear();
    this.hub.dispose();
    await app.close();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.addr = undefined;
    this.emitClients();
    this.logger.info('bridge: stopped');
  }

  /** Token, connection cap, no CORS, and one error shape for everything. */
  private guard(app: FastifyInstance): void {
    const max = this.options.maxConnections ?? 256;
    app.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      if (this.sockets.size > max) (socket as Socket & { overLimit?: boolean }).overLimit = true;
      this.emitClients();
      socket.once('close', () => {
        this.sockets.delete(socket);
        this.emitClients();
      });
    });
    // the WebSocket routes, to answer a plain GET (no upgrade) with 426 rather than @fastify/websocket's bare 404
    const wsRoutes = new Set<string>();
    app.addHook('onRoute', (route) => {
      if ((route as { websocket?: boolean }).websocket) wsRoutes.add(route.url);
    });
    // (req.routeOptions builds an object of a dozen fields on every read: each hook reads it once)
    app.addHook('onResponse', async (req, reply) => {
      const key = `${req.method} ${req.routeOptions.url ?? 'unmatched'} ${reply.statusCode}`;
      this.counters.responses.set(key, (this.counters.responses.get(key) ?? 0) + 1);
    });
    app.addHook('onRequest', async (req, reply) => {
      this.counters.requests++;
      const route = req.routeOptions.url;
      // /health and /metrics answer past the cap: a liveness probe must tell a bridge full of streams from a dead one
      const probe = route === '/health' || route === '/metrics';
      if ((req.raw.socket as Socket & { overLimit?: boolean }).overLimit && !probe) {
        this.counters.refused++;
        reply.header('connection', 'close');
        throw new HttpError(429, `The bridge has ${max} connections open, its limit; close some (reuse one keep-alive connection) and try again.`);
      }
      if (req.headers.host === undefined && req.raw.httpVersion === '1.1') {
        this.counters.refused++;
        throw new HttpError(400, 'An HTTP/1.1 request needs a Host header (RFC 9112): send "Host: 127.0.0.1:<port>".');
      }
      const refusal = browserRefusal(req.headers, this.options.token !== undefined);
      if (refusal) {
        this.counters.refused++;
        throw new HttpError(refusal.status, refusal.detail);
      }
      // a liveness probe (a Docker HEALTHCHECK) asks /health without the secret: it hears status and connected only
      const anonymousProbe = route === '/health' && req.headers.authorization === undefined;
      if (this.options.token !== undefined && !anonymousProbe && !hasToken(req.headers.authorization, this.options.token)) {
        this.counters.refused++;
        reply.header('www-authenticate', 'Bearer');
        throw new HttpError(401, 'This bridge needs its token: send "Authorization: Bearer <token>" (the token it was started with).');
      }
      if (!req.ws && route !== undefined && wsRoutes.has(route)) {
        reply.header('upgrade', 'websocket');
        throw upgradeRequired(req.url.split('?')[0]);
      }
    });
    app.setErrorHandler((error: FastifyError, req, reply) => {
      let status: number;
      let detail: string;
      let ib: HttpError | undefined;
      if (error.validation) {
        status = 400;
        detail =
          unknownParameter(error, req.routeOptions.schema) ??
          `Bad parameter: ${error.message.replace('must be object,null', 'must be a JSON object (or left out)')}.`;
      } else if (error instanceof HttpError || !(typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500)) {
        const h = toHttpError(error);
        status = h.status;
        detail = h.message;
        ib = h;
        if (status >= 500 && !(error instanceof HttpError) && !('info' in error)) this.logger.error(`bridge: ${error.stack ?? error.message}`);
      } else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        status = 413;
        detail = `The request body is too large (the limit is ${MAX_BODY / 1024} KB).`;
      } else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        status = 415;
        detail = `Unsupported Media Type (${String(req.headers['content-type'] ?? 'none').slice(0, 40)}): send the body as JSON, with "Content-Type: application/json".`;
      } else {
        status = error.statusCode!;
        detail = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
      }
      const retry =
        error instanceof HttpError && error.retryAfterSeconds !== undefined
          ? error.retryAfterSeconds
          : status === 503
            ? retryAfterNow(this.services.connection.status)
            : undefined;
      if (retry !== undefined) void reply.header('retry-after', String(retry));
      void reply
        .code(status)
        .type('application/json; charset=utf-8')
        .send(ib ? ib.body() : { detail });
    });
    app.setNotFoundHandler((req, reply) => {
      const path = req.url.length > 80 ? `${req.url.slice(0, 77)}...` : req.url;
      // a route that exists with other methods: 405 and what it takes
      const allow = allowedMethods(app, req.url);
      if (allow.length > 0) {
        void reply
          .code(405)
          .header('allow', allow.join(', '))
          .send({ detail: `${req.method} is not allowed on ${path.split('?')[0]}; it takes ${allow.join(', ')}. See GET /openapi.json for the API.` });
        return;
      }
      void reply.code(404).send({ detail: `There is no ${req.method} ${path} here; see GET /openapi.json for the API.` });
    });
  }

  private emitClients(): void {
    const n = this.sockets.size;
    for (const l of [...this.listeners]) {
      try {
        l(n);
      } catch {
        // a listener's failure is its own
      }
    }
  }
}

/** A query parameter or body field the route does not take (a typo would otherwise pass unnoticed), named with those it does. */
function unknownParameter(error: FastifyError, schema: { querystring?: unknown; body?: unknown } | undefined): string | undefined {
  const v = error.validation?.[0];
  const name = v?.keyword === 'additionalProperties' ? (v.params as { additionalProperty?: unknown }).additionalProperty : undefined;
  if (typeof name !== 'string') return undefined;
  const where = error.validationContext === 'body' ? 'field' : 'parameter';
  const part = (error.validationContext === 'body' ? schema?.body : schema?.querystring) as { properties?: object } | undefined;
  const known = Object.keys(part?.properties ?? {});
  const takes = known.length ? `it takes ${known.join(', ')}` : 'it takes none';
  return `Unknown ${where} "${name.slice(0, 40)}": this route does not read it (${takes}).`;
}
