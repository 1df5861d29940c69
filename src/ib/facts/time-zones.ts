/**
 * Time zone names as TWS writes them, and wall-clock <-> instant arithmetic.
 *
 * TWS names zones three ways: IANA ids and their links in CONTRACT_DATA's
 * timeZoneId and zone-suffixed bar times ("US/Eastern", "US/Central",
 * "America/New_York" in executions); short ids ("EST", "MET"); and, in the
 * handshake reply, the TWS host's display name of its login zone, standard
 * or summer ("Greenwich Mean Time", "British Summer Time", "Central European
 * Standard Time", "中国标准时间"). Display names are mapped to the IANA zone
 * that uses them; the DST rules then come from ICU.
 */

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
  '中国标准时间': 'Asia/Shanghai',
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

const formats = new Map<string, Intl.DateTimeFormat | null>();

function formatFor(zone: string): Intl.DateTimeFormat | null {
  let f = formats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      f = null; // a name ICU does not know
    }
    formats.set(zone, f);
  }
  return f;
}

/** An IANA zone (or ICU-known id such as "EST", "MET", "UTC") for a zone name TWS wrote, or undefined. */
export function resolveZone(name: string | undefined): string | undefined {
  const text = name?.trim();
  if (!text) return undefined;
  const mapped = DISPLAY_NAMES[text.toLowerCase()];
  if (mapped) return mapped;
  return formatFor(text) ? text : undefined;
}

/** The zone of the handshake's connection time ("20250323 22:21:01 Greenwich Mean Time"), as TWS wrote it. */
export function loginZoneName(connectionTime: string | undefined): string | undefined {
  const m = /^\s*\d{8}\s+\d{1,2}:\d{2}:\d{2}\s+(.+?)\s*$/.exec(connectionTime ?? '');
  return m ? m[1] : undefined;
}

/** The zone's offset from UTC at an instant, in ms. */
export function offsetAt(zone: string, epochMs: number): number {
  const f = formatFor(zone);
  if (!f) throw new Error(`unknown time zone ${zone}`);
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(epochMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** The instant (epoch ms) a wall-clock time in a zone stands for. */
export function wallClockToEpochMs(year: number, month: number, day: number, hour: number, minute: number, second: number, zone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const guess = asUtc - offsetAt(zone, asUtc);
  return asUtc - offsetAt(zone, guess);
}
