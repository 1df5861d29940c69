/**
 * The quote model: live and delayed tick types folded into one Quote.
 * Pure: no I/O, the clock is passed in.
 */
import { quotePrice, unsized } from '../facts/price';
import type { TickUnits } from '../facts/units';
import type { MarketDataType, MarketDataTypeSetting, Quote, SecType } from '../types';

type NumericField = 'bid' | 'ask' | 'last' | 'bidSize' | 'askSize' | 'lastSize' | 'volume' | 'open' | 'high' | 'low' | 'close';

/** IB tick type -> quote field, live (0..49) and delayed (66..90) alike. */
const NUMERIC_TICKS: ReadonlyMap<number, NumericField> = new Map<number, NumericField>([
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
]);

/** The fields by index (toQuote reads them in this order, by number: keep the two together). */
const FIELDS: readonly NumericField[] = ['bid', 'ask', 'last', 'bidSize', 'askSize', 'lastSize', 'volume', 'open', 'high', 'low', 'close'];

/** Tick type -> index into FIELDS (the hot path: one array read per tick). */
const INDEX_BY_TICK: ReadonlyArray<number | undefined> = (() => {
  const a: Array<number | undefined> = [];
  for (const [tick, field] of NUMERIC_TICKS) a[tick] = FIELDS.indexOf(field);
  return a;
})();
const BID = FIELDS.indexOf('bid');
/** The freshness bit of the last trade's time (after the fields' bits). */
const TRADE_TIME_BIT = 1 << FIELDS.length;
const ASK = FIELDS.indexOf('ask');
/** Fields that are counts (sizes, volume): never below zero. The others are prices, which can be (crude in April 2020, spreads). */
const IS_COUNT: readonly boolean[] = FIELDS.map((f) => f.endsWith('Size') || f === 'volume');

export const TICK_LAST_TIMESTAMP = 45;
export const TICK_DELAYED_LAST_TIMESTAMP = 88;
export const TICK_HALTED = 49;
export const TICK_DELAYED_HALTED = 90;

/** Delayed tick types run 66..90 (not a fixed offset from the live ones). */
export function isDelayedTick(tickType: number): boolean {
  return tickType >= 66 && tickType <= 90;
}

const DATA_TYPES: Record<number, MarketDataType> = { 1: 'live', 2: 'frozen', 3: 'delayed', 4: 'delayed-frozen' };

/** IB's MARKET_DATA_TYPE number -> the domain's name. */
export function dataTypeFromNumber(n: number): MarketDataType | undefined {
  return DATA_TYPES[n];
}

/**
 * The number to send with REQ_MARKET_DATA_TYPE for a setting. 'auto' asks for
 * frozen (2): IB then sends live data while the market trades and the last
 * values, the book included, while it is closed, where live (1) would send a
 * closed market's bid and ask as -1 (IB's API guide, "Frozen Market Data").
 */
export function dataTypeToNumber(t: MarketDataTypeSetting): number {
  switch (t) {
    case 'live':
      return 1;
    case 'delayed':
      return 3;
    case 'delayed-frozen':
      return 4;
    default:
      return 2;
  }
}

/**
 * What a line asked with this number shows until IB says (MARKET_DATA_TYPE):
 * the frozen types are live (or delayed) data while the market trades, and IB
 * says frozen only where it is closed.
 */
export function typeBeforeReport(n: number): MarketDataType {
  return n === 3 || n === 4 ? 'delayed' : 'live';
}

/** A stored value, or undefined for none (NaN). */
const num = (x: number): number | undefined => (x === x ? x : undefined);

/** The accumulated state of one market-data line. */
export class QuoteState {
  // by index into FIELDS, NaN = no value: a typed array read and write per tick (no number boxed, nothing allocated)
  private readonly values = new Float64Array(FIELDS.length).fill(NaN);
  private tradeTime: number | undefined;
  private updateTime: number | undefined;
  private halted = false;
  private reportedType: MarketDataType | undefined;
  private sawDelayed = false;
  /** Bits by index into FIELDS (and TRADE_TIME_BIT): the values the gateway sent since the line was (re)opened. */
  private fresh = 0;
  /** The line was sent again with values from before it: some may not have come again yet (see Quote.stale). */
  private reopened = false;
  /** Lots to shares by tick type (TickUnits' multipliers), or undefined when every value is taken as sent. */
  private scale: readonly number[] | undefined;

  constructor(
    private requestedType: MarketDataType = 'live',
    /** The instrument's type: forex is priced by its mid, never a last trade. */
    private readonly secType?: SecType,
    /**
     * The price increment from the contract's details. (TWS also sends it per
     * line in TICK_REQ_PARAMS, but @stoqey/ib reads that field as an integer:
     * 0.01 arrives as 0, 2.5 as 2.)
     */
    private readonly minTick?: number,
  ) {}

  /**
   * Lots to shares for the line's connection (sizes and volume; see TickUnits), from when the line is (re)opened;
   * without it, values are taken as sent.
   */
  setUnits(units: TickUnits): void {
    this.scale = units.multipliers ?? undefined;
  }

  /** Applies one tick (tickPrice, tickSize, tickGeneric or tickString) as sent; true when the quote changed. */
  apply(tickType: number, value: number | undefined, stringValue: string | undefined, nowMs: number): boolean {
    if (tickType >= 66 && tickType <= 90) this.sawDelayed = true; // isDelayedTick, on the per-tick path
    const i = INDEX_BY_TICK[tickType];
    if (i !== undefined) {
      // IB sends -1 for "no value" (a price below zero is a price), and 0 for bid/ask on an empty book.
      // (x - x === 0: finite, neither NaN nor an infinity)
      let v =
        value === undefined || value - value !== 0 || value === -1 || (value < 0 && IS_COUNT[i]) || (value === 0 && (i === BID || i === ASK)) ? NaN : value;
      // a count is finite and not below zero here: in shares, whole (TickUnits.inShares, read from its table)
      if (this.scale !== undefined && IS_COUNT[i] && v === v) {
        const m = this.scale[tickType];
        if (m !== undefined && m !== 1) v = Math.round(v * m);
      }
      this.fresh |= 1 << i;
      const was = this.values[i];
      if (was === v || (was !== was && v !== v)) return false;
      this.values[i] = v;
      this.updateTime = nowMs;
      return true;
    }
    if (tickType === TICK_LAST_TIMESTAMP || tickType === TICK_DELAYED_LAST_TIMESTAMP) {
      const seconds = Number(stringValue ?? value);
      if (!Number.isFinite(seconds) || seconds <= 0) return false;
      const ms = seconds * 1000;
      this.fresh |= TRADE_TIME_BIT;
      if (ms === this.tradeTime) return false;
      this.tradeTime = ms;
      return true;
    }
    if (tickType === TICK_HALTED || tickType === TICK_DELAYED_HALTED) {
      const h = Number(stringValue ?? value);
      const halted = h === 1 || h === 2;
      if (halted === this.halted) return false;
      this.halted = halted;
      this.updateTime = nowMs;
      return true;
    }
    return false;
  }

  /** MARKET_DATA_TYPE from the gateway for this line. */
  setReportedType(n: number): boolean {
    const t = dataTypeFromNumber(n);
    if (!t || t === this.reportedType) return false;
    this.reportedType = t;
    return true;
  }

  /** The type asked for when the line was (re)opened; the gateway's report wins over it. */
  setRequestedType(t: MarketDataType): void {
    this.requestedType = t;
    this.reportedType = undefined;
    this.sawDelayed = false;
    this.reopened = this.hasData;
    this.fresh = 0;
  }

  /** Whether any value came since the line was (re)opened. */
  get heardSinceOpen(): boolean {
    return this.fresh !== 0;
  }

  /** Whether a value from before the line was sent again has not come again yet. */
  private get stale(): boolean {
    if (!this.reopened) return false;
    let held = this.tradeTime !== undefined ? TRADE_TIME_BIT : 0;
    for (let i = 0; i < FIELDS.length; i++) if (this.values[i] === this.values[i]) held |= 1 << i;
    if ((held & ~this.fresh) !== 0) return true;
    this.reopened = false;
    return false;
  }

  get dataType(): MarketDataType {
    if (this.reportedType) return this.reportedType;
    if (this.sawDelayed && (this.requestedType === 'live' || this.requestedType === 'frozen')) return 'delayed';
    return this.requestedType;
  }

  get hasData(): boolean {
    return this.tradeTime !== undefined || this.values.some((v) => v === v);
  }

  toQuote(symbol: string, conId?: number, fellBack?: boolean): Quote {
    const v = this.values;
    const bid = num(v[0]);
    const ask = num(v[1]);
    const last = num(v[2]);
    const close = num(v[10]);
    const shown = quotePrice({ last, bid, ask, close }, this.secType);
    const sized = !unsized(this.secType);
    const change = shown && shown.source !== 'close' && close !== undefined && close > 0 ? shown.price - close : undefined;
    // every quote has the same fields in the same order (absent ones undefined): one object shape, made in one step
    const q: Quote = {
      symbol,
      conId,
      secType: this.secType,
      bid,
      ask,
      last,
      bidSize: sized ? num(v[3]) : undefined,
      askSize: sized ? num(v[4]) : undefined,
      lastSize: sized ? num(v[5]) : undefined,
      volume: sized ? num(v[6]) : undefined,
      open: num(v[7]),
      high: num(v[8]),
      low: num(v[9]),
      close,
      price: shown?.price,
      priceSource: shown?.source,
      change,
      changePercent: change === undefined ? undefined : (change / close!) * 100,
      time: this.tradeTime ?? this.updateTime,
      halted: this.halted,
      dataType: this.dataType,
      minTick: this.minTick !== undefined && this.minTick > 0 ? this.minTick : undefined,
      fellBack: fellBack ? true : undefined,
      stale: this.stale ? true : undefined,
    };
    return q;
  }
}
