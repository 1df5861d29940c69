/**
 * The jax timeframes (`1, 5, 15, 60, 1D, 1W` or `1m, 5m, 15m, 1h, 1d, 1w`) as
 * IB bar sizes, and how far back one history request for each may reach under
 * IB's step table (a longer reach needs several requests, each ending where
 * the previous one began).
 */
export interface Timeframe {
  /** The jax name in its long form: "1m", "5m", "15m", "1h", "1d", "1w". */
  name: string;
  barSize: string;
  /**
   * The duration of one request and its calendar seconds, and the fewest bars
   * one such request brings back from an instrument that trades at least a US
   * stock's regular hours (6.5 h, half days 3.5 h) on every weekday but its
   * holidays: how many requests `limit` bars may need. Undefined: in years,
   * as many as `limit` needs (at most 20).
   */
  chunk?: { duration: string; seconds: number; minBars: number };
  /** Bars per year, for the daily and weekly durations. */
  perYear?: number;
}

const DAY = 86_400;

const TABLE: Record<string, Timeframe> = {
  // 1 D: one session, a half day's 210 minutes (a request that lands on a weekend brings none: counted in)
  '1m': { name: '1m', barSize: '1 min', chunk: { duration: '1 D', seconds: DAY, minBars: 120 } },
  // 1 W: at least 3 trading days (a week with a holiday and a half day: 3.5), of 78 and 26 bars
  '5m': { name: '5m', barSize: '5 mins', chunk: { duration: '1 W', seconds: 7 * DAY, minBars: 200 } },
  '15m': { name: '15m', barSize: '15 mins', chunk: { duration: '1 W', seconds: 7 * DAY, minBars: 75 } },
  // 1 M: at least 18 trading days of 7 hourly bars (09:30, 10:00 ... 15:00)
  '1h': { name: '1h', barSize: '1 hour', chunk: { duration: '1 M', seconds: 30 * DAY, minBars: 120 } },
  '1d': { name: '1d', barSize: '1 day', perYear: 252 },
  '1w': { name: '1w', barSize: '1 week', perYear: 52 },
};

const ALIASES: Record<string, string> = { '1': '1m', '5': '5m', '15': '15m', '60': '1h', '1D': '1d', '1W': '1w' };

/** Every spelling a client may send, for error messages and the API description. */
export const TIMEFRAME_NAMES: readonly string[] = [...Object.keys(ALIASES), ...Object.keys(TABLE)];

export function parseTimeframe(text: string): Timeframe | undefined {
  return TABLE[ALIASES[text] ?? text];
}

/** The limit a client may ask for, and the default. */
export const LIMIT = { min: 1, max: 1000, default: 250 } as const;

/**
 * At most this many requests for the `limit` most recent bars of an intraday
 * timeframe: enough for `limit` bars of the sparsest instrument (one request
 * for the bars of the current, unfinished stretch and one to spare). IB's
 * pacing does not count bars of a minute and more; a GET /candles asks at
 * most 16 (15m, limit 1000), and stops sooner once it has `limit` bars or
 * reaches a week before the instrument's first trade.
 */
export function maxChunks(tf: Timeframe, limit: number): number {
  return tf.chunk ? Math.ceil(limit / tf.chunk.minBars) + 2 : 1;
}

/** A stretch this long with no bars at all (calendar seconds) is before the instrument's first trade: the bars end there. */
export const NO_TRADE_SECONDS = 7 * DAY;

/** The duration of a daily or weekly request that covers `limit` bars. */
export function yearsFor(tf: Timeframe, limit: number): string {
  const years = Math.min(20, Math.max(1, Math.ceil((limit + 5) / (tf.perYear ?? 252))));
  return `${years} Y`;
}

/** IB's end date "yyyyMMdd-HH:mm:ss" (UTC) for epoch seconds. */
export function ibEndDate(epochSeconds: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
}
