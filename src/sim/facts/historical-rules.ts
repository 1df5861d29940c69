/**
 * The simulator's own copy of IB's historical-data rules, written from IB's
 * documentation (TWS API "Historical Bar Data": valid bar sizes, duration
 * units, the step-size table, whatToShow values) and not shared with the
 * extension's domain: the simulator is an oracle the client can disagree with.
 */

/** Bar sizes as IB lists them, with the seconds they span (a month counted as 30 days). */
const BAR_SIZE_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['1 secs', 1],
  ['5 secs', 5],
  ['10 secs', 10],
  ['15 secs', 15],
  ['30 secs', 30],
  ['1 min', 60],
  ['2 mins', 120],
  ['3 mins', 180],
  ['5 mins', 300],
  ['10 mins', 600],
  ['15 mins', 900],
  ['20 mins', 1200],
  ['30 mins', 1800],
  ['1 hour', 3600],
  ['2 hours', 7200],
  ['3 hours', 10800],
  ['4 hours', 14400],
  ['8 hours', 28800],
  ['1 day', 86400],
  ['1 week', 604800],
  ['1 month', 2592000],
];

/** The list TWS quotes when it refuses a bar size. */
export const LEGAL_BAR_SIZES_TEXT =
  '1 secs, 5 secs, 10 secs, 15 secs, 30 secs, 1 min, 2 mins, 3 mins, 5 mins, 10 mins, 15 mins, 20 mins, 30 mins, 1 hour, 2 hours, 3 hours, 4 hours, 8 hours, 1 day, 1W, 1M';

/** whatToShow values TWS accepts for historical bars (and REQ_HEAD_TIMESTAMP). */
export const WHAT_TO_SHOW: readonly string[] = [
  'TRADES',
  'MIDPOINT',
  'BID',
  'ASK',
  'BID_ASK',
  'ADJUSTED_LAST',
  'HISTORICAL_VOLATILITY',
  'OPTION_IMPLIED_VOLATILITY',
];

/** whatToShow values of reqRealTimeBars (IB: "TRADES, MIDPOINT, BID or ASK"). */
export const REAL_TIME_WHAT_TO_SHOW: readonly string[] = ['TRADES', 'MIDPOINT', 'BID', 'ASK'];

/**
 * Kinds of bars an instrument has none of, which HMDS refuses with 162: forex
 * (quotes only) has no trades; an index is a computed value with no bid, ask
 * or midpoint, TRADES only (see msgNoDataOfType).
 */
export function hasNoDataOfType(inst: { quoteOnly?: boolean; secType: string }, whatToShow: string): boolean {
  if (inst.quoteOnly) return whatToShow === 'TRADES' || whatToShow === 'ADJUSTED_LAST';
  return inst.secType === 'IND' && ['MIDPOINT', 'BID', 'ASK', 'BID_ASK'].includes(whatToShow);
}

/**
 * A bar size as seconds, only in the spellings TWS takes: those it lists when
 * it refuses one (LEGAL_BAR_SIZES_TEXT, "1W" and "1M" included) and IB's
 * table's "1 week" / "1 month". Anything else is refused with 321, "1 sec"
 * too: "Contrary to IB's online documentation, as of Aug 2015 the string
 * '1 sec' does not work" (error 321, "Historical data bar size setting is
 * invalid. Legal ones are: 1 secs, ..."). Case and repeated spaces are not
 * held against a client.
 */
export function barSeconds(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (t === '1w') return 604800;
  if (t === '1m') return 2592000;
  return BAR_SIZE_TABLE.find(([name]) => name === t)?.[1];
}

/** IB's spelling of a bar size of these seconds. */
export function barSizeName(seconds: number): string {
  return BAR_SIZE_TABLE.find(([, s]) => s === seconds)?.[0] ?? `${seconds} secs`;
}

export type DurationUnit = 'S' | 'D' | 'W' | 'M' | 'Y';

export interface DurationSpec {
  count: number;
  unit: DurationUnit;
  /** Nominal seconds (D = 86400, W = 7 D, M = 30 D, Y = 365 D). */
  nominal: number;
  text: string;
}

const NOMINAL: Record<DurationUnit, number> = { S: 1, D: 86400, W: 604800, M: 2592000, Y: 31536000 };
/** Counts past these are refused (IB: at most a day of seconds, a year of days, ...). */
const MAX: Record<DurationUnit, number> = { S: 86400, D: 365, W: 52, M: 12, Y: 20 };

/** "30 S", "1 D", "2 W", "6 M", "1 Y"; undefined when TWS would not read it. */
export function readDuration(text: string): DurationSpec | undefined {
  const m = /^\s*(\d{1,6}) ([SDWMY])\s*$/.exec(text);
  if (!m) return undefined;
  const count = Number(m[1]);
  const unit = m[2] as DurationUnit;
  if (count < 1 || count > MAX[unit]) return undefined;
  return { count, unit, nominal: count * NOMINAL[unit], text: `${count} ${unit}` };
}

/**
 * The smallest bar a duration allows: IB's step-size table up to a day
 * (60 S .. 1800 S: 1 secs; 3600 S: 5 secs; 14400 S: 10 secs; 28800 S: 30 secs;
 * 1 D: 1 min). Its rows past a day (2 D: 2 mins, 1 W: 3 mins, 1 M: 30 mins,
 * 1 Y: 1 day) are guidelines TWS does not hold to: it serves 60 D of 1-hour
 * bars and 5 D of 1-minute bars, so only bars under a minute are refused there.
 */
const SMALLEST_BAR: ReadonlyArray<readonly [number, number]> = [
  [1800, 1],
  [3600, 5],
  [14400, 10],
  [28800, 30],
  [Infinity, 60],
];

/** Why TWS would refuse this bar with this duration ("Invalid step"), or undefined. */
export function stepProblem(bar: number, d: DurationSpec): string | undefined {
  const smallest = SMALLEST_BAR.find(([upTo]) => d.nominal <= upTo)![1];
  if (bar < smallest) return `bar size "${barSizeName(bar)}" is too small for a duration of "${d.text}": IB needs "${barSizeName(smallest)}" or larger`;
  // Day-unit durations take bars up to a day whatever their count; second durations no bar longer than themselves.
  if (bar > d.nominal && !(d.unit !== 'S' && bar <= 86400)) return `bar size "${barSizeName(bar)}" is longer than the duration "${d.text}"`;
  return undefined;
}

/** Bars of calendar time past which the simulator answers as TWS does for a request too long ("Time length exceed max"). */
const MAX_NOMINAL_BARS = 100_000;

/** Whether the request spans more bars than the simulator serves at once. */
export function tooLong(bar: number, d: DurationSpec): boolean {
  return d.nominal / bar > MAX_NOMINAL_BARS;
}

/** Whether the account may have no data of an instrument at all, bars included: no live subscription and no delayed data (TWS's 10168 on a quote). */
export function hasNoPermission(inst: { liveSubscribed: boolean; delayedAvailable?: boolean }): boolean {
  return !inst.liveSubscribed && inst.delayedAvailable === false;
}
