/**
 * US exchange holidays (NYSE rules; CME observes the same days), computed for
 * any year so the calendar never runs out. CME keeps Globex open on most of
 * them with a shortened session (see isCmeHaltHoliday); it closes outright only
 * on New Year's Day, Good Friday and Christmas.
 */
import { dayFromYmd, weekday } from './timezone';

function nthWeekday(year: number, month: number, wd: number, n: number): number {
  const first = dayFromYmd(year, month, 1);
  const offset = (wd - weekday(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

function lastWeekday(year: number, month: number, wd: number): number {
  const last = dayFromYmd(year, month + 1, 0);
  return last - ((weekday(last) - wd + 7) % 7);
}

/** Saturday -> Friday before, Sunday -> Monday after. */
function observed(day: number): number {
  const wd = weekday(day);
  if (wd === 6) return day - 1;
  if (wd === 0) return day + 1;
  return day;
}

function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dom = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromYmd(year, month, dom);
}

const byYear = new Map<number, Set<number>>();

/**
 * Days US stock exchanges closed outside their calendar: the national days of
 * mourning for Presidents George H. W. Bush (2018) and Carter (2025). CME's
 * futures traded (equity index futures a short session), so these are not
 * US holidays for the futures calendars.
 */
const MOURNING_CLOSURES = new Set([dayFromYmd(2018, 12, 5), dayFromYmd(2025, 1, 9)]);

export function isStockMarketClosure(day: number): boolean {
  return MOURNING_CLOSURES.has(day);
}

/**
 * Days IDEALPRO has no forex session: Christmas Day and New Year's Day (the
 * trade date that would run from 17:15 New York the evening before). Reported
 * for the interbank venues (Cboe FX closes from 17:00 on 24 December to 17:00
 * on the 25th; FXCM the 25th and 1 January); not from an IB capture.
 */
export function isFxClosure(day: number): boolean {
  const d = new Date(day * 86_400_000);
  const m = d.getUTCMonth() + 1;
  const dom = d.getUTCDate();
  return (m === 12 && dom === 25) || (m === 1 && dom === 1);
}

/** Day numbers of the US market holidays of a year. */
export function usHolidays(year: number): Set<number> {
  let set = byYear.get(year);
  if (set) return set;
  const days: number[] = [];
  const newYear = dayFromYmd(year, 1, 1);
  if (weekday(newYear) !== 6) days.push(observed(newYear)); // NYSE does not close the Friday before a Saturday New Year
  days.push(nthWeekday(year, 1, 1, 3)); // Martin Luther King Jr. Day
  days.push(nthWeekday(year, 2, 1, 3)); // Washington's Birthday
  days.push(easterSunday(year) - 2); // Good Friday
  days.push(lastWeekday(year, 5, 1)); // Memorial Day
  if (year >= 2022) days.push(observed(dayFromYmd(year, 6, 19))); // Juneteenth
  days.push(observed(dayFromYmd(year, 7, 4))); // Independence Day
  days.push(nthWeekday(year, 9, 1, 1)); // Labor Day
  days.push(nthWeekday(year, 11, 4, 4)); // Thanksgiving
  days.push(observed(dayFromYmd(year, 12, 25))); // Christmas
  set = new Set(days);
  byYear.set(year, set);
  return set;
}

export function isUsHoliday(day: number): boolean {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  return usHolidays(year).has(day);
}

const closedByYear = new Map<number, Set<number>>();

/** The US holidays CME Globex does not trade at all: New Year's Day, Good Friday, Christmas (as observed). */
function cmeClosedDays(year: number): Set<number> {
  let set = closedByYear.get(year);
  if (set) return set;
  set = new Set([observed(dayFromYmd(year, 1, 1)), easterSunday(year) - 2, observed(dayFromYmd(year, 12, 25))]);
  closedByYear.set(year, set);
  return set;
}

/**
 * A US holiday on which CME's equity index futures still trade a shortened
 * session: from the evening before until a midday halt (IB lists Memorial Day
 * 2025 for ES as "20250525:1700-20250526:1200", in tradingHours and
 * liquidHours alike). The other holidays (cmeClosedDays) have no session.
 */
export function isCmeHaltHoliday(day: number): boolean {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  return usHolidays(year).has(day) && !cmeClosedDays(year).has(day);
}

const earlyByYear = new Map<number, Set<number>>();

/** Days US markets close early (13:00 New York): the day after Thanksgiving, Christmas Eve, the eve of Independence Day. */
export function usEarlyCloses(year: number): Set<number> {
  let set = earlyByYear.get(year);
  if (set) return set;
  const days = [nthWeekday(year, 11, 4, 4) + 1];
  const isWeekday = (d: number): boolean => weekday(d) >= 1 && weekday(d) <= 4; // Mon-Thu: a Friday eve is the observed holiday itself
  const christmasEve = dayFromYmd(year, 12, 24);
  if (isWeekday(christmasEve)) days.push(christmasEve);
  const july3 = dayFromYmd(year, 7, 3);
  if (isWeekday(july3)) days.push(july3);
  set = new Set(days);
  earlyByYear.set(year, set);
  return set;
}

export function isUsEarlyClose(day: number): boolean {
  const year = new Date(day * 86_400_000).getUTCFullYear();
  return usEarlyCloses(year).has(day);
}
