/**
 * The quote service's lines as the ticks reach them: each tick applied at
 * once into the columns every line's values share (quote-columns.ts), then
 * each line that changed delivered once, when the I/O turn ends. Ticks arrive
 * in bursts (one socket read holds many), and listeners hear the latest quote
 * once per burst rather than once per tick, which keeps a busy market cheap
 * without delaying anything by more than one I/O turn.
 *
 * Per tick nothing of the line's own is touched (neither the line nor its
 * model): only the shared columns, and a line's object once per burst, when
 * it first changes.
 *
 * A quiet line (`setQuiet`) takes its ticks but is not delivered: nobody
 * needs telling until someone reads it (its watchers were told of a change
 * and have not read the quote yet). A streaming gateway sends most lines'
 * ticks in reads of their own, so delivering each would cost a turn's work
 * per tick.
 */
import type { ClassifiedMessage } from '../errors';
import type { MarketDataOwner } from '../transport/wire';
import type { IbErrorInfo } from '../types';
import { QuoteColumns } from './quote-columns';

/** A slot's mark (QuoteColumns.mark): none, changed in this burst (in `changed`), or quiet (changes not delivered). */
const NONE = 0;
const CHANGED = 1;
const QUIET = 2;

export class QuoteBursts<L> {
  /** Every line's values, at its slot. */
  readonly columns = new QuoteColumns();
  private readonly lines: Array<L | undefined> = [];
  /** Slots changed in this burst (each once: marked in the columns), delivered when it ends. */
  private changed: number[] = [];
  /** The clock read once per burst (one I/O turn), not once per tick; undefined between bursts. */
  private time: number | undefined;
  /** The socket read whose ticks are being applied, and the clock read once for them. */
  private read = -1;
  private readTime = 0;
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

  /** A slot for a line, its values cleared, until it is released: `make` builds the line for it. */
  take(make: (slot: number) => L): L {
    const slot = this.columns.take();
    const line = make(slot);
    this.lines[slot] = line;
    return line;
  }

  /** The line is gone: nothing more is delivered for it, and its slot is free for another. */
  release(slot: number): void {
    this.lines[slot] = undefined;
    if (this.columns.mark(slot) === CHANGED) this.changed.splice(this.changed.indexOf(slot), 1);
    this.columns.release(slot);
  }

  /**
   * One tick for a line's slot, as the model takes it (a string tick's text as a number: the model reads
   * only times and flags from text). With the number of the socket read it came in, the clock is read once
   * per read and nothing is scheduled unless a line is to be delivered (a quiet line costs no turn's work);
   * without it, once per I/O turn.
   */
  tick(slot: number, tickType: number, value: number | undefined, read?: number): void {
    let time: number;
    if (read === undefined) time = this.time ?? this.burstTime();
    else if (read === this.read) time = this.readTime;
    else {
      this.read = read;
      time = this.readTime = this.now();
    }
    const columns = this.columns;
    // marked already: changed in this burst, or quiet
    if (columns.apply(slot, tickType, value, time) && columns.mark(slot) === NONE) this.markSlot(slot);
  }

  /**
   * Quiet: the line's changes are applied but not delivered, until it is woken
   * (`setQuiet(slot, false)`), as when its quote is read or a watcher joins.
   * A line changed in this burst is delivered at its end all the same.
   */
  setQuiet(slot: number, quiet: boolean): void {
    const mark = this.columns.mark(slot);
    if (quiet ? mark === NONE : mark === QUIET) this.columns.setMark(slot, quiet ? QUIET : NONE);
  }

  /** Nothing more is delivered. */
  dispose(): void {
    for (const slot of this.changed) this.columns.setMark(slot, NONE);
    this.changed = [];
  }

  private markSlot(slot: number): void {
    this.columns.setMark(slot, CHANGED);
    this.changed.push(slot);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    this.time = undefined;
    const slots = this.changed;
    if (!slots.length) return;
    this.changed = [];
    for (const slot of slots) this.columns.setMark(slot, NONE);
    // the lines as they were when the burst ended: a listener may release one and another take its slot meanwhile
    const lines: Array<L | undefined> = [];
    for (const slot of slots) lines.push(this.lines[slot]);
    for (let i = 0; i < slots.length; i++) {
      const line = lines[i];
      if (line !== undefined && this.lines[slots[i]] === line) this.deliver(line);
    }
  };
}

/**
 * A streaming line's owner on the wire: its ticks go into its slot, the rest
 * to the service. One class, so every line's ticks reach the same method (a
 * closure per line is a call the engine does not inline).
 */
export class SlotOwner implements MarketDataOwner {
  constructor(
    private readonly bursts: Pick<QuoteBursts<unknown>, 'tick'>,
    private readonly slot: number,
    private readonly rest: Omit<MarketDataOwner, 'tick'>,
  ) {}

  /** The per-tick path (a string tick's text as the number the model reads from it). */
  tick(tickType: number, value: number | undefined, text: string | undefined, read?: number): void {
    this.bursts.tick(this.slot, tickType, text === undefined ? value : Number(text), read);
  }

  dataType(type: number): void {
    this.rest.dataType(type);
  }

  snapshotEnd(): void {
    this.rest.snapshotEnd();
  }

  error(message: ClassifiedMessage): void {
    this.rest.error(message);
  }

  end(info: IbErrorInfo): void {
    this.rest.end(info);
  }
}
