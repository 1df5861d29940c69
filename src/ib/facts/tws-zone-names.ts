/**
 * Time zone names as TWS writes them, read into zones the platform knows
 * (the arithmetic is in time-zone.ts).
 *
 * TWS names zones three ways: IANA ids and their links in CONTRACT_DATA's
 * timeZoneId and zone-suffixed bar times ("US/Eastern", "US/Central",
 * "America/New_York" in executions); short ids ("EST", "MET"); and, in the
 * handshake reply, the TWS host's display name of its login zone, standard
 * or summer ("Greenwich Mean Time", "British Summer Time", "Central European
 * Standard Time", "中国标准时间"). Display names are mapped to the IANA zone
 * that uses them; the DST rules then come from ICU.
 */
import { isKnownZone } from './time-zone';

/** Display names seen from (or written by the Java runtime of) TWS -> IANA zone. */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  // "Greenwich Mean Time" is London in winter (captured next to "British Summer Time"
  // from the same host); a host set to UTC says "Coordinated Universal Time".
  'greenwich mean time': 'Europe/London',
  'british summer time': 'Europe/London',
  'irish standard time': 'Europe/Dublin',
  'coordinated universal time': 'UTC',
  'eastern standard time': 'America/New_York',
  'eastern daylight time': 'America/New_York',
  'eastern time': 'America/New_York',
  'central standard time': 'America/Chicago',
  'central daylight time': 'America/Chicago',
  'central time': 'America/Chicago',
  'mountain standard time': 'America/Denver',
  'mountain daylight time': 'America/Denver',
  'pacific standard time': 'America/Los_Angeles',
  'pacific daylight time': 'America/Los_Angeles',
  'atlantic standard time': 'America/Halifax',
  'atlantic daylight time': 'America/Halifax',
  'central european standard time': 'Europe/Berlin',
  'central european summer time': 'Europe/Berlin',
  'central european time': 'Europe/Berlin',
  'western european standard time': 'Europe/Lisbon',
  'western european summer time': 'Europe/Lisbon',
  'eastern european standard time': 'Europe/Athens',
  'eastern european summer time': 'Europe/Athens',
  'moscow standard time': 'Europe/Moscow',
  'israel standard time': 'Asia/Jerusalem',
  'israel daylight time': 'Asia/Jerusalem',
  'gulf standard time': 'Asia/Dubai',
  'india standard time': 'Asia/Kolkata',
  'china standard time': 'Asia/Shanghai',
  中国标准时间: 'Asia/Shanghai',
  'hong kong standard time': 'Asia/Hong_Kong',
  'hong kong time': 'Asia/Hong_Kong',
  'singapore standard time': 'Asia/Singapore',
  'singapore time': 'Asia/Singapore',
  'japan standard time': 'Asia/Tokyo',
  'korean standard time': 'Asia/Seoul',
  'korea standard time': 'Asia/Seoul',
  'australian eastern standard time': 'Australia/Sydney',
  'australian eastern daylight time': 'Australia/Sydney',
  'brasilia standard time': 'America/Sao_Paulo',
};

/**
 * IB's older short zone ids (timeZoneId "EST", or "EST (Eastern Standard
 * Time)"): the exchange's zone, daylight saving included. The platform reads
 * "EST", "MST" and "HST" as fixed offsets, which would put New York's hours an
 * hour off all summer.
 */
const SHORT_IDS: Readonly<Record<string, string>> = {
  EST: 'America/New_York',
  EDT: 'America/New_York',
  EST5EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  CST6CDT: 'America/Chicago',
  MST: 'America/Denver',
  PST: 'America/Los_Angeles',
  GMT: 'Europe/London',
  MET: 'Europe/Berlin',
  JST: 'Asia/Tokyo',
  HKT: 'Asia/Hong_Kong',
  AET: 'Australia/Sydney',
};

/** An IANA zone (or an id the platform knows, such as "UTC") for a zone name TWS wrote, or undefined. */
export function resolveZone(name: string | undefined): string | undefined {
  // "EST (Eastern Standard Time)": the id before the spelled-out name
  const text = name?.trim().replace(/^([A-Z][A-Z0-9]{1,6})\s*\(.*\)$/, '$1');
  if (!text) return undefined;
  const mapped = SHORT_IDS[text.toUpperCase()] ?? DISPLAY_NAMES[text.toLowerCase()];
  if (mapped) return mapped;
  return isKnownZone(text) ? text : undefined;
}

/** The zone of the handshake's connection time ("20250323 22:21:01 Greenwich Mean Time"), as TWS wrote it. */
export function loginZoneName(connectionTime: string | undefined): string | undefined {
  const m = /^\s*\d{8}\s+\d{1,2}:\d{2}:\d{2}\s+(.+?)\s*$/.exec(connectionTime ?? '');
  return m ? m[1] : undefined;
}
