/**
 * Where the simulated gateway's clock starts: now while the US stock market
 * is in its regular session, otherwise inside the last regular session, so a
 * demo on a weekend or at night still shows moving prices.
 */

const ZONE = 'America/New_York';
const OPEN_MINUTE = 9 * 60 + 30;
const CLOSE_MINUTE = 16 * 60;
/** Start this many minutes before the last session's close. */
const LEAD_MINUTES = 120;
const DAY_MS = 86_400_000;

interface Wall {
  year: number;
  month: number;
  day: number;
  weekday: number;
  minute: number;
}

function wallClock(ms: number): Wall {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: ZONE,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), weekday, minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

/** UTC ms of a New York wall-clock time on the New York date of `ms`. */
function nyTime(ms: number, minute: number): number {
  const w = wallClock(ms);
  const guess = Date.UTC(w.year, w.month - 1, w.day, 0, minute);
  // the zone offset at that moment (wall clock minus UTC), applied once and checked once
  const offsetAt = (t: number) => {
    const x = wallClock(t);
    return Date.UTC(x.year, x.month - 1, x.day, 0, x.minute) - Math.floor(t / 60000) * 60000;
  };
  const first = guess - offsetAt(guess);
  return guess - offsetAt(first);
}

function isWeekday(w: Wall): boolean {
  return w.weekday >= 1 && w.weekday <= 5;
}

/** undefined when the regular session is open now; else epoch ms inside the last one. */
export function simulatedClockStart(now = Date.now()): number | undefined {
  const w = wallClock(now);
  if (isWeekday(w) && w.minute >= OPEN_MINUTE && w.minute < CLOSE_MINUTE) return undefined;
  let probe = now;
  if (!(isWeekday(w) && w.minute >= CLOSE_MINUTE)) {
    // before today's open, or a weekend: step back to the previous weekday
    do {
      probe -= DAY_MS;
    } while (!isWeekday(wallClock(probe)));
  }
  return nyTime(probe, CLOSE_MINUTE - LEAD_MINUTES);
}
