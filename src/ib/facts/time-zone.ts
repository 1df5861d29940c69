/**
 * Wall-clock time in a named time zone (IB's timeZoneId: "US/Eastern",
 * "US/Central", "Europe/London", "Japan"...), daylight saving included, by the
 * platform's own tz database (Intl). The one place the domain turns an
 * exchange's local time into an instant and back.
 */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
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
    } catch {
      f = null; // a zone name the platform does not know
    }
    formatters.set(zone, f);
  }
  return f ?? undefined;
}

/** True when the platform knows this zone name. */
export function isKnownZone(zone: string): boolean {
  return formatter(zone) !== undefined;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

/** The wall-clock reading in `zone` at epoch ms `t`; undefined for an unknown zone. */
export function wallClock(t: number, zone: string): WallClock | undefined {
  const f = formatter(zone);
  if (!f) return undefined;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second, weekday };
}

/** The zone's offset from UTC at epoch ms `t`, in ms (New York in winter: -5 h). */
export function zoneOffsetMs(t: number, zone: string): number | undefined {
  const w = wallClock(t, zone);
  if (!w) return undefined;
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `zone` stands for (month 1-12). In the
 * hour that repeats when clocks go back, the first one; in the hour that
 * is skipped when they go forward, the instant an hour later.
 */
export function zonedTimeToEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, zone: string): number | undefined {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = zoneOffsetMs(guess, zone);
  if (first === undefined) return undefined;
  let t = guess - first;
  const second_ = zoneOffsetMs(t, zone)!;
  if (second_ !== first) t = guess - second_;
  return t;
}
