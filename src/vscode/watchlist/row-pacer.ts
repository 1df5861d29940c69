import { systemClock, type Clock } from '../../ib/clock';

export interface RowPacerOptions<T> {
  /** Renders these rows now (asks VS Code to draw them again). */
  render: (rows: T[]) => void;
  /** Shortest time between two renders (ms). */
  intervalMs: number;
  /** Most rows rendered in a second, all rows together. */
  rowsPerSecond: number;
  /** Shortest time between two renders of one row (ms; asked at each render, so it may follow a setting). */
  rowIntervalMs?: () => number;
  clock?: Clock;
}

/**
 * Paces the rows a tree asks VS Code to render: at most one render per
 * interval, and at most `rowsPerSecond` rows a second in all, the rows that
 * have waited longest first. A short list renders every changed row at every
 * interval; a long, busy one takes turns (100 rows at 100 a second: each row
 * about once a second), so the cost of drawing stays bounded however many
 * rows stream. A row waiting for its turn is drawn with its values at that
 * time, never with older ones. With `rowIntervalMs`, a row rests at least that
 * long between two renders.
 */
export class RowPacer<T> {
  /** Rows waiting to be rendered, in the order they started waiting. */
  private readonly waiting = new Set<T>();
  /** Rows not to render before a time (a hover is open on them: a render would close it). */
  private readonly heldUntil = new Map<T, number>();
  private timer: unknown;
  private lastRenderAt = -Infinity;
  private readonly clock: Clock;
  private perRender = 1;
  private intervalMs = 0;

  constructor(private readonly options: RowPacerOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.setPace(options);
  }

  /** Changes the pace (benchmarks compare paces in one run): from the next turn on. */
  setPace(pace: { intervalMs: number; rowsPerSecond: number }): void {
    this.intervalMs = pace.intervalMs;
    this.perRender = Math.max(1, Math.floor((pace.rowsPerSecond * pace.intervalMs) / 1000));
  }

  /** Rows waiting for their turn. */
  get pending(): number {
    return this.waiting.size;
  }

  /** These rows changed: each renders at its turn (a row already waiting keeps its place). */
  offer(rows: Iterable<T>): void {
    for (const r of rows) this.waiting.add(r);
    // a timer may be waiting for a held row's hold to end: these rows may go sooner
    this.cancelTimer();
    this.pump();
  }

  /**
   * Renders this row no sooner than `ms` from now (VS Code closes a row's
   * hover when the row renders); a change meanwhile renders at the first turn
   * after that.
   */
  hold(row: T, ms: number): void {
    this.heldUntil.set(row, this.clock.now() + ms);
  }

  /**
   * Ends a row's hold now (its hover closed: another row's opened): what
   * changed meanwhile renders at the next turn. The row's rest between two
   * renders is not shortened (it was held longer than that).
   */
  release(row: T): void {
    if (!this.heldUntil.delete(row)) return;
    // a timer may be waiting for this hold to end: the row may go sooner
    this.cancelTimer();
    this.pump();
  }

  /** Renders nothing for `ms` from now; what changes meanwhile renders at the first turn after that. */
  pauseFor(ms: number): void {
    this.lastRenderAt = Math.max(this.lastRenderAt, this.clock.now() + ms - this.intervalMs);
    this.cancelTimer();
    this.pump();
  }

  /** Renders every waiting row now, outside the pace (the view was just shown). */
  flushAll(): void {
    const rows = this.take();
    if (!rows.length) return;
    this.lastRenderAt = this.clock.now();
    this.options.render(rows);
  }

  /** Takes the waiting rows out, oldest first (the view hid: they wait for it to show). */
  take(): T[] {
    this.cancelTimer();
    const rows = [...this.waiting];
    this.waiting.clear();
    return rows;
  }

  /** Forgets the waiting rows (the whole tree renders again). */
  clear(): void {
    this.cancelTimer();
    this.waiting.clear();
    this.heldUntil.clear();
  }

  dispose(): void {
    this.clear();
  }

  private pump(): void {
    if (this.timer !== undefined || !this.waiting.size) return;
    const now = this.clock.now();
    const wait = this.lastRenderAt + this.intervalMs - now;
    if (wait > 0) return this.pumpIn(wait);
    const rows: T[] = [];
    let heldTill = Infinity;
    for (const r of this.waiting) {
      const until = this.heldUntil.get(r);
      if (until !== undefined && until > now) {
        heldTill = Math.min(heldTill, until);
        continue;
      }
      if (until !== undefined) this.heldUntil.delete(r);
      rows.push(r);
      if (rows.length === this.perRender) break;
    }
    // every waiting row is held: the next turn is when the first hold ends
    if (!rows.length) return this.pumpIn(heldTill - now);
    for (const r of rows) this.waiting.delete(r);
    this.lastRenderAt = this.clock.now();
    // each row rests a while before it renders again (a hover opens only on a row that rests)
    const rest = this.options.rowIntervalMs?.() ?? 0;
    if (rest > 0) for (const r of rows) this.heldUntil.set(r, this.lastRenderAt + rest);
    this.options.render(rows);
    this.pump();
  }

  private pumpIn(ms: number): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
