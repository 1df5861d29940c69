/**
 * Typed messages between the chart webview and the extension host.
 * The host owns every IB request; the webview only draws and asks.
 * Shared by both sides; imports nothing from vscode or the DOM.
 */
import type { Candle } from '../../src/ib/types';
import type { SavedView } from './view-range';

/** Regular sessions [start, end) in epoch seconds, ascending, none overlapping. */
export type RegularSessions = Array<[number, number]>;

export interface ChartTheme {
  up: string;
  down: string;
  background: string;
  text: string;
  grid: string;
  crosshair: string;
  /** The band behind bars outside regular trading hours (a faint tint of the text colour). */
  outsideHours: string;
  /** The opacity of the volume bars (stronger in high contrast, where dim bars on black are hard to see). */
  volumeAlpha: number;
  fontFamily: string;
  fontSize: number;
}

/**
 * Host -> webview.
 *
 * How the webview treats them:
 * - 'init' sets the symbol and the range in effect (and is what the webview saves
 *   with setState); send it after every 'ready' and after every range change you accept,
 *   and again when the contract's time zone or price increment becomes known.
 * - 'candles' / 'candle' are drawn only when their symbol and barSize match the
 *   last 'init' (or the range just asked for with 'changeRange', which they then
 *   confirm); others are late answers to older requests and are dropped.
 * - 'loading' false while a 'changeRange' is still unanswered means the host did
 *   not take it: the controls go back to the range in effect.
 * - 'candles' carries regularSessions when the chart shows extended hours of intraday
 *   bars of a market that also trades outside its regular sessions: the sessions
 *   [start, end) in epoch seconds, ascending, over the bars sent; the bars that start
 *   in none of them are shaded. Absent: nothing is shaded. 'sessions' replaces them
 *   for the bars shown (the market's hours were read again).
 * - 'hours' says, once the market's hours are read, whether it trades outside its
 *   regular hours at all: false (forex around the clock, an index in its session)
 *   disables the Extended hours box, saying why; true enables it.
 * - Anything malformed is ignored; bad candles inside a list are dropped, a malformed
 *   session list is dropped whole (nothing shaded).
 */
export type HostMessage =
  | {
      type: 'init';
      symbol: string;
      /** e.g. "AAPL (NASDAQ, USD)" */
      title: string;
      barSize: string;
      duration: string;
      barSizes: string[];
      durations: string[];
      simulated: boolean;
      /** The zone times are shown in (IANA name or "UTC") and its name for the person; UTC when absent. */
      timeZone?: { zone: string; label: string };
      /** Regular trading hours only (IB's useRTH); false: extended hours too. True when absent. */
      useRTH?: boolean;
      /**
       * The instrument's price increment (IB's minTick, from its contract details): prices are shown with its
       * decimals, as in the watchlist row, more only for a price off its grid. Absent while unknown: two decimals,
       * more where the bars have them.
       */
      minTick?: number;
      /**
       * A stock: its bars outside the regular session are named pre-market and after hours. Absent (a future, whose
       * session runs overnight, an index, or not yet known): "Outside regular hours".
       */
      stockHours?: true;
    }
  | { type: 'candles'; symbol: string; barSize: string; candles: Candle[]; regularSessions?: RegularSessions }
  | { type: 'sessions'; symbol: string; barSize: string; regularSessions?: RegularSessions }
  | { type: 'candle'; symbol: string; barSize: string; candle: Candle }
  | { type: 'hours'; symbol: string; extendedHours: boolean }
  | { type: 'status'; text: string; kind: 'info' | 'live' | 'warning' | 'error' }
  | { type: 'loading'; loading: boolean };

/** Webview -> host. */
export type WebviewMessage = { type: 'ready' } | { type: 'changeRange'; barSize: string; duration: string; useRTH?: boolean } | { type: 'reload' };

/** Saved with setState so the panel comes back after a window reload. */
export interface ChartState {
  symbol: string;
  barSize: string;
  duration: string;
  /** Regular trading hours only; true when absent. */
  useRTH?: boolean;
  /** The bars the person zoomed or scrolled to, shown again after a reload; absent: every bar, as first shown. */
  view?: SavedView;
}
