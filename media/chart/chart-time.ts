/**
 * The times the chart library is given. lightweight-charts reads every time
 * as UTC: it puts a day's label where the UTC date changes, so an intraday
 * chart of a market that trades around the clock (forex, futures) shown in
 * New York time had its day labels at 19:00. The library's documented way is
 * to give it each bar's wall-clock time in the zone shown (the instant plus
 * the zone's offset then): its day labels then sit at the zone's midnight.
 *
 * A bar's own instant is kept (the candles, the legend, the labels' text are
 * worked out from it); this file maps between the two. Where a zone's clock
 * goes back an hour (autumn), wall-clock times repeat: those bars are given
 * the next free second instead, so the library's times stay strictly
 * ascending (it places bars by their order, not by their time, so nothing
 * moves on the screen). Daily and longer bars are dated by IB's session date
 * at 00:00 UTC and are given as they are.
 */
import { zonedParts } from './format';

/** Offsets are looked up once per quarter hour of time (every zone changes its offset on a quarter hour). */
const BUCKET = 900;

export class ChartTimes {
  private readonly offsets = new Map<number, number>();

  /**
   * @param zone the IANA zone the chart shows (UTC: times are given as they are)
   * @param daily bars of a day or longer (given as they are)
   */
  constructor(
    readonly zone: string,
    readonly daily: boolean,
  ) {}

  private get identity(): boolean {
    return this.daily || this.zone === 'UTC';
  }

  /** Seconds to add to an instant to get the zone's wall-clock time read as UTC. */
  offsetAt(epochSeconds: number): number {
    if (this.identity) return 0;
    const bucket = Math.floor(epochSeconds / BUCKET);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * BUCKET;
      const p = zonedParts(at, this.zone);
      offset = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) / 1000 - at;
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  /** The library's time for a bar at this instant, after the bar before it (given at `previous`). */
  toChart(epochSeconds: number, previous: number | undefined): number {
    const wall = epochSeconds + this.offsetAt(epochSeconds);
    return previous !== undefined && wall <= previous ? previous + 1 : wall;
  }

  /** The library's times for bars at these ascending instants. */
  allToChart(instants: readonly number[]): number[] {
    const out = new Array<number>(instants.length);
    let previous: number | undefined;
    for (let i = 0; i < instants.length; i++) previous = out[i] = this.toChart(instants[i], previous);
    return out;
  }
}

/** Index of `value` in ascending `sorted`, or -1. */
export function indexOfTime(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid];
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
