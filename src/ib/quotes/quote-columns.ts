/**
 * What a tick changes, for every quote line at once: one typed array, a
 * line's values in its row (not one object per line).
 *
 * A tick arrives from the library's decoder, between the decoding of one
 * message and the next. Work on a line's own objects there (the line, its
 * model, its value array: three places in memory per line, cold after the
 * decoding) costs several times the same work on one array shared by the
 * hundred lines, which stays in the cache. So a tick is applied where it
 * arrives, into that array, and the per-line model (tick-model.ts) reads its
 * row.
 *
 * The rules for a tick (IB's "no value", lots to shares, freshness) are here,
 * in `apply`: the one place a tick becomes a value.
 */
import { UNSET_INT_COUNT, UNSET_LONG_COUNT } from '../facts/units';

/** The numeric fields by index (tick-model.ts reads them by these numbers). */
export const FIELDS = ['bid', 'ask', 'last', 'bidSize', 'askSize', 'lastSize', 'volume', 'open', 'high', 'low', 'close'] as const;
export type NumericField = (typeof FIELDS)[number];
const STRIDE = FIELDS.length;

/** IB tick type -> quote field, live (0..49) and delayed (66..90) alike. */
const NUMERIC_TICKS: ReadonlyArray<[number, NumericField]> = [
  [1, 'bid'],
  [66, 'bid'],
  [2, 'ask'],
  [67, 'ask'],
  [4, 'last'],
  [68, 'last'],
  [0, 'bidSize'],
  [69, 'bidSize'],
  [3, 'askSize'],
  [70, 'askSize'],
  [5, 'lastSize'],
  [71, 'lastSize'],
  [6, 'high'],
  [72, 'high'],
  [7, 'low'],
  [73, 'low'],
  [8, 'volume'],
  [74, 'volume'],
  [9, 'close'],
  [75, 'close'],
  [14, 'open'],
  [76, 'open'],
];

/** Tick type -> index into FIELDS (the hot path: one array read per tick). */
const INDEX_BY_TICK: ReadonlyArray<number | undefined> = (() => {
  const a: Array<number | undefined> = [];
  for (const [tick, field] of NUMERIC_TICKS) a[tick] = FIELDS.indexOf(field);
  return a;
})();
const BID = FIELDS.indexOf('bid');
const ASK = FIELDS.indexOf('ask');
/** The freshness bit of the last trade's time (after the fields' bits). */
export const TRADE_TIME_BIT = 1 << STRIDE;
/** Fields that are counts (sizes, volume): never below zero. The others are prices, which can be (crude in April 2020, spreads). */
const IS_COUNT: readonly boolean[] = FIELDS.map((f) => f.endsWith('Size') || f === 'volume');

const TICK_LAST_TIMESTAMP = 45;
const TICK_DELAYED_LAST_TIMESTAMP = 88;
const TICK_HALTED = 49;
const TICK_DELAYED_HALTED = 90;

/** Delayed tick types run 66..90 (not a fixed offset from the live ones). */
export function isDelayedTick(tickType: number): boolean {
  return tickType >= 66 && tickType <= 90;
}

/** A line's row: its numeric fields by index into FIELDS, then these (a row is 128 bytes). */
const FRESH = STRIDE;
const UPDATE_TIME = STRIDE + 1;
const TRADE_TIME = STRIDE + 2;
/** Bits: HALTED_BIT, SAW_DELAYED_BIT. */
const FLAGS = STRIDE + 3;
/** Free for the row's owner (QuoteBursts: changed in this burst, or quiet). */
const MARK = STRIDE + 4;
const ROW = 16;
const HALTED_BIT = 1;
/** A delayed tick type came since the line was (re)opened. */
const SAW_DELAYED_BIT = 2;
if (MARK >= ROW) throw new Error('a quote row holds its fields, its times, its flags and its mark');

export class QuoteColumns {
  /**
   * One row per slot (ROW numbers): the numeric fields (NaN = no value), the
   * freshness bits (by index into FIELDS, and TRADE_TIME_BIT: the values sent
   * since the line was (re)opened), when a value last changed and the last
   * trade's time (ms, NaN = none), halted, whether a delayed tick type came.
   */
  private rows: Float64Array;
  /** Lots to shares by tick type (TickUnits' multipliers), or undefined when every value is taken as sent. */
  private readonly scale: Array<readonly number[] | undefined> = [];
  private readonly free: number[] = [];
  private used = 0;

  constructor(capacity = 16) {
    this.rows = new Float64Array(capacity * ROW);
  }

  /** A slot with nothing in it, until it is released. */
  take(): number {
    const slot = this.free.pop() ?? this.used++;
    if ((slot + 1) * ROW > this.rows.length) {
      const more = new Float64Array(Math.max((slot + 1) * ROW, this.rows.length * 2));
      more.set(this.rows);
      this.rows = more;
    }
    this.clear(slot);
    this.setMark(slot, 0);
    return slot;
  }

  release(slot: number): void {
    this.clear(slot);
    this.setMark(slot, 0);
    this.free.push(slot);
  }

  /** The slot holds nothing: no value, no time, not halted, nothing heard (its owner's mark stays). */
  clear(slot: number): void {
    const r = slot * ROW;
    this.rows.fill(NaN, r, r + STRIDE);
    this.rows[r + FRESH] = 0;
    this.rows[r + UPDATE_TIME] = NaN;
    this.rows[r + TRADE_TIME] = NaN;
    this.rows[r + FLAGS] = 0;
    this.scale[slot] = undefined;
  }

  /** A stored value of a slot (by index into FIELDS), or undefined for none. */
  value(slot: number, field: number): number | undefined {
    return some(this.rows[slot * ROW + field]);
  }

  /** The last trade's time (ms), else when a value last changed; undefined before either. */
  time(slot: number): number | undefined {
    return some(this.rows[slot * ROW + TRADE_TIME]) ?? some(this.rows[slot * ROW + UPDATE_TIME]);
  }

  hasTradeTime(slot: number): boolean {
    return some(this.rows[slot * ROW + TRADE_TIME]) !== undefined;
  }

  halted(slot: number): boolean {
    return (this.rows[slot * ROW + FLAGS] & HALTED_BIT) !== 0;
  }

  /** A delayed tick type came since the line was (re)opened. */
  sawDelayed(slot: number): boolean {
    return (this.rows[slot * ROW + FLAGS] & SAW_DELAYED_BIT) !== 0;
  }

  /** The freshness bits: by index into FIELDS, and TRADE_TIME_BIT. */
  freshBits(slot: number): number {
    return this.rows[slot * ROW + FRESH];
  }

  /** The line is sent again: nothing heard since, no delayed tick seen (its values stay). */
  reopened(slot: number): void {
    this.rows[slot * ROW + FRESH] = 0;
    this.rows[slot * ROW + FLAGS] = this.rows[slot * ROW + FLAGS] & ~SAW_DELAYED_BIT;
  }

  setScale(slot: number, multipliers: readonly number[] | undefined): void {
    this.scale[slot] = multipliers;
  }

  /** The owner's mark on a slot (QuoteBursts: 0 for none, else what it means there); 0 again when the slot is taken or released. */
  mark(slot: number): number {
    return this.rows[slot * ROW + MARK];
  }

  setMark(slot: number, mark: number): void {
    this.rows[slot * ROW + MARK] = mark;
  }

  /**
   * Applies one tick to a slot as sent (a string tick's text as a number:
   * only times and flags are read from text); true when the quote changed.
   */
  apply(slot: number, tickType: number, value: number | undefined, nowMs: number): boolean {
    const i = INDEX_BY_TICK[tickType];
    // the rest (times, flags, delayed types) apart: the per-tick path stays small enough for the engine to inline
    if (i === undefined || tickType >= 66) return this.applyOther(slot, tickType, value, nowMs, i);
    return this.setField(slot, i, tickType, value, nowMs);
  }

  /** A numeric field's tick (live or delayed): IB's "none" read as none, counts in shares; true when the value changed. */
  private setField(slot: number, i: number, tickType: number, value: number | undefined, nowMs: number): boolean {
    const rows = this.rows;
    const r = slot * ROW;
    // IB sends -1 for "no value" (a price below zero is a price), 0 for bid/ask on an empty book, and its unset Decimal as a count.
    // (x - x === 0: finite, neither NaN nor an infinity)
    let v =
      value === undefined ||
      value - value !== 0 ||
      value === -1 ||
      (value < 0 && IS_COUNT[i]) ||
      // (one comparison for a usual value: the unset counts are the largest)
      (value >= UNSET_INT_COUNT && IS_COUNT[i] && (value === UNSET_INT_COUNT || value === UNSET_LONG_COUNT)) ||
      (value === 0 && (i === BID || i === ASK))
        ? NaN
        : value;
    // a count is finite and not below zero here: in shares, whole (TickUnits.inShares, read from its table)
    if (IS_COUNT[i] && v === v) {
      const m = this.scale[slot]?.[tickType];
      if (m !== undefined && m !== 1) v = Math.round(v * m);
    }
    rows[r + FRESH] = rows[r + FRESH] | (1 << i);
    const was = rows[r + i];
    if (was === v || (was !== was && v !== v)) return false;
    rows[r + i] = v;
    rows[r + UPDATE_TIME] = nowMs;
    return true;
  }

  /** A delayed tick type (66..90: marked, then its field), the last trade's time, halted, or a type the model does not read. */
  private applyOther(slot: number, tickType: number, value: number | undefined, nowMs: number, field: number | undefined): boolean {
    const rows = this.rows;
    const r = slot * ROW;
    if (tickType >= 66 && tickType <= 90) rows[r + FLAGS] = rows[r + FLAGS] | SAW_DELAYED_BIT; // isDelayedTick
    if (field !== undefined) return this.setField(slot, field, tickType, value, nowMs);
    if (tickType === TICK_LAST_TIMESTAMP || tickType === TICK_DELAYED_LAST_TIMESTAMP) {
      if (value === undefined || !Number.isFinite(value) || value <= 0) return false;
      const ms = value * 1000;
      rows[r + FRESH] = rows[r + FRESH] | TRADE_TIME_BIT;
      if (ms === rows[r + TRADE_TIME]) return false;
      rows[r + TRADE_TIME] = ms;
      return true;
    }
    if (tickType === TICK_HALTED || tickType === TICK_DELAYED_HALTED) {
      const flags = rows[r + FLAGS];
      const halted = value === 1 || value === 2 ? HALTED_BIT : 0;
      if (halted === (flags & HALTED_BIT)) return false;
      rows[r + FLAGS] = (flags & ~HALTED_BIT) | halted;
      rows[r + UPDATE_TIME] = nowMs;
      return true;
    }
    return false;
  }
}

/** A stored number, or undefined for none (NaN). */
function some(x: number): number | undefined {
  return x === x ? x : undefined;
}
