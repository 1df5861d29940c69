/**
 * The seeded price path, built in scales so any instant can be computed
 * without walking from the beginning of time:
 *  1. session closes: a Brownian motion over day numbers, sampled by a dyadic
 *     Brownian bridge (O(log days) per close, in any order);
 *  2. minutes inside a session: a Brownian bridge from the session's open (the
 *     previous close plus an overnight gap) to its close, with each minute's
 *     high/low excursion;
 *  3. seconds inside a minute: a bridge from the minute's open to its close,
 *     mapped to touch exactly the minute's high and low.
 * Every level is rounded to the tick size with a monotone rounding, so a bar
 * aggregated from smaller bars equals the bar computed directly.
 *
 * An instrument that follows an index (a future on it, an ETF of it) shares
 * the index's daily path and, while the index is open, its minutes: its level
 * is the index's times a fixed ratio and the future's carry, and outside the
 * index's hours it walks on its own between the index's close and next open.
 * So ES and SPX, SPY and SPX, NQ and NDX move together minute by minute.
 */
import { previousSession, type Session, type Schedule } from './calendar';
import { rounderFor, type Rounder } from './prices';
import { hashKeys, normal, normalAt, streamBase, stringKey, uniformAt } from './rng';
import { dayFromYmd, parseDayString } from './timezone';
import type { Instrument } from './types';

const TREE_SPAN = 65536; // day numbers 0..65536: 1970 to 2149
const REFERENCE_DAY = dayFromYmd(2026, 1, 1); // prices sit near basePrice around here
const SQUASH = 0.9; // log-price excursions from basePrice saturate around e^0.9
const FX_LAG = 365; // a currency pair's level is its walk's change over the last year: it wanders about its base, not away
const OFF_HOURS_VARIANCE = 0.1; // a minute outside regular hours against one in them (variance)

enum Stream {
  Tree = 1,
  Gap = 2,
  MinuteStep = 3,
  MinuteHigh = 4,
  MinuteLow = 5,
  MinuteCount = 7,
  SecondStep = 8,
  SecondTouch = 9,
  SecondVolume = 10,
  SecondCount = 11,
  DayVolume = 12,
}

/** Per-instrument constants of the walk. */
export interface PathSpec {
  seed: number;
  /** Currency pairs: the level is the walk's change over FX_LAG days (stationary), not the walk itself. */
  meanReverting: boolean;
  /** RNG key of the path: what follows an index shares its path; futures months of one symbol share theirs. */
  key: number;
  logBase: number;
  /** Log-volatility per calendar day. */
  dailySigma: number;
  rounder: Rounder;
  /** Futures: expiry day number (a small carry that shrinks to expiry). */
  expiryDay?: number;
  /** Futures: days from one contract month to the next (see contractShare). */
  cycleDays?: number;
  /** Futures: annual carry (log) where it is not DEFAULT_CARRY. */
  carry?: number;
  averageVolume: number;
  tradeSize: number;
  rthWeight: (fraction: number) => number;
  offHoursWeight: number;
}

/** The walk's constants of an instrument; `followed`: the index it follows (its path and volatility are the index's). */
export function pathSpec(seed: number, inst: Instrument, followed?: Instrument): PathSpec {
  const key = followed?.conId ?? (inst.secType === 'FUT' ? stringKey(`FUT:${inst.symbol}:${inst.currency}`) : inst.conId);
  const meanReverting = inst.secType === 'CASH';
  return {
    seed,
    meanReverting,
    key,
    logBase: Math.log(inst.basePrice),
    // the lagged difference of two days' walks moves √2 as much a day as the walk: scaled back
    dailySigma: (followed ?? inst).volatility / Math.sqrt(365) / (meanReverting ? Math.SQRT2 : 1),
    rounder: rounderFor(inst.quoteTick ?? inst.minTick),
    expiryDay: inst.secType === 'FUT' ? parseDayString(inst.lastTradeDateOrContractMonth) : undefined,
    cycleDays: inst.secType === 'FUT' ? inst.cycleDays : undefined,
    carry: inst.secType === 'FUT' ? inst.carry : undefined,
    averageVolume: inst.averageVolume,
    tradeSize: inst.secType === 'FUT' ? 4 : 120,
    rthWeight: (x) => 1 + 1.5 * (2 * x - 1) ** 2,
    offHoursWeight: inst.secType === 'FUT' ? 0.12 : 0.05,
  };
}

/** Standard Brownian motion at a day number (variance 1 per day), by dyadic bridge refinement. */
function treeValue(seed: number, key: number, day: number): number {
  const target = Math.min(Math.max(Math.round(day), 0), TREE_SPAN);
  let lo = 0;
  let hi = TREE_SPAN;
  let vLo = 0;
  let vHi = Math.sqrt(TREE_SPAN) * normal(seed, key, Stream.Tree, TREE_SPAN, 1);
  if (target === hi) return vHi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const vMid = (vLo + vHi) / 2 + (Math.sqrt(hi - lo) / 2) * normal(seed, key, Stream.Tree, mid);
    if (target === mid) return vMid;
    if (target < mid) {
      hi = mid;
      vHi = vMid;
    } else {
      lo = mid;
      vLo = vMid;
    }
  }
  return target === lo ? vLo : vHi;
}

const ROLL_DAYS = 8; // traders move to the next contract month about eight days before expiry
const NEXT_SHARE = 0.03; // the month after the front trades a few percent of its volume
const FAR_SHARE = 0.003;

/**
 * A futures contract's share of its symbol's volume (and book depth) on a
 * day: the front month trades nearly all of it; in the last ROLL_DAYS before
 * its expiry it fades as the next month takes over; months further out trade
 * little. 1 for anything that is not a future.
 */
export function contractShare(spec: PathSpec, day: number): number {
  if (spec.expiryDay === undefined || spec.cycleDays === undefined) return 1;
  const d = spec.expiryDay - day;
  const cycle = spec.cycleDays;
  if (d < 0) return 0;
  if (d <= ROLL_DAYS) return NEXT_SHARE + ((1 - NEXT_SHARE) * d) / ROLL_DAYS;
  if (d <= cycle) return 1;
  if (d <= cycle + ROLL_DAYS) return NEXT_SHARE + ((1 - NEXT_SHARE) * (cycle + ROLL_DAYS - d)) / ROLL_DAYS;
  return d <= 2 * cycle + ROLL_DAYS ? NEXT_SHARE : FAR_SHARE;
}

const DEFAULT_CARRY = 0.045;

/** A future's carry over its index on `day` (log): shrinks to nothing at expiry. */
export function carryLog(spec: PathSpec, day: number): number {
  return spec.expiryDay !== undefined ? ((spec.carry ?? DEFAULT_CARRY) * Math.max(spec.expiryDay - day, 0)) / 365 : 0;
}

/** Log price at the close of the session on `day`. */
export function closeLog(spec: PathSpec, day: number): number {
  const since = spec.meanReverting ? day - FX_LAG : REFERENCE_DAY;
  const walk = spec.dailySigma * (treeValue(spec.seed, spec.key, day) - treeValue(spec.seed, spec.key, since));
  return spec.logBase + SQUASH * Math.tanh(walk / SQUASH) + carryLog(spec, day);
}

/** The minutes of what an instrument follows (an index; a listing's home market), where their sessions overlap. */
export interface Anchor {
  /** The minute of the instrument's session at which the followed session starts (below zero: it started earlier). */
  from: number;
  /** The index's minutes. */
  path: SessionPath;
  /** Log of the instrument's price over the index's: the ETF's fraction, the future's carry. */
  shift: number;
}

/** Minute bars of one whole session (full trading hours), rounded. */
export interface SessionPath {
  session: Session;
  minutes: number;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  count: Float64Array;
  wap: Float64Array;
  /** cumVolume[i] = volume of minutes before i; length minutes + 1. */
  cumVolume: Float64Array;
}

/**
 * How busy a day is against the average: real daily volume varies by about a third from day to day, and more on
 * the days that move (a large cap trades 40M one day, 90M on a day it falls 4%). A log-normal day factor, raised
 * with the size of the day's move in its own standard deviations; its median over a year is about 1.
 */
export function dayActivity(spec: Pick<PathSpec, 'seed' | 'key'>, day: number, moveSigmas: number): number {
  const move = Number.isFinite(moveSigmas) ? Math.min(Math.abs(moveSigmas), 4) : 0;
  return Math.exp(0.22 * normal(spec.seed, spec.key, Stream.DayVolume, day) + 0.3 * (move - 0.67));
}

export function buildSessionPath(spec: PathSpec, schedule: Schedule, session: Session, anchor?: Anchor): SessionPath {
  const { seed, key, rounder } = spec;
  const day = session.day;
  const n = Math.round((session.end - session.start) / 60);
  const prev = previousSession(schedule, day);
  const prevClose = closeLog(spec, prev ? prev.day : day - 1);
  // what follows an index opens where it closed (the index's overnight gap comes by its open); so does a currency
  // pair, which trades through the night: its daily break is minutes, and it reopens where it stopped
  const openLog = anchor || spec.meanReverting ? prevClose : prevClose + 0.25 * spec.dailySigma * normal(seed, key, Stream.Gap, day);
  const endLog = closeLog(spec, day);
  // the day's variance falls mostly in regular hours: a minute outside them moves about a third as much as one in
  // them (pre-market and after hours trade thin), so the session's own move and its path both happen there
  const rthFrom = (session.rthStart - session.start) / 60;
  const rthTo = (session.rthEnd - session.start) / 60;
  const varianceOf = (minute: number) => (minute >= rthFrom && minute < rthTo ? 1 : OFF_HOURS_VARIANCE);
  /** Variance time: cumVar[i] = the variance of the minutes before minute i. */
  const cumVar = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumVar[i + 1] = cumVar[i] + varianceOf(i);
  const sigmaUnit = spec.dailySigma / Math.sqrt(cumVar[n] || 1);
  const sigmaOf = (minute: number) => sigmaUnit * Math.sqrt(varianceOf(minute));

  const steps = streamBase(seed, key, Stream.MinuteStep, day);
  const highs = streamBase(seed, key, Stream.MinuteHigh, day);
  const lows = streamBase(seed, key, Stream.MinuteLow, day);
  const counts = streamBase(seed, key, Stream.MinuteCount, day);
  const walk = new Float64Array(n + 1);
  // one Box-Muller pair per minute: the step (cos) and the volume noise (sin)
  const volumeNoise = new Float64Array(n + 1);
  for (let i = 1; i <= n; i++) {
    const radius = Math.sqrt(-2 * Math.log(uniformAt(steps, 2 * i)));
    const angle = 2 * Math.PI * uniformAt(steps, 2 * i + 1);
    walk[i] = walk[i - 1] + sigmaOf(i - 1) * radius * Math.cos(angle);
    volumeNoise[i] = radius * Math.sin(angle);
  }
  const level = new Float64Array(n + 1);
  /** A Brownian bridge of the walk from minute s (log level `a`) to minute e (log level `b`), in variance time. */
  const bridge = (s: number, e: number, a: number, b: number): void => {
    for (let i = s; i <= e; i++) {
      const f = e > s ? (cumVar[i] - cumVar[s]) / (cumVar[e] - cumVar[s]) : 0;
      level[i] = Math.exp(a + walk[i] - walk[s] - (walk[e] - walk[s]) * f + (b - a) * f);
    }
  };
  // the minutes [a, b] both sessions trade: the followed path's levels there; bridges of the own walk before and after
  const a = anchor ? Math.max(0, anchor.from) : 0;
  const b = anchor ? Math.min(n, anchor.from + anchor.path.minutes) : 0;
  const inside = anchor && b > a ? anchor : undefined;
  if (!inside) bridge(0, n, openLog, endLog);
  else {
    const { from, path: idx, shift } = inside;
    const m = idx.minutes;
    for (let i = a; i <= b; i++) level[i] = (i - from < m ? idx.open[i - from] : idx.close[m - 1]) * Math.exp(shift);
    if (a > 0) bridge(0, a, openLog, Math.log(level[a]));
    if (b < n) bridge(b, n, Math.log(level[b]), endLog);
  }

  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const count = new Float64Array(n);
  const wap = new Float64Array(n);
  const cumVolume = new Float64Array(n + 1);

  const dayVolume = spec.averageVolume * (session.volume ?? 1) * contractShare(spec, day) * dayActivity(spec, day, (endLog - prevClose) / spec.dailySigma);
  // volume profile: U-shaped in regular hours, thin outside
  const weights = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    weights[i] = i >= rthFrom && i < rthTo ? spec.rthWeight((i - rthFrom + 0.5) / (rthTo - rthFrom)) : spec.offHoursWeight;
    total += weights[i];
  }

  for (let i = 0; i < n; i++) {
    const a = level[i];
    const b = level[i + 1];
    // a minute of the followed index keeps the index's reach above and below its open and close
    const k = inside ? i - inside.from : -1;
    const idx = inside?.path;
    const followed = idx !== undefined && i >= a && i < b;
    const up = followed ? idx.high[k] / Math.max(idx.open[k], idx.close[k]) : 1 - Math.log(uniformAt(highs, i)) * sigmaOf(i) * 0.4;
    const down = followed ? idx.low[k] / Math.min(idx.open[k], idx.close[k]) : 1 / (1 - Math.log(uniformAt(lows, i)) * sigmaOf(i) * 0.4);
    const o = rounder.price(a);
    const c = rounder.price(b);
    const h = rounder.price(Math.max(a, b) * up);
    const l = rounder.price(Math.min(a, b) * down);
    open[i] = o;
    close[i] = c;
    high[i] = h;
    low[i] = l;
    wap[i] = rounder.fine((o + h + l + c) / 4);
    if (dayVolume > 0) {
      const v = Math.round(((dayVolume * weights[i]) / total) * Math.exp(0.45 * volumeNoise[i + 1] - 0.1));
      volume[i] = v;
      count[i] = v > 0 ? Math.max(1, Math.round((v / spec.tradeSize) * (0.7 + 0.6 * uniformAt(counts, i)))) : 0;
    }
    cumVolume[i + 1] = cumVolume[i] + volume[i];
  }
  return { session, minutes: n, open, high, low, close, volume, count, wap, cumVolume };
}

/** The 60 one-second bars of one minute: price points p[0..60] (p[0] = open, p[60] = close) and split volume/count. */
export interface MinuteSeconds {
  points: Float64Array;
  volume: Float64Array;
  count: Float64Array;
  /** cumVolume[j] = volume of seconds before j; length 61. */
  cumVolume: Float64Array;
}

function splitInteger(total: number, weights: Float64Array, out: Float64Array): void {
  let sum = 0;
  for (let j = 0; j < weights.length; j++) sum += weights[j];
  let acc = 0;
  let prev = 0;
  for (let j = 0; j < weights.length; j++) {
    acc += weights[j];
    const upTo = j === weights.length - 1 ? total : Math.floor((total * acc) / sum);
    out[j] = upTo - prev;
    prev = upTo;
  }
}

export function buildMinuteSeconds(spec: PathSpec, path: SessionPath, minute: number): MinuteSeconds {
  const { seed, key, rounder } = spec;
  const day = path.session.day;
  const o = path.open[minute];
  const h = path.high[minute];
  const l = path.low[minute];
  const c = path.close[minute];
  const sub = minute * 64;

  const steps = streamBase(seed, key, Stream.SecondStep, day);
  const q = new Float64Array(61);
  for (let j = 1; j <= 60; j++) q[j] = q[j - 1] + normalAt(steps, sub + j);
  const scale = Math.max(h - l, rounder.tick) / 6;
  const x = new Float64Array(61);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j <= 60; j++) {
    x[j] = o + ((c - o) * j) / 60 + scale * (q[j] - (q[60] * j) / 60);
    if (x[j] < min) min = x[j];
    if (x[j] > max) max = x[j];
  }
  // the second that touches the high and the one that touches the low
  const touch = hashKeys(seed, key, Stream.SecondTouch, day, minute);
  const iHigh = 1 + (touch % 59);
  const iLow = 1 + ((iHigh + (Math.floor(touch / 59) % 58)) % 59);
  const nudge = scale * 0.1 + 1e-9;
  x[iHigh] = max + nudge;
  x[iLow] = min - nudge;
  min -= nudge;
  max += nudge;
  // monotone map: [min, lo] -> [l, lo], [hi, max] -> [hi, h], identity between
  const lo = Math.min(o, c);
  const hi = Math.max(o, c);
  const points = new Float64Array(61);
  for (let j = 0; j <= 60; j++) {
    const v = x[j];
    let m: number;
    if (v < lo) m = l + ((v - min) / (lo - min)) * (lo - l);
    else if (v > hi) m = hi + ((v - hi) / (max - hi)) * (h - hi);
    else m = v;
    points[j] = rounder.price(Math.min(Math.max(m, l), h));
  }
  points[0] = o;
  points[60] = c;
  points[iHigh] = h;
  points[iLow] = l;

  const weights = new Float64Array(60);
  const volumes = streamBase(seed, key, Stream.SecondVolume, day);
  const counts = streamBase(seed, key, Stream.SecondCount, day);
  for (let j = 0; j < 60; j++) weights[j] = 0.05 + uniformAt(volumes, sub + j) ** 2;
  const volume = new Float64Array(60);
  splitInteger(path.volume[minute], weights, volume);
  for (let j = 0; j < 60; j++) weights[j] = volume[j] + 0.01 * uniformAt(counts, sub + j);
  const count = new Float64Array(60);
  splitInteger(path.count[minute], weights, count);
  const cumVolume = new Float64Array(61);
  for (let j = 0; j < 60; j++) cumVolume[j + 1] = cumVolume[j] + volume[j];
  return { points, volume, count, cumVolume };
}
