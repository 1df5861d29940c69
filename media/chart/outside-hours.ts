/**
 * Bands behind the bars outside the regular session (pre-market, after hours,
 * a future's evening session) on a chart of extended hours. The host sends the
 * regular sessions; a bar is outside when it starts in none of them.
 *
 * The bars outside are kept as runs of consecutive bars, so a frame costs the
 * runs in view (a couple a day), not the bars; a live bar extends the last run.
 * Drawn by a series primitive in the 'bottom' layer: under the grid and the
 * bars, following scroll and zoom as the library redraws.
 */
import type { IChartApiBase, IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesPrimitive, Logical, SeriesAttachedParameter, Time } from 'lightweight-charts';

/** Regular sessions [start, end) in epoch seconds, ascending, none overlapping (protocol.ts). */
type RegularSessions = ReadonlyArray<readonly [number, number]>;

/** First and last index of consecutive bars outside the regular sessions. */
export type Run = [number, number];

type DrawTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

/** Index of the first session that ends after t (sessions.length when none does). */
function sessionAfter(sessions: RegularSessions, t: number): number {
  let lo = 0;
  let hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sessions[mid][1] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether a bar starting at t (epoch seconds) starts outside every regular session. */
export function isOutside(sessions: RegularSessions, t: number): boolean {
  const s = sessions[sessionAfter(sessions, t)];
  return s === undefined || t < s[0];
}

/** The runs of bars (ascending times) that start outside every regular session. */
export function outsideRuns(bars: readonly { time: number }[], sessions: RegularSessions): Run[] {
  const runs: Run[] = [];
  let k = 0;
  for (let i = 0; i < bars.length; i++) {
    const t = bars[i].time;
    while (k < sessions.length && sessions[k][1] <= t) k++;
    if (k < sessions.length && sessions[k][0] <= t) continue;
    const last = runs[runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else runs.push([i, i]);
  }
  return runs;
}

/**
 * 'pre' for a bar outside the sessions nearer the next session's start than the
 * last one's end (pre-market), 'post' otherwise (after hours); undefined inside one.
 */
export function outsideKind(sessions: RegularSessions, t: number): 'pre' | 'post' | undefined {
  const k = sessionAfter(sessions, t);
  const next = sessions[k];
  if (next && t >= next[0]) return undefined;
  const previous = sessions[k - 1];
  if (!previous) return 'pre';
  if (!next) return 'post';
  return next[0] - t < t - previous[1] ? 'pre' : 'post';
}

/** Index of the first run that ends at or after index i. */
function runFrom(runs: readonly Run[], i: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid][1] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OutsideHoursBands implements ISeriesPrimitive<Time> {
  private sessions: RegularSessions | undefined;
  private runs: Run[] = [];
  private stale = false;
  private colour = 'transparent';
  private chart: IChartApiBase<Time> | undefined;
  private requestUpdate: (() => void) | undefined;
  /** The bands in view, left and right edges in CSS pixels (worked out in updateAllViews). */
  private spans: Array<[number, number]> = [];
  private readonly renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
  private readonly views: readonly IPrimitivePaneView[] = [{ zOrder: () => 'bottom', renderer: () => (this.spans.length ? this.renderer : null) }];

  /** @param bars the bars the chart shows, ascending by time */
  constructor(private readonly bars: () => readonly { time: number }[]) {}

  /** The same bands in another pane (the volume's), attached to a series there: the shading runs through both. */
  readonly inAnotherPane: ISeriesPrimitive<Time> = {
    updateAllViews: () => this.updateAllViews(),
    paneViews: () => this.views,
  };

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.chart = undefined;
    this.requestUpdate = undefined;
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  /** The regular sessions to shade outside of; undefined: nothing shaded. */
  setSessions(sessions: RegularSessions | undefined): void {
    if (sessions === this.sessions) return;
    this.sessions = sessions;
    this.barsReplaced();
  }

  setColour(colour: string): void {
    this.colour = colour;
    this.requestUpdate?.();
  }

  /** Every bar may have changed: the runs are worked out again when next needed. */
  barsReplaced(): void {
    this.stale = true;
    this.requestUpdate?.();
  }

  /** A bar was appended at index i (the library redraws for it). */
  appended(i: number, time: number): void {
    if (this.stale || !this.sessions || !isOutside(this.sessions, time)) return;
    const last = this.runs[this.runs.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else this.runs.push([i, i]);
  }

  /** How many bars are shaded. */
  get count(): number {
    return this.current().reduce((n, [a, b]) => n + b - a + 1, 0);
  }

  /** 'pre' or 'post' for a shaded bar, undefined for the others. */
  kindOf(time: number): 'pre' | 'post' | undefined {
    return this.sessions ? outsideKind(this.sessions, time) : undefined;
  }

  updateAllViews(): void {
    const spans: Array<[number, number]> = [];
    const runs = this.current();
    const ts = this.chart?.timeScale();
    const range = runs.length ? ts?.getVisibleLogicalRange() : null;
    if (ts && range) {
      // the library places whole bars only: a run reaches half a bar's width past its first and last bar
      const x = (i: number) => ts.logicalToCoordinate(i as Logical) ?? NaN;
      for (let k = runFrom(runs, Math.floor(range.from)); k < runs.length && runs[k][0] <= Math.ceil(range.to); k++) {
        const [first, last] = runs[k];
        const half = (x(first + 1) - x(first)) / 2;
        const left = x(first) - half;
        const right = x(last) + half;
        if (Number.isFinite(left) && Number.isFinite(right)) spans.push([left, right]);
      }
    }
    this.spans = spans;
  }

  private current(): Run[] {
    if (this.stale) {
      this.runs = this.sessions ? outsideRuns(this.bars(), this.sessions) : [];
      this.stale = false;
    }
    return this.runs;
  }

  private draw(target: DrawTarget): void {
    target.useBitmapCoordinateSpace(({ context, bitmapSize, horizontalPixelRatio }) => {
      context.fillStyle = this.colour;
      for (const [left, right] of this.spans) {
        const x = Math.round(left * horizontalPixelRatio);
        const width = Math.round(right * horizontalPixelRatio) - x;
        if (width > 0) context.fillRect(x, 0, width, bitmapSize.height);
      }
    });
  }
}
