/**
 * IB's historical bar sizes and durations, and the step-size table that says
 * which combinations IB accepts. Shared by the domain (validation before a
 * request is sent) and the simulator (refusing what IB would refuse).
 */
import { quoted } from './text';

export const BAR_SIZES = [
  '1 secs',
  '5 secs',
  '10 secs',
  '15 secs',
  '30 secs',
  '1 min',
  '2 mins',
  '3 mins',
  '5 mins',
  '10 mins',
  '15 mins',
  '20 mins',
  '30 mins',
  '1 hour',
  '2 hours',
  '3 hours',
  '4 hours',
  '8 hours',
  '1 day',
  '1 week',
  '1 month',
] as const;
export type BarSize = (typeof BAR_SIZES)[number];

const BAR_SECONDS: Record<BarSize, number> = {
  '1 secs': 1,
  '5 secs': 5,
  '10 secs': 10,
  '15 secs': 15,
  '30 secs': 30,
  '1 min': 60,
  '2 mins': 120,
  '3 mins': 180,
  '5 mins': 300,
  '10 mins': 600,
  '15 mins': 900,
  '20 mins': 1200,
  '30 mins': 1800,
  '1 hour': 3600,
  '2 hours': 7200,
  '3 hours': 10800,
  '4 hours': 14400,
  '8 hours': 28800,
  '1 day': 86400,
  '1 week': 604800,
  '1 month': 2592000,
};

/** Nominal seconds of a duration unit (D, W, M, Y count calendar time). */
const UNIT_SECONDS = { S: 1, D: 86400, W: 604800, M: 2592000, Y: 31536000 } as const;
export type DurationUnit = keyof typeof UNIT_SECONDS;

export interface Duration {
  count: number;
  unit: DurationUnit;
  /** Nominal length in seconds. */
  seconds: number;
  /** Normalised text, e.g. "2 W". */
  text: string;
}

/** IB's upper bound for a duration count per unit (beyond it IB answers 321). */
const MAX_COUNT: Record<DurationUnit, number> = { S: 86400, D: 365, W: 52, M: 12, Y: 20 };

/**
 * The smallest bar IB serves over a duration up to `upTo` seconds. IB's
 * step-size table goes on past a day (2 D: 2 mins, 1 W: 3 mins, 1 M: 30 mins,
 * 1 Y: 1 day) but IB calls it guidelines, and TWS serves more than it lists
 * (60 D of 1-hour bars, 5 D of 1-minute bars: docs/real-tws-facts.md). So past
 * a day only bars under a minute are refused here; IB answers the rest itself
 * (162 "Time length exceed max" where it will not), in its own words.
 */
const STEPS: ReadonlyArray<{ upTo: number; minBar: number }> = [
  { upTo: 1800, minBar: 1 },
  { upTo: 3600, minBar: 5 },
  { upTo: 14400, minBar: 10 },
  { upTo: 28800, minBar: 30 },
  { upTo: Infinity, minBar: 60 },
];

/**
 * The most bars (of calendar time: duration / bar size) one request may span:
 * the extension's own bound, not IB's (1 min over 1 W is 10,080, 1 hour over
 * 1 Y 8,760; 1 min over 1 Y would be 525,600, a download the chart cannot use).
 */
export const MAX_BARS_PER_REQUEST = 20_000;

export function isBarSize(text: string): text is BarSize {
  return (BAR_SIZES as readonly string[]).includes(text);
}

/** Seconds in a bar size, or undefined when IB does not know the text. Accepts "1 sec"/"1 hour"/"1 hours" spellings. */
export function barSizeSeconds(text: string): number | undefined {
  const normal = normaliseBarSize(text);
  return normal ? BAR_SECONDS[normal] : undefined;
}

/** IB's own spelling of a bar size ("1 mins" -> "1 min", "5 sec" -> "5 secs"), or undefined. */
export function normaliseBarSize(text: string): BarSize | undefined {
  const m = /^\s*(\d+)\s*(secs?|mins?|hours?|days?|weeks?|months?)\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase().replace(/s$/, '');
  const candidates: Record<string, string> = {
    sec: `${n} secs`,
    min: n === 1 ? '1 min' : `${n} mins`,
    hour: n === 1 ? '1 hour' : `${n} hours`,
    day: `${n} day`,
    week: `${n} week`,
    month: `${n} month`,
  };
  const text2 = candidates[unit];
  return isBarSize(text2) ? text2 : undefined;
}

/** Parses an IB duration string ("30 S", "1 D", "2 W", "6 M", "1 Y"); undefined when malformed or out of range. */
export function parseDuration(text: string): Duration | undefined {
  const m = /^\s*(\d{1,6})\s+([SDWMY])\s*$/.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  const unit = m[2] as DurationUnit;
  if (count < 1 || count > MAX_COUNT[unit]) return undefined;
  return { count, unit, seconds: count * UNIT_SECONDS[unit], text: `${count} ${unit}` };
}

/** Why IB would refuse this bar size and duration together, or undefined when it accepts them. */
export function checkBarRequest(barSize: string, duration: string): string | undefined {
  const bar = barSizeSeconds(barSize);
  if (bar === undefined) return `${quoted(barSize)} is not an IB bar size; use one of: ${BAR_SIZES.join(', ')}`;
  const d = parseDuration(duration);
  if (!d) {
    return `${quoted(duration)} is not an IB duration; use a whole number and a unit S, D, W, M or Y (e.g. "1 D", "2 W"), at most ${Object.entries(MAX_COUNT)
      .map(([u, n]) => `${n} ${u}`)
      .join(', ')}`;
  }
  const minBar = STEPS.find((s) => d.seconds <= s.upTo)!.minBar;
  if (bar < minBar) {
    const smallest = BAR_SIZES.find((b) => BAR_SECONDS[b] >= minBar)!;
    return `bar size "${normaliseBarSize(barSize)}" is too small for a duration of "${d.text}": IB needs "${smallest}" or larger`;
  }
  if (bar > d.seconds && !(d.unit !== 'S' && bar <= 86400)) {
    return `bar size "${normaliseBarSize(barSize)}" is longer than the duration "${d.text}"`;
  }
  const bars = Math.floor(d.seconds / bar);
  if (bars > MAX_BARS_PER_REQUEST) {
    return `"${d.text}" of "${normaliseBarSize(barSize)}" bars is ${bars.toLocaleString('en-US')} bars of calendar time, more than the ${MAX_BARS_PER_REQUEST.toLocaleString('en-US')} one request asks IB for; choose a larger bar size or a shorter duration`;
  }
  return undefined;
}
