/**
 * Calendar arithmetic in an instrument's zone: IB's "N D" counts trading
 * sessions, W/M/Y count calendar time.
 */
import { scheduleOf, sessionsBetween } from '../market';
import type { Instrument } from '../market/types';
import { fromLocal, localParts, type LocalParts } from '../time-format';

/**
 * Epoch seconds where the last `count` trading sessions up to endTime begin
 * (their regular hours when useRTH): "1 D" before Monday's open is Friday's
 * session; a futures session starts the evening before its date.
 */
export function sessionStart(inst: Instrument, endTime: number, count: number, useRTH: boolean): number {
  const schedule = scheduleOf(inst);
  const span = count * 1.5 + 12;
  const sessions = sessionsBetween(schedule, endTime - Math.ceil(span) * 86400, endTime, useRTH);
  const chosen = sessions.slice(-count);
  if (!chosen.length) return endTime - count * 86400;
  return useRTH ? chosen[0].rthStart : chosen[0].start;
}

/** Epoch seconds `count` weeks, months or years before endTime, by the instrument's calendar. */
export function calendarStart(inst: Instrument, endTime: number, count: number, unit: 'W' | 'M' | 'Y'): number {
  if (unit === 'W') return endTime - count * 7 * 86400;
  const p: LocalParts = localParts(endTime * 1000, inst.timeZoneId);
  const shifted = new Date(Date.UTC(p.year - (unit === 'Y' ? count : 0), p.month - 1 - (unit === 'M' ? count : 0), p.day, p.hour, p.minute, p.second));
  return Math.floor(
    fromLocal(
      { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour: p.hour, minute: p.minute, second: p.second },
      inst.timeZoneId,
    ) / 1000,
  );
}

/**
 * The instant `count` days, weeks, months or years of wall-clock time before
 * endTime in the instrument's zone: what HISTORICAL_DATA's header calls the
 * start. TWS writes the request's end minus its duration there, whatever the
 * bars: "2 D" of day bars ending Saturday 16:31:22 is headed
 * "20230413  16:31:22" (Thursday) though its bars are Thursday's and Friday's.
 */
export function calendarBack(inst: Instrument, endTime: number, count: number, unit: 'D' | 'W' | 'M' | 'Y'): number {
  if (unit === 'M' || unit === 'Y') return calendarStart(inst, endTime, count, unit);
  const p: LocalParts = localParts(endTime * 1000, inst.timeZoneId);
  const shifted = new Date(Date.UTC(p.year, p.month - 1, p.day - count * (unit === 'W' ? 7 : 1)));
  return Math.floor(
    fromLocal(
      { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour: p.hour, minute: p.minute, second: p.second },
      inst.timeZoneId,
    ) / 1000,
  );
}
