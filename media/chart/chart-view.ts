/**
 * The drawing: a candlestick series, and the volume histogram in a pane of its own under it (its own scale:
 * the price labels stay by the candles). Keeps the candles it shows, ascending by time.
 */
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  LineStyle,
  createChart,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Candle } from '../../src/ib/types';
import type { ChartTheme } from './protocol';
import { AxisMarks } from './axis-marks';
import { ChartTimes, indexOfTime } from './chart-time';
import { axisFormat, formatBarTime, formatTick, seriesPrecision, UTC_ZONE, type TimeZoneChoice } from './format';
import { OutsideHoursBands } from './outside-hours';
import type { RegularSessions } from './protocol';
import { withAlpha } from './theme';
import type { BarRange } from './view-range';

export type UpdateResult = 'replaced' | 'appended' | 'ignored';

/** Listener for the bar under the crosshair (index into candles), or undefined when the pointer leaves. */
export type HoverListener = (index: number | undefined) => void;

/** The volume pane's height against the candles' (1 to 3: a quarter of the chart). */
const CANDLES_STRETCH = 3;
/** Bars of empty space after the newest bar. */
export const RIGHT_OFFSET = 4;
/** The narrowest a bar is drawn (pixels; the library's own default). */
const MIN_BAR_SPACING = 0.5;
const VOLUME_PANE = 1;

export class ChartView {
  private readonly chart: IChartApi;
  private readonly candleSeries: ISeriesApi<'Candlestick'>;
  private readonly volumeSeries: ISeriesApi<'Histogram'>;
  /** The bands behind the bars outside regular hours (extended-hours charts). */
  private readonly bands = new OutsideHoursBands(() => this.data);
  private data: Candle[] = [];
  /** The time the library has for each bar of `data` (chart-time.ts): the zone's wall clock, so its day labels fall at the zone's midnight. */
  private chartTimes: number[] = [];
  private times = new ChartTimes('UTC', false);
  /** The days and months the axis labelled, on the page. */
  private readonly marks: AxisMarks;
  private theme: ChartTheme;
  private precision = 2;
  /** The instrument's price increment (IB's minTick), undefined while unknown. */
  private minTick: number | undefined;
  private zone: TimeZoneChoice = UTC_ZONE;
  private barSeconds: number | undefined;
  /** Volume bar colours for the current theme, computed once per theme rather than per bar. */
  private volumeUp = '';
  private volumeDown = '';

  constructor(
    private readonly container: HTMLElement,
    theme: ChartTheme,
    onHover: HoverListener,
  ) {
    this.theme = theme;
    this.marks = new AxisMarks(container);
    this.chart = createChart(container, {
      autoSize: true,
      layout: { attributionLogo: false },
      crosshair: { mode: CrosshairMode.Normal },
      // a label that would be cut at a pane's edge (by the volume pane under it) is left out
      rightPriceScale: { scaleMargins: { top: 0.08, bottom: 0.08 }, entireTextOnly: true },
      // a wider editor stretches its bars, not an empty stretch before the first; nor does dragging past it (fixLeftEdge, which keeps the first time label whole)
      timeScale: {
        timeVisible: true,
        secondsVisible: false,
        rightOffset: RIGHT_OFFSET,
        lockVisibleTimeRangeOnResize: true,
        fixLeftEdge: true,
        minBarSpacing: MIN_BAR_SPACING,
      },
    });
    this.candleSeries = this.chart.addSeries(CandlestickSeries, { priceLineStyle: LineStyle.Dotted });
    const volumeOptions = { priceFormat: { type: 'volume' as const }, lastValueVisible: false, priceLineVisible: false };
    this.volumeSeries = this.chart.addSeries(HistogramSeries, volumeOptions, VOLUME_PANE);
    this.chart.priceScale('right', VOLUME_PANE).applyOptions({ scaleMargins: { top: 0.12, bottom: 0 }, entireTextOnly: true });
    this.sizePanes();
    this.candleSeries.attachPrimitive(this.bands);
    this.volumeSeries.attachPrimitive(this.bands.inAnotherPane);
    container.dataset.volumePane = 'shown';
    // only the pointer's crosshair moves tell onHover (the keys' have no pointer event); the price its label writes is on the page
    this.chart.subscribeCrosshairMove((p: MouseEventParams<Time>) => {
      const price = p.point && p.paneIndex === 0 ? this.candleSeries.coordinateToPrice(p.point.y) : null;
      container.dataset.crosshairPrice = price === null ? '' : this.candleSeries.priceFormatter().format(price);
      if (!this.keyed || p.sourceEvent) onHover(this.indexAt(p));
    });
    // the stretch of time shown (the bars' own instants), on the page for people inspecting it and for tests
    this.chart.timeScale().subscribeVisibleTimeRangeChange((r) => {
      if (r) {
        container.dataset.visibleFrom = String(this.instantOf(r.from as number));
        container.dataset.visibleTo = String(this.instantOf(r.to as number));
      }
    });
    // the person zooms (wheel, pinch) or scrolls (drag): from then on the view is theirs
    container.addEventListener('wheel', () => (this.wholeInView = false), { passive: true, capture: true });
    container.addEventListener('pointermove', (e) => (e.buttons !== 0 ? (this.wholeInView = false) : undefined), { passive: true, capture: true });
    // the first bar's place in the view (bars; below 0: an empty stretch before the first bar), for the same
    this.chart.timeScale().subscribeVisibleLogicalRangeChange((r) => {
      if (r) container.dataset.logicalFrom = r.from.toFixed(1);
    });
    this.applyTheme(theme);
    this.publish();
  }

  get candles(): readonly Candle[] {
    return this.data;
  }

  get pricePrecision(): number {
    return this.precision;
  }

  /** Whether any bar carries traded volume: IB sends none for forex (MIDPOINT, BID, ASK) or indexes. */
  get hasVolume(): boolean {
    return this.volumeSeen;
  }
  private volumeSeen = false;
  /** The series was fitted into view and the person has not zoomed or scrolled since: a new bar keeps it whole. */
  private wholeInView = false;
  private volumeShown = true;

  /**
   * The volume pane under the candles, or none (forex, indexes): then the candles take the whole height. The series goes hidden
   * into the candles' pane on a scale of its own, which leaves its pane empty, and the library removes an empty pane.
   */
  private showVolume(on: boolean): void {
    if (on === this.volumeShown) return;
    this.volumeShown = on;
    if (on) {
      this.volumeSeries.moveToPane(VOLUME_PANE);
      this.volumeSeries.applyOptions({ visible: true, priceScaleId: 'right' });
      this.chart.priceScale('right', VOLUME_PANE).applyOptions({ scaleMargins: { top: 0.12, bottom: 0 }, entireTextOnly: true });
      this.sizePanes();
      this.volumeSeries.attachPrimitive(this.bands.inAnotherPane);
    } else {
      this.volumeSeries.detachPrimitive(this.bands.inAnotherPane);
      this.volumeSeries.applyOptions({ visible: false, priceScaleId: 'hidden-volume' });
      this.volumeSeries.moveToPane(0);
    }
    this.container.dataset.volumePane = on ? 'shown' : 'none';
  }

  private sizePanes(): void {
    const [candles, volume] = this.chart.panes();
    candles?.setStretchFactor(CANDLES_STRETCH);
    volume?.setStretchFactor(1);
  }

  /** The regular sessions: the bars outside them are shaded; undefined: none is. */
  setRegularSessions(sessions: RegularSessions | undefined): void {
    this.bands.setSessions(sessions);
  }

  /** 'pre' (pre-market) or 'post' (after hours) for a shaded bar, undefined for the others. */
  outsideKind(index: number): 'pre' | 'post' | undefined {
    const bar = this.data[index];
    return bar ? this.bands.kindOf(bar.time) : undefined;
  }

  /** Seconds visible on the time axis for bars shorter than a minute. */
  setBarSeconds(seconds: number | undefined): void {
    this.barSeconds = seconds;
    const withSeconds = seconds !== undefined && seconds < 60;
    this.chart.applyOptions({
      timeScale: {
        secondsVisible: withSeconds,
        timeVisible: seconds === undefined || seconds < 86400,
        // the library spaces its marks for 8 characters; ours are at most 6 ("Nov 17", "12:00") but "14:35:15":
        // spaced for 8, a year of hourly bars left out February and June
        tickMarkMaxCharacterLength: withSeconds ? 8 : 6,
      },
    });
    this.applyZone();
  }

  /** The zone the axis and the crosshair label show times in. */
  setTimeZone(tz: TimeZoneChoice): void {
    this.zone = tz;
    this.container.dataset.timeZone = tz.zone;
    this.applyZone();
  }

  private applyZone(): void {
    const tz = this.zone;
    const daily = this.barSeconds !== undefined && this.barSeconds >= 86400;
    this.chart.applyOptions({
      localization: { timeFormatter: (t: Time) => (typeof t === 'number' ? formatBarTime(this.instantOf(t), this.barSeconds, tz) : String(t)) },
      timeScale: { tickMarkFormatter: (t: Time, type: number) => (typeof t === 'number' ? this.tickLabel(this.instantOf(t), type, tz, daily) : null) },
    });
    if (this.times.zone === tz.zone && this.times.daily === daily) return;
    this.times = new ChartTimes(tz.zone, daily);
    // the bars shown are given again at their times in the new zone, the view kept (by bar)
    if (!this.data.length) return;
    const range = this.chart.timeScale().getVisibleLogicalRange();
    this.setSeries();
    if (range !== null) this.chart.timeScale().setVisibleLogicalRange(range);
  }

  private tickLabel(instant: number, type: number, tz: TimeZoneChoice, daily: boolean): string {
    this.marks.note(instant, type, daily ? 'UTC' : tz.zone);
    return formatTick(instant, type, tz, daily, this.barSeconds);
  }

  /** A bar's own instant for the library's time of it (chart-time.ts). */
  private instantOf(chartTime: number): number {
    const i = indexOfTime(this.chartTimes, chartTime);
    return i >= 0 ? this.data[i].time : chartTime - this.times.offsetAt(chartTime);
  }

  /** Gives the library every bar of `data` at its time in the chart's zone. */
  private setSeries(): void {
    this.chartTimes = this.times.allToChart(this.data.map((c) => c.time));
    this.marks.clear();
    this.candleSeries.setData(this.data.map((c, i) => toBar(c, this.chartTimes[i])));
    this.volumeSeries.setData(this.data.map((c, i) => this.toVolume(c, this.chartTimes[i])));
  }

  /**
   * Replaces the whole series (candles already validated, ascending, unique
   * times). A new series is fitted into view; the same series sent again (a
   * reconnect, a gateway restart) keeps the view the person chose: the same
   * stretch of time, or, when they were at the newest bar, the same number of
   * bars up to the newest one.
   */
  setCandles(candles: Candle[], keepView = false): void {
    const ts = this.chart.timeScale();
    const had = this.data.length > 0;
    const range = had ? ts.getVisibleLogicalRange() : null;
    const times = had ? ts.getVisibleRange() : null;
    // how far past the newest bar the view reaches (bars), when it shows the newest bar
    const margin = range !== null && range.to >= this.data.length - 1 ? range.to - (this.data.length - 1) : undefined;
    this.data = candles.slice();
    this.bands.barsReplaced();
    this.volumeSeen = candles.some((c) => c.volume > 0);
    this.showVolume(this.volumeSeen);
    this.setPrecision(seriesPrecision(candles, this.minTick));
    this.setSeries();
    if (!keepView || range === null || !this.data.length || this.wholeInView) {
      ts.fitContent();
      this.wholeInView = true;
    } else if (margin !== undefined) {
      const to = this.data.length - 1 + margin;
      ts.setVisibleLogicalRange({ from: to - (range.to - range.from), to });
    } else if (times !== null) ts.setVisibleRange(times);
    this.publish();
  }

  /**
   * A live bar: the same time as the last replaces it, a newer one appends, an
   * older one is ignored. The page's facts (publish) are left to the caller,
   * which writes them once per frame however many bars arrive.
   */
  update(candle: Candle): UpdateResult {
    const last = this.data[this.data.length - 1];
    if (last && candle.time < last.time) return 'ignored';
    const replaced = last !== undefined && candle.time === last.time;
    const n = this.chartTimes.length;
    const at = replaced ? this.chartTimes[n - 1] : this.times.toChart(candle.time, n ? this.chartTimes[n - 1] : undefined);
    if (replaced) this.data[this.data.length - 1] = candle;
    else {
      this.data.push(candle);
      this.chartTimes.push(at);
      this.bands.appended(this.data.length - 1, candle.time);
    }
    if (candle.volume > 0 && !this.volumeSeen) {
      this.volumeSeen = true;
      this.showVolume(true);
    }
    const needed = seriesPrecision([candle], this.minTick);
    if (needed > this.precision) this.setPrecision(needed);
    this.candleSeries.update(toBar(candle, at));
    this.volumeSeries.update(this.toVolume(candle, at));
    // a chart showing its whole range (1 day: from 9:30) keeps showing it, while its bars fit the width
    const ts = this.chart.timeScale();
    if (!replaced && this.wholeInView && ts.width() / (this.data.length + RIGHT_OFFSET) >= MIN_BAR_SPACING) ts.fitContent();
    return replaced ? 'replaced' : 'appended';
  }

  applyTheme(theme: ChartTheme): void {
    this.theme = theme;
    this.bands.setColour(theme.outsideHours);
    this.volumeUp = withAlpha(theme.up, theme.volumeAlpha);
    this.volumeDown = withAlpha(theme.down, theme.volumeAlpha);
    this.chart.applyOptions({
      layout: {
        background: { type: ColorType.Solid, color: theme.background },
        textColor: theme.text,
        fontFamily: theme.fontFamily,
        fontSize: theme.fontSize,
        panes: { separatorColor: theme.grid, separatorHoverColor: theme.crosshair },
      },
      grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
      crosshair: {
        vertLine: { color: theme.crosshair, labelBackgroundColor: theme.text },
        horzLine: { color: theme.crosshair, labelBackgroundColor: theme.text },
      },
      rightPriceScale: { borderColor: theme.grid },
      timeScale: { borderColor: theme.grid },
    });
    this.candleSeries.applyOptions({
      upColor: theme.up,
      downColor: theme.down,
      borderUpColor: theme.up,
      borderDownColor: theme.down,
      wickUpColor: theme.up,
      wickDownColor: theme.down,
    });
    this.volumeSeries.setData(this.data.map((c, i) => this.toVolume(c, this.chartTimes[i])));
    this.container.dataset.up = theme.up;
    this.container.dataset.down = theme.down;
    this.container.dataset.background = theme.background;
    this.container.dataset.outsideHours = theme.outsideHours;
  }

  dispose = (): void => this.chart.remove();

  /** The price increment (undefined: unknown): the axis takes its decimals, more only for bars off its grid. */
  setMinTick(minTick: number | undefined): void {
    this.minTick = minTick;
    this.setPrecision(seriesPrecision(this.data, minTick));
  }

  private setPrecision(precision: number): void {
    this.precision = precision;
    // the crosshair's price is one the instrument trades at where IB's increment is known (ES by 0.25, not 0.01)
    const priceFormat = axisFormat(precision, this.minTick);
    Object.assign(this.container.dataset, { pricePrecision: String(precision), priceMinMove: String(priceFormat.minMove), priceFormat: priceFormat.type });
    this.candleSeries.applyOptions({ priceFormat });
  }

  private toVolume(c: Candle, at: number): HistogramData<Time> {
    return { time: at as UTCTimestamp, value: c.volume, color: c.close >= c.open ? this.volumeUp : this.volumeDown };
  }

  /** The crosshair on bar `index` (the keys step through the bars), or off (undefined). */
  showCrosshairAt(index: number | undefined): void {
    const bar = index === undefined ? undefined : this.data[index];
    this.keyed = bar !== undefined;
    if (bar && index !== undefined) this.chart.setCrosshairPosition(bar.close, this.chartTimes[index] as UTCTimestamp, this.candleSeries);
    else this.chart.clearCrosshairPosition();
  }

  private keyed = false;

  /** The bars in view, and whether the person chose them (zoomed, scrolled) rather than every bar as first shown. */
  visibleBars(): { range: BarRange; chosen: boolean } | undefined {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    return range ? { range, chosen: !this.wholeInView } : undefined;
  }

  /** Shows this range of bars (the keys, a reload); from then on the view is the person's, as after the wheel. */
  showBars(range: BarRange): void {
    this.wholeInView = false;
    this.chart.timeScale().setVisibleLogicalRange(range);
  }

  /** Every bar in view again, kept so as live bars come (as when first shown). */
  fitAll(): void {
    this.wholeInView = true;
    this.chart.timeScale().fitContent();
  }

  /** Calls back whenever the bars in view change (zoom, scroll, new bars). */
  onViewChange = (listener: () => void): void => this.chart.timeScale().subscribeVisibleLogicalRangeChange(listener);

  private indexAt(p: MouseEventParams<Time>): number | undefined {
    if (p.time === undefined || p.point === undefined || typeof p.time !== 'number') return undefined;
    const i = indexOfTime(this.chartTimes, p.time);
    return i >= 0 ? i : undefined;
  }

  /** Read-only facts on the container element, for people inspecting the page and for tests. */
  publish(): void {
    const last = this.data[this.data.length - 1];
    this.container.dataset.barCount = String(this.data.length);
    this.container.dataset.outsideBars = String(this.bands.count);
    if (last) this.container.dataset.lastTime = String(last.time);
    else delete this.container.dataset.lastTime;
  }
}

function toBar(c: Candle, at: number): CandlestickData<Time> {
  return { time: at as UTCTimestamp, open: c.open, high: c.high, low: c.low, close: c.close };
}
