/**
 * The chart webview entry (bundled to dist/webview/chart.js). It draws what the
 * host sends and asks the host for other ranges; it never fetches anything itself.
 */
import type { Candle } from '../../src/ib/types';
import { barSizeSeconds } from '../../src/ib/bar-sizes';
import { ChartView, RIGHT_OFFSET } from './chart-view';
import { barDecimals, UTC_ZONE, type TimeZoneChoice } from './format';
import { Legend } from './legend';
import { parseChartState, parseHostMessage, sameBarSize } from './messages';
import type { ChartState, HostMessage, RegularSessions } from './protocol';
import { readTheme, watchTheme } from './theme';
import { Toolbar } from './toolbar';
import { chartKey, rangeOf, rangeShowing, viewToSave, zoomedRange, type BarRange, type SavedView } from './view-range';
import { getVsCodeApi } from './vscode-api';

const vscode = getVsCodeApi<ChartState>();

/** The range the host confirmed (by 'init' or by sending its bars); saved for the host's serializer. */
let state: ChartState | undefined = parseChartState(vscode.getState());
/** The view the person chose before a window reload, shown again when its series' bars come back. */
let savedView: SavedView | undefined = state?.view;
/** A range asked for with the controls and not yet answered. */
let pending: { barSize: string; duration: string; useRTH: boolean } | undefined;
let hovered: number | undefined;
/** The zone times are shown in (the host names it in init). */
let zone: TimeZoneChoice = UTC_ZONE;
/** The instrument's price increment (IB's minTick; the host sends it in init once known): the decimals prices are shown with. */
let minTick: number | undefined;
/** A stock (the host says so in init): bars outside its session are pre-market or after hours, not a future's overnight. */
let stockHours = false;
/** The regular sessions the host sent for the bars shown (extended hours of a market that has them). */
let sessions: RegularSessions | undefined;
/** Which series the chart shows now (symbol, bar size, duration, hours), to tell one sent again from a new one. */
let shownKey: string | undefined;
const seriesKey = (): string => (state ? [state.symbol, state.barSize, state.duration, state.useRTH ?? true].join('|') : '');
/** The series the saved view is of. */
const savedKey = seriesKey();

const chartEl = document.getElementById('chart') as HTMLElement;
const emptyEl = document.getElementById('empty') as HTMLElement;
const NO_BARS = emptyEl.textContent ?? '';
/** Bars shown: none yet (undefined), none for the range (false), some (true). */
let hasBars: boolean | undefined;

/**
 * Over an empty chart, a problem is said in full where the bars would be (the
 * toolbar's status has one line, cut to its width: "This account has n…").
 */
function showEmpty(problem?: string): void {
  emptyEl.textContent = problem ?? NO_BARS;
  emptyEl.dataset.kind = problem ? 'problem' : 'none';
  // shown for a range without bars, and for a problem before any bar came
  emptyEl.hidden = hasBars === true || (hasBars === undefined && !problem);
}
const legendEl = document.getElementById('legend') as HTMLElement;
const legend = new Legend(legendEl);

const toolbar = new Toolbar({
  onRangeChange(barSize, duration, useRTH) {
    pending = { barSize, duration, useRTH };
    toolbar.setLoading(true);
    vscode.postMessage({ type: 'changeRange', barSize, duration, useRTH });
  },
  onReload() {
    vscode.postMessage({ type: 'reload' });
  },
});

const view = new ChartView(chartEl, readTheme(), (index) => {
  hovered = index;
  showLegend();
});
/** The bar the keys stepped to, in words, said once by a screen reader (the legend, rewritten at each live bar, is not). */
const barSpokenEl = document.getElementById('bar-spoken') as HTMLElement;

// the keys step through the bars as the pointer does (the chart is one Tab stop): Left/Right a bar, Home/End
// the first and last, Escape back to the last bar, the view scrolled to show the bar; a screen reader is told each
// bar in words (#bar-spoken). + and - zoom about that bar, 0 shows every bar again (view-range.ts chartKey).
let keyedRange: BarRange | undefined;
chartEl.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return; // the editor's own (Ctrl+= zooms the window)
  const last = view.candles.length - 1;
  if (last < 0) return;
  const at = hovered ?? last;
  const key = chartKey(e.key, at, last);
  // Escape ends stepping through the bars; not stepping, it is not the chart's (the view stays where it is)
  if (!key || (e.key === 'Escape' && hovered === undefined)) return;
  e.preventDefault();
  // the library applies a range at its next frame: keys pressed within it build on the range they asked for
  const range = keyedRange ?? view.visibleBars()?.range;
  const show = (r: BarRange) => {
    view.showBars((keyedRange = r));
    requestAnimationFrame(() => requestAnimationFrame(() => (keyedRange = undefined)));
  };
  if ('fit' in key) {
    keyedRange = undefined;
    view.fitAll();
  } else if ('zoom' in key) {
    // about the bar stepped to; with none, the newest where it is in view, else the middle of the view (the person
    // scrolled back: the zoom stays where they are)
    const anchor = hovered ?? (range && range.to < last ? (range.from + range.to) / 2 : last);
    if (range) show(zoomedRange(range, key.zoom, anchor, last + 1, RIGHT_OFFSET));
  } else {
    hovered = key.bar;
    // Escape goes back to the newest bar: the view follows it there too
    const into = range ? rangeShowing(range, hovered ?? last) : undefined;
    if (into) show(into);
    view.showCrosshairAt(hovered);
    showLegend();
    barSpokenEl.textContent = hovered === undefined ? '' : legend.spoken();
  }
});
watchTheme(() => view.applyTheme(readTheme()));

if (state) {
  toolbar.setTitle(state.symbol);
  legend.setTitle(state.symbol);
}
showLegend();

function showLegend(): void {
  const bars = view.candles;
  const i = hovered ?? bars.length - 1;
  const bar: Candle | undefined = bars[i];
  legend.show(
    bar,
    i > 0 ? bars[i - 1] : undefined,
    // a bar as the row would show its prices: on the increment's grid with its decimals, off it (a midpoint) with more
    bar && minTick !== undefined ? barDecimals([bar.open, bar.high, bar.low, bar.close], minTick) : view.pricePrecision,
    state ? barSizeSeconds(state.barSize) : undefined,
    hovered !== undefined,
    zone,
    view.hasVolume,
    stockHours ? view.outsideKind(i) : view.outsideKind(i) && 'outside',
  );
}

/** The bars outside regular hours are shaded on intraday charts of extended hours only. */
function shade(): void {
  const extended = state?.useRTH === false && (barSizeSeconds(state.barSize) ?? Infinity) < 86_400;
  view.setRegularSessions(extended ? sessions : undefined);
}

let frameQueued = false;

/** Live bars can come faster than frames: the legend and the page's facts are written once per frame. */
function refreshOnNextFrame(): void {
  if (frameQueued) return;
  frameQueued = true;
  requestAnimationFrame(() => {
    frameQueued = false;
    view.publish();
    showLegend();
  });
}

function confirm(next: ChartState): void {
  state = next;
  pending = undefined;
  saveState();
  view.setBarSeconds(barSizeSeconds(next.barSize));
}

/** Saves the range shown for the host's serializer, and the bars the person zoomed or scrolled to, for a reload. */
function saveState(): void {
  if (!state) return;
  const shown = view.visibleBars();
  const chosen = shown?.chosen ? viewToSave(shown.range, view.candles) : savedView && seriesKey() === savedKey ? savedView : undefined;
  const { view: _old, ...range } = state;
  vscode.setState(chosen ? { ...range, view: chosen } : range);
  // on the page for people inspecting it and for tests
  chartEl.dataset.savedView = chosen ? JSON.stringify(chosen) : '';
}
let saveTimer: ReturnType<typeof setTimeout> | undefined;
view.onViewChange(() => (saveTimer ??= setTimeout(() => ((saveTimer = undefined), saveState()), 300)));

/**
 * Bars for the range shown are drawn; bars for the range just asked for confirm it
 * (a host may answer a changeRange with bars alone); anything else is a late answer
 * to an older request, or for another symbol, and is dropped.
 */
function accepts(symbol: string, barSize: string): boolean {
  if (!state) return true;
  if (state.symbol !== symbol) return false;
  if (pending && sameBarSize(pending.barSize, barSize)) {
    confirm({ symbol, ...pending });
    return true;
  }
  return sameBarSize(state.barSize, barSize);
}

function handle(msg: HostMessage): void {
  switch (msg.type) {
    case 'init':
      if (state && state.symbol !== msg.symbol) {
        view.setCandles([]);
        sessions = undefined;
      }
      confirm({ symbol: msg.symbol, barSize: msg.barSize, duration: msg.duration, useRTH: msg.useRTH ?? true });
      shade();
      refreshOnNextFrame();
      toolbar.setTitle(msg.title || msg.symbol);
      toolbar.setSimulated(msg.simulated);
      zone = msg.timeZone ?? UTC_ZONE;
      view.setTimeZone(zone);
      minTick = msg.minTick;
      view.setMinTick(minTick);
      stockHours = msg.stockHours === true;
      toolbar.setRange(msg.barSizes, msg.barSize, msg.durations, msg.duration, msg.useRTH ?? true);
      legend.setTitle(msg.title || msg.symbol);
      showLegend();
      break;
    case 'candles':
      if (!accepts(msg.symbol, msg.barSize)) return;
      hovered = undefined;
      {
        // the same series again (a reconnect): the person's zoom and scroll stay
        const key = seriesKey();
        sessions = msg.regularSessions;
        shade();
        view.setCandles(msg.candles, key === shownKey);
        // the first bars after a window reload: the bars the person had zoomed or scrolled to, if still there (an
        // empty answer, as while not connected, leaves the saved view for the bars that come later)
        const restored = savedView && key === savedKey ? rangeOf(savedView, msg.candles) : undefined;
        if (restored) view.showBars(restored);
        if (msg.candles.length) savedView = undefined;
        shownKey = key;
      }
      hasBars = msg.candles.length > 0;
      showEmpty();
      showLegend();
      break;
    case 'sessions':
      // for the bars shown only: a late answer for another range never confirms it
      if (!state || state.symbol !== msg.symbol || !sameBarSize(state.barSize, msg.barSize)) return;
      sessions = msg.regularSessions;
      shade();
      refreshOnNextFrame();
      break;
    case 'candle':
      if (!accepts(msg.symbol, msg.barSize)) return;
      if (view.update(msg.candle) !== 'ignored') {
        hasBars = true;
        emptyEl.hidden = true;
        refreshOnNextFrame();
      }
      break;
    case 'hours':
      if (!state || state.symbol === msg.symbol) toolbar.offerExtendedHours(msg.extendedHours);
      break;
    case 'status':
      toolbar.setStatus(msg.text, msg.kind);
      if (!hasBars) showEmpty(msg.kind === 'error' || msg.kind === 'warning' ? msg.text : undefined);
      break;
    case 'loading':
      toolbar.setLoading(msg.loading);
      if (!msg.loading && pending) {
        // The host finished without taking the new range (it refused it): show the range in effect again.
        pending = undefined;
        if (state) toolbar.select(state.barSize, state.duration, state.useRTH ?? true);
      }
      break;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const msg = parseHostMessage(event.data);
  if (!msg) return;
  try {
    handle(msg);
  } catch (err) {
    // A message that passed validation but could not be drawn: keep the page alive and say so.
    toolbar.setStatus(`Could not draw the update: ${err instanceof Error ? err.message : String(err)}`, 'warning');
  }
});

vscode.postMessage({ type: 'ready' });
