import type { MarketHours } from '../ib/candles';
import { barSizeSeconds } from '../ib/bar-sizes';
import { regularSessionsOver, type RegularHours } from '../ib/facts/regular-hours';
import type { Candle, Disposable, IbErrorInfo, MarketDataType, Quote } from '../ib/types';
import type { HostMessage, RegularSessions } from '../../media/chart/protocol';
import { ChartMarket, type MarketSource } from './chart-market';

/** What a chart's snapshot says of its feed. */
export interface ChartFeedInfo {
  /** The market by its hours at the gateway's now (unknown until read). */
  market?: 'open' | 'closed';
  /** Set when the range held no bars and the chart shows the most recent session's. */
  showingLastSession?: boolean;
  /** The kind of data IB sends for the symbol, from its quote line. */
  dataType?: MarketDataType;
  /** The regular sessions last sent with the bars (epoch seconds): the bars outside them are shaded. */
  regularSessions?: RegularSessions;
  /** Whether the market trades outside its regular hours (unknown until its hours are read): false disables Extended hours. */
  extendedHours?: boolean;
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
/** Whether the hours read list a regular session inside longer trading hours (false for forex and indexes). */
const tradesOutsideRegularHours = (h: MarketHours): boolean => h.regular !== undefined;

export class ChartFeed implements Disposable {
  /** The session whose bars are shown because the range held none. */
  lastSession: { start: number; end: number } | undefined;
  /** The live series was refused for want of bars: it is asked again when the market opens. */
  waitingForOpen = false;
  dataType: MarketDataType | undefined;
  ibLinkLost = false;
  readonly market: ChartMarket;
  private quoteLine: Disposable | undefined;
  /** The market's regular hours where it trades outside them too, as last read (kept through a failed read). */
  private regular: RegularHours | undefined;
  private sentSessions: RegularSessions | undefined;

  constructor(
    private readonly symbol: string,
    private readonly deps: ChartFeedDeps,
    /** The data kind changed. */
    private readonly changed: () => void,
    /** The market opened or closed. */
    marketChanged: (open: boolean | undefined) => void,
    /** The market's hours were read (again). */
    hoursRead: () => void = () => undefined,
  ) {
    this.market = new ChartMarket(symbol, deps.market, marketChanged, () => {
      const h = this.market.hours;
      if (h) this.regular = h.regular;
      hoursRead();
    });
  }

  /**
   * The bars as a candles message: with the regular sessions over them for intraday bars of
   * extended hours (useRTH false) of a market that trades outside them, so the webview shades
   * the bars outside; without them otherwise. Remembered as sent.
   */
  candlesMessage(barSize: string, candles: Candle[]): HostMessage {
    return { type: 'candles', symbol: this.symbol, barSize, candles, ...this.sessionsFor(barSize, candles) };
  }

  /** A sessions message when the regular sessions for the bars shown differ from those sent last (the hours were read again). */
  sessionsMessage(barSize: string, candles: readonly Candle[]): HostMessage | undefined {
    const before = JSON.stringify(this.sentSessions);
    const now = this.sessionsFor(barSize, candles);
    return JSON.stringify(now.regularSessions) === before ? undefined : { type: 'sessions', symbol: this.symbol, barSize, ...now };
  }

  private sessionsFor(barSize: string, candles: readonly Candle[]): { regularSessions?: RegularSessions } {
    const intraday = (barSizeSeconds(barSize) ?? Infinity) < 86_400;
    const regular = !this.market.regularHoursOnly && intraday && candles.length > 0 ? this.regular : undefined;
    const sessions = regular
      ? regularSessionsOver(
          regular,
          candles.map((c) => c.time),
        )
      : undefined;
    this.sentSessions = sessions?.map((x): [number, number] => [Math.round(x.start / 1000), Math.round(x.end / 1000)]);
    return this.sentSessions ? { regularSessions: this.sentSessions } : {};
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
    return {
      market: h ? (h.open ? 'open' : 'closed') : undefined,
      showingLastSession: this.lastSession !== undefined,
      dataType: this.dataType,
      ...(this.sentSessions ? { regularSessions: this.sentSessions } : {}),
      ...(h ? { extendedHours: tradesOutsideRegularHours(h) } : {}),
    };
  }

  /** Whether the market trades outside its regular hours, once its hours are read (the webview's Extended hours box). */
  hoursMessage(): HostMessage | undefined {
    const h = this.market.hours;
    return h ? { type: 'hours', symbol: this.symbol, extendedHours: tradesOutsideRegularHours(h) } : undefined;
  }

  dispose(): void {
    this.stop();
    this.market.dispose();
  }
}
