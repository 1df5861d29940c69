/**
 * Validation of everything the host posts to the webview. Anything that does
 * not match the protocol is dropped here, so the drawing code never sees it.
 */
import type { Candle } from '../../src/ib/types';
import type { ChartState, HostMessage, RegularSessions } from './protocol';
import { parseSavedView } from './view-range';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isText(v: unknown, max = 500): v is string {
  return typeof v === 'string' && v.length <= max;
}

function isTextList(v: unknown): v is string[] {
  return Array.isArray(v) && v.length <= 200 && v.every((s) => isText(s, 50) && s.trim() !== '');
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A well-formed candle, or undefined. Negative volume (IB sends -1 where there is none) becomes 0. */
export function parseCandle(v: unknown): Candle | undefined {
  if (!isObj(v)) return undefined;
  const { time, open, high, low, close, volume } = v;
  if (!finite(time) || time <= 0 || !Number.isInteger(time)) return undefined;
  if (!finite(open) || !finite(high) || !finite(low) || !finite(close)) return undefined;
  if (high < low || high < Math.max(open, close) || low > Math.min(open, close)) return undefined;
  const vol = volume === undefined || volume === null ? 0 : volume;
  if (!finite(vol)) return undefined;
  return { time, open, high, low, close, volume: Math.max(0, vol) };
}

/** Well-formed candles in ascending time order, one per time (the later one wins). */
export function parseCandles(list: unknown[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const item of list) {
    const c = parseCandle(item);
    if (c) byTime.set(c.time, c);
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/** The most sessions a message may list (a session a day over five years, and more). */
const MAX_SESSIONS = 10_000;

/**
 * Regular sessions as the protocol has them ([start, end) pairs of whole epoch seconds,
 * ascending, none overlapping), or undefined: a list with any fault is dropped whole,
 * since a part of one would shade regular bars.
 */
export function parseRegularSessions(v: unknown): RegularSessions | undefined {
  if (!Array.isArray(v) || v.length > MAX_SESSIONS) return undefined;
  const out: RegularSessions = [];
  let previousEnd = 0;
  for (const pair of v) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [start, end] = pair as unknown[];
    if (!finite(start) || !finite(end) || !Number.isInteger(start) || !Number.isInteger(end)) return undefined;
    if (start < previousEnd || end <= start || start <= 0) return undefined;
    out.push([start, end]);
    previousEnd = end;
  }
  return out;
}

/** A time zone this browser knows, or undefined (the chart then stays in UTC). */
function parseZone(v: unknown): { zone: string; label: string } | undefined {
  if (!isObj(v) || !isText(v.zone, 64) || !isText(v.label, 64) || !v.zone || !v.label) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: v.zone });
  } catch {
    return undefined;
  }
  return { zone: v.zone, label: v.label };
}

/** A valid host message, or undefined for anything else (unknown types, wrong fields). */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (!isObj(data) || typeof data.type !== 'string') return undefined;
  const m = data;
  switch (m.type) {
    case 'init':
      if (!isText(m.symbol) || !isText(m.title) || !isText(m.barSize, 50) || !isText(m.duration, 50)) return undefined;
      if (!isTextList(m.barSizes) || !isTextList(m.durations) || typeof m.simulated !== 'boolean') return undefined;
      return {
        type: 'init',
        symbol: m.symbol,
        title: m.title,
        barSize: m.barSize,
        duration: m.duration,
        barSizes: [...m.barSizes],
        durations: [...m.durations],
        simulated: m.simulated,
        ...(parseZone(m.timeZone) ? { timeZone: parseZone(m.timeZone) } : {}),
        ...(typeof m.useRTH === 'boolean' ? { useRTH: m.useRTH } : {}),
        ...(finite(m.minTick) && m.minTick > 0 ? { minTick: m.minTick } : {}),
        ...(m.stockHours === true ? { stockHours: true as const } : {}),
      };
    case 'candles': {
      if (!isText(m.symbol) || !isText(m.barSize, 50) || !Array.isArray(m.candles)) return undefined;
      const candles = parseCandles(m.candles);
      // Malformed entries are dropped; a list with nothing usable is not allowed to blank the chart.
      if (candles.length === 0 && m.candles.length > 0) return undefined;
      const regularSessions = parseRegularSessions(m.regularSessions);
      return { type: 'candles', symbol: m.symbol, barSize: m.barSize, candles, ...(regularSessions ? { regularSessions } : {}) };
    }
    case 'sessions': {
      if (!isText(m.symbol) || !isText(m.barSize, 50)) return undefined;
      const regularSessions = parseRegularSessions(m.regularSessions);
      if (m.regularSessions !== undefined && !regularSessions) return undefined;
      return { type: 'sessions', symbol: m.symbol, barSize: m.barSize, ...(regularSessions ? { regularSessions } : {}) };
    }
    case 'candle': {
      if (!isText(m.symbol) || !isText(m.barSize, 50)) return undefined;
      const candle = parseCandle(m.candle);
      return candle ? { type: 'candle', symbol: m.symbol, barSize: m.barSize, candle } : undefined;
    }
    case 'hours':
      return isText(m.symbol) && typeof m.extendedHours === 'boolean' ? { type: 'hours', symbol: m.symbol, extendedHours: m.extendedHours } : undefined;
    case 'status':
      if (!isText(m.text, 2000)) return undefined;
      if (m.kind !== 'info' && m.kind !== 'live' && m.kind !== 'warning' && m.kind !== 'error') return undefined;
      return { type: 'status', text: m.text, kind: m.kind };
    case 'loading':
      return typeof m.loading === 'boolean' ? { type: 'loading', loading: m.loading } : undefined;
    default:
      return undefined;
  }
}

/** A saved ChartState, or undefined when the saved value is missing or from something else. */
export function parseChartState(v: unknown): ChartState | undefined {
  if (!isObj(v) || !isText(v.symbol) || !isText(v.barSize, 50) || !isText(v.duration, 50)) return undefined;
  const view = parseSavedView(v.view);
  return {
    symbol: v.symbol,
    barSize: v.barSize,
    duration: v.duration,
    ...(typeof v.useRTH === 'boolean' ? { useRTH: v.useRTH } : {}),
    ...(view ? { view } : {}),
  };
}

/** Bar-size texts compared the way a person reads them ("5 mins" == " 5  Mins "). */
export function sameBarSize(a: string, b: string): boolean {
  const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return norm(a) === norm(b);
}
