/**
 * Trading sessions: when each kind of instrument trades, in its exchange's
 * local time, daylight saving included. A session is named by its session
 * date (the date IB puts on the day bar); futures and forex sessions start on
 * the evening before it.
 */
import { futureSchedule } from './futures-hours';
import { isCmeHaltHoliday, isFxClosure, isStockMarketClosure, isUsEarlyClose, isUsHoliday } from './holidays';
import { LruCache } from './lru';
import { dayString, ianaZone, localDay, localStamp, parseDayString, weekday, zonedToUtc } from './timezone';
import type { Instrument } from './types';

/** Minutes after local midnight of the session date; negative = the evening before. US early-close days (the day after Thanksgiving, Christmas Eve, July 3) end early. */
export interface Schedule {
  name: string;
  zone: string;
  start: number;
  end: number;
  rthStart: number;
  rthEnd: number;
  /** 'us': US exchange holidays (and the stock markets' own closures for a us-stock or index schedule); 'fx': IDEALPRO's; 'none'. */
  holidays: 'us' | 'fx' | 'none';
  /** On US early-close days: where the session and its regular hours end instead. */
  earlyEnd?: number;
  earlyRthEnd?: number;
  /** CME: on a US holiday other than New Year's Day, Good Friday and Christmas, a session until this minute, all of it regular hours. */
  holidayHalt?: number;
  /** An expiring contract: its last session ends at the last trade time (minute of the session date) and none follow. */
  expiry?: { day: number; minute: number };
}

/** One session, in epoch seconds. */
export interface Session {
  /** Day number of the session date. */
  day: number;
  start: number;
  end: number;
  rthStart: number;
  rthEnd: number;
  /** The share of a normal day's volume where it is not one: an early close, a holiday's short session. */
  volume?: number;
}

const hm = (h: number, m = 0): number => h * 60 + m;

const schedules = new WeakMap<Instrument, Schedule>();

/** The instrument's trading schedule (cached per instrument object). */
export function scheduleOf(inst: Instrument): Schedule {
  let s = schedules.get(inst);
  if (!s) {
    s = makeSchedule(inst);
    schedules.set(inst, s);
  }
  return s;
}

/** A future's last trade: its date and "HH:mm" time in its own zone (IB: "20250620 08:30 US/Central"). */
function expiryOf(inst: Instrument): Schedule['expiry'] {
  if (inst.secType !== 'FUT' || !inst.lastTradeTime) return undefined;
  const day = parseDayString(inst.lastTradeDateOrContractMonth);
  const m = /^(\d{2}):(\d{2})/.exec(inst.lastTradeTime);
  return day === undefined || !m ? undefined : { day, minute: hm(Number(m[1]), Number(m[2])) };
}

function makeSchedule(inst: Instrument): Schedule {
  const schedule = baseSchedule(inst);
  const expiry = expiryOf(inst);
  return expiry ? { ...schedule, name: `${schedule.name}@${expiry.day}:${expiry.minute}`, expiry } : schedule;
}

function baseSchedule(inst: Instrument): Schedule {
  const zone = ianaZone(inst.timeZoneId);
  switch (inst.secType) {
    case 'CASH':
      // Sunday 17:15 to Friday 17:00 New York: one session per weekday, 17:15 the evening before to 17:00.
      return { name: 'fx', zone, start: hm(17, 15) - hm(24), end: hm(17), rthStart: hm(17, 15) - hm(24), rthEnd: hm(17), holidays: 'fx' };
    case 'FUT':
      return futureSchedule(inst, zone);
    case 'IND':
      return { name: 'index', zone, start: hm(9, 30), end: hm(16), rthStart: hm(9, 30), rthEnd: hm(16), holidays: 'us', earlyEnd: hm(13), earlyRthEnd: hm(13) };
    default:
      if (inst.currency !== 'USD') {
        return { name: 'stock-regular', zone, start: hm(9, 30), end: hm(16), rthStart: hm(9, 30), rthEnd: hm(16), holidays: 'none' };
      }
      return { name: 'us-stock', zone, start: hm(4), end: hm(20), rthStart: hm(9, 30), rthEnd: hm(16), holidays: 'us', earlyEnd: hm(17), earlyRthEnd: hm(13) };
  }
}

const sessionCache = new LruCache<string, Session | null>(50_000);

/** The session with this session date, or undefined on weekends and holidays. */
export function sessionOn(schedule: Schedule, day: number): Session | undefined {
  const key = `${schedule.name}|${schedule.zone}|${day}`;
  let s = sessionCache.get(key);
  if (s === undefined) {
    s = makeSession(schedule, day);
    sessionCache.set(key, s);
  }
  return s ?? undefined;
}

function makeSession(schedule: Schedule, day: number): Session | null {
  const wd = weekday(day);
  const stocks = schedule.name === 'us-stock' || schedule.name === 'index';
  if (schedule.holidays === 'fx' ? isFxClosure(day) : stocks && isStockMarketClosure(day)) return null;
  const holiday = schedule.holidays === 'us' && isUsHoliday(day);
  const halt = holiday && schedule.holidayHalt !== undefined && isCmeHaltHoliday(day);
  const expiry = schedule.expiry;
  if (wd === 0 || wd === 6 || (holiday && !halt) || (expiry && day > expiry.day)) return null;
  const early = schedule.holidays === 'us' && isUsEarlyClose(day);
  let end = halt ? schedule.holidayHalt! : ((early ? schedule.earlyEnd : undefined) ?? schedule.end);
  let rthStart = halt ? schedule.start : schedule.rthStart;
  let rthEnd = halt ? end : ((early ? schedule.earlyRthEnd : undefined) ?? schedule.rthEnd);
  if (expiry && day === expiry.day) {
    // trading stops at the last trade time; regular hours end there too, or are empty (ES at 08:30: liquidHours "CLOSED")
    end = Math.min(end, expiry.minute);
    rthEnd = Math.min(rthEnd, end);
    rthStart = Math.min(rthStart, rthEnd);
  }
  if (end <= schedule.start) return null;
  const at = (minute: number): number => zonedToUtc(schedule.zone, day, minute) / 1000;
  const session: Session = { day, start: at(schedule.start), end: at(end), rthStart: at(rthStart), rthEnd: at(rthEnd) };
  // a half day trades about half a day's volume; a holiday's short session (CME) a third
  if (halt) session.volume = 0.35;
  else if (early) session.volume = 0.55;
  return session;
}

export function segmentOf(s: Session, rth: boolean): { start: number; end: number } {
  return rth ? { start: s.rthStart, end: s.rthEnd } : { start: s.start, end: s.end };
}

/** Does the session trade in these hours at all (an expiring future's last session can have no regular hours)? */
const hasHours = (s: Session, rth: boolean): boolean => (rth ? s.rthEnd > s.rthStart : s.end > s.start);

/** The session trading at an instant (epoch seconds), if any. */
export function sessionAt(schedule: Schedule, time: number, rth: boolean): Session | undefined {
  const day = localDay(schedule.zone, time * 1000);
  for (const d of [day, day + 1]) {
    const s = sessionOn(schedule, d);
    if (!s) continue;
    const seg = segmentOf(s, rth);
    if (seg.start <= time && time < seg.end) return s;
  }
  return undefined;
}

/** Sessions whose (regular or full) hours overlap [from, to), oldest first. */
export function sessionsBetween(schedule: Schedule, from: number, to: number, rth: boolean): Session[] {
  if (!(to > from)) return [];
  const first = localDay(schedule.zone, from * 1000) - 1;
  const last = localDay(schedule.zone, to * 1000) + 1;
  const out: Session[] = [];
  for (let d = first; d <= last; d++) {
    const s = sessionOn(schedule, d);
    if (!s) continue;
    const seg = segmentOf(s, rth);
    if (hasHours(s, rth) && seg.end > from && seg.start < to) out.push(s);
  }
  return out;
}

/** The latest session whose hours started at or before an instant (epoch seconds). */
export function latestSession(schedule: Schedule, time: number, rth: boolean): Session | undefined {
  const day = localDay(schedule.zone, time * 1000) + 1;
  for (let d = day; d > day - 30; d--) {
    const s = sessionOn(schedule, d);
    if (s && hasHours(s, rth) && segmentOf(s, rth).start <= time) return s;
  }
  return undefined;
}

/** The session before the one on this session date. */
export function previousSession(schedule: Schedule, day: number): Session | undefined {
  for (let d = day - 1; d > day - 30; d--) {
    const s = sessionOn(schedule, d);
    if (s) return s;
  }
  return undefined;
}

/**
 * The most recent instant (epoch ms) at or before `timeMs` when the instrument
 * traded (regular hours when `rth`, the default): `timeMs` itself while open,
 * else 1 ms before the last session closed. Demos use it on weekends.
 */
export function lastOpenAt(inst: Instrument, timeMs: number, rth = true): number {
  const schedule = scheduleOf(inst);
  const t = Math.floor(timeMs / 1000);
  if (sessionAt(schedule, t, rth)) return timeMs;
  const day = localDay(schedule.zone, timeMs) + 1;
  for (let d = day; d > day - 30; d--) {
    const s = sessionOn(schedule, d);
    if (s && hasHours(s, rth) && segmentOf(s, rth).end <= t) return segmentOf(s, rth).end * 1000 - 1;
  }
  return timeMs;
}

/** Is the instrument trading at this instant (regular hours only when rth)? */
export function isOpenAt(inst: Instrument, timeMs: number, rth: boolean): boolean {
  return sessionAt(scheduleOf(inst), Math.floor(timeMs / 1000), rth) !== undefined;
}

/**
 * IB's hours text for the calendar days [fromMs's local date, + days): every
 * session whose hours touch one of those days, from its first minute (the
 * evening before for futures), and "CLOSED" for a day nothing trades on. So a
 * Sunday whose evening opens Monday's futures session is not closed, and the
 * last day's evening session is listed:
 * "20250521:1700-20250522:1600;...;20250524:CLOSED;20250525:1700-20250526:1200;..." (ES, recorded).
 * Forex leaves such a day an empty entry: ";20231203:1715-20231204:1700;...;20231207:1715-20231208:1700"
 * (EUR.USD, recorded Dec 2023: by its dates six days from Saturday 2 December, that Saturday empty, hence the
 * leading ";"; an older EUR.USD answer, of Dec 2022, wrote "20221210:CLOSED" where the Saturday is).
 */
function hoursString(inst: Instrument, fromMs: number, days: number, rth: boolean): string {
  const schedule = scheduleOf(inst);
  const zone = schedule.zone;
  const first = localDay(zone, fromMs);
  const last = first + days - 1;
  const entries: Array<{ key: string; text: string }> = [];
  const traded = new Set<number>();
  for (let d = first - 1; d <= last + 1; d++) {
    const s = sessionOn(schedule, d);
    if (!s || !hasHours(s, rth)) continue;
    const seg = segmentOf(s, rth);
    const fromDay = localDay(zone, seg.start * 1000);
    const toDay = localDay(zone, (seg.end - 1) * 1000);
    if (toDay < first || fromDay > last) continue;
    for (let x = fromDay; x <= toDay; x++) traded.add(x);
    const a = localStamp(zone, seg.start * 1000);
    const b = localStamp(zone, seg.end * 1000);
    entries.push({ key: `${a.date}${a.time}`, text: `${a.date}:${a.time}-${b.date}:${b.time}` });
  }
  const closed = (d: number): string => (inst.secType === 'CASH' ? '' : `${dayString(d)}:CLOSED`);
  for (let d = first; d <= last; d++) if (!traded.has(d)) entries.push({ key: dayString(d), text: closed(d) });
  return entries
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map((e) => e.text)
    .join(';');
}

/** CONTRACT_DATA tradingHours in IB's format (since v970): "20261125:0400-20261125:2000;20261126:CLOSED;...", six days from the local date of `fromMs`, as TWS lists them. */
export function tradingHours(inst: Instrument, fromMs: number, days = 6): string {
  return hoursString(inst, fromMs, days, false);
}

/** CONTRACT_DATA liquidHours (regular hours), same format as tradingHours. */
export function liquidHours(inst: Instrument, fromMs: number, days = 6): string {
  return hoursString(inst, fromMs, days, true);
}

export interface HoursEntry {
  /** "YYYYMMDD" as written before the colon. */
  date: string;
  closed: boolean;
  /** epoch seconds; absent when closed. */
  start?: number;
  end?: number;
}

/** Reads a tradingHours/liquidHours string back, in the instrument's IB time zone id. Throws on malformed text. */
export function parseTradingHours(text: string, ibZone: string): HoursEntry[] {
  const zone = ianaZone(ibZone);
  const at = (date: string, time: string): number => {
    const day = parseDayString(date);
    if (day === undefined) throw new Error(`bad date "${date}" in trading hours`);
    return zonedToUtc(zone, day, Number(time.slice(0, 2)) * 60 + Number(time.slice(2, 4))) / 1000;
  };
  return text
    .split(';')
    .filter((p) => p.length > 0)
    .map((part) => {
      const closed = /^(\d{8}):CLOSED$/.exec(part);
      if (closed) return { date: closed[1], closed: true };
      const m = /^(\d{8}):(\d{4})-(\d{8}):(\d{4})$/.exec(part);
      if (!m) throw new Error(`bad trading hours entry "${part}"`);
      return { date: m[1], closed: false, start: at(m[1], m[2]), end: at(m[3], m[4]) };
    });
}
