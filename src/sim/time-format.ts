/**
 * Dates as the TWS API writes and reads them, in an instrument's time zone.
 * IB's zone ids ("US/Eastern") are IANA links, mapped here to canonical
 * names so every ICU build knows them.
 */

import { ianaZone as zoneOf, offsetMs } from './market/timezone';

/** IB's zone id as an IANA zone; no zone is UTC. */
export function ianaZone(ibZone: string | undefined): string {
  return ibZone ? zoneOf(ibZone) : 'UTC';
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock parts of an instant in a zone. */
export function localParts(epochMs: number, ibZone: string): LocalParts {
  const d = new Date(epochMs + zoneOffsetMs(epochMs, ibZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** The zone's offset from UTC at an instant, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(epochMs: number, ibZone: string): number {
  return offsetMs(ianaZone(ibZone), epochMs);
}

/** The instant a wall-clock time in a zone stands for. */
export function fromLocal(parts: LocalParts, ibZone: string): number {
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  let guess = asUtc - zoneOffsetMs(asUtc, ibZone);
  guess = asUtc - zoneOffsetMs(guess, ibZone);
  return guess;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

export function yyyymmdd(p: LocalParts): string {
  return `${pad(p.year, 4)}${pad(p.month)}${pad(p.day)}`;
}

export function hhmmss(p: LocalParts): string {
  return `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * The simulated TWS host's time zone (the "login" zone): London, as in the
 * recorded handshakes. The handshake names it, and TWS wrote zone-less dates
 * in it before server version 174.
 */
export const TWS_LOGIN_ZONE = 'Europe/London';

/**
 * "yyyyMMdd HH:mm:ss Greenwich Mean Time", the connection time of the
 * handshake: TWS names its host's zone as Java displays it, standard or
 * summer ("British Summer Time"), not by an IANA id.
 */
export function connectionTime(epochMs: number): string {
  const p = localParts(epochMs, TWS_LOGIN_ZONE);
  const name = zoneOffsetMs(epochMs, TWS_LOGIN_ZONE) === 0 ? 'Greenwich Mean Time' : 'British Summer Time';
  return `${yyyymmdd(p)} ${hhmmss(p)} ${name}`;
}

/** "yyyyMMdd-HH:mm:ss" in UTC. */
export function utcDashed(epochSeconds: number): string {
  const p = localParts(epochSeconds * 1000, 'UTC');
  return `${yyyymmdd(p)}-${hhmmss(p)}`;
}

/** MIN_SERVER_VER_INSTRUMENT_TIMEZONE: from here TWS writes dates in the instrument's zone and names it. */
export const INSTRUMENT_TIMEZONE = 174;

/**
 * A date-time as HISTORICAL_DATA writes it for formatDate 1 (bars and the
 * start/end header): from server version 174 "yyyyMMdd HH:mm:ss US/Eastern"
 * (one space, the contract's timeZoneId); before it "yyyyMMdd  HH:mm:ss"
 * (two spaces, no zone, in the TWS login zone).
 */
export function historicalDateTime(epochSeconds: number, ibZone: string, serverVersion: number): string {
  if (serverVersion >= INSTRUMENT_TIMEZONE) {
    const p = localParts(epochSeconds * 1000, ibZone);
    return `${yyyymmdd(p)} ${hhmmss(p)} ${ibZone}`;
  }
  const p = localParts(epochSeconds * 1000, TWS_LOGIN_ZONE);
  return `${yyyymmdd(p)}  ${hhmmss(p)}`;
}

/**
 * A bar's time: daily and longer bars are "yyyyMMdd" (the trading date in the
 * exchange's zone) whatever formatDate says (TWS never sends them as epoch);
 * intraday bars are epoch seconds for formatDate 2, else historicalDateTime.
 */
export function barTime(epochSeconds: number, formatDate: number, daily: boolean, ibZone: string, serverVersion: number): string {
  if (daily) return yyyymmdd(localParts(epochSeconds * 1000, ibZone));
  if (formatDate === 2) return String(epochSeconds);
  return historicalDateTime(epochSeconds, ibZone, serverVersion);
}

/** Does an endDateTime name its zone (or use UTC's dash form)? TWS warns (2174) when it does not. */
export function endDateHasZone(text: string): boolean {
  const t = text.trim();
  return t === '' || /^\d{8}-\d{2}:\d{2}:\d{2}$/.test(t) || /^\d{8}(\s+\d{2}:\d{2}:\d{2})?\s+\S*[A-Za-z]\S*$/.test(t);
}

/**
 * Reads a request's endDateTime: "" is now; "yyyyMMdd-HH:mm:ss" is UTC;
 * "yyyyMMdd HH:mm:ss Zone" is in that zone; "yyyyMMdd HH:mm:ss" and
 * "yyyyMMdd" are in the instrument's zone. Returns epoch seconds, or
 * undefined when unreadable.
 */
export function parseEndDateTime(text: string, nowSeconds: number, instrumentZone: string): number | undefined {
  const t = text.trim();
  if (t === '') return nowSeconds;
  let m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})$/.exec(t);
  if (m) {
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
  }
  m = /^(\d{4})(\d{2})(\d{2})(?:\s+(\d{2}):(\d{2}):(\d{2}))?(?:\s+(\S+))?$/.exec(t);
  if (!m) return undefined;
  const zone = m[7] ?? instrumentZone;
  try {
    zoneOffsetMs(Date.now(), zone);
  } catch {
    return undefined; // a zone ICU does not know
  }
  const parts: LocalParts = { year: +m[1], month: +m[2], day: +m[3], hour: m[4] ? +m[4] : 0, minute: m[5] ? +m[5] : 0, second: m[6] ? +m[6] : 0 };
  if (parts.month < 1 || parts.month > 12 || parts.day < 1 || parts.day > 31 || parts.hour > 23) return undefined;
  return Math.floor(fromLocal(parts, zone) / 1000);
}
