/**
 * Quotes: snapshots with their own time limit, and streaming lines shared per contract (two watchers of
 * AAPL are one gateway line; the last to leave cancels it). This service alone decides when a line is
 * (re)sent: on every ready (a new connection has no lines), on a resubscribe signal (cancel, then send
 * again), when the market-data type changes: the gateway holds exactly one line per watched contract.
 */
import type { ContractService } from '../contracts/service';
import { notConnected, toIbError } from '../contracts/failures';
import { resolvedToContract } from '../contracts/to-contract';
import { continuousError, refuseExpired, refusedAsExpired } from '../contracts/expired';
import { describeIbError, LOCAL_CODES, type ClassifiedMessage } from '../errors';
import { gatewayClockPerConnection } from '../gateway-clock';
import { silentLogger, type Logger } from '../log';
import { onGatewayChanged, onResendNeeded, ReadyWaits } from '../session-waits';
import type { ReadOnlyWire } from '../transport/wire';
import type { Disposable, IbErrorInfo, IbSession, MarketDataTypeSetting, Quote, ResolvedContract } from '../types';
import { unitContext } from '../facts/session';
import { TickUnits } from '../facts/units';
import { dataTypeFromNumber, dataTypeToNumber, QuoteState, typeBeforeReport } from './tick-model';
import { QuoteBursts, SlotOwner } from './quote-bursts';
import { SilentLines } from './silent-lines';
import { systemClock } from '../clock';
import { NEEDS_API_SUBSCRIPTION, NOT_SUBSCRIBED, safeError, SHOWING_DELAYED } from './lines';
import type { Line, QuoteServiceOptions, QuoteWatch, Watcher } from './lines';
import { markNamedLines, resolveAgain, type ResolveAgainContext } from './resolve-again';
import { snapshotWithFallback, type SnapshotContext } from './snapshot';

export class QuoteService implements Disposable {
  private setting: MarketDataTypeSetting = 'auto';
  private readonly lines = new Map<number, Line>();
  /** Snapshots in flight: how to end each. */
  private readonly snapshots = new Set<(error?: Error) => void>();
  /** conIds that answered "not subscribed" under auto: asked as delayed from then on. */
  private readonly delayedOnly = new Set<number>();
  /** The market-data type last sent on the current client. */
  private sentType: { api: ReadOnlyWire; type: number } | undefined;
  private readonly subscriptions: Disposable[] = [];
  private readonly waits: ReadyWaits;
  private readonly silence: SilentLines;
  private readonly snapshotTimeoutMs: number;
  private readonly now: () => number;
  private disposed = false;
  /** Every line's values, each tick applied as it comes, each changed line delivered once per burst. */
  private readonly bursts = new QuoteBursts<Line>(
    () => this.now(),
    (line) => {
      if (!this.disposed && this.lines.get(line.contract.conId) === line) this.deliverAll(line);
    },
  );

  constructor(
    private readonly session: IbSession,
    private readonly contracts: ContractService,
    private readonly logger: Logger = silentLogger,
    options: QuoteServiceOptions = {},
  ) {
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 12000;
    if (options.now) this.now = options.now;
    else {
      // update times (forex has no trade time) on the gateway's clock: a simulated one may run at another time
      const clock = gatewayClockPerConnection(session);
      this.now = clock.now;
      this.subscriptions.push(clock);
    }
    this.waits = new ReadyWaits(session);
    this.silence = new SilentLines({
      clock: options.clock ?? systemClock,
      session,
      current: (line, request) => !this.disposed && this.lines.get(line.contract.conId) === line && line.request === request,
      resend: (line) => (this.close(line), this.open(line)),
      gaveUp: (line) => {
        const info = describeIbError(LOCAL_CODES.silentLine);
        for (const w of line.watchers) this.tellError(w, info);
      },
      log: (text) => this.logger.info(text),
    });
    this.subscriptions.push(
      // another gateway (account) may have the live subscriptions this one lacked: ask live again before the lines go (this listener first)
      onGatewayChanged(session, () => {
        this.forgetFallbacks();
        markNamedLines(this.lines.values());
      }),
      onResendNeeded(session, (reason, cancelFirst) => this.reopenAll(reason, cancelFirst)),
    );
  }

  /** Number of streaming lines this service holds on the gateway (one per watched contract; not those the gateway ended, as it does a line it will not stream). */
  get activeLines(): number {
    let n = 0;
    for (const line of this.lines.values()) if (!line.endedBy) n++;
    return n;
  }

  get marketDataType(): MarketDataTypeSetting {
    return this.setting;
  }

  /** Changes the market-data type; open lines are sent again with it. */
  setMarketDataType(t: MarketDataTypeSetting): void {
    if (t === this.setting) return;
    this.setting = t;
    this.forgetFallbacks();
    this.reopenAll(`market data type ${t}`, true);
  }

  private forgetFallbacks(): void {
    this.delayedOnly.clear();
    for (const line of this.lines.values()) line.fellBack = false;
  }

  /** One quote, with a time limit: a clear IbError rather than a hang. */
  async snapshot(symbol: string | ResolvedContract, timeoutMs = this.snapshotTimeoutMs): Promise<Quote> {
    const contract = await refuseExpired(this.contracts, typeof symbol === 'string' ? await this.contracts.resolve(symbol) : symbol, this.now());
    return snapshotWithFallback(this.snapshotContext(), contract, typeof symbol === 'string' ? symbol.trim() : contract.display, timeoutMs);
  }

  private snapshotContext(): SnapshotContext {
    return {
      session: this.session,
      typeFor: (delayed) => this.typeFor(delayed),
      sendType: (api, type) => this.sendType(api, type),
      snapshots: this.snapshots,
      auto: () => this.setting === 'auto',
      delayedOnly: this.delayedOnly,
      now: () => this.bursts.burstTime(),
    };
  }

  /** Streams quotes for a symbol; shared per contract. Dispose to stop watching. */
  subscribe(symbol: string | ResolvedContract, listener: (q: Quote) => void, onError?: (e: IbErrorInfo) => void): Disposable {
    const named = typeof symbol === 'string' ? symbol.trim() : undefined;
    return this.attachWatcher({ symbol: named ?? (symbol as ResolvedContract).display, named, listener, onError, disposed: false }, symbol);
  }

  /**
   * Streams a symbol as `subscribe` does, but says only that its quote changed since the watcher last read it:
   * told once, then not again until `latest()` is read; `latest()` builds the quote when the watcher needs it
   * (once per change however often it asks). For a view that draws a few times a second while ticks arrive many
   * times a second: no quote is built, and nobody is told, for a change nobody reads. Disposed, it keeps the last quote.
   */
  watch(symbol: string, changed: () => void, onError?: (e: IbErrorInfo) => void): QuoteWatch {
    const watcher: Watcher = { symbol: symbol.trim(), named: symbol.trim(), changed, onError, disposed: false };
    const sub = this.attachWatcher(watcher, symbol);
    const latest = () => {
      const line = watcher.line;
      if (watcher.disposed || !line?.state.hasData) return watcher.latest;
      if (watcher.told) this.untell(watcher);
      return (watcher.latest ??= this.quoteFor(watcher, line));
    };
    return {
      dispose: () => {
        watcher.latest = latest();
        sub.dispose();
      },
      latest,
      contract: () => watcher.line?.contract,
    };
  }

  private attachWatcher(watcher: Watcher, symbol: string | ResolvedContract): Disposable {
    const attach = (contract: ResolvedContract) => {
      if (watcher.disposed || this.disposed) return;
      // history only; its contract id is its front month's, whose line it would join
      if (contract.secType === 'CONTFUT') return safeError(watcher, continuousError(contract).info, this.logger);
      let line = this.lines.get(contract.conId);
      const isNew = !line;
      if (!line) {
        line = this.bursts.take((slot) => ({
          contract,
          watchers: new Set(),
          state: this.stateFor(contract, slot),
          fellBack: this.setting === 'auto' && this.delayedOnly.has(contract.conId),
          resolveAgain: false,
          slot,
          silentResends: 0,
          gaveUpSilent: false,
          silenceTimer: undefined,
        }));
        this.lines.set(contract.conId, line);
      }
      if (isNew) {
        line.watchers.add(watcher);
        watcher.line = line;
        this.open(line);
      } else this.attachTo(watcher, line);
    };
    if (typeof symbol === 'string') {
      this.resolveWhenReady(symbol, () => watcher.disposed).then(attach, (e: unknown) => {
        if (!watcher.disposed) safeError(watcher, toIbError(e).info, this.logger);
      });
    } else {
      attach(symbol);
    }
    return {
      dispose: () => {
        if (watcher.disposed) return;
        watcher.disposed = true;
        const line = watcher.line;
        if (!line) return;
        line.watchers.delete(watcher);
        if (line.watchers.size === 0) {
          this.close(line);
          this.lines.delete(line.contract.conId);
          this.bursts.release(line.slot);
        }
      },
    };
  }

  /** A watcher joins a line: it hears the line's quote, or why the gateway ended it (asked again on the next ready). */
  private attachTo(watcher: Watcher, line: Line): void {
    line.watchers.add(watcher);
    watcher.line = line;
    watcher.latest = undefined;
    this.untell(watcher);
    const why = line.endedBy;
    // a line that stayed silent through its re-sends is asked again for a new watcher (a Refresh of its row)
    if (line.gaveUpSilent && !line.state.heardSinceOpen && line.request) {
      this.logger.info(`quotes: ${line.contract.display} heard nothing when last sent; sending it again for a new watcher`);
      this.close(line);
      this.open(line);
    }
    if (why) queueMicrotask(() => !watcher.disposed && this.tellError(watcher, why));
    else if (line.state.hasData) this.deliver(watcher, line);
  }

  private readonly resolving: ResolveAgainContext = {
    resolve: (text) => this.contracts.resolve(text),
    lines: this.lines,
    live: () => !this.disposed,
    connected: () => this.session.api !== undefined,
    open: (line) => this.open(line),
    release: (line) => this.bursts.release(line.slot),
    stateFor: (contract, slot) => this.stateFor(contract, slot),
    attachTo: (w, line) => this.attachTo(w, line),
    safeError: (w, info) => this.tellError(w, info),
    log: (text) => this.logger.info(text),
  };

  /** Resolves a symbol; while not connected, tries again on the next ready instead of failing. */
  private resolveWhenReady(symbol: string, gone: () => boolean): Promise<ResolvedContract> {
    return this.waits.retry(
      () => this.contracts.resolve(symbol),
      () => this.disposed || gone(),
    );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.bursts.dispose();
    for (const line of this.lines.values()) this.close(line);
    this.lines.clear();
    for (const done of [...this.snapshots]) done(notConnected());
    for (const s of this.subscriptions) s.dispose();
    this.waits.dispose();
  }

  // ------------------------------------------------------------ lines

  private typeFor(delayed: boolean): number {
    const base = dataTypeToNumber(this.setting);
    if (!delayed) return base;
    return base === 2 || base === 4 ? 4 : 3;
  }

  private sendType(api: ReadOnlyWire, type: number): void {
    if (this.sentType?.api === api && this.sentType.type === type) return;
    api.marketDataType(type);
    this.sentType = { api, type };
  }

  private open(line: Line): void {
    const api = this.session.api;
    if (!api || this.disposed) return; // sent on the next ready
    const refused = (info: IbErrorInfo) => this.lines.get(line.contract.conId) === line && !line.request && this.onLineError(line, { role: 'error', info });
    if (refusedAsExpired(this.contracts, line.contract, this.now(), refused)) return; // an expired futures month: IB would answer 200
    const type = this.typeFor(line.fellBack);
    line.endedBy = undefined;
    line.gaveUpSilent = false;
    line.state.setRequestedType(typeBeforeReport(type));
    line.state.setUnits(new TickUnits(unitContext(this.session, line.contract)));
    this.sendType(api, type);
    // ticks into the line's slot; the rest here
    const owner = new SlotOwner(this.bursts, line.slot, {
      dataType: (t) => {
        if (line.state.setReportedType(t) && line.state.hasData) this.deliverAll(line);
      },
      snapshotEnd: () => undefined,
      error: (m) => this.onLineError(line, m),
      // the connection ended: the line is sent again on the next ready
      end: () => {
        if (line.request?.id === request.id) line.request = undefined;
      },
    });
    const request = api.marketData(owner, resolvedToContract(line.contract), false);
    line.request = request;
    this.silence.watch(line, request);
    this.logger.debug(`quotes: line ${request.id} for ${line.contract.display} (${dataTypeFromNumber(type)})`);
  }

  private close(line: Line): void {
    const request = line.request;
    if (!request) return;
    line.request = undefined;
    this.silence.forget(line);
    this.logger.debug(`quotes: cancel line ${request.id} for ${line.contract.display}`);
    request.cancel();
  }

  /** After a ready the old lines are gone with the old connection: send again. Otherwise cancel first. */
  private reopenAll(reason: string, cancelFirst: boolean): void {
    if (this.disposed) return;
    if (!cancelFirst) this.sentType = undefined;
    if (!this.session.api) return;
    if (this.lines.size) this.logger.info(`quotes: sending ${this.lines.size} line(s) again (${reason})`);
    for (const line of [...this.lines.values()]) {
      if (cancelFirst) this.close(line);
      else line.request = undefined;
      if (line.resolveAgain) resolveAgain(this.resolving, line);
      else this.open(line);
    }
  }

  /** An error or notice for a line: delayed fallback under auto, else the line has ended and its watchers hear why. */
  private onLineError(line: Line, { role, info }: ClassifiedMessage): void {
    // the line goes on (10090: part of its data is not subscribed; the rest streams)
    if (role === 'notice') this.logger.info(`quotes: ${line.contract.display}: ${info.message} (${info.code})`);
    if (role !== 'error') return;
    const code = info.code;
    if (NOT_SUBSCRIBED.has(code) && this.setting === 'auto' && !line.fellBack) {
      this.logger.info(`quotes: ${line.contract.display} is not subscribed for live data (${code}); using delayed data`);
      this.delayedOnly.add(line.contract.conId);
      line.fellBack = true;
      // 10167 is advisory: TWS goes on with delayed ticks on the same line
      if (code === SHOWING_DELAYED) return;
      line.request?.forget();
      line.request = undefined;
      this.open(line);
      return;
    }
    if (code === SHOWING_DELAYED) return; // the line streams delayed data; the quote's dataType says so
    if (code === NEEDS_API_SUBSCRIPTION && this.typeFor(line.fellBack) >= 3) return; // advice: delayed ticks follow
    this.logger.warn(`quotes: ${line.contract.display}: ${info.message} (${code})`);
    // The gateway ended this line; it is sent again on the next ready/resubscribe.
    line.request?.forget();
    line.request = undefined;
    line.endedBy = info;
    for (const w of line.watchers) this.tellError(w, info);
  }

  /** A line's model, its values at its slot in the service's columns (cleared). */
  private stateFor(contract: ResolvedContract, slot: number): QuoteState {
    return new QuoteState('live', contract.secType, contract.minTick, { columns: this.bursts.columns, slot });
  }

  private deliverAll(line: Line): void {
    let allTold = true;
    for (const w of line.watchers) {
      this.deliver(w, line);
      allTold &&= w.told === true;
    }
    // nobody to tell until one of them reads the quote (or another joins)
    if (allTold && line.watchers.size) this.bursts.setQuiet(line.slot, true);
  }

  /** The watcher is told of the next change (it read the quote, joined a line, or heard an error). */
  private untell(w: Watcher): void {
    w.told = false;
    const line = w.line;
    if (line && this.lines.get(line.contract.conId) === line) this.bursts.setQuiet(line.slot, false);
  }

  /** Why a watcher's line failed or ended; the next change after it is told. */
  private tellError(w: Watcher, info: IbErrorInfo): void {
    this.untell(w);
    safeError(w, info, this.logger);
  }

  private quoteFor(w: Watcher, line: Line): Quote {
    return line.state.toQuote(w.symbol, line.contract.conId, line.fellBack && this.setting === 'auto');
  }

  private deliver(w: Watcher, line: Line): void {
    try {
      if (w.changed) {
        // built again when read
        w.latest = undefined;
        if (w.told) return;
        w.told = true;
        w.changed();
      } else w.listener?.(this.quoteFor(w, line));
    } catch (e) {
      this.logger.error(`quotes: a listener failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
