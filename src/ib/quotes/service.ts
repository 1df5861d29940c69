/**
 * Quotes: snapshots with their own time limit, and streaming lines shared by
 * reference count per contract (two watchers of AAPL are one gateway line; the
 * last one to leave cancels it).
 *
 * Lines are sent on the plain IBApi with request ids of our own, so that this
 * service alone decides when a line is (re)sent: on every ready (a new
 * connection has no lines), on every resubscribe signal (cancel, then send
 * again), and when the market-data type changes. The gateway therefore holds
 * exactly one line per watched contract.
 */
import type { ContractService } from '../contracts/service';
import { notConnected, requestError, timeoutError, toIbError } from '../contracts/failures';
import { resolvedToContract } from '../contracts/to-contract';
import { EventName, newRequestId, onResendNeeded, rawApi, retryWhenReady, WireBinding, type WireListener } from '../contracts/wire';
import { describeIbError, IbError, requestErrorRole } from '../errors';
import { silentLogger, type Logger } from '../log';
import type { Disposable, IbErrorInfo, IbSession, MarketDataTypeSetting, Quote, ResolvedContract, ReadOnlyClient } from '../types';
import { unitContext } from '../facts/session';
import { TickUnits } from '../facts/units';
import { dataTypeFromNumber, dataTypeToNumber, QuoteState } from './tick-model';
import { NOT_SUBSCRIBED, NotSubscribed, SHOWING_DELAYED, type Line, type Snapshot, type Watcher } from './lines';

export interface QuoteServiceOptions {
  /** Default snapshot time limit (12000 ms; TWS ends a snapshot within about 11 s). */
  snapshotTimeoutMs?: number;
  /** Clock for quote times (default Date.now). */
  now?: () => number;
}

export class QuoteService implements Disposable {
  private setting: MarketDataTypeSetting = 'auto';
  private readonly lines = new Map<number, Line>();
  private readonly byReqId = new Map<number, Line>();
  private readonly snapshots = new Map<number, Snapshot>();
  /** conIds that answered "not subscribed" under auto: asked as delayed from then on. */
  private readonly delayedOnly = new Set<number>();
  /** The market-data type last sent on the current client. */
  private sentType: { api: ReadOnlyClient; type: number } | undefined;
  private readonly binding: WireBinding;
  private readonly subscriptions: Disposable[] = [];
  private readonly snapshotTimeoutMs: number;
  private readonly now: () => number;
  private disposed = false;
  /** Lines whose quote changed since listeners last heard (see markChanged); each once (its `dirty` flag). */
  private changed: Line[] = [];
  private flushScheduled = false;
  /** The clock read once per burst of ticks (one I/O turn), not once per tick; undefined between bursts. */
  private burstTime: number | undefined;

  constructor(
    private readonly session: IbSession,
    private readonly contracts: ContractService,
    private readonly logger: Logger = silentLogger,
    options: QuoteServiceOptions = {},
  ) {
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 12000;
    this.now = options.now ?? Date.now;
    // the tick events go straight to onTick with their own arguments (the per-tick path: nothing allocated)
    const onTick = this.onTick as WireListener;
    const listeners: Array<[EventName, WireListener]> = [
      [EventName.tickPrice, onTick],
      [EventName.tickSize, onTick],
      [EventName.tickGeneric, onTick],
      [EventName.tickString, ((reqId: number, tickType: number, value: string) => this.onTick(reqId, tickType, undefined, value)) as WireListener],
      [EventName.marketDataType, ((reqId: number, type: number) => this.onDataType(reqId, type)) as WireListener],
      [EventName.tickSnapshotEnd, ((reqId: number) => this.snapshots.get(reqId)?.done()) as WireListener],
      [EventName.error, ((err: Error, code: number, reqId: number) => this.onError(err, code, reqId)) as WireListener],
    ];
    this.binding = new WireBinding(session, listeners);
    this.subscriptions.push(
      onResendNeeded(
        session,
        (reason, cancelFirst) => this.reopenAll(reason, cancelFirst),
        () => this.failStaleSnapshots(),
      ),
    );
    this.binding.current();
  }

  /** Number of streaming lines this service holds on the gateway (one per watched contract). */
  get activeLines(): number {
    return this.lines.size;
  }

  get marketDataType(): MarketDataTypeSetting {
    return this.setting;
  }

  /** Changes the market-data type; open lines are sent again with it. */
  setMarketDataType(t: MarketDataTypeSetting): void {
    if (t === this.setting) return;
    this.setting = t;
    this.delayedOnly.clear();
    for (const line of this.lines.values()) line.fellBack = false;
    this.reopenAll(`market data type ${t}`, true);
  }

  /** One quote, with a time limit: a clear IbError rather than a hang. */
  async snapshot(symbol: string | ResolvedContract, timeoutMs = this.snapshotTimeoutMs): Promise<Quote> {
    const contract = typeof symbol === 'string' ? await this.contracts.resolve(symbol) : symbol;
    const text = typeof symbol === 'string' ? symbol.trim() : contract.display;
    const fellBack = this.setting === 'auto' && this.delayedOnly.has(contract.conId);
    try {
      return await this.snapshotOnce(contract, text, timeoutMs, fellBack);
    } catch (e) {
      if (e instanceof NotSubscribed && this.setting === 'auto' && !fellBack) {
        this.delayedOnly.add(contract.conId);
        return this.snapshotOnce(contract, text, timeoutMs, true).catch((e2: unknown) => {
          throw e2 instanceof NotSubscribed ? new IbError(e2.info) : e2;
        });
      }
      throw e instanceof NotSubscribed ? new IbError(e.info) : e;
    }
  }

  private snapshotOnce(contract: ResolvedContract, text: string, timeoutMs: number, delayed: boolean): Promise<Quote> {
    const api = this.binding.current();
    if (!api) return Promise.reject(notConnected());
    const reqId = newRequestId(api);
    const type = this.typeFor(delayed);
    const state = new QuoteState(dataTypeFromNumber(type), contract.secType);
    return new Promise<Quote>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.snapshots.delete(reqId);
        reject(timeoutError(`snapshot for ${contract.display}`, timeoutMs, reqId));
      }, timeoutMs);
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.snapshots.delete(reqId);
        if (error) reject(error);
        else resolve(state.toQuote(text, contract.conId, delayed && this.setting === 'auto'));
      };
      this.snapshots.set(reqId, { api, contract, state, done });
      this.sendType(api, type);
      rawApi(api).reqMktData(reqId, resolvedToContract(contract), '', true, false);
    });
  }

  /** Streams quotes for a symbol; shared per contract. Dispose to stop watching. */
  subscribe(symbol: string | ResolvedContract, listener: (q: Quote) => void, onError?: (e: IbErrorInfo) => void): Disposable {
    const watcher: Watcher = { symbol: typeof symbol === 'string' ? symbol.trim() : symbol.display, listener, onError, disposed: false };
    const attach = (contract: ResolvedContract) => {
      if (watcher.disposed || this.disposed) return;
      let line = this.lines.get(contract.conId);
      const isNew = !line;
      if (!line) {
        line = {
          contract,
          watchers: new Set(),
          state: new QuoteState('live', contract.secType),
          fellBack: this.setting === 'auto' && this.delayedOnly.has(contract.conId),
          dirty: false,
        };
        this.lines.set(contract.conId, line);
      }
      line.watchers.add(watcher);
      watcher.line = line;
      if (isNew) this.open(line);
      else if (line.state.hasData) this.deliver(watcher, line);
    };
    if (typeof symbol === 'string') {
      this.resolveWhenReady(symbol, () => watcher.disposed).then(attach, (e: unknown) => {
        if (!watcher.disposed) this.safeError(watcher, toIbError(e).info);
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
        }
      },
    };
  }

  /** Resolves a symbol; while not connected, tries again on the next ready instead of failing. */
  private resolveWhenReady(symbol: string, gone: () => boolean): Promise<ResolvedContract> {
    return retryWhenReady(
      this.session,
      () => this.contracts.resolve(symbol),
      () => this.disposed || gone(),
      (d) => this.subscriptions.push(d),
    );
  }

  /** Snapshots asked on an earlier connection get no answer: end them now. */
  private failStaleSnapshots(): void {
    const api = this.session.api;
    for (const s of [...this.snapshots.values()]) if (s.api !== api) s.done(notConnected());
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of this.changed) l.dirty = false;
    this.changed = [];
    for (const line of this.lines.values()) this.close(line);
    this.lines.clear();
    for (const s of this.snapshots.values()) s.done(notConnected());
    for (const s of this.subscriptions) s.dispose();
    this.binding.dispose();
  }

  // ------------------------------------------------------------ lines

  private typeFor(delayed: boolean): number {
    const base = dataTypeToNumber(this.setting);
    if (!delayed) return base;
    return base === 2 || base === 4 ? 4 : 3;
  }

  private sendType(api: ReadOnlyClient, type: number): void {
    if (this.sentType?.api === api && this.sentType.type === type) return;
    rawApi(api).reqMarketDataType(type);
    this.sentType = { api, type };
  }

  private open(line: Line): void {
    const api = this.binding.current();
    if (!api || this.disposed) return; // sent on the next ready
    const reqId = newRequestId(api);
    const type = this.typeFor(line.fellBack);
    line.reqId = reqId;
    line.api = api;
    line.units = undefined;
    line.state.setRequestedType(dataTypeFromNumber(type) ?? 'live');
    this.byReqId.set(reqId, line);
    this.sendType(api, type);
    this.logger.debug(`quotes: line ${reqId} for ${line.contract.display} (${dataTypeFromNumber(type)})`);
    rawApi(api).reqMktData(reqId, resolvedToContract(line.contract), '', false, false);
  }

  private close(line: Line): void {
    if (line.reqId === undefined) return;
    this.byReqId.delete(line.reqId);
    const api = this.session.api;
    if (api && api === line.api && api.isConnected) {
      this.logger.debug(`quotes: cancel line ${line.reqId} for ${line.contract.display}`);
      rawApi(api).cancelMktData(line.reqId);
    }
    line.reqId = undefined;
    line.api = undefined;
  }

  /** After a ready the old lines are gone with the old connection: send again. Otherwise cancel first. */
  private reopenAll(reason: string, cancelFirst: boolean): void {
    if (this.disposed) return;
    if (!cancelFirst) this.sentType = undefined;
    const api = this.binding.current();
    if (!api) return;
    if (this.lines.size) this.logger.info(`quotes: sending ${this.lines.size} line(s) again (${reason})`);
    for (const line of this.lines.values()) {
      if (cancelFirst) this.close(line);
      else {
        if (line.reqId !== undefined) this.byReqId.delete(line.reqId);
        line.reqId = undefined;
        line.api = undefined;
      }
      this.open(line);
    }
  }

  // ------------------------------------------------------------ events

  /** A tick of a streaming line or a snapshot (the per-tick path: a map read, an array read and a compare). */
  // (tickPrice's fourth argument is canAutoExecute, a boolean: only a string is a tick's text)
  private readonly onTick = (reqId: number, tickType: number, value: number | undefined, text?: unknown): void => {
    const stringValue = typeof text === 'string' ? text : undefined;
    const line = this.byReqId.get(reqId);
    if (line === undefined) return this.onOtherTick(reqId, tickType, value, stringValue);
    const units = line.units ?? (line.units = new TickUnits(unitContext(this.session, line.contract)));
    if (line.state.apply(tickType, units.inShares(tickType, value), stringValue, this.burstTime ?? this.startBurst())) this.markChanged(line);
  };

  /**
   * A snapshot's tick, or a cancelled line's until the gateway has the cancel
   * (@stoqey/ib sends at most 40 messages a second).
   */
  private onOtherTick(reqId: number, tickType: number, value: number | undefined, stringValue: string | undefined): void {
    const snap = this.snapshots.get(reqId);
    if (!snap) return;
    snap.units ??= new TickUnits(unitContext(this.session, snap.contract));
    snap.state.apply(tickType, snap.units.inShares(tickType, value), stringValue, this.burstTime ?? this.startBurst());
  }

  /**
   * Ticks arrive in bursts (one socket read holds many); listeners get the
   * latest quote once per burst rather than once per tick, which keeps a busy
   * market cheap without delaying anything by more than one I/O turn.
   */
  private markChanged(line: Line): void {
    if (line.dirty) return;
    line.dirty = true;
    this.changed.push(line);
    this.scheduleFlush();
  }

  /**
   * The time of the ticks of this burst: the clock costs more than the rest of
   * a tick's handling together (~0.1 µs on a virtual machine), and every tick
   * of one socket read arrived at the same moment anyway.
   */
  private startBurst(): number {
    this.burstTime = this.now();
    this.scheduleFlush();
    return this.burstTime;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    this.burstTime = undefined;
    const lines = this.changed;
    this.changed = [];
    for (const l of lines) {
      l.dirty = false;
      if (!this.disposed && this.lines.get(l.contract.conId) === l) this.deliverAll(l);
    }
  };

  private onDataType(reqId: number, type: number): void {
    const snap = this.snapshots.get(reqId);
    if (snap) {
      snap.state.setReportedType(type);
      return;
    }
    const line = this.byReqId.get(reqId);
    if (line && line.state.setReportedType(type) && line.state.hasData) this.deliverAll(line);
  }

  private onError(err: Error, code: number, reqId: number): void {
    const role = requestErrorRole(code, reqId);
    if (role === 'connection' || role === 'ignore') return;
    const snap = this.snapshots.get(reqId);
    if (snap) {
      if (code === SHOWING_DELAYED) return; // data follows, delayed
      if (NOT_SUBSCRIBED.has(code)) snap.done(new NotSubscribed(code, err.message, reqId));
      else if (role === 'error') snap.done(requestError(code, err.message, reqId));
      return;
    }
    const line = this.byReqId.get(reqId);
    if (!line) return;
    if (role === 'notice') return;
    if (NOT_SUBSCRIBED.has(code) && this.setting === 'auto' && !line.fellBack) {
      this.logger.info(`quotes: ${line.contract.display} is not subscribed for live data (${code}); using delayed data`);
      this.delayedOnly.add(line.contract.conId);
      line.fellBack = true;
      // 10167 is advisory: TWS goes on with delayed ticks on the same line
      if (code === SHOWING_DELAYED) return;
      this.byReqId.delete(reqId);
      line.reqId = undefined;
      this.open(line);
      return;
    }
    if (code === SHOWING_DELAYED) return; // the line streams delayed data; the quote's dataType says so
    const info = describeIbError(code, err.message, reqId);
    this.logger.warn(`quotes: ${line.contract.display}: ${info.message} (${code})`);
    // The gateway ended this line; it is sent again on the next ready/resubscribe.
    this.byReqId.delete(reqId);
    line.reqId = undefined;
    for (const w of line.watchers) this.safeError(w, info);
  }

  private deliverAll(line: Line): void {
    for (const w of line.watchers) this.deliver(w, line);
  }

  private deliver(w: Watcher, line: Line): void {
    const q = line.state.toQuote(w.symbol, line.contract.conId, line.fellBack && this.setting === 'auto');
    try {
      w.listener(q);
    } catch (e) {
      this.logger.error(`quotes: a listener failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private safeError(w: Watcher, info: IbErrorInfo): void {
    try {
      w.onError?.(info);
    } catch (e) {
      this.logger.error(`quotes: an error listener failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
