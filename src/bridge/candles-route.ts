/**
 * GET /candles/{symbol}?limit&timeframe: the `limit` most recent bars of a
 * jax timeframe, oldest first, asked of IB in as few requests as its step
 * table allows (each ending where the previous one began, as many as the
 * limit needs: see maxChunks); POST
 * /candles/{symbol} with IB's own words (duration, bar_size, what_to_show).
 * Both take `use_rth` (regular trading hours only; true unless asked) and
 * `end` (the bars that start before it, in place of the most recent ones).
 */
import { IbError, isNoDataRefusal, type CandleService } from '../ib';
import { historyRequestError } from '../ib/candles/request';
import { calendarPeriod, samePeriod } from '../ib/candles';
import type { Candle, HistoryRequest, WhatToShow } from '../ib/types';
import { checkBarRequest, parseDuration } from '../ib/bar-sizes';
import { readSymbol } from '../ib/contracts/symbol';
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

const END_FORMS = 'an RFC 3339 time with a zone (2026-11-20T16:00:00Z, 2026-11-20T11:00:00-05:00) or whole Unix seconds (1795190400), from 1990 on';
/** 1990-01-01T00:00:00Z and 9999-12-31T23:59:59Z, in epoch seconds. */
const END_RANGE = { min: 631_152_000, max: 253_402_300_799 } as const;
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

function endError(text: unknown): HttpError {
  const given = typeof text === 'string' || typeof text === 'number' ? String(text) : undefined;
  const shown = given === undefined ? '' : ` "${given.length > 30 ? `${given.slice(0, 27)}...` : given}"`;
  // a "+" left unencoded in a query string arrives as a space
  const plus = typeof text === 'string' && / \d{2}:\d{2}$/.test(text) ? ' (in a query string, write the "+" of a zone as %2B)' : '';
  return new HttpError(400, `The end${shown} is not a time the bridge reads: use ${END_FORMS}${plus}.`);
}

/** RFC 3339 with a zone as epoch seconds (a fraction rounds up: a bar at the whole second starts before it), else undefined. */
function rfc3339Seconds(text: string): number | undefined {
  const m = RFC_3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const [sign, offsetHour, offsetMinute] = [m[8] === '-' ? -1 : 1, Number(m[9] ?? 0), Number(m[10] ?? 0)];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59 || offsetHour > 23 || offsetMinute > 59)
    return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) / 1000 - sign * (offsetHour * 3600 + offsetMinute * 60);
  return /[1-9]/.test(m[7] ?? '') ? utc + 1 : utc;
}

/**
 * `end` as sent (a query's text, or a JSON body's string or integer) as epoch seconds; left out, undefined.
 * Anything but RFC 3339 with a zone or whole Unix seconds in decimal digits, from 1990 on, is a 400.
 */
export function endOrThrow(text: unknown): number | undefined {
  if (text === undefined) return undefined;
  let seconds: number | undefined;
  if (typeof text === 'number') seconds = Number.isInteger(text) ? text : undefined;
  else if (typeof text === 'string' && text.length <= 100) seconds = /^[0-9]+$/.test(text) ? Number(text) : rfc3339Seconds(text);
  if (seconds === undefined || !(seconds >= END_RANGE.min && seconds <= END_RANGE.max)) throw endError(text);
  return seconds;
}

const isContinuous = (symbol: string) => readSymbol(symbol)?.secType === 'CONTFUT';

/** The longest of these spans IB serves a bar size over in one request, no longer than `seconds`. */
function continuousSpan(barSize: string, seconds: number): string | undefined {
  const spans = ['1 Y', '6 M', '3 M', '2 M', '1 M', '2 W', '1 W', '5 D', '3 D', '2 D', '1 D'];
  return spans.find((d) => (parseDuration(d)?.seconds ?? Infinity) <= seconds && checkBarRequest(barSize, d) === undefined);
}

/** The `limit` most recent bars of a timeframe, or the last `limit` that start before `endSeconds`; oldest first. */
export async function recentCandles(
  candles: CandleService,
  symbol: string,
  tf: Timeframe,
  limit: number,
  useRTH: boolean,
  endSeconds?: number,
): Promise<Candle[]> {
  // a range IB has nothing for (before the instrument's first trade, a closed stretch) before a given end: no bars, not an error
  const noneBefore = (given: number | undefined) => (e: unknown) => {
    if (given !== undefined && e instanceof IbError && isNoDataRefusal(e.info.code, e.info.raw)) return [];
    throw e;
  };
  if (!tf.chunk) {
    const endDateTime = endSeconds === undefined ? '' : ibEndDate(endSeconds);
    const bars = await candles.fetch({ symbol, barSize: tf.barSize, duration: yearsFor(tf, limit), useRTH, endDateTime }).catch(noneBefore(endSeconds));
    if (endSeconds === undefined) return bars.slice(-limit);
    // a week or month bar is dated by its last trading day: the one of end's own week (or month) is the bar at end, cut short here
    const period = calendarPeriod(tf.barSize);
    return bars.filter((b) => b.time < endSeconds && !(period && samePeriod(b.time, endSeconds, period))).slice(-limit);
  }
  // IB takes no end date for a continuous future (10339): one request ending now, as long as its bar size allows
  if (isContinuous(symbol)) {
    const span = continuousSpan(tf.barSize, maxChunks(tf, limit) * tf.chunk.seconds) ?? tf.chunk.duration;
    const bars = await candles.fetch({
      symbol,
      barSize: tf.barSize,
      duration: span,
      useRTH,
      endDateTime: endSeconds === undefined ? '' : ibEndDate(endSeconds),
    });
    return bars.slice(-limit);
  }
  let out: Candle[] = [];
  let end: number | undefined = endSeconds;
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
      // the bars already fetched are the answer, not lost to an error
      .catch(noneBefore(end));
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
  end?: string | number;
}

/** POST /candles's body as the domain's request (defaults filled in). */
export function postedRequest(symbol: string, body: PostCandlesBody): HistoryRequest {
  const end = endOrThrow(body.end);
  return {
    symbol,
    duration: body.duration ?? '1 D',
    barSize: body.bar_size ?? '1 min',
    // left out, the domain picks the instrument's own (MIDPOINT for forex)
    whatToShow: body.what_to_show as WhatToShow | undefined,
    useRTH: body.use_rth ?? true,
    ...(end === undefined ? {} : { endDateTime: ibEndDate(end) }),
  };
}

/** A request IB would refuse whatever the gateway's state (a bar size with that duration): its 422, before any 503. */
export function refuseBadRequest(req: HistoryRequest): void {
  const bad = historyRequestError(req);
  if (bad) throw bad;
}
