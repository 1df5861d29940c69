/**
 * GET /stream/bars: a live series as Server-Sent Events: "status" (the
 * gateway connection), "bars" (the backfill), then "bar" on each update.
 * What can never stream is answered with an HTTP status before the stream
 * starts: the request's own faults at once (400, 422), an unknown symbol
 * after its lookup (404), and what the gateway refuses in its first answer
 * (a data type the instrument has not, 422; no permission, 403), which the
 * route waits for a moment, while the gateway is there; a continuous future,
 * history only, at once (422, 9017).
 */
import type { FastifyInstance } from 'fastify';
import { normaliseBarSize } from '../ib/bar-sizes';
import { liveRequestError } from '../ib/candles/request';
import { describeIbError, IbError, LOCAL_CODES } from '../ib/errors';
import type { CandleEvent, HistoryRequest, WhatToShow } from '../ib/types';
import { fromIbInfo, HttpError, toHttpError } from './http-errors';
import { endsBars, errorBody } from './stream-errors';
import { symbolParam } from './symbols';
import { eventStream, streamBarsQuery } from './schemas';
import type { BridgeContext } from './server';
import { SseClient } from './sse';
import { isReady, watchConnected } from './stream-status';
import { candleJson } from './wire-json';

/** How long the route waits for the gateway's first answer (the backfill or a refusal) before the stream starts anyway. */
const FIRST_ANSWER_MS = 5_000;

/** The longest duration IB allows for a bar size (its step table), for a live series' backfill. */
function backfillFor(barSize: string): string {
  const table: Array<[string[], string]> = [
    [['1 secs'], '1800 S'],
    [['5 secs'], '3600 S'],
    [['10 secs', '15 secs'], '14400 S'],
    [['30 secs'], '28800 S'],
    [['1 min'], '1 D'],
    [['2 mins'], '2 D'],
    [['3 mins', '5 mins', '10 mins', '15 mins', '20 mins'], '1 W'],
    [['30 mins', '1 hour', '2 hours', '3 hours', '4 hours', '8 hours'], '1 M'],
  ];
  return table.find(([sizes]) => sizes.includes(barSize))?.[1] ?? '1 Y';
}

export function registerBarsStream(app: FastifyInstance, ctx: BridgeContext): void {
  const { services } = ctx;
  app.get<{ Querystring: { symbol: string; bar_size?: string; duration?: string; what_to_show?: string; use_rth?: boolean } }>(
    '/stream/bars',
    {
      exposeHeadRoute: false,
      schema: {
        summary:
          'Server-Sent Events: "status" (the gateway connection: at once and when it comes or goes), "bars" (the backfill), then "bar" (each update), "error"',
        querystring: streamBarsQuery,
        response: eventStream('text/event-stream'),
      },
    },
    async (req, reply) => {
      const symbol = symbolParam(req.query.symbol);
      const barSize = normaliseBarSize(req.query.bar_size ?? '5 secs');
      // as POST /candles answers it: a value IB would refuse (422), not a malformed request
      if (!barSize)
        throw new HttpError(422, `"${String(req.query.bar_size).slice(0, 20)}" is not an IB bar size, e.g. "5 secs", "1 min", "1 hour".`, undefined, {
          code: LOCAL_CODES.invalidRequest,
          category: 'request',
        });
      const request: HistoryRequest = {
        symbol,
        barSize,
        duration: req.query.duration ?? backfillFor(barSize),
        // left out, the domain picks the instrument's own (MIDPOINT for forex)
        whatToShow: req.query.what_to_show as WhatToShow | undefined,
        useRTH: req.query.use_rth ?? false,
      };
      const invalid = liveRequestError(request);
      if (invalid) throw toHttpError(invalid);
      const contract = await services.contracts.resolve(symbol);
      // a continuous future is history only: it can never stream (its bars are POST /candles')
      if (contract.secType === 'CONTFUT')
        throw toHttpError(
          new IbError({
            ...describeIbError(LOCAL_CODES.historyOnly),
            message: `${contract.display} is history only: IB sends no updates for a continuous future.`,
            action: `Ask POST /candles/{symbol} for its bars across the rolls, or stream its front month${contract.localSymbol ? ` (${contract.localSymbol})` : ''}: GET /contracts/futures/${contract.symbol} lists it.`,
          }),
        );

      // the series starts now; its events wait here until the stream does
      const stream: { sse?: SseClient } = {};
      const early: CandleEvent[] = [];
      let heard: (() => void) | undefined;
      const send = (e: CandleEvent) => {
        const sse = stream.sse;
        if (!sse) return;
        if (e.type === 'reset') sse.send('bars', { symbol, bar_size: barSize, candles: e.candles.map(candleJson), count: e.candles.length }, 'bars');
        else if (e.type === 'update') sse.send('bar', { symbol, bar_size: barSize, ...candleJson(e.candle) }, `bar:${e.candle.time}`);
        else {
          sse.send('error', errorBody(symbol, e.error));
          if (endsBars(e.error)) sse.close();
        }
      };
      const sub = services.candles.live(request, (e) => {
        if (stream.sse) return send(e);
        early.push(e);
        heard?.();
      });
      let gone = false;
      const leave = () => {
        gone = true;
        heard?.();
      };
      req.raw.once('close', leave);
      if (isReady(services.connection.status) && early.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, FIRST_ANSWER_MS);
          heard = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      heard = undefined;
      req.raw.off('close', leave);
      const first = early[0];
      if (gone || (first?.type === 'error' && endsBars(first.error))) {
        sub.dispose();
        if (first?.type === 'error') throw fromIbInfo(first.error);
        return reply.hijack();
      }

      reply.hijack();
      const sse = new SseClient(reply.raw);
      stream.sse = sse;
      const status = watchConnected(services.connection, (st) => sse.send('status', st));
      for (const e of early.splice(0)) send(e);
      const tracked = ctx.trackStream(() => sse.close(), 'GET /stream/bars 200');
      reply.raw.on('close', () => {
        sub.dispose();
        status.dispose();
        tracked.dispose();
      });
    },
  );
}
