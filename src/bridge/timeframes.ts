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
  /** The duration of one request; undefined: in years, as many as `limit` needs (at most 20). */
  chunk?: { duration: string; seconds: number };
  /** Bars per year, for the daily and weekly durations. */
  perYear?: number;
}

const DAY = 86_400;

const TABLE: Record<string, Timeframe> = {
  '1m': { name: '1m', barSize: '1 min', chunk: { duration: '1 D', seconds: DAY } },
  '5m': { name: '5m', barSize: '5 mins', chunk: { duration: '1 W', seconds: 7 * DAY } },
  '15m': { name: '15m', barSize: '15 mins', chunk: { duration: '1 W', seconds: 7 * DAY } },
  '1h': { name: '1h', barSize: '1 hour', chunk: { duration: '1 M', seconds: 30 * DAY } },
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

/** At most this many requests for one GET /candles (IB allows 60 history requests per 10 minutes). */
export const MAX_CHUNKS = 8;

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
