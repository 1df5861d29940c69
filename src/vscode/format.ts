/**
 * Number and time formatting for the VS Code layer. Presentation only: the
 * values come from the domain as they are.
 */

const DASH = '—';
const MINUS = '−';

/**
 * The decimals of an instrument's price increment as IB gives it (its minTick): 0.01 -> 2, 0.25 -> 2,
 * 0.00005 -> 5, 1/64 -> 6, 1 or 5 -> 0, at most 8; undefined when there is none. The watchlist, the
 * quote table, the hover and the chart all start from these.
 */
export function tickDecimals(minTick: number | undefined): number | undefined {
  if (minTick === undefined || !(minTick > 0) || !Number.isFinite(minTick)) return undefined;
  for (let d = 0; d < 8; d++) if (Math.abs(Number(minTick.toFixed(d)) - minTick) <= minTick * 1e-9) return d;
  return 8;
}

/**
 * A price quoted in 32nds of a point, as TWS and the exchange quote US Treasury futures ("110'165": 110 and 16.5/32):
 * how many parts of a 32nd the instrument's increment is (ZB 1/32: 1, ZN 1/64: 2, ZF 1/128: 4, ZT 1/256: 8).
 */
export interface ThirtySeconds {
  per32: 1 | 2 | 4 | 8;
}

/** How a price is written: with so many decimals, or in 32nds. */
export type Decimals = number | ThirtySeconds;

const PER_32 = [1, 2, 4, 8] as const;

/** The 32nds an instrument is quoted in: an increment of 1/32, 1/64, 1/128 or 1/256 of a point (IB's minTick for them). */
export function thirtySecondsOf(minTick: number | undefined): ThirtySeconds | undefined {
  if (minTick === undefined || !(minTick > 0)) return undefined;
  const per32 = PER_32.find((n) => Math.abs(minTick * 32 * n - 1) < 1e-9);
  return per32 ? { per32 } : undefined;
}

/** The decimals that write a price of this style exactly as a number (a 32nds price's: those of its part of a 32nd). */
export function decimalPlaces(d: Decimals): number {
  return typeof d === 'number' ? d : (tickDecimals(1 / (32 * d.per32)) ?? 8);
}

/**
 * "110'165" for 110 + 16.5/32: the whole points, an apostrophe, the 32nds in two digits and, for an increment below a
 * 32nd, one digit for its part (a half: 5; quarters: 2, 5, 7; eighths: 1, 2, 3, 5, 6, 7, 8), as CME and TWS write them.
 */
function thirtySecondsText(value: number, t: ThirtySeconds): string {
  const parts = 32 * t.per32;
  let whole = Math.floor(value);
  let units = Math.round((value - whole) * parts);
  if (units === parts) {
    whole += 1;
    units = 0;
  }
  const n32 = Math.floor(units / t.per32);
  const digit = t.per32 === 1 ? '' : String(Math.floor(((units % t.per32) * 10) / t.per32));
  return `${whole}'${String(n32).padStart(2, '0')}${digit}`;
}

/** A value in 32nds, in finer parts of one where it lies between (a close settled finer than the increment, a change from it). */
function exactIn32nds(value: number, t: ThirtySeconds): string {
  const g = gridFor(value, t);
  return typeof g === 'number' ? value.toFixed(g) : thirtySecondsText(value, g);
}

/**
 * Decimals that show a price as IB quotes it: those of the instrument's price
 * increment when IB gave one (tickDecimals); otherwise four for prices under 10 and two above.
 */
export function decimalsFor(value: number, minTick?: number): number {
  const d = tickDecimals(minTick);
  if (d !== undefined) return d;
  const a = Math.abs(value);
  return a > 0 && a < 10 ? 4 : 2;
}

/**
 * The decimals a price is shown with on a grid of `decimals`: those when it lies on the grid; otherwise the fewest more
 * that show it exactly, at most 8. A mid of bid and ask an odd number of ticks apart falls between two ticks and gets one
 * more (202.555, 1.087335), never rounded to a side. The one rule for the row's mid and the chart's bars (a MIDPOINT bar).
 */
export function gridDecimals(value: number, decimals: number): number {
  let d = decimals;
  while (d < 8 && Math.abs(Number(value.toFixed(d)) - value) > Math.abs(value) * 1e-12) d++;
  return d;
}

/**
 * How a price lies on a grid of this style (gridDecimals): a 32nds price off its increment's grid in finer parts of a
 * 32nd (a ZN mid between two 64ths: quarters), and past eighths in decimals.
 */
export function gridFor(value: number, d: Decimals): Decimals {
  if (typeof d === 'number') return gridDecimals(value, d);
  const fraction = value - Math.floor(value);
  const per32 = PER_32.find((n) => n >= d.per32 && Math.abs(fraction * 32 * n - Math.round(fraction * 32 * n)) < 1e-6);
  return per32 ? { per32 } : gridDecimals(value, decimalPlaces(d));
}

/** How every price of a quote is written (its price, bid, ask, range, change), or undefined before it has a price. */
export function quoteDecimals(q: { price?: number; minTick?: number }): Decimals | undefined {
  const t = thirtySecondsOf(q.minTick);
  if (t) return t;
  if (q.minTick !== undefined && q.minTick > 0) return decimalsFor(q.price ?? 0, q.minTick);
  return q.price !== undefined ? decimalsFor(q.price) : undefined;
}

/**
 * The decimals for a quote's price and change: its prices' (quoteDecimals), grown by gridDecimals where the price falls
 * between two ticks: the mid of a bid and ask an odd number of ticks apart (202.55 / 202.56: 202.555, not 202.56, the
 * ask; 1.08732 / 1.08735: 1.087335), or a trade printed below the increment (a stock's sub-penny print, 187.4321).
 */
export function priceDecimals(q: { price?: number; minTick?: number }): Decimals | undefined {
  const d = quoteDecimals(q);
  if (d === undefined || q.price === undefined) return d;
  return gridFor(q.price, d);
}

/** "231.42"; in 32nds "110'165" (a negative price, as a spread may be, "−0'045"). */
export function formatPrice(value: number | undefined, decimals?: Decimals): string {
  if (value === undefined || !Number.isFinite(value)) return DASH;
  if (typeof decimals === 'object') return `${value < 0 ? MINUS : ''}${exactIn32nds(Math.abs(value), decimals)}`;
  return value.toFixed(decimals ?? decimalsFor(value));
}

/** "+1.23" / "−1.23" / "0.00"; in 32nds "+0'165". */
export function formatSigned(value: number | undefined, decimals?: Decimals): string {
  if (value === undefined || !Number.isFinite(value)) return DASH;
  const d = decimals ?? decimalsFor(value);
  const text = typeof d === 'object' ? exactIn32nds(Math.abs(value), d) : Math.abs(value).toFixed(d);
  if (Number(Math.abs(value).toFixed(decimalPlaces(d))) === 0) return text;
  return (value > 0 ? '+' : MINUS) + text;
}

/** A change in percent (already in percent units): "+0.51%". */
export function formatPercent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return DASH;
  return `${formatSigned(value, 2)}%`;
}

/** The units sizes and volumes are shown in, largest first. */
const SIZE_UNITS: ReadonlyArray<[number, string]> = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

/**
 * Sizes and volumes, with three significant digits past 10,000: 950, 9999,
 * 12.3K, 300K, 1.60M, 32.4M, 1.20B (the watchlist, the quote table, the
 * details and the chart's legend alike).
 */
export function formatSize(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return DASH;
  const a = Math.abs(value);
  if (a < 1e4) return String(Math.round(value));
  for (let i = 0; i < SIZE_UNITS.length; i++) {
    const [n, suffix] = SIZE_UNITS[i];
    if (a < n) continue;
    // three significant digits, rounded first: 99,950 is "100K", not "100.0K"
    const scaled = Number((a / n).toPrecision(3));
    // 999,950 rounds to "1000K": one unit up reads "1.00M"
    if (scaled >= 1000 && i > 0) return `${value < 0 ? MINUS : ''}${(a / SIZE_UNITS[i - 1][0]).toFixed(2)}${SIZE_UNITS[i - 1][1]}`;
    return `${value < 0 ? MINUS : ''}${scaled.toFixed(scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2)}${suffix}`;
  }
  return String(Math.round(value));
}

/** "2026-11-25 16:58:03" in local time. */
export function formatDateTime(epochMs: number | undefined): string {
  if (epochMs === undefined || !Number.isFinite(epochMs)) return DASH;
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The short name of this machine's time zone at a moment ("UTC", "EST", "GMT+1"): local times say which zone they are in. */
export function localZoneName(epochMs: number): string {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

/** Seconds left until a moment, never negative: "5s", "1m 05s". */
export function formatCountdown(untilMs: number, nowMs: number): string {
  const s = Math.max(0, Math.ceil((untilMs - nowMs) / 1000));
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}
