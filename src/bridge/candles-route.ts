/**
 * GET /candles/{symbol}?limit&timeframe: the `limit` most recent bars of a
 * jax timeframe, oldest first, asked of IB in as few requests as its step
 * table allows (each ending where the previous one began, as many as the
 * limit needs: see maxChunks); POST
 * /candles/{symbol} with IB's own words (duration, bar_size, what_to_show).
 * Both take `use_rth` (regular trading hours only; true unless asked).
 */
import { IbError, isNoDataRefusal, type CandleService } from '../ib';
import { historyRequestError } from '../ib/candles/request';
import type { Candle, HistoryRequest, WhatToShow } from '../ib/types';
import { HttpError } from './http-errors';
import { ibEndDate, LIMIT, maxChunks, NO_TRADE_SECONDS, parseTimeframe, TIMEFRAME_NAMES, yearsFor, type Timeframe } from './timeframes';

export function timeframeOrThrow(text: string | undefined): Timeframe {
  const tf = parseTimeframe(text ?? '1d');
  if (!tf) {
    const shown = String(text).length > 20 ? `${String(text).slice(0, 17)}...` : String(text);
    throw new HttpError(400, `"${shown}" is not a timeframe; use one of ${TIMEFRAME_NAMES.join(', ')}.`);
  }
  return tf;
}

const limitError = () => new HttpError(400, `The limit must be a whole number from ${LIMIT.min} to ${LIMIT.max} (the default is ${LIMIT.default}).`);

export function limitOrThrow(value: number | undefined): number {
  const limit = value ?? LIMIT.default;
  if (!Number.isInteger(limit) || limit < LIMIT.min || limit > LIMIT.max) throw limitError();
  return limit;
}

/** The limit as sent, before the schema coerces it: plain decimal digits only (not 0x10, 1e2, " 1" or a repeated limit). */
export function limitTextOrThrow(text: unknown): void {
  if (text === undefined) return;
  if (typeof text !== 'string' || !/^[0-9]{1,7}$/.test(text)) throw limitError();
  limitOrThrow(Number(text));
}

/** The `limit` most recent bars of a timeframe, oldest first. */
export async function recentCandles(candles: CandleService, symbol: string, tf: Timeframe, limit: number, useRTH: boolean): Promise<Candle[]> {
  if (!tf.chunk) {
    const bars = await candles.fetch({ symbol, barSize: tf.barSize, duration: yearsFor(tf, limit), useRTH });
    return bars.slice(-limit);
  }
  let out: Candle[] = [];
  let end: number | undefined;
  // where the current stretch with no bars began (the end of its first empty request)
  let emptyFrom: number | undefined;
  const chunks = maxChunks(tf, limit);
  for (let i = 0; i < chunks && out.length < limit; i++) {
    const bars = await candles
      .fetch({
        symbol,
        barSize: tf.barSize,
        duration: tf.chunk.duration,
        useRTH,
        endDateTime: end === undefined ? '' : ibEndDate(end),
      })
      .catch((e: unknown) => {
        // an earlier range IB has nothing for (before the instrument's first trade, a closed stretch):
        // the bars already fetched are the answer, not lost to an error
        if (end !== undefined && e instanceof IbError && isNoDataRefusal(e.info.code, e.info.raw)) return [];
        throw e;
      });
    const older = end === undefined ? bars : bars.filter((b) => b.time < end!);
    out = [...older, ...out];
    if (older.length > 0) {
      end = older[0].time;
      emptyFrom = undefined;
    } else if (end !== undefined) {
      // a weekend or holiday: step over it; a week with nothing is before the first trade
      emptyFrom ??= end;
      end -= tf.chunk.seconds;
      if (emptyFrom - end >= NO_TRADE_SECONDS) break;
    } else break; // nothing at all up to now
  }
  return out.slice(-limit);
}

export interface PostCandlesBody {
  duration?: string;
  bar_size?: string;
  what_to_show?: string;
  use_rth?: boolean;
}

/** POST /candles's body as the domain's request (defaults filled in). */
export function postedRequest(symbol: string, body: PostCandlesBody): HistoryRequest {
  return {
    symbol,
    duration: body.duration ?? '1 D',
    barSize: body.bar_size ?? '1 min',
    // left out, the domain picks the instrument's own (MIDPOINT for forex)
    whatToShow: body.what_to_show as WhatToShow | undefined,
    useRTH: body.use_rth ?? true,
  };
}

/** A request IB would refuse whatever the gateway's state (a bar size with that duration): its 422, before any 503. */
export function refuseBadRequest(req: HistoryRequest): void {
  const bad = historyRequestError(req);
  if (bad) throw bad;
}
