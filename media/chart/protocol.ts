/**
 * Typed messages between the chart webview and the extension host.
 * The host owns every IB request; the webview only draws and asks.
 * Shared by both sides; imports nothing from vscode or the DOM.
 */
import type { Candle } from '../../src/ib/types';

export interface ChartTheme {
  up: string;
  down: string;
  background: string;
  text: string;
  grid: string;
  crosshair: string;
  fontFamily: string;
  fontSize: number;
}

/** Host -> webview. */
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
    }
  | { type: 'candles'; symbol: string; barSize: string; candles: Candle[] }
  | { type: 'candle'; symbol: string; barSize: string; candle: Candle }
  | { type: 'status'; text: string; kind: 'info' | 'live' | 'warning' | 'error' }
  | { type: 'loading'; loading: boolean };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'changeRange'; barSize: string; duration: string }
  | { type: 'reload' };

/** Saved with setState so the panel comes back after a window reload. */
export interface ChartState {
  symbol: string;
  barSize: string;
  duration: string;
}
