/**
 * Wall-clock time in an exchange's time zone, daylight saving included, from
 * the ICU data Node ships with (Intl.DateTimeFormat). Days are counted as
 * "day numbers": whole days since 1970-01-01 of a local calendar date.
 */
import { LruCache } from './lru';

const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/** IB's time zone ids as IANA zones. */
const IB_ZONES: Record<string, string> = {
  'US/Eastern': 'America/New_York',
  'US/Central': 'America/Chicago',
  'US/Mountain': 'America/Denver',
  'US/Pacific': 'America/Los_Angeles',
  EST: 'America/New_York',
  EST5EDT: 'America/New_York',
  CST: 'America/Chicago',
  CST6CDT: 'America/Chicago',
  GMT: 'UTC',
  MET: 'Europe/Berlin',
  GB: 'Europe/London',
  JST: 'Asia/Tokyo',
};

export function ianaZone(ibZone: string): string {
  return IB_ZONES[ibZone] ?? ibZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new LruCache<string, number>(20_000);

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

function computeOffset(zone: string, utcMs: number): number {
  const parts = formatter(zone).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  return local - Math.floor(utcMs / 1000) * 1000;
}

/** Local time minus UTC, in ms, at an instant. US-style zones change offset only on whole hours (UTC), so hours are cached. */
export function offsetMs(zone: string, utcMs: number): number {
  const hour = Math.floor(utcMs / MS_PER_HOUR);
  const key = `${zone}|${hour}`;
  let off = offsets.get(key);
  if (off === undefined) {
    off = computeOffset(zone, hour * MS_PER_HOUR);
    offsets.set(key, off);
  }
  return off;
}

/** The instant (epoch ms) of a local wall time: day number plus minutes after local midnight (may be negative or past 1440). */
export function zonedToUtc(zone: string, day: number, minuteOfDay: number): number {
  const local = day * MS_PER_DAY + minuteOfDay * 60_000;
  const first = offsetMs(zone, local);
  let utc = local - first;
  const second = offsetMs(zone, utc);
  if (second !== first) utc = local - second;
  return utc;
}

/** The local day number of an instant. */
export function localDay(zone: string, utcMs: number): number {
  return Math.floor((utcMs + offsetMs(zone, utcMs)) / MS_PER_DAY);
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function dayFromYmd(year: number, month: number, dayOfMonth: number): number {
  return Math.floor(Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY);
}

export function ymdOfDay(day: number): { year: number; month: number; day: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** "YYYYMMDD" of a day number. */
export function dayString(day: number): string {
  const { year, month, day: dom } = ymdOfDay(day);
  return `${year}${pad(month)}${pad(dom)}`;
}

/** Day number of "YYYYMMDD", or undefined. */
export function parseDayString(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return undefined;
  return dayFromYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Local "YYYYMMDD" and "HHMM" of an instant. */
export function localStamp(zone: string, utcMs: number): { date: string; time: string } {
  const local = utcMs + offsetMs(zone, utcMs);
  const day = Math.floor(local / MS_PER_DAY);
  const minutes = Math.floor((local - day * MS_PER_DAY) / 60_000);
  return { date: dayString(day), time: `${pad(Math.floor(minutes / 60))}${pad(minutes % 60)}` };
}
