/**
 * The regular sessions under a chart of extended hours, which tell the bars
 * outside them (pre-market, after hours, a future's evening session) from
 * the regular session's: the contract's liquidHours (regular) where they
 * differ from its tradingHours (extended hours included), in its timeZoneId.
 *
 * TWS lists hours from today on (six days). A day before the list is given
 * the usual regular session (the one listed most often, by the exchange's
 * clock) when its bars traded in it; so a past half day counts as a full one.
 */
import { wallClock, zonedTimeToEpoch } from './time-zone';
import { firstListedDay, parseSessions, type Session } from './trading-hours';
import { resolveZone } from './tws-zone-names';

export interface RegularHours {
  zone: string;
  /** The regular sessions the hours list, in time order (epoch ms). */
  listed: Session[];
  /** Epoch ms from which the list speaks (the first day it lists, or its first session if earlier). */
  listedFrom: number;
  /** The regular session listed most often, by the exchange's clock: minutes after midnight (the end may be past 24 h). */
  usual: { start: number; end: number };
}

const DAY_MS = 86_400_000;

/**
 * A contract's regular hours when it also trades outside them; undefined when it
 * does not (forex, indexes, futures whose liquid hours are their trading hours)
 * or its hours are not known.
 */
export function regularHours(contract: { tradingHours?: string; liquidHours?: string; timeZoneId?: string }): RegularHours | undefined {
  const zone = resolveZone(contract.timeZoneId);
  const listed = parseSessions(contract.liquidHours, contract.timeZoneId);
  const all = parseSessions(contract.tradingHours, contract.timeZoneId);
  if (!zone || listed.length === 0 || all.length === 0 || sameSessions(listed, all)) return undefined;
  const firstDay = firstListedDay(contract.liquidHours, contract.timeZoneId) ?? listed[0].start;
  return { zone, listed, listedFrom: Math.min(firstDay, listed[0].start), usual: usualSession(listed, zone) };
}

/**
 * The regular sessions over bars starting at these instants (epoch seconds,
 * ascending): the listed ones, and before them the usual session of each day
 * whose bars traded in it. In time order, none overlapping.
 */
export function regularSessionsOver(hours: RegularHours, barTimes: readonly number[]): Session[] {
  const earlier: Session[] = [];
  const first = barTimes[0];
  const w = first !== undefined && first * 1000 < hours.listedFrom ? wallClock(first * 1000, hours.zone) : undefined;
  if (w) {
    // from the day before the first bar's: a session that runs past midnight may hold it
    for (let day = Date.UTC(w.year, w.month - 1, w.day) - DAY_MS; ; day += DAY_MS) {
      const d = new Date(day);
      const on = (minute: number) => zonedTimeToEpoch(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 0, minute, 0, hours.zone) ?? Infinity;
      const start = on(hours.usual.start);
      if (start >= hours.listedFrom) break;
      const end = Math.min(on(hours.usual.end), hours.listedFrom);
      if (tradedIn(barTimes, start / 1000, end / 1000)) earlier.push({ start, end });
    }
  }
  return [...earlier, ...hours.listed];
}

function sameSessions(a: readonly Session[], b: readonly Session[]): boolean {
  return a.length === b.length && a.every((s, i) => s.start === b[i].start && s.end === b[i].end);
}

/** The session listed most often (the first of those listed as often), as minutes after the midnight it starts from. */
function usualSession(sessions: readonly Session[], zone: string): { start: number; end: number } {
  const seen = new Map<string, { start: number; end: number; count: number }>();
  let best = { start: 0, end: 0, count: 0 };
  for (const s of sessions) {
    const a = wallClock(s.start, zone);
    const b = wallClock(s.end, zone);
    if (!a || !b) continue;
    const days = Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
    const start = a.hour * 60 + a.minute;
    const end = days * 1440 + b.hour * 60 + b.minute;
    const key = `${start}-${end}`;
    const entry = seen.get(key) ?? { start, end, count: 0 };
    entry.count++;
    seen.set(key, entry);
    if (entry.count > best.count) best = entry;
  }
  return { start: best.start, end: best.end };
}

/** Whether a bar starts in [from, to) (epoch seconds; times ascending). */
function tradedIn(times: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && times[lo] < to;
}
