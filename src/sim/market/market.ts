/**
 * The seeded market: bars, ticks and session statistics for the universe's
 * instruments, all derived from one base series (1-second bars inside
 * 1-minute bars inside sessions, see walk.ts), so every bar size agrees with
 * every other and with the streamed ticks. Pure: no I/O, no clock.
 */
import { BarBuilder } from './aggregate';
import { present } from './present';
import {
  isOpenAt,
  lastOpenAt,
  latestSession,
  previousSession,
  scheduleOf,
  segmentOf,
  sessionAt,
  sessionOn,
  sessionsBetween,
  type Schedule,
  type Session,
} from './calendar';
import { LruCache } from './lru';
import { printSize } from './prints';
import { hashKeys, seedKey } from './rng';
import { localDay, localStamp, offsetMs, parseDayString, weekday, ymdOfDay, zonedToUtc } from './timezone';
import type { BarQuery, Instrument, Market, SessionStats, SimBar, SimTick, Universe } from './types';
import { createUniverse } from './universe';
import {
  buildMinuteSeconds,
  buildSessionPath,
  carryLog,
  contractShare,
  pathSpec,
  type Anchor,
  type MinuteSeconds,
  type PathSpec,
  type SessionPath,
} from './walk';

export interface MarketOptions {
  seed: number;
  universe?: Universe;
}

const DAY = 86_400;
const WEEK = 604_800;
const TICK_STREAM = 20;
const PRINT_STREAM = 21;
/** Spreads in ticks, equally likely: one tick 80% of the time, two 15%, three 5%. */
const SPREADS = [...Array<number>(16).fill(1), 2, 2, 2, 3];
/**
 * A currency pair's spreads in its quote ticks (0.00001 for EUR.USD), even so
 * that the book sits symmetric about the path, which is its midpoint (what
 * MIDPOINT bars show): 0.2 pip most of the time (1.08733 / 1.08735
 * recorded), 0.4 and 0.6 pip now and then.
 */
const FX_SPREADS = [...Array<number>(16).fill(2), 4, 4, 4, 6];

type Visit = (time: number, open: number, high: number, low: number, close: number, volume: number, count: number, wap: number) => void;

interface Prepared {
  inst: Instrument;
  /** The index it follows (see walk.ts), when in the universe. */
  followed?: Prepared;
  spec: PathSpec;
  schedule: Schedule;
  headDay: number;
  /** Hot-path memo: streaming asks for the same session and minute many times in a row. */
  lastSession?: Session;
  lastPath?: SessionPath;
  lastSeconds?: { path: SessionPath; minute: number; secs: MinuteSeconds };
}

/** "YYYYMMDD" of a day bar's time (or any instant) in the instrument's exchange time zone: how IB dates day bars. */
export function barDate(inst: Instrument, timeSec: number): string {
  return localStamp(scheduleOf(inst).zone, timeSec * 1000).date;
}

/**
 * The calendar period a session date falls in, for week and month bars: the
 * day number of its week's Monday, or year * 12 + month. Day bars (and
 * anything smaller) are their own period: the day number.
 */
function periodOf(day: number, barSizeSeconds: number): number {
  if (barSizeSeconds === WEEK) return day - ((weekday(day) + 6) % 7);
  if (barSizeSeconds > WEEK) {
    const ymd = ymdOfDay(day);
    return ymd.year * 12 + ymd.month;
  }
  return day;
}

/** The period (see periodOf) of a day, week or month bar, from its time: local midnight of its session date. */
export function barPeriod(inst: Instrument, timeSec: number, barSizeSeconds: number): number {
  return periodOf(localDay(scheduleOf(inst).zone, timeSec * 1000), barSizeSeconds);
}

export function createMarket(options: MarketOptions): Market {
  const seed = options.seed;
  const universe = options.universe ?? createUniverse();
  const rngSeed = seedKey(seed);
  const prepared = new Map<number, Prepared>();
  const paths = new LruCache<string, SessionPath>(300);
  const seconds = new LruCache<string, MinuteSeconds>(2048);
  const summaries = new LruCache<string, SimBar>(50_000);

  function prep(inst: Instrument): Prepared {
    let p = prepared.get(inst.conId);
    if (!p || p.inst !== inst) {
      const index = inst.follows !== undefined && inst.follows !== inst.conId ? universe.byConId(inst.follows) : undefined;
      const followed = index && index.follows === undefined ? prep(index) : undefined;
      const spec = pathSpec(rngSeed, inst, followed?.inst);
      p = { inst, followed, spec, schedule: scheduleOf(inst), headDay: parseDayString(inst.headDate ?? '') ?? 0 };
      prepared.set(inst.conId, p);
    }
    return p;
  }

  /** The followed instrument's minutes, where its session of the same date overlaps this one. */
  function anchorOf(p: Prepared, s: Session): Anchor | undefined {
    const f = p.followed;
    if (!f) return undefined;
    const fs = sessionOn(f.schedule, s.day);
    if (!fs || fs.start >= s.end || fs.end <= s.start || (fs.start - s.start) % 60 !== 0) return undefined;
    const shift = p.spec.logBase - f.spec.logBase + carryLog(p.spec, s.day);
    return { from: (fs.start - s.start) / 60, path: sessionPath(f, fs), shift };
  }

  /** A session's minutes (cached). */
  function pathOf(p: Prepared, s: Session): SessionPath {
    return paths.getOrCreate(`${p.inst.conId}|${s.day}`, () => buildSessionPath(p.spec, p.schedule, s, anchorOf(p, s)));
  }

  function sessionPath(p: Prepared, s: Session): SessionPath {
    if (p.lastPath && p.lastPath.session.day === s.day) return p.lastPath;
    const path = pathOf(p, s);
    p.lastPath = path;
    return path;
  }

  function minuteSeconds(p: Prepared, path: SessionPath, minute: number): MinuteSeconds {
    const memo = p.lastSeconds;
    if (memo && memo.path === path && memo.minute === minute) return memo.secs;
    const secs = seconds.getOrCreate(`${p.inst.conId}|${path.session.day}|${minute}`, () => buildMinuteSeconds(p.spec, path, minute));
    p.lastSeconds = { path, minute, secs };
    return secs;
  }

  /** Visits base bars covering [from, to) inside one session: whole minutes where possible (unless `fine`), seconds otherwise. */
  function forEachBase(p: Prepared, s: Session, from: number, to: number, fine: boolean, visit: Visit): void {
    const path = sessionPath(p, s);
    const fineWap = p.spec.rounder.fine;
    let t = Math.max(from, s.start);
    const stop = Math.min(to, s.end);
    while (t < stop) {
      const m = Math.floor((t - s.start) / 60);
      const mStart = s.start + m * 60;
      const mEnd = mStart + 60;
      if (!fine && t === mStart && mEnd <= stop) {
        visit(mStart, path.open[m], path.high[m], path.low[m], path.close[m], path.volume[m], path.count[m], path.wap[m]);
        t = mEnd;
        continue;
      }
      const secs = minuteSeconds(p, path, m);
      const last = Math.min(stop, mEnd);
      for (let j = t - mStart; j < last - mStart; j++) {
        const o = secs.points[j];
        const c = secs.points[j + 1];
        const h = Math.max(o, c);
        const l = Math.min(o, c);
        visit(mStart + j, o, h, l, c, secs.volume[j], secs.count[j], fineWap((o + h + l + c) / 4));
      }
      t = last;
    }
  }

  const prefixes = new WeakMap<SessionPath, { high: Float64Array; low: Float64Array }>();
  /** The regular-hours open and close of the session before a session. */
  const prevDays = new WeakMap<SessionPath, { open: number; close: number }>();
  /** high[i] / low[i]: extremes of the session's minutes before i. */
  function prefixOf(path: SessionPath): { high: Float64Array; low: Float64Array } {
    let pre = prefixes.get(path);
    if (!pre) {
      const high = new Float64Array(path.minutes + 1);
      const low = new Float64Array(path.minutes + 1);
      high[0] = -Infinity;
      low[0] = Infinity;
      for (let i = 0; i < path.minutes; i++) {
        high[i + 1] = Math.max(high[i], path.high[i]);
        low[i + 1] = Math.min(low[i], path.low[i]);
      }
      pre = { high, low };
      prefixes.set(path, pre);
    }
    return pre;
  }

  function summarize(p: Prepared, s: Session, from: number, to: number, time: number): SimBar {
    const b = new BarBuilder(time);
    forEachBase(p, s, from, to, false, (_t, o, h, l, c, v, n, w) => b.add(o, h, l, c, v, n, w));
    return b.build(p.spec.rounder.fine);
  }

  function dayStart(p: Prepared, s: Session): number {
    return zonedToUtc(p.schedule.zone, s.day, 0) / 1000;
  }

  function dayBar(p: Prepared, s: Session, rth: boolean, end: number): SimBar | undefined {
    const seg = segmentOf(s, rth);
    if (seg.start >= end) return undefined;
    const time = dayStart(p, s);
    if (seg.end <= end) {
      return summaries.getOrCreate(`${p.inst.conId}|${s.day}|${rth ? 1 : 0}`, () => summarize(p, s, seg.start, seg.end, time));
    }
    return summarize(p, s, seg.start, end, time);
  }

  /**
   * Day bars, or week and month bars folded from them: grouped by the calendar
   * week (Monday to Sunday) or month of the session date, and dated, as TWS
   * dates them, by the period's last day with data up to the end time (its
   * Friday, or Thursday when Friday is a holiday; the running period's latest
   * day). A period the window starts inside holds only its days in the window.
   */
  function longBars(p: Prepared, q: BarQuery): SimBar[] {
    const rth = q.useRTH;
    const end = q.endTime;
    const start = end - q.durationSeconds;
    const days: Array<{ s: Session; bar: SimBar }> = [];
    for (const s of sessionsBetween(p.schedule, start, end, rth)) {
      if (s.day < p.headDay) continue;
      const bar = dayBar(p, s, rth, end);
      if (bar) days.push({ s, bar });
    }
    if (q.barSizeSeconds < WEEK) return days.map((d) => ({ ...d.bar }));
    const out: SimBar[] = [];
    let group: number | undefined;
    let builder: BarBuilder | undefined;
    for (const d of days) {
      const g = periodOf(d.s.day, q.barSizeSeconds);
      if (g !== group || !builder) {
        if (builder) out.push(builder.build(p.spec.rounder.fine));
        builder = new BarBuilder(d.bar.time);
        group = g;
      }
      builder.time = d.bar.time;
      builder.addBar(d.bar);
    }
    if (builder) out.push(builder.build(p.spec.rounder.fine));
    return out;
  }

  function intradayBars(p: Prepared, q: BarQuery): SimBar[] {
    const size = q.barSizeSeconds;
    const end = q.endTime;
    const start = end - q.durationSeconds;
    const fine = size < 60;
    const out: SimBar[] = [];
    for (const s of sessionsBetween(p.schedule, start, end, q.useRTH)) {
      if (s.day < p.headDay) continue;
      const seg = segmentOf(s, q.useRTH);
      const off = offsetMs(p.schedule.zone, seg.start * 1000) / 1000;
      const align = (t: number): number => Math.floor((t + off) / size) * size - off;
      const from = Math.max(seg.start, align(start));
      const to = Math.min(seg.end, end);
      if (from >= to) continue;
      let builder: BarBuilder | undefined;
      forEachBase(p, s, from, to, fine, (t, o, h, l, c, v, n, w) => {
        const bucket = Math.max(align(t), seg.start);
        if (!builder || builder.time !== bucket) {
          if (builder) out.push(builder.build(p.spec.rounder.fine));
          builder = new BarBuilder(bucket);
        }
        builder.add(o, h, l, c, v, n, w);
      });
      if (builder) out.push(builder.build(p.spec.rounder.fine));
    }
    return out;
  }

  function sessionForTick(p: Prepared, timeMs: number): { s: Session; t: number; timeMs: number } {
    let t = Math.floor(timeMs / 1000);
    const memo = p.lastSession;
    if (memo && memo.start <= t && t < memo.end) return { s: memo, t, timeMs };
    let s = sessionAt(p.schedule, t, false);
    if (s) p.lastSession = s;
    let when = timeMs;
    if (!s) {
      when = lastOpenAt(p.inst, timeMs, false);
      t = Math.floor(when / 1000);
      s = sessionAt(p.schedule, t, false) ?? latestSession(p.schedule, t, false);
    }
    if (!s) throw new Error(`no trading session for ${p.inst.localSymbol} near ${new Date(timeMs).toISOString()}`);
    return { s, t: Math.min(Math.max(t, s.start), s.end - 1), timeMs: when };
  }

  const market: Market = {
    seed,
    universe,
    isOpen: (inst, timeMs, useRTH) => isOpenAt(inst, timeMs, useRTH),
    bars(inst, query) {
      const p = prep(inst);
      if (!(query.barSizeSeconds > 0) || !(query.durationSeconds > 0)) return [];
      const bars = query.barSizeSeconds >= DAY ? longBars(p, query) : intradayBars(p, query);
      return present(p.inst, p.spec.rounder, bars, query.whatToShow);
    },
    tickAt(inst, timeMs) {
      const p = prep(inst);
      const { s, t, timeMs: when } = sessionForTick(p, timeMs);
      const path = sessionPath(p, s);
      const offset = t - s.start;
      const m = Math.floor(offset / 60);
      const j = offset - m * 60;
      const secs = minuteSeconds(p, path, m);
      const last = secs.points[j + 1];
      const r = p.spec.rounder;
      // The tape moves once a second (last = the 1-second bar's close); the book
      // (spread position and sizes) moves every 100 ms, as quotes do between trades.
      const slot = Math.floor((((when % 1000) + 1000) % 1000) / 100);
      const h = hashKeys(p.spec.seed, p.spec.key, TICK_STREAM, s.day, offset * 10 + slot);
      // a liquid book is one tick wide most of the time; a futures month few trade, wider and thinner
      const depth = contractShare(p.spec, s.day);
      const spread = inst.quoteOnly ? FX_SPREADS[h % FX_SPREADS.length] : depth < 0.5 ? 1 + (h % 4) : SPREADS[h % SPREADS.length];
      // a quote-only pair's path is its mid; a traded instrument's last sits anywhere in its book
      const below = inst.quoteOnly ? spread / 2 : (h >>> 2) % (spread + 1);
      const bid = r.price(last - below * r.tick);
      const ask = r.price(bid + spread * r.tick);
      const sizeUnit = inst.secType === 'STK' ? 100 : inst.secType === 'CASH' ? 100_000 : inst.secType === 'FUT' ? 1 : 0;
      const traded = secs.volume[j];
      return {
        time: when,
        bid,
        ask,
        last,
        bidSize: sizeUnit * (1 + Math.floor(((h >>> 4) % 40) * depth)),
        askSize: sizeUnit * (1 + Math.floor(((h >>> 10) % 40) * depth)),
        lastSize: inst.averageVolume > 0 ? printSize(inst.secType, hashKeys(p.spec.seed, p.spec.key, PRINT_STREAM, s.day, offset), traded) : 0,
        volume: path.cumVolume[m] + secs.cumVolume[j + 1],
      } satisfies SimTick;
    },
    sessionStats(inst, timeMs) {
      const p = prep(inst);
      const { s, t } = sessionForTick(p, timeMs);
      const path = sessionPath(p, s);
      const upTo = Math.min(t + 1, s.end);
      // whole minutes from prefix extremes, then the seconds of the current minute
      const whole = Math.floor((upTo - s.start) / 60);
      const prefix = prefixOf(path);
      let high = prefix.high[whole];
      let low = prefix.low[whole];
      let volume = path.cumVolume[whole];
      if (s.start + whole * 60 < upTo) {
        forEachBase(p, s, s.start + whole * 60, upTo, true, (_t, _o, h, l, _c, v) => {
          if (h > high) high = h;
          if (l < low) low = l;
          volume += v;
        });
      }
      let prev = prevDays.get(path);
      if (prev === undefined) {
        const before = previousSession(p.schedule, s.day);
        const pp = before ? pathOf(p, before) : undefined;
        prev =
          before && pp
            ? { open: pp.open[Math.round((before.rthStart - before.start) / 60)], close: pp.close[Math.round((before.rthEnd - before.start) / 60) - 1] }
            : { open: path.open[0], close: path.open[0] };
        prevDays.set(path, prev);
      }
      // IB's OPEN tick: "Current session's opening price. Before open will refer to previous day." A stock's pre-market
      // is before its open; a future's and a currency pair's session opens at its start
      const open = upTo > s.rthStart ? path.open[Math.round((s.rthStart - s.start) / 60)] : p.inst.secType === 'STK' ? prev.open : path.open[0];
      return { open, high, low, prevClose: prev.close, volume } satisfies SessionStats;
    },
    headTimestamp(inst) {
      const p = prep(inst);
      for (let d = p.headDay; d < p.headDay + 30; d++) {
        const s = sessionOn(p.schedule, d);
        if (s) return s.start;
      }
      return zonedToUtc(p.schedule.zone, p.headDay, 0) / 1000;
    },
  };
  return market;
}
