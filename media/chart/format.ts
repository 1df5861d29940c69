/** Number and time formatting for the legend. */
import { MONTH_NAMES } from '../../src/ib/facts/futures';
import type { Candle } from '../../src/ib/types';
import { formatPrice as quotePrice, gridDecimals, gridFor, thirtySecondsOf, tickDecimals, type Decimals } from '../../src/vscode/format';

/**
 * Decimals that show these prices as the watchlist row shows them: those of the instrument's price increment
 * (IB's minTick: 1 -> 0, 0.1 -> 1, 0.00005 -> 5, 1/64 -> 6), more only for a price off its grid (a MIDPOINT bar
 * between two ticks, 1.087345, as the row's mid); while the increment is unknown, two, grown to the prices' own
 * digits. At most 8.
 */
export function pricePrecision(prices: readonly number[], minTick?: number): number {
  let max = tickDecimals(minTick) ?? 2;
  for (const p of prices) if (Number.isFinite(p)) max = gridDecimals(p, max);
  return max;
}

/**
 * The price axis's decimals for a series: the instrument's price increment's (EUR.USD five: a midpoint bar between
 * two ticks is given exactly in the legend, while the axis reads at the tick, not 1.087800); while the increment is
 * unknown, pricePrecision over every price of its last 500 bars (a large history need not be scanned whole).
 */
export function seriesPrecision(candles: readonly Candle[], minTick?: number): number {
  const tick = tickDecimals(minTick);
  if (tick !== undefined) return tick;
  const prices: number[] = [];
  for (let i = Math.max(0, candles.length - 500); i < candles.length; i++) {
    const c = candles[i];
    prices.push(c.open, c.high, c.low, c.close);
  }
  return pricePrecision(prices, minTick);
}

/**
 * How the legend writes a bar's prices, as the row would: in 32nds for an instrument quoted so (a Treasury future,
 * finer parts of a 32nd for a bar off its grid), otherwise pricePrecision's decimals.
 */
export function barDecimals(prices: readonly number[], minTick: number): Decimals {
  const t = thirtySecondsOf(minTick);
  if (!t) return pricePrecision(prices, minTick);
  let d: Decimals = t;
  for (const p of prices) if (Number.isFinite(p)) d = gridFor(p, d);
  return d;
}

/**
 * The price step of the axis and the crosshair: the instrument's increment (ES by 0.25, not 0.01) where the axis's
 * marks, which lightweight-charts spaces by halving down to the step (by 2 and 2.5 for a decimal one), all land on
 * prices the axis can write: an increment of a power of ten, or of one over a power of two (ES 1/4, ZN 1/64). Any
 * other (VIX 0.05: its marks would fall at 14.375, written "14.40") steps by the decimals shown.
 */
export function axisStep(tick: number | undefined, precision: number): number {
  const decimal = Number((10 ** -precision).toFixed(precision));
  if (tick === undefined || !(tick > 0) || Number(tick.toFixed(precision)) !== tick) return decimal;
  const inverse = Math.round(1 / tick);
  const even = Math.abs(inverse * tick - 1) < 1e-9 && (Number.isInteger(Math.log10(inverse)) || (inverse & (inverse - 1)) === 0);
  return even || tick >= 1 ? tick : decimal;
}

/**
 * The price axis's and the crosshair's format (minMove: axisStep's): an instrument quoted in 32nds reads in them
 * ("110'165", by its increment). An increment the axis cannot step by (VIX 0.05, EUR.USD 0.00005, USD.JPY 0.005) marks
 * the axis by the decimals, written as they are, while the crosshair's label reads the nearest price the instrument
 * can trade at (14.35 or 14.40, never 14.37). Any other: the precision's decimals, by the step.
 */
export function axisFormat(precision: number, minTick: number | undefined) {
  const t = thirtySecondsOf(minTick);
  const minMove = axisStep(minTick, precision);
  if (t) return { type: 'custom' as const, minMove: minTick!, formatter: (price: number) => quotePrice(price, t) };
  if (minTick === undefined || !(minTick > 0) || minMove === minTick) return { type: 'price' as const, precision, minMove };
  return {
    type: 'custom' as const,
    minMove,
    formatter: (price: number) => quotePrice(onTick(price, minTick), precision),
    tickmarksFormatter: (prices: readonly number[]) => prices.map((p) => quotePrice(p, precision)),
  };
}

/** The price nearest to `price` that is a whole number of increments. */
export function onTick(price: number, tick: number): number {
  return Math.round(price / tick) * tick;
}

export function formatPrice(value: number, precision: Decimals): string {
  return quotePrice(value, precision);
}

/** "+1.23 (+0.45%)" from the previous close (or the bar's open when there is none); in 32nds "+0'045 (+0.13%)". */
export function formatChange(close: number, reference: number, precision: Decimals): string {
  const diff = close - reference;
  const sign = diff > 0 ? '+' : diff < 0 ? '\u2212' : '';
  const pct = reference !== 0 ? (Math.abs(diff) / Math.abs(reference)) * 100 : 0;
  return `${sign}${quotePrice(Math.abs(diff), precision)} (${sign}${pct.toFixed(2)}%)`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A zone the chart shows times in: an IANA name (or UTC), and how it is named to the person. */
export interface TimeZoneChoice {
  zone: string;
  label: string;
}

export const UTC_ZONE: TimeZoneChoice = { zone: 'UTC', label: 'UTC' };

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Calendar fields of an instant in a zone. */
export function zonedParts(epochSeconds: number, zone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(epochSeconds * 1000))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { y: parts.year, mo: parts.month, d: parts.day, h: parts.hour % 24, mi: parts.minute, s: parts.second };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Bar time (UTC epoch seconds) as "2025-11-25 09:35 US/Eastern" in the chosen zone; just the date for daily bars.
 * IB dates a week's or a month's bar by its last trading day (so far): a bare date would read as that day's bar,
 * so they read "Week to 2026-11-13" and "Jul 2023".
 */
export function formatBarTime(epochSeconds: number, barSeconds: number | undefined, tz: TimeZoneChoice = UTC_ZONE): string {
  // daily and longer bars are dated by the exchange's session: their date, not a zone's
  const p = zonedParts(epochSeconds, barSeconds !== undefined && barSeconds >= 86400 ? 'UTC' : tz.zone);
  const date = `${p.y}-${pad(p.mo)}-${pad(p.d)}`;
  if (barSeconds !== undefined && barSeconds >= 28 * 86400) return `${MONTHS[p.mo - 1]} ${p.y}`;
  if (barSeconds !== undefined && barSeconds >= 7 * 86400) return `Week to ${date}`;
  if (barSeconds !== undefined && barSeconds >= 86400) return date;
  const secs = barSeconds !== undefined && barSeconds < 60 ? `:${pad(p.s)}` : '';
  return `${date} ${pad(p.h)}:${pad(p.mi)}${secs} ${tz.label}`;
}

/**
 * Time-axis labels in the zone: year, month, day of month, time, time with
 * seconds (lightweight-charts' TickMarkType 0..4). Daily and longer bars are
 * dated as IB dates them (their UTC date). Bars shorter than a minute label
 * every time with its seconds: the library marks a whole minute as a time
 * without them, which mixed "14:35" among "14:35:15" and "14:35:30".
 */
export function formatTick(epochSeconds: number, tickType: number, tz: TimeZoneChoice, daily: boolean, barSeconds?: number): string {
  const p = zonedParts(epochSeconds, daily ? 'UTC' : tz.zone);
  if (tickType === 3 && barSeconds !== undefined && barSeconds < 60) tickType = 4;
  switch (tickType) {
    case 0:
      return String(p.y);
    case 1:
      return MONTH_NAMES[p.mo - 1];
    case 2:
      // a day boundary among intraday times names its month ("Dec 4"); among daily bars the month marks come on their own
      return daily ? String(p.d) : `${MONTH_NAMES[p.mo - 1]} ${p.d}`;
    case 4:
      return `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`;
    default:
      return `${pad(p.h)}:${pad(p.mi)}`;
  }
}

const UNIT_WORDS: Readonly<Record<string, string>> = { D: 'day', W: 'week', M: 'month', Y: 'year' };
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * How the toolbar names one of IB's durations or bar sizes (the value sent
 * stays IB's): "1800 S" reads "30 min", "3600 S" "1 hour", "2 W" "2 weeks",
 * "1 secs" "1 sec"; anything else as IB writes it.
 */
export function rangeLabel(value: string): string {
  const d = /^(\d+) ([SDWMY])$/.exec(value);
  if (d) {
    const n = Number(d[1]);
    if (d[2] !== 'S') return plural(n, UNIT_WORDS[d[2]]);
    if (n % 3600 === 0) return plural(n / 3600, 'hour');
    if (n % 60 === 0) return `${n / 60} min`;
    return `${n} sec`;
  }
  return value === '1 secs' ? '1 sec' : value;
}
