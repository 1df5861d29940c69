/**
 * Calendar arithmetic in an instrument's zone: IB's "N D" counts trading
 * sessions, W/M/Y count calendar time.
 */
import type { Instrument, Market } from '../market/types';
import { fromLocal, localParts, type LocalParts } from '../time-format';

const STEP_MS = 15 * 60 * 1000;

function midnight(epochMs: number, zone: string, dayOffset = 0): number {
  const p = localParts(epochMs, zone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + dayOffset));
  return fromLocal({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 }, zone);
}

function tradesBetween(market: Market, inst: Instrument, from: number, to: number, useRTH: boolean): boolean {
  for (let t = from; t < to; t += STEP_MS) if (market.isOpen(inst, t, useRTH)) return true;
  return false;
}

/** Epoch seconds where the last `count` trading days up to endTime begin (local midnight of the earliest). */
export function sessionStart(market: Market, inst: Instrument, endTime: number, count: number, useRTH: boolean): number {
  const endMs = endTime * 1000;
  let found = 0;
  let start = midnight(endMs, inst.timeZoneId);
  for (let back = 0; back < count * 3 + 10 && found < count; back++) {
    const dayStart = midnight(endMs, inst.timeZoneId, -back);
    const dayEnd = Math.min(midnight(endMs, inst.timeZoneId, -back + 1), endMs);
    if (dayEnd > dayStart && tradesBetween(market, inst, dayStart, dayEnd, useRTH)) {
      found++;
      start = dayStart;
    }
  }
  return Math.floor(start / 1000);
}

/** Epoch seconds `count` weeks, months or years before endTime, by the instrument's calendar. */
export function calendarStart(inst: Instrument, endTime: number, count: number, unit: 'W' | 'M' | 'Y'): number {
  if (unit === 'W') return endTime - count * 7 * 86400;
  const p: LocalParts = localParts(endTime * 1000, inst.timeZoneId);
  const shifted = new Date(Date.UTC(p.year - (unit === 'Y' ? count : 0), p.month - 1 - (unit === 'M' ? count : 0), p.day, p.hour, p.minute, p.second));
  return Math.floor(fromLocal({ year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(), hour: p.hour, minute: p.minute, second: p.second }, inst.timeZoneId) / 1000);
}
