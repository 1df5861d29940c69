/**
 * Ticks written down as they arrive and applied to their lines' models
 * together: once per socket read (before its quotes are built), when the
 * journal is full, and before anything reads a line's model. Then each line
 * that changed is delivered once: ticks arrive in bursts (one socket read
 * holds many), and listeners hear the latest quote once per burst rather than
 * once per tick, which keeps a busy market cheap without delaying anything by
 * more than one I/O turn.
 *
 * A tick arrives from the library's decoder, between the decoding of one
 * message and the next; touching a line's model there (its state, its
 * values) costs several times what the same work costs in a loop over the
 * burst's ticks, where the hundred lines' models stay in the cache. Per tick
 * the journal writes two numbers into one array, in order.
 */
import type { QuoteState } from './tick-model';

/** What the journal applies ticks to: a line's model, and whether it is already marked changed. */
export interface JournalLine {
  state: QuoteState;
  dirty: boolean;
}

/** Entries before the journal applies them without waiting for the burst's end (2 numbers each: 8 KB). */
const CAPACITY = 512;
/** A tick's key is its line's slot times this plus its tick type (IB's tick types stay below it). */
const TYPES = 1024;

export class TickJournal<L extends JournalLine> {
  private readonly slots: Array<L | undefined> = [];
  private readonly free: number[] = [];
  private readonly entries = new Float64Array(CAPACITY * 2);
  private used = 0;
  /** The clock read once per burst (one I/O turn), not once per tick; undefined between bursts. */
  private time: number | undefined;
  /** Lines whose quote changed since they were last delivered; each once (its `dirty` flag). */
  private changed: L[] = [];
  private flushScheduled = false;

  constructor(
    /** The clock (read once per burst: it costs more than the rest of a tick's handling together). */
    private readonly now: () => number,
    /** A line's quote changed in the burst that just ended. */
    private readonly deliver: (line: L) => void,
  ) {}

  /** The time of this burst's ticks: every tick of one socket read arrived at the same moment. */
  burstTime(): number {
    if (this.time === undefined) {
      this.time = this.now();
      this.scheduleFlush();
    }
    return this.time;
  }

  /** A slot for a line's ticks, until it is released. */
  take(line: L): number {
    const slot = this.free.pop() ?? this.slots.length;
    this.slots[slot] = line;
    return slot;
  }

  /** The line is gone: its ticks still written down are applied first, then its slot is free for another. */
  release(slot: number): void {
    this.apply();
    this.slots[slot] = undefined;
    this.free.push(slot);
  }

  /**
   * One tick for a line's slot, as the model takes it (apply's value; a
   * string tick's text as a number: the model reads only times and flags
   * from text). A tick type outside the table's range is applied at once.
   */
  add(slot: number, tickType: number, value: number | undefined): void {
    const at = this.used;
    if (at === 0) this.burstTime();
    if (tickType >= TYPES || tickType < 0) return this.applyOne(slot, tickType, value);
    this.entries[at] = slot * TYPES + tickType;
    this.entries[at + 1] = value ?? NaN;
    this.used = at + 2;
    if (at + 2 === this.entries.length) this.apply();
  }

  /** Applies every tick written down, in order, to its line's model. */
  apply(): void {
    const used = this.used;
    if (used === 0) return;
    this.used = 0;
    const e = this.entries;
    const time = this.burstTime();
    for (let i = 0; i < used; i += 2) {
      const key = e[i];
      const slot = (key / TYPES) | 0;
      const line = this.slots[slot];
      if (line !== undefined && line.state.apply(key - slot * TYPES, e[i + 1], undefined, time) && !line.dirty) this.markChanged(line);
    }
  }

  /** A line changed otherwise (its data type): delivered with the burst. */
  markChanged(line: L): void {
    if (line.dirty) return;
    line.dirty = true;
    this.changed.push(line);
    this.scheduleFlush();
  }

  /** Nothing more is delivered. */
  dispose(): void {
    this.apply();
    for (const l of this.changed) l.dirty = false;
    this.changed = [];
  }

  private applyOne(slot: number, tickType: number, value: number | undefined): void {
    this.apply();
    const line = this.slots[slot];
    if (line !== undefined && line.state.apply(tickType, value, undefined, this.burstTime()) && !line.dirty) this.markChanged(line);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    this.apply();
    this.time = undefined;
    const lines = this.changed;
    this.changed = [];
    for (const l of lines) {
      l.dirty = false;
      this.deliver(l);
    }
  };
}
