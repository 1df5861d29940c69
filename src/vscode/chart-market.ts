import type { BarsOrLastSession, MarketHours } from '../ib/candles';
import { closedText, sessionText } from '../ib/candles';
import type { HistoryRequest, MarketDataType } from '../ib/types';

/** What the status depends on besides the market's hours. */
export interface ChartFeed {
  /** The bars are the most recent session's because the range held none. */
  lastSession?: { start: number; end: number };
  /** The kind of data IB sends for the symbol (from its quote line). */
  dataType?: MarketDataType;
  /** IB Gateway/TWS has lost its own link to IB (1100). */
  ibLinkLost?: boolean;
}

const DATA_KIND: Record<Exclude<MarketDataType, 'live'>, string> = {
  delayed: 'Delayed 15-20 min',
  frozen: 'Frozen: the last live values',
  'delayed-frozen': 'Delayed and frozen: the last delayed values',
};

/** What a chart needs to know about its market's hours. */
export interface MarketSource {
  hours(symbol: string, regularHoursOnly?: boolean): Promise<MarketHours | undefined>;
  barsOrLastSession(req: HistoryRequest): Promise<BarsOrLastSession>;
  nowSync(): number;
}

/** Longest wait before the hours are read again (a timer may not run past 2^31 ms; hours lists are a week long). */
const RECHECK_MS = 60 * 60 * 1000;

/**
 * A chart's market: open or closed at the gateway's now, and a timer that
 * reads the hours again when the session opens or ends, so the chart's status
 * never says Live while its market is closed.
 */
export class ChartMarket {
  private current: MarketHours | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private disposed = false;
  /** The hours were read once: until then nothing says Live (the market may be closed: a green Live flashed first). */
  private known = false;
  /** The chart shows regular trading hours only (false: extended hours too); the hours read follow it. */
  regularHoursOnly = true;

  constructor(
    private readonly symbol: string,
    private readonly source: MarketSource,
    /** Called when the market opens or closes (and after the first read). */
    private readonly changed: (open: boolean | undefined) => void,
    /** Called after every read of the hours. */
    private readonly read: () => void = () => undefined,
  ) {}

  get hours(): MarketHours | undefined {
    return this.current;
  }

  /** False only when the hours say the market is closed now. */
  get open(): boolean {
    return this.current?.open ?? true;
  }

  /** Reads the hours (again). */
  async refresh(): Promise<MarketHours | undefined> {
    const gen = ++this.generation;
    let hours: MarketHours | undefined;
    try {
      hours = await this.source.hours(this.symbol, this.regularHoursOnly);
    } catch {
      hours = undefined; // unknown symbol or not connected: the chart says why elsewhere
    }
    if (gen !== this.generation || this.disposed) return this.current;
    const before = this.current?.open;
    this.current = hours;
    this.known = true;
    this.schedule();
    if (before !== hours?.open || before === undefined) this.changed(hours?.open);
    this.read();
    return hours;
  }

  /**
   * What the chart shows, in words, and how to colour it: "Live · 120 bars" only while the
   * market is open, the data is live and IB's own link is up; otherwise what is true
   * ("IB link lost", "Market closed · opens Mon 30 Nov 09:30 US/Eastern", "Delayed 15-20 min").
   */
  status(bars: number, feed: ChartFeed = {}): { text: string; kind: 'live' | 'info' | 'warning' } {
    const h = this.current;
    const count = feed.lastSession && h ? `showing ${sessionText(feed.lastSession, h.zone)}` : `${bars} bar${bars === 1 ? '' : 's'}`;
    if (feed.ibLinkLost) return { text: `IB link lost: the gateway has lost its connection to IB's servers · ${count} kept`, kind: 'warning' };
    if (!this.known) return { text: count, kind: 'info' };
    if (h && !h.open) return { text: `${closedText(h)} · ${count}`, kind: 'info' };
    const type = feed.dataType ?? 'live';
    if (type !== 'live') return { text: `${DATA_KIND[type]} · ${count}`, kind: 'info' };
    return { text: feed.lastSession ? `Market open · ${count}` : `Live · ${count}`, kind: feed.lastSession ? 'info' : 'live' };
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const h = this.current;
    if (!h || this.disposed) return;
    const edge = h.open ? h.current?.end : h.next?.start;
    const wait = edge === undefined ? RECHECK_MS : Math.min(RECHECK_MS, Math.max(1000, edge - this.source.nowSync() + 1000));
    this.timer = setTimeout(() => void this.refresh(), wait);
    this.timer.unref?.();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
