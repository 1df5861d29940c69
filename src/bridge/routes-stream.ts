/**
 * Streams: Server-Sent Events for quotes of many symbols and for live bars,
 * a WebSocket per symbol (what the jax Go provider opens) and a WebSocket
 * that takes subscribe/unsubscribe messages. Every stream watches through the
 * quote hub, so a symbol is one gateway line whoever watches it, and the
 * quote service re-sends the lines after a gateway restart by itself. Every
 * stream but the jax Go provider's says whether the gateway is there ("status")
 * when it opens and each time that changes; WebSocket clients are pinged.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import type { Disposable, IbErrorInfo, ResolvedContract } from '../ib/types';
import { NO_SECURITY_DEFINITION } from '../ib/errors';
import { HttpError, toHttpError } from './http-errors';
import type { Quote } from '../ib/types';
import { isUnknownSymbol } from './quote-hub';
import { symbolParam } from './symbols';
import { eventStream, noQuery, streamQuotesQuery, symbolParams, wsSymbolQuery } from './schemas';
import type { BridgeContext } from './server';
import { Json, SseClient } from './sse';
import { dataTypeChanges, isReady, watchConnected } from './stream-status';
import { registerBarsStream } from './route-stream-bars';
import { errorBody } from './stream-errors';
import { quoteJson } from './wire-json';
import { WsClient } from './ws-client';

/** WebSocket close code 1013, "try again later": the gateway went (or was not there). */
const GATEWAY_LOST = 1013;

/** The close reason of a per-symbol WebSocket whose symbol IB does not know (at most 123 bytes). */
const unknownReason = (symbol: string) => `unknown symbol ${symbol}`.slice(0, 123);

/**
 * /stream/quotes's symbols: as messageSymbols, the malformed ones apart (an
 * error event each once the stream opens, as on /ws/quotes); a 400 when none
 * is well formed (a stream watching nothing would end at once).
 */
function streamSymbols(text: string, max: number): { symbols: string[]; malformed: Array<{ symbol: string; detail: string }> } {
  if (!text.split(',').some((s) => s.trim() !== '')) throw new HttpError(400, 'The symbols parameter must name at least one symbol, e.g. ?symbols=AAPL,MSFT.');
  const named = messageSymbols([text], max);
  if (named.symbols.length === 0) throw new HttpError(400, named.malformed.map((m) => m.detail).join(' '));
  return named;
}

/**
 * The symbols of a /ws/quotes message (an entry may hold several, "AAPL,MSFT"):
 * those well formed (checked, upper case, once each) and, apart, each malformed
 * one as sent with why: a bad symbol is an error about it alone, not a refusal
 * of the others.
 */
function messageSymbols(texts: string[], max: number): { symbols: string[]; malformed: Array<{ symbol: string; detail: string }> } {
  const symbols = new Set<string>();
  const malformed = new Map<string, string>();
  const written = texts
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const text of written) {
    try {
      symbols.add(symbolParam(text));
    } catch (e) {
      malformed.set(text, toHttpError(e).message);
    }
  }
  const count = symbols.size + malformed.size;
  if (count === 0) throw new HttpError(400, 'The symbols must name at least one symbol, e.g. ["AAPL", "MSFT"].');
  if (count > max) throw new HttpError(400, `A stream may watch at most ${max} symbols; this message named ${count}.`);
  return { symbols: [...symbols], malformed: [...malformed].map(([symbol, detail]) => ({ symbol, detail })) };
}

export function registerStreamRoutes(app: FastifyInstance, ctx: BridgeContext): void {
  const { hub, options, services } = ctx;
  const maxPerStream = options.maxSymbolsPerStream ?? 50;
  const pingMs = options.wsPingMs ?? 30_000;
  // HEAD of a stream: the headers a GET gets, at once, and nothing watched (a HEAD must not hold a line)
  const streamHead = (path: string) =>
    app.head(path, { schema: { hide: true } }, async (_req, reply) => {
      void reply.header('cache-control', 'no-cache, no-transform').type('text/event-stream; charset=utf-8');
      return '';
    });
  const format = (symbol: string, q: Quote, c: ResolvedContract | undefined) => quoteJson(symbol, q, c, Date.now());
  // every SSE client of a symbol gets the same Quote object: serialise it once for all of them
  const serialised = new WeakMap<Quote, { symbol: string; json: Json }>();
  const formatOnce = (symbol: string, q: Quote, c: ResolvedContract | undefined): Json => {
    const hit = serialised.get(q);
    if (hit && hit.symbol === symbol) return hit.json;
    const json = new Json(JSON.stringify(format(symbol, q, c)));
    serialised.set(q, { symbol, json });
    return json;
  };

  /**
   * Per stream: whether a symbol's quote, as sent, differs from the last one
   * this stream sent (a quote changes in fields the wire does not carry, the
   * day's high or the last trade's size; the client hears only what it sees change).
   */
  const changedOnly = () => {
    const last = new Map<string, string>();
    const changed = (symbol: string, json: Json): boolean => {
      if (last.get(symbol) === json.text) return false;
      last.set(symbol, json.text);
      return true;
    };
    // a symbol the stream stops watching: watched again, its quote is sent again even if unchanged
    return Object.assign(changed, { forget: (symbol: string) => void last.delete(symbol) });
  };

  /**
   * Watches each symbol the line limit lets through; each one it refuses (a
   * new symbol with no line free: 429) is named apart, and the others stream
   * as usual. Any other refusal undoes what was taken.
   */
  const watchWhatFits = (
    symbols: string[],
    onQuote: (s: string, q: Quote, c: ResolvedContract | undefined) => void,
    onError: (s: string, e: IbErrorInfo) => void,
  ): { subs: Map<string, Disposable>; refused: Array<{ symbol: string; error: HttpError }> } => {
    const subs = new Map<string, Disposable>();
    const refused: Array<{ symbol: string; error: HttpError }> = [];
    for (const s of symbols) {
      try {
        subs.set(
          s,
          hub.watch(
            s,
            (q, c) => onQuote(s, q, c),
            (e) => onError(s, e),
          ),
        );
      } catch (e) {
        const error = toHttpError(e);
        if (error.status === 429) {
          refused.push({ symbol: s, error });
          continue;
        }
        for (const d of subs.values()) d.dispose();
        throw e;
      }
    }
    return { subs, refused };
  };

  /** A 429 when the line limit lets a stream watch none of its symbols. */
  const refuseWhenNoneFits = (symbols: string[]): void => {
    const fits = (s: string): boolean => {
      try {
        hub.check(s);
        return true;
      } catch (e) {
        if (toHttpError(e).status !== 429) throw e;
        return false;
      }
    };
    if (!symbols.some(fits)) hub.check(symbols[0]);
  };

  /**
   * A 404 when IB knows none of a stream's symbols (while connected: the lookups the stream would make
   * anyway, mostly cached): a stream that ends at once makes a client that reconnects on its end spin.
   */
  const refuseAllUnknown = async (symbols: string[]): Promise<void> => {
    if (!isReady(services.connection.status)) return;
    const unknown = await Promise.all(
      symbols.map((s) =>
        services.contracts.resolve(s).then(
          () => false,
          (e: unknown) => toHttpError(e).status === 404,
        ),
      ),
    );
    if (unknown.every(Boolean))
      throw new HttpError(404, `IB knows none of these symbols: ${symbols.join(', ')}.`, undefined, { code: NO_SECURITY_DEFINITION, category: 'contract' });
  };

  app.get<{ Querystring: { symbols: string } }>(
    '/stream/quotes',
    {
      exposeHeadRoute: false,
      schema: {
        summary:
          'Server-Sent Events: "status" (the gateway connection: at once and when it comes or goes), "market_data_type" ({"symbol", "market_data_type": "live" | "frozen" | "delayed" | "delayed-frozen"}, before a symbol\'s first quote and when it changes), "quote" (a quote object) on every change, "dropped" when a slow reader missed quotes, "error"',
        querystring: streamQuotesQuery,
        response: eventStream('text/event-stream'),
      },
    },
    async (req, reply) => {
      const { symbols, malformed } = streamSymbols(req.query.symbols, maxPerStream);
      // past the line limit a new symbol is an error about it alone: a 429 only when none can be watched
      refuseWhenNoneFits(symbols);
      await refuseAllUnknown(symbols);
      // the client left during the lookups: nothing taken yet, nothing to give back (its close has passed)
      if (req.raw.destroyed || reply.raw.destroyed || reply.raw.socket?.destroyed !== false) {
        reply.hijack();
        return;
      }
      const changed = changedOnly();
      const kinds = dataTypeChanges();
      const { subs: watching, refused } = watchWhatFits(
        symbols,
        (s, q, c) => {
          // live or delayed, before the symbol's first quote and when that changes
          const kind = kinds.changed(s, q);
          if (kind) sse.send('market_data_type', kind, `market_data_type:${s}`);
          const json = formatOnce(s, q, c);
          if (changed(s, json)) sse.send('quote', json, s);
        },
        (s, e) => {
          sse.send('error', errorBody(s, e));
          if (!isUnknownSymbol(e)) return;
          // a symbol IB does not know is no longer watched; with none left the stream ends
          watching.get(s)?.dispose();
          watching.delete(s);
          if (watching.size === 0) sse.close();
        },
      );
      // other clients took the free lines during the lookups
      if (!watching.size) throw refused[0].error;
      const subs = [...watching.values()];
      reply.hijack();
      const sse = new SseClient(reply.raw);
      const status = watchConnected(services.connection, (st) => sse.send('status', st));
      // a malformed symbol is an error about it alone: the others stream as usual
      for (const bad of malformed) sse.send('error', bad);
      for (const r of refused) sse.send('error', { symbol: r.symbol, ...r.error.body() });
      const tracked = ctx.trackStream(() => sse.close(), 'GET /stream/quotes 200');
      reply.raw.on('close', () => {
        for (const d of subs) d.dispose();
        status.dispose();
        tracked.dispose();
      });
    },
  );
  streamHead('/stream/quotes');

  registerBarsStream(app, ctx);
  streamHead('/stream/bars');

  // the jax Go provider's stream: one symbol, the bare quote object on every change (it decodes every
  // message as a quote, so no "status" here: the ping ends a peer that is gone; with
  // ?on_gateway_lost=close the socket closes with 1013 when the gateway goes, for a client to retry)
  app.get<{ Params: { symbol: string }; Querystring: { on_gateway_lost?: 'stay' | 'close'; market_data_type?: boolean } }>(
    '/ws/quotes/:symbol',
    {
      websocket: true,
      schema: {
        summary:
          'WebSocket (what the jax Go provider opens): the quote object on every change; with on_gateway_lost=close it closes with 1013 (try again later) when the gateway goes',
        params: symbolParams,
        querystring: wsSymbolQuery,
        response: { 101: { description: 'switching to the WebSocket protocol' } },
      },
      preValidation: async (req) => {
        const symbol = symbolParam((req.params as { symbol: string }).symbol);
        hub.check(symbol);
      },
    },
    (socket: WebSocket, req) => {
      const symbol = symbolParam(req.params.symbol);
      const client = new WsClient(socket, pingMs);
      const changed = changedOnly();
      // asked for: whether the quotes are live or delayed, before the first and when it changes
      const kinds = req.query.market_data_type ? dataTypeChanges() : undefined;
      let sub: Disposable | undefined;
      try {
        sub = hub.watch(
          symbol,
          (q, c) => {
            const kind = kinds?.changed(symbol, q);
            if (kind) client.send({ event: 'market_data_type', ...kind }, `market_data_type:${symbol}`);
            const json = formatOnce(symbol, q, c);
            if (changed(symbol, json)) client.send(json, symbol);
          },
          (e) => {
            client.send({ event: 'error', ...errorBody(symbol, e) });
            // the hub gave the line back: nothing will ever come on this socket
            if (isUnknownSymbol(e)) client.close(1008, unknownReason(symbol));
          },
        );
      } catch (e) {
        client.send({ event: 'error', symbol, ...toHttpError(e).body() });
        client.close(1008, 'refused');
        return;
      }
      const tracked = ctx.trackStream(() => client.close(1001, 'the bridge is stopping'), 'GET /ws/quotes/:symbol 101');
      const lost =
        req.query.on_gateway_lost === 'close'
          ? watchConnected(services.connection, (st) => {
              if (!st.connected) client.close(GATEWAY_LOST, 'the gateway is not connected; try again later');
            })
          : undefined;
      socket.on('message', () => undefined);
      socket.on('close', () => {
        sub?.dispose();
        lost?.dispose();
        tracked.dispose();
      });
    },
  );

  // many symbols on one socket: {"action":"subscribe"|"unsubscribe","symbols":[...]}
  const manySymbols =
    'WebSocket for many symbols: send {"action": "subscribe" | "unsubscribe", "symbols": [...]}; receive {"event": "status", "connected", "status", "detail"} (at once and when the gateway comes or goes), {"event": "subscribed" | "unsubscribed", ...}, {"event": "market_data_type", "symbol", "market_data_type": "live" | "frozen" | "delayed" | "delayed-frozen"} (before a symbol\'s first quote and when it changes), {"event": "quote", "data": {quote}}, {"event": "error", "detail"} (with "symbol" when about one symbol: one malformed or one IB does not know; the others of the message subscribe as usual)';
  app.get(
    '/ws/quotes',
    { websocket: true, schema: { summary: manySymbols, querystring: noQuery, response: { 101: { description: 'switching to the WebSocket protocol' } } } },
    (socket: WebSocket) => {
      const client = new WsClient(socket, pingMs);
      const subs = new Map<string, Disposable>();
      const changed = changedOnly();
      const kinds = dataTypeChanges();
      const status = watchConnected(services.connection, (st) => client.send({ event: 'status', ...st }));
      const tracked = ctx.trackStream(() => client.close(1001, 'the bridge is stopping'), 'GET /ws/quotes 101');
      socket.on('message', (raw: Buffer, isBinary: boolean) => {
        try {
          if (isBinary) throw new HttpError(400, 'Messages must be JSON text.');
          let msg: unknown;
          try {
            msg = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new HttpError(400, 'A message must be JSON like {"action": "subscribe", "symbols": ["AAPL"]}.');
          }
          const m = msg as { action?: unknown; symbols?: unknown };
          if (
            typeof m !== 'object' ||
            m === null ||
            (m.action !== 'subscribe' && m.action !== 'unsubscribe') ||
            !Array.isArray(m.symbols) ||
            !m.symbols.every((s) => typeof s === 'string')
          ) {
            throw new HttpError(400, 'A message must be {"action": "subscribe" or "unsubscribe", "symbols": [strings]}.');
          }
          // a field the message does not take (a typo, "symbol" for "symbols") is named, as over HTTP: nothing is done
          const extra = Object.keys(m).filter((k) => k !== 'action' && k !== 'symbols');
          if (extra.length)
            throw new HttpError(400, `A message takes "action" and "symbols" only, not ${extra.map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}.`);
          const { symbols, malformed } = messageSymbols(m.symbols as string[], maxPerStream);
          // a malformed symbol is an error about it alone: the others are (un)subscribed as usual
          for (const bad of malformed) client.send({ event: 'error', ...bad });
          if (m.action === 'subscribe') {
            const fresh = symbols.filter((s) => !subs.has(s));
            if (subs.size + fresh.length > maxPerStream) throw new HttpError(400, `A stream may watch at most ${maxPerStream} symbols.`);
            const { subs: taken, refused } = watchWhatFits(
              fresh,
              (s, q, c) => {
                const kind = kinds.changed(s, q);
                if (kind) client.send({ event: 'market_data_type', ...kind }, `market_data_type:${s}`);
                const json = formatOnce(s, q, c);
                if (changed(s, json)) client.send(new Json(`{"event":"quote","data":${json.text}}`), s);
              },
              (s, e) => {
                client.send({ event: 'error', ...errorBody(s, e) });
                if (!isUnknownSymbol(e)) return;
                // no longer watched: it does not count toward the stream's symbols
                subs.get(s)?.dispose();
                subs.delete(s);
              },
            );
            for (const [s, d] of taken) subs.set(s, d);
            if (taken.size || !refused.length) client.send({ event: 'subscribed', symbols: [...subs.keys()] });
            // the message's new symbols the line limit let through are subscribed; the others are named
            if (refused.length) client.send({ event: 'error', symbols: refused.map((r) => r.symbol), ...refused[0].error.body(), watching: [...subs.keys()] });
          } else {
            for (const s of symbols) {
              subs.get(s)?.dispose();
              subs.delete(s);
              changed.forget(s);
              kinds.forget(s);
            }
            client.send({ event: 'unsubscribed', symbols, watching: [...subs.keys()] });
          }
        } catch (e) {
          client.send({ event: 'error', ...toHttpError(e).body() });
        }
      });
      socket.on('close', () => {
        for (const d of subs.values()) d.dispose();
        subs.clear();
        status.dispose();
        tracked.dispose();
      });
    },
  );
}
