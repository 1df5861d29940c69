import type { Disposable, IbErrorInfo, MarketDataType, Quote } from '../ib/types';
import { ChartMarket, type MarketSource } from './chart-market';

/** What a chart's snapshot says of its feed. */
export interface ChartFeedInfo {
  /** The market by its hours at the gateway's now (unknown until read). */
  market?: 'open' | 'closed';
  /** Set when the range held no bars and the chart shows the most recent session's. */
  showingLastSession?: boolean;
  /** The kind of data IB sends for the symbol, from its quote line. */
  dataType?: MarketDataType;
}

/** Where a chart's status comes from besides its bars: market hours, the quote line's data kind, IB's link. */
export interface ChartFeedDeps {
  market: MarketSource;
  quotes: { subscribe(symbol: string, listener: (q: Quote) => void, onError?: (e: IbErrorInfo) => void): Disposable };
}

/**
 * What a chart's status depends on besides its bars: the market's hours (open or closed
 * on the gateway's clock), the kind of data IB sends for the symbol (live, delayed,
 * frozen: from its quote line, shared with the watchlist), IB's own link, and whether the
 * bars are the most recent session's because the range held none.
 */
export class ChartFeed implements Disposable {
  /** The session whose bars are shown because the range held none. */
  lastSession: { start: number; end: number } | undefined;
  /** The live series was refused for want of bars: it is asked again when the market opens. */
  waitingForOpen = false;
  dataType: MarketDataType | undefined;
  ibLinkLost = false;
  readonly market: ChartMarket;
  private quoteLine: Disposable | undefined;

  constructor(
    private readonly symbol: string,
    private readonly deps: ChartFeedDeps,
    /** The data kind changed. */
    private readonly changed: () => void,
    /** The market opened or closed. */
    marketChanged: (open: boolean | undefined) => void,
  ) {
    this.market = new ChartMarket(symbol, deps.market, marketChanged);
  }

  /** A new series starts: reads the hours and opens the quote line. */
  start(): void {
    this.lastSession = undefined;
    this.waitingForOpen = false;
    void this.market.refresh();
    this.quoteLine ??= this.deps.quotes.subscribe(
      this.symbol,
      (q) => {
        if (q.dataType === this.dataType) return;
        this.dataType = q.dataType;
        this.changed();
      },
      () => undefined, // the bars say what is wrong with the symbol
    );
  }

  stop(): void {
    this.quoteLine?.dispose();
    this.quoteLine = undefined;
    this.dataType = undefined;
  }

  /** Records IB's link state; true when it changed. */
  setIbLinkLost(lost: boolean): boolean {
    if (lost === this.ibLinkLost) return false;
    this.ibLinkLost = lost;
    return true;
  }

  /** "Live · N bars" only when it is: otherwise closed (and when it opens), delayed, frozen or IB's link lost. */
  status(bars: number): { text: string; kind: 'live' | 'info' | 'warning' } {
    return this.market.status(bars, { lastSession: this.lastSession, dataType: this.dataType, ibLinkLost: this.ibLinkLost });
  }

  get info(): ChartFeedInfo {
    const h = this.market.hours;
    return { market: h ? (h.open ? 'open' : 'closed') : undefined, showingLastSession: this.lastSession !== undefined, dataType: this.dataType };
  }

  dispose(): void {
    this.stop();
    this.market.dispose();
  }
}
