/**
 * The quote model: live and delayed tick types folded into one Quote.
 * Pure: no I/O, the clock is passed in.
 */
import { quotePrice, unsized } from '../facts/price';
import type { TickUnits } from '../facts/units';
import type { MarketDataType, MarketDataTypeSetting, Quote, SecType } from '../types';
import { FIELDS, QuoteColumns, TRADE_TIME_BIT } from './quote-columns';

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

/**
 * The model of one market-data line: its values live in a QuoteColumns at its
 * slot (the service's, shared by its lines; a snapshot's own), the rest here.
 */
export class QuoteState {
  private reportedType: MarketDataType | undefined;
  /** The line was sent again with values from before it: some may not have come again yet (see Quote.stale). */
  private reopened = false;
  private readonly columns: QuoteColumns;
  private readonly slot: number;

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
    /** Where its values are kept, and at which slot (cleared here); its own without. */
    at?: { columns: QuoteColumns; slot: number },
  ) {
    this.columns = at?.columns ?? new QuoteColumns(1);
    this.slot = at ? at.slot : this.columns.take();
    this.columns.clear(this.slot);
  }

  /**
   * Lots to shares for the line's connection (sizes and volume; see TickUnits), from when the line is (re)opened;
   * without it, values are taken as sent.
   */
  setUnits(units: TickUnits): void {
    this.columns.setScale(this.slot, units.multipliers ?? undefined);
  }

  /** Applies one tick (tickPrice, tickSize, tickGeneric or tickString) as sent; true when the quote changed. */
  apply(tickType: number, value: number | undefined, stringValue: string | undefined, nowMs: number): boolean {
    return this.columns.apply(this.slot, tickType, stringValue === undefined ? value : Number(stringValue), nowMs);
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
    this.reopened = this.hasData;
    this.columns.reopened(this.slot);
  }

  /** Whether any value came since the line was (re)opened. */
  get heardSinceOpen(): boolean {
    return this.columns.freshBits(this.slot) !== 0;
  }

  /** Whether a value from before the line was sent again has not come again yet. */
  private get stale(): boolean {
    if (!this.reopened) return false;
    const c = this.columns;
    let held = c.hasTradeTime(this.slot) ? TRADE_TIME_BIT : 0;
    for (let i = 0; i < FIELDS.length; i++) if (c.value(this.slot, i) !== undefined) held |= 1 << i;
    if ((held & ~c.freshBits(this.slot)) !== 0) return true;
    this.reopened = false;
    return false;
  }

  get dataType(): MarketDataType {
    if (this.reportedType) return this.reportedType;
    if (this.columns.sawDelayed(this.slot) && (this.requestedType === 'live' || this.requestedType === 'frozen')) return 'delayed';
    return this.requestedType;
  }

  get hasData(): boolean {
    const c = this.columns;
    if (c.hasTradeTime(this.slot)) return true;
    for (let i = 0; i < FIELDS.length; i++) if (c.value(this.slot, i) !== undefined) return true;
    return false;
  }

  toQuote(symbol: string, conId?: number, fellBack?: boolean): Quote {
    const c = this.columns;
    const slot = this.slot;
    // (no closure here: a function made per quote costs more than the quote, where names are kept)
    const bid = c.value(slot, 0);
    const ask = c.value(slot, 1);
    const last = c.value(slot, 2);
    const close = c.value(slot, 10);
    const shown = quotePrice({ last, bid, ask, close }, this.secType);
    const sized = !unsized(this.secType);
    // against the previous close, which can be below zero (crude in April 2020, spreads): only none or zero has no change
    const change = shown && shown.source !== 'close' && close !== undefined && close !== 0 ? shown.price - close : undefined;
    // every quote has the same fields in the same order (absent ones undefined): one object shape, made in one step
    const q: Quote = {
      symbol,
      conId,
      secType: this.secType,
      bid,
      ask,
      last,
      bidSize: sized ? c.value(slot, 3) : undefined,
      askSize: sized ? c.value(slot, 4) : undefined,
      lastSize: sized ? c.value(slot, 5) : undefined,
      volume: sized ? c.value(slot, 6) : undefined,
      open: c.value(slot, 7),
      high: c.value(slot, 8),
      low: c.value(slot, 9),
      close,
      price: shown?.price,
      priceSource: shown?.source,
      change,
      // of the close's size: a rise from -37.63 to 10.01 is up, whatever the close's sign
      changePercent: change === undefined ? undefined : (change / Math.abs(close!)) * 100,
      time: c.time(slot),
      timeIsTrade: c.hasTradeTime(slot) ? true : undefined,
      halted: c.halted(slot),
      dataType: this.dataType,
      minTick: this.minTick !== undefined && this.minTick > 0 ? this.minTick : undefined,
      fellBack: fellBack ? true : undefined,
      stale: this.stale ? true : undefined,
    };
    return q;
  }
}
