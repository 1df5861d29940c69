/** The shapes around a chart panel: what it needs, and what it tells (tests, the log). */
import type * as vscode from 'vscode';
import type { Candle, CandleEvent, Disposable, HistoryRequest } from '../ib/types';
import type { ChartContractDetails } from './chart-contract';
import type { ChartFeedDeps, ChartFeedInfo } from './chart-feed';
import type { StatusSource } from './session-scope';

/** What a chart needs from the domain. */
export interface ChartDeps {
  connection: StatusSource;
  candles: {
    live(req: HistoryRequest, listener: (e: CandleEvent) => void): Disposable;
    fetch(req: HistoryRequest): Promise<Candle[]>;
  };
  /** Market hours on the gateway's clock, the last session's bars when a range is empty. */
  market: ChartFeedDeps['market'];
  /** The symbol's quote line (shared with the watchlist): tells live from delayed or frozen data. */
  quotes: ChartFeedDeps['quotes'];
  log: vscode.LogOutputChannel;
  extensionUri: vscode.Uri;
  defaults: () => { barSize: string; duration: string };
  /** Qualifies the chart's symbol (for the exchange's time zone, and the price increment that sets the decimals shown). */
  contracts?: {
    resolve(text: string): Promise<ChartContractDetails>;
    /** A contract already qualified, by conId: the kind of a chart opened by a contract id. */
    cached?(conId: number): { secType?: string } | undefined;
  };
}

/** A snapshot of a chart panel, for tests and the log. */
export interface ChartInfo extends ChartFeedInfo {
  symbol: string;
  barSize: string;
  duration: string;
  /** Regular trading hours only; false: extended hours too. */
  useRTH: boolean;
  webviewReady: boolean;
  streaming: boolean;
  candles: number;
  lastCandle?: Candle;
  updates: number;
  lastStatus?: string;
  /** Why the last range change was refused, until one succeeds. */
  rangeError?: string;
  refused: number;
  /** The chart's SIMULATED badge is shown. */
  simulatedBadge: boolean;
  /** The zone the chart's times are in, as named to the person. */
  timeZone?: string;
  /** The instrument's price increment sent with init (IB's minTick: the decimals its prices are shown with), once known. */
  minTick?: number;
}
