/**
 * Market hours from CONTRACT_DATA's tradingHours / liquidHours, in the
 * contract's timeZoneId, as real TWS writes them:
 *   "20221229:0930-20221229:1600;20221231:CLOSED;..."          (TWS 970 and later)
 *   ";20231203:1715-20231204:1700;..."                          (forex: a leading ";", sessions across midnight)
 *   "20090507:0700-1830,1830-2330;20090508:CLOSED"              (older TWS: times after the date)
 * liquidHours are the regular session; tradingHours include extended hours.
 */
import { MONTH_NAMES } from './futures';
import { wallClock, zonedTimeToEpoch } from './time-zone';
import { resolveZone } from './tws-zone-names';

export interface Session {
  /** epoch ms */
  start: number;
  end: number;
}

/** Where a market stands at an instant. */
export interface MarketState {
  open: boolean;
  /** The session trading now. */
  current?: Session;
  /** The next session to open after now (when the hours list one). */
  next?: Session;
  /** The most recent session that has ended. */
  last?: Session;
}

const NEW_STYLE = /^(\d{8}):(\d{4})-(\d{8}):(\d{4})$/;
const DAY = /^(\d{8}):(.*)$/;
const SPAN = /^(\d{4})-(\d{4})$/;

function at(date: string, hhmm: string, zone: string): number | undefined {
  return zonedTimeToEpoch(
    Number(date.slice(0, 4)),
    Number(date.slice(4, 6)),
    Number(date.slice(6, 8)),
    Number(hhmm.slice(0, 2)),
    Number(hhmm.slice(2, 4)),
    0,
    zone,
  );
}

/** The sessions a hours string lists, in time order; [] when it lists none or the zone is unknown. */
export function parseSessions(hours: string | undefined, timeZoneId: string | undefined): Session[] {
  // IB's zone name read once ("EST" is New York's clock, summer included)
  const zone = resolveZone(timeZoneId);
  if (!hours || !zone) return [];
  const sessions: Session[] = [];
  for (const raw of hours.split(';')) {
    const item = raw.trim();
    if (!item) continue;
    const whole = NEW_STYLE.exec(item);
    if (whole) {
      const start = at(whole[1], whole[2], zone);
      const end = at(whole[3], whole[4], zone);
      if (start !== undefined && end !== undefined && end > start) sessions.push({ start, end });
      continue;
    }
    const day = DAY.exec(item);
    if (!day || day[2].toUpperCase() === 'CLOSED') continue;
    for (const part of day[2].split(',')) {
      const span = SPAN.exec(part.trim());
      if (!span) continue;
      const start = at(day[1], span[1], zone);
      let end = at(day[1], span[2], zone);
      if (start === undefined || end === undefined) continue;
      if (end <= start) end += 86_400_000; // ends after midnight
      sessions.push({ start, end });
    }
  }
  sessions.sort((a, b) => a.start - b.start);
  // back-to-back pieces (1830-2330 after 0700-1830) are one session for a person
  const merged: Session[] = [];
  for (const s of sessions) {
    const prev = merged[merged.length - 1];
    if (prev && s.start <= prev.end) prev.end = Math.max(prev.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** Midnight (epoch ms) in the zone of the first day an hours string lists, a session or CLOSED; undefined when it lists none. */
export function firstListedDay(hours: string | undefined, timeZoneId: string | undefined): number | undefined {
  const zone = resolveZone(timeZoneId);
  const first = (hours ?? '')
    .split(';')
    .map((item) => item.trim())
    .find((item) => item !== '');
  const day = first === undefined ? null : DAY.exec(first);
  return day && zone ? at(day[1], '0000', zone) : undefined;
}

/** Open or closed at `now`, with the session around it. */
export function marketState(sessions: readonly Session[], now: number): MarketState {
  const state: MarketState = { open: false };
  for (const s of sessions) {
    if (s.end <= now) state.last = s;
    else if (s.start <= now) {
      state.open = true;
      state.current = s;
    } else {
      state.next ??= s;
    }
  }
  return state;
}

/** The hours a request sees: regular (liquidHours) or extended (tradingHours). */
export function sessionsFor(contract: { tradingHours?: string; liquidHours?: string; timeZoneId?: string }, regularHoursOnly: boolean): Session[] {
  const regular = parseSessions(contract.liquidHours, contract.timeZoneId);
  const all = parseSessions(contract.tradingHours, contract.timeZoneId);
  if (regularHoursOnly) return regular.length ? regular : all;
  return all.length ? all : regular;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Mon 30 Nov 09:30 US/Eastern": an instant as the exchange's clock shows it, the zone named. */
export function exchangeTimeText(t: number, zone: string): string {
  const w = wallClock(t, zone);
  if (!w) return new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${WEEKDAYS[w.weekday]} ${w.day} ${MONTH_NAMES[w.month - 1]} ${pad(w.hour)}:${pad(w.minute)} ${zone}`;
}

/** "yyyyMMdd-HH:mm:ss" in UTC: an end date IB takes without a zone warning. */
export function ibUtcEndDateTime(t: number): string {
  const d = new Date(t);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}
