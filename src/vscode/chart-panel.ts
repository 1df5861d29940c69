import * as vscode from 'vscode';
import type { HostMessage } from '../../media/chart/protocol';
import { BAR_SIZES, barSizeSeconds, checkBarRequest, normaliseBarSize, parseDuration } from '../ib/bar-sizes';
import { calendarPeriod, isNoDataRefusal, mergeCandle, MIN_LIVE_BAR_SECONDS, type BarsOrLastSession } from '../ib/candles';
import type { Candle, CandleEvent, ConnectionStatus, Disposable, HistoryRequest } from '../ib/types';
import { ChartFeed } from './chart-feed';
import { ZonedChartContract } from './chart-time-zone';
import type { ChartDeps, ChartInfo } from './chart-types';
import { chartHtml, localRoots } from './chart-webview';
import { describeRefused, notConnectedStatus, parseWebviewMessage, CHART_DURATIONS } from './chart-messages';
import { infoText } from './error-text';
import { SessionScope } from './session-scope';
import { entryLabel } from '../ib/contracts/symbol-text';

export const CHART_VIEW_TYPE = 'ibGateway.chart';
export type { ChartDeps, ChartInfo } from './chart-types';

type StatusKind = 'info' | 'live' | 'warning' | 'error';

/** One webview panel showing one symbol's candles. */
export class ChartPanel implements vscode.Disposable {
  private webviewReady = false;
  private data: Disposable | undefined;
  private candles: Candle[] = [];
  private updates = 0;
  private lastStatus: string | undefined;
  private lastKind: StatusKind = 'info';
  private interrupted: { text: string; kind: StatusKind } | undefined; // the status before the connection dropped under it
  private refused = 0;
  private rangeError: string | undefined;
  private generation = 0;
  private disposed = false;
  private readonly feed: ChartFeed;
  private postedSimulated: boolean | undefined; // what the SIMULATED badge shows (the last init sent)
  private readonly contract: ZonedChartContract;
  private readonly scope: SessionScope;
  private readonly subs: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly symbol: string,
    private barSize: string,
    private duration: string,
    private readonly deps: ChartDeps,
    /** Regular trading hours only (IB's useRTH); false: extended hours too. */
    private useRTH = true,
  ) {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: localRoots(deps.extensionUri) };
    webview.html = chartHtml(webview, deps.extensionUri, symbol);
    this.setTitle();
    this.feed = new ChartFeed(
      symbol,
      deps,
      () => this.restatus(),
      (open) => this.onMarket(open),
      () => [this.feed.hoursMessage(), this.data ? this.feed.sessionsMessage(this.barSize, this.candles) : undefined].forEach((m) => this.post(m)),
    );
    this.feed.market.regularHoursOnly = useRTH;
    this.subs.push(
      webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      deps.connection.onStatus((s) => {
        this.setTitle();
        // another gateway: the SIMULATED badge follows it
        if (this.webviewReady && this.postedSimulated !== undefined && this.isSimulated() !== this.postedSimulated) this.postInit();
        this.onConnection(s);
      }),
    );
    this.contract = new ZonedChartContract(symbol, deps.contracts, () => !this.disposed && this.refreshTimeZone());
    this.scope = new SessionScope(
      deps.connection,
      () => this.startData(),
      // an ended connection does not come back by itself: say what brings the chart back (short: the toolbar is narrow)
      () => this.stopData(deps.connection.status.phase === 'disabled' ? 'IB is off (jax.ib.enabled): bars kept.' : 'Disconnected from IB: connect to go on.'),
    );
  }

  get info(): ChartInfo {
    return {
      symbol: this.symbol,
      barSize: this.barSize,
      duration: this.duration,
      useRTH: this.useRTH,
      webviewReady: this.webviewReady,
      streaming: this.data !== undefined,
      candles: this.candles.length,
      lastCandle: this.candles[this.candles.length - 1],
      updates: this.updates,
      lastStatus: this.lastStatus,
      rangeError: this.rangeError,
      refused: this.refused,
      ...this.feed.info,
      simulatedBadge: this.postedSimulated === true,
      ...this.contract.info,
    };
  }

  reveal(preserveFocus = false): void {
    this.panel.reveal(undefined, preserveFocus);
  }

  /** Switches the range (and regular / extended hours); returns the reason when IB would refuse it. */
  changeRange(barSizeText: string, durationText: string, useRTH = this.useRTH): string | undefined {
    const barSize = normaliseBarSize(barSizeText);
    const duration = parseDuration(durationText)?.text;
    const why = checkBarRequest(barSizeText, durationText);
    if (why || !barSize || !duration) {
      const text = `The range was not changed: ${why ?? 'unknown bar size or duration'}.`;
      this.rangeError = text;
      this.deps.log.warn(`chart ${this.symbol}: ${text}`);
      this.post({ type: 'status', text, kind: 'error' });
      this.post({ type: 'loading', loading: false });
      return why ?? text;
    }
    [this.rangeError, this.barSize, this.duration, this.useRTH] = [undefined, barSize, duration, useRTH];
    this.feed.market.regularHoursOnly = useRTH;
    this.setTitle();
    this.deps.log.info(`chart ${this.symbol}: range ${barSize} over ${duration}, ${useRTH ? 'regular hours' : 'extended hours'}`);
    if (this.webviewReady) this.postInit();
    this.restartData(true);
    return undefined;
  }

  private setTitle(): void {
    const st = this.deps.connection.status;
    const label = this.isSimulated() ? ' · SIMULATED' : st.mode === 'live' ? ' · LIVE' : '';
    const title = `${entryLabel(this.symbol)} · ${this.barSize}${this.useRTH ? '' : ' · ext. hours'}${label}`;
    if (this.panel.title !== title) this.panel.title = title;
  }

  /** Whether what the chart shows is simulated: not connected, the bars shown are still those of the gateway they came from. */
  private isSimulated(): boolean {
    const s: ConnectionStatus = this.deps.connection.status;
    return s.phase !== 'ready' && this.candles.length > 0 && this.candlesSimulated !== undefined ? this.candlesSimulated : s.simulated;
  }
  private candlesSimulated: boolean | undefined;

  /** Handles a message from the webview (validated first; anything unexpected is ignored and logged). */
  receive(raw: unknown): void {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.refused++;
      this.deps.log.warn(`chart ${this.symbol}: ignored an unexpected message from the webview: ${describeRefused(raw)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.webviewReady = true;
        this.postInit();
        this.post(this.feed.hoursMessage());
        if (this.data) {
          this.post(this.feed.candlesMessage(this.barSize, this.candles));
          this.post({ type: 'status', text: this.lastStatus ?? '', kind: this.lastKind });
        } else if (this.scope.isActive) {
          this.startData();
        } else this.postStatus(notConnectedStatus(this.deps.connection.status), 'warning');
        break;
      case 'changeRange':
        this.changeRange(msg.barSize, msg.duration, msg.useRTH);
        break;
      case 'reload':
        this.restartData();
        break;
    }
  }

  private postInit(): void {
    this.postedSimulated = this.isSimulated();
    this.post({
      type: 'init',
      symbol: this.symbol,
      title: entryLabel(this.symbol),
      barSize: this.barSize,
      duration: this.duration,
      barSizes: [...BAR_SIZES],
      durations: CHART_DURATIONS.includes(this.duration) ? CHART_DURATIONS : [...CHART_DURATIONS, this.duration],
      simulated: this.postedSimulated,
      ...this.contract.initFacts(),
      useRTH: this.useRTH,
    });
  }

  private restartData(newRange = false): void {
    this.stopData();
    if (this.scope.isActive) return this.startData();
    if (newRange) this.post(this.feed.candlesMessage(this.barSize, (this.candles = []))); // not connected: the old bars are not its
    this.post({ type: 'loading', loading: false });
    this.postStatus(notConnectedStatus(this.deps.connection.status), 'warning');
  }

  /** Sends the range, the time zone and the price increment again (the zone setting changed, or the contract was learnt). */
  refreshTimeZone(): void {
    if (this.webviewReady) this.postInit();
  }

  private startData(): void {
    if (!this.webviewReady || this.data) return;
    this.contract.learn();
    const gen = ++this.generation;
    this.candles = [];
    this.candlesSimulated = this.deps.connection.status.simulated;
    this.feed.start();
    const req: HistoryRequest = { symbol: this.symbol, barSize: this.barSize, duration: this.duration, useRTH: this.useRTH };
    this.post({ type: 'loading', loading: true });
    if (!this.isLiveSeries()) {
      // IB keeps bars up to date only from 5 seconds up: show a one-off fetch (the last session's while the market is closed)
      this.data = { dispose: () => undefined };
      this.deps.market.barsOrLastSession(req).then(
        (r) => {
          if (gen !== this.generation || r.lastSession) return r.lastSession && this.showSession(gen, r);
          this.candles = r.candles;
          this.post(this.feed.candlesMessage(this.barSize, this.candles));
          this.post({ type: 'loading', loading: false });
          this.postStatus(`${r.candles.length} bars (not live below ${MIN_LIVE_BAR_SECONDS} secs)`, 'info');
        },
        (e: unknown) => {
          if (gen !== this.generation) return;
          this.post({ type: 'loading', loading: false });
          this.postStatus(e instanceof Error ? e.message : String(e), 'error');
        },
      );
      return;
    }
    try {
      this.data = this.deps.candles.live(req, (e) => {
        if (gen !== this.generation) return;
        this.onCandleEvent(e);
      });
    } catch (e) {
      this.data = undefined;
      this.post({ type: 'loading', loading: false });
      this.postStatus(e instanceof Error ? e.message : String(e), 'error');
    }
  }

  /**
   * A dropped connection under a streaming chart: the bars stay, the status
   * says so, and the series comes back by itself (the domain re-sends it).
   */
  private onConnection(s: ConnectionStatus): void {
    // no bars yet: what it waits for (the status bar's countdown, a client id in use), as the watchlist says
    if (!this.data && this.webviewReady && !this.scope.isActive) this.postStatus(notConnectedStatus(s), 'warning');
    if (!this.data || !this.scope.isActive) return;
    if (this.feed.setIbLinkLost(s.ibLink === 'lost')) this.restatus();
    if (s.phase === 'reconnecting' || s.phase === 'connecting') {
      if (this.interrupted) return;
      this.interrupted = { text: this.lastStatus ?? '', kind: this.lastKind };
      this.postStatus(`Connection to IB lost: reconnecting. ${this.candles.length} bars kept; the chart resumes when it is back.`, 'warning');
    } else if (s.phase === 'ready' && this.interrupted) {
      void this.feed.market.refresh(); // the gateway (and its clock) may be another one now
      if (this.isLiveSeries()) {
        this.postStatus('Connected again: bringing the bars up to date…', 'info');
      } else {
        const before = this.interrupted;
        this.interrupted = undefined;
        this.postStatus(before.text, before.kind);
      }
    }
  }

  private isLiveSeries(): boolean {
    return (barSizeSeconds(this.barSize) ?? 0) >= MIN_LIVE_BAR_SECONDS;
  }

  private onCandleEvent(e: CandleEvent): void {
    if (this.interrupted && e.type !== 'error' && this.scope.isActive && this.deps.connection.status.phase === 'ready') {
      this.interrupted = undefined;
      if (e.type === 'update') this.postLiveStatus();
    }
    switch (e.type) {
      case 'reset':
        if (e.candles.length === 0) {
          this.showLastSession();
          break;
        }
        this.feed.lastSession = undefined;
        this.candles = [...e.candles];
        this.post(this.feed.candlesMessage(this.barSize, this.candles));
        this.post({ type: 'loading', loading: false });
        this.postLiveStatus();
        break;
      case 'update':
        // a new bar: "Live · N bars" counts it
        if (!mergeCandle(this.candles, e.candle, calendarPeriod(this.barSize)).replaced) this.restatus();
        this.updates++;
        this.post({ type: 'candle', symbol: this.symbol, barSize: this.barSize, candle: e.candle });
        break;
      case 'error':
        if (isNoDataRefusal(e.error.code, e.error.raw)) {
          // the live series has nothing to keep up to date: ask again when the market opens
          this.feed.waitingForOpen = true;
          this.showLastSession();
          break;
        }
        this.deps.log.warn(`chart ${this.symbol}: [${e.error.code}] ${e.error.message}`);
        this.post({ type: 'loading', loading: false });
        // a connection's trouble passes (the series is sent again): a warning, not an error
        this.postStatus(infoText(e.error), e.error.category === 'information' ? 'info' : e.error.category === 'connectivity' ? 'warning' : 'error');
        break;
    }
  }

  /** "Live · N bars" only when it is: otherwise closed (and when it opens), delayed, frozen or IB's link lost. */
  private postLiveStatus(): void {
    const st = this.feed.status(this.candles.length);
    this.postStatus(st.text, st.kind);
  }

  /** Says again what the bars are, when something the status depends on changed under a showing series. */
  private restatus(): void {
    if (!this.data || this.interrupted || this.disposed || !this.isLiveSeries() || this.lastStatus === undefined) return;
    if (this.lastKind !== 'error' && (this.candles.length > 0 || this.feed.lastSession)) this.postLiveStatus();
  }

  /** The range held no bars: says why, and shows the most recent session's instead of an empty chart. */
  private showLastSession(): void {
    const gen = this.generation;
    const req: HistoryRequest = { symbol: this.symbol, barSize: this.barSize, duration: this.duration, useRTH: this.useRTH };
    this.deps.market.barsOrLastSession(req).then(
      (r) => this.showSession(gen, r),
      (e: unknown) => {
        if (gen !== this.generation) return;
        this.post({ type: 'loading', loading: false });
        this.postStatus(e instanceof Error ? e.message : String(e), 'info');
      },
    );
  }

  /** Shows bars that came with the market's hours: the most recent session's when the range held none. */
  private async showSession(gen: number, r: BarsOrLastSession): Promise<void> {
    if (gen !== this.generation) return;
    if (r.hours) await this.feed.market.refresh();
    if (gen !== this.generation) return;
    const live = this.candles; // live updates that arrived meanwhile belong after these bars
    this.candles = r.candles.map((c) => ({ ...c }));
    for (const c of live) mergeCandle(this.candles, c, calendarPeriod(this.barSize));
    this.feed.lastSession = r.lastSession;
    this.post(this.feed.candlesMessage(this.barSize, this.candles));
    this.post({ type: 'loading', loading: false });
    this.deps.log.info(`chart ${this.symbol}: no bars in the last ${this.duration}; ${this.feed.status(this.candles.length).text}`);
    this.postLiveStatus();
  }

  /** The market opened or closed under the chart. */
  private onMarket(open: boolean | undefined): void {
    if (!this.data || this.interrupted || this.disposed) return;
    if (open && this.feed.waitingForOpen) {
      this.deps.log.info(`chart ${this.symbol}: the market is open: asking for live bars again`);
      this.restartData();
      return;
    }
    this.restatus();
  }

  private stopData(reason?: string): void {
    this.generation++;
    this.interrupted = undefined;
    this.feed.stop();
    const d = this.data;
    this.data = undefined;
    d?.dispose();
    if (reason) this.postStatus(reason, 'warning');
  }

  private postStatus(text: string, kind: StatusKind): void {
    this.lastStatus = text;
    this.lastKind = kind;
    this.post({ type: 'status', text, kind });
  }

  private post(message: HostMessage | undefined): void {
    if (!message || !this.webviewReady || this.disposed) return;
    const failed = (e: unknown) => this.deps.log.debug(`chart ${this.symbol}: post failed: ${e instanceof Error ? e.message : String(e)}`);
    try {
      void this.panel.webview.postMessage(message).then(undefined, failed);
    } catch (e) {
      failed(e);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    try {
      this.stopData();
      this.feed.dispose();
      this.scope.dispose();
    } catch (e) {
      this.deps.log.warn(`chart ${this.symbol}: closing its bars failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const s of this.subs) s.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
