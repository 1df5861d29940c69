/**
 * Candles: historical bars (validated before sending, paced, cached for 15 s)
 * and live series (a backfill, then keep-up-to-date bars merged by IB's rule).
 *
 * Requests go out on the plain IBApi with our own request ids, so that one
 * keepUpToDate request carries both the backfill and the updates, and so
 * that this service alone decides when a live series is sent again: after a
 * ready (a new connection has nothing), after a resubscribe signal (cancel,
 * then send), never twice for the same series.
 */
import type { BarSizeSetting, WhatToShow as IbWhatToShow } from '@stoqey/ib';
import { barSizeSeconds, checkBarRequest, normaliseBarSize, parseDuration } from '../bar-sizes';
import type { ContractService } from '../contracts/service';
import { notConnected, requestError, timeoutError, toIbError } from '../contracts/failures';
import { resolvedToContract } from '../contracts/to-contract';
import { EventName, newRequestId, onResendNeeded, rawApi, retryWhenReady, WireBinding, type WireListener } from '../contracts/wire';
import { describeIbError, IbError, LOCAL_CODES, requestErrorRole } from '../errors';
import { silentLogger, type Logger } from '../log';
import { quoted } from '../text';
import type { Candle, CandleEvent, Disposable, HistoryRequest, IbSession, ResolvedContract, WhatToShow, ReadOnlyClient } from '../types';
import { classifyHmdsError } from '../facts/hmds-errors';
import { BarReader } from './bar-reader';
import { mergeCandle } from './merge';
import { PacingQueue, realClock, type PacingClock, type PacingKey, type PacingLimits } from './pacing';

export interface CandleServiceOptions {
  /** Pacing limits (IB's by default); tests shorten them. */
  pacing?: Partial<PacingLimits>;
  clock?: PacingClock;
  /** Identical fetches within this time are served from the cache (default 15000 ms). */
  cacheMs?: number;
  /** Time limit for one history answer (default 60000 ms). */
  timeoutMs?: number;
  /** Wait before re-sending a request the gateway refused for pacing (default 15000 ms), and how often (default 4). */
  pacingRetryMs?: number;
  pacingRetries?: number;
}

/** Keep-up-to-date bars are only available from this bar size on. */
export const MIN_LIVE_BAR_SECONDS = 5;

interface Normalised {
  contract: ResolvedContract;
  barSize: string;
  /** Daily and longer bars are keyed by UTC midnight of their date. */
  daily: boolean;
  duration: string;
  whatToShow: WhatToShow;
  useRTH: boolean;
  endDateTime: string;
}

interface Pending {
  api: ReadOnlyClient;
  contract: ResolvedContract;
  daily: boolean;
  bars: Candle[];
  done: (error?: Error) => void;
}

interface Series {
  key: string;
  norm?: Normalised;
  listeners: Set<(e: CandleEvent) => void>;
  candles: Candle[];
  reqId?: number;
  api?: ReadOnlyClient;
  /** Backfill received so far for the current request; undefined once it ended. */
  backfill?: Candle[];
  /** Updates that arrived before the backfill ended. */
  early: Candle[];
  /** Ends the pacing-queue turn of the current request. */
  release?: (error?: Error) => void;
  started: boolean;
  closed: boolean;
  retries: number;
  /** Bumped on every send, so a superseded send's outcome is ignored. */
  gen: number;
}

function validationError(problem: string): IbError {
  return new IbError({
    ...describeIbError(LOCAL_CODES.invalidRequest),
    message: `IB would refuse this history request: ${problem}.`,
    action: 'Choose a bar size and duration IB accepts together (longer durations need larger bars).',
  });
}

const WHAT_TO_SHOW: readonly string[] = ['TRADES', 'MIDPOINT', 'BID', 'ASK', 'BID_ASK', 'ADJUSTED_LAST', 'HISTORICAL_VOLATILITY', 'OPTION_IMPLIED_VOLATILITY'];
/** IB's end date: "yyyyMMdd-HH:mm:ss" (UTC) or "yyyyMMdd HH:mm:ss" with an optional time zone name. */
const END_DATE_TIME = /^(\d{4})(\d{2})(\d{2})[- ](\d{2}):(\d{2}):(\d{2})(?: [A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2})?$/;

/**
 * The request fields other than bar size and duration, checked before anything is sent: they go
 * to the gateway as text, and a NUL inside one would split the wire message into other fields.
 */
function checkRequestFields(req: HistoryRequest): string | undefined {
  if (req.whatToShow !== undefined && !WHAT_TO_SHOW.includes(req.whatToShow)) {
    return `${quoted(req.whatToShow)} is not an IB data type; use one of: ${WHAT_TO_SHOW.join(', ')}`;
  }
  const end = typeof req.endDateTime === 'string' ? req.endDateTime.trim() : req.endDateTime;
  if (end === undefined || end === '') return undefined;
  const m = typeof end === 'string' && end.length <= 64 ? END_DATE_TIME.exec(end) : null;
  const [year, month, day, hour, minute, second] = (m ?? []).slice(1, 7).map(Number);
  const valid =
    m !== null && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate() && hour < 24 && minute < 60 && second < 60;
  if (!valid) return `the end date ${quoted(end)} is not a date and time like "20251120-16:00:00" (UTC) or "20251120 11:00:00 US/Eastern"`;
  return undefined;
}

function isPacingRefusal(code: number, raw: string | undefined): boolean {
  return code === 162 && classifyHmdsError(raw) === 'pacing';
}

export class CandleService implements Disposable {
  private readonly queue: PacingQueue;
  private readonly cache = new Map<string, { at: number; candles: Candle[] }>();
  private readonly inflight = new Map<string, Promise<Candle[]>>();
  private readonly pending = new Map<number, Pending>();
  private readonly series = new Map<string, Series>();
  private readonly byReqId = new Map<number, Series>();
  private readonly binding: WireBinding;
  private readonly subscriptions: Disposable[] = [];
  private readonly clock: PacingClock;
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly pacingRetryMs: number;
  private readonly pacingRetries: number;
  private readonly sleepers = new Map<unknown, () => void>();
  private readonly bars: BarReader;
  /** True between a ready and the end of its turn: a resubscribe then is already covered. */
  private disposed = false;

  constructor(
    private readonly session: IbSession,
    private readonly contracts: ContractService,
    private readonly logger: Logger = silentLogger,
    options: CandleServiceOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.bars = new BarReader(session, () => this.clock.now(), logger);
    this.queue = new PacingQueue(options.pacing, this.clock);
    this.cacheMs = options.cacheMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.pacingRetryMs = options.pacingRetryMs ?? 15_000;
    this.pacingRetries = options.pacingRetries ?? 4;
    const listeners: Array<[EventName, WireListener]> = [
      [EventName.historicalData, ((reqId: number, time: string, o: number, h: number, l: number, c: number, v: number) => this.onBar(reqId, time, o, h, l, c, v)) as WireListener],
      [EventName.historicalDataUpdate, ((reqId: number, time: string, o: number, h: number, l: number, c: number, v: number) => this.onUpdate(reqId, time, o, h, l, c, v)) as WireListener],
      [EventName.error, ((err: Error, code: number, reqId: number) => this.onError(err, code, reqId)) as WireListener],
    ];
    this.binding = new WireBinding(session, listeners);
    this.subscriptions.push(
      onResendNeeded(
        session,
        (reason, cancelFirst) => this.resendAll(reason, cancelFirst),
        () => {
          const api = this.session.api;
          for (const p of [...this.pending.values()]) if (p.api !== api) p.done(notConnected());
        },
      ),
    );
    this.binding.current();
  }

  /** Live series currently held on the gateway or waiting for their turn. */
  get liveSeries(): number {
    return this.series.size;
  }

  /** The pacing queue (for a status display: how many requests wait). */
  get pacing(): PacingQueue {
    return this.queue;
  }

  // ------------------------------------------------------------ fetch

  /** Historical bars, times in UTC epoch seconds. Validated first; paced; identical requests within 15 s come from the cache. */
  async fetch(req: HistoryRequest): Promise<Candle[]> {
    const problem = checkBarRequest(req.barSize, req.duration) ?? checkRequestFields(req);
    if (problem) throw validationError(problem);
    const norm = await this.normalise(req);
    const identity = this.identity(norm, false);
    const hit = this.cache.get(identity);
    if (hit && this.clock.now() - hit.at < this.cacheMs) return hit.candles.map((c) => ({ ...c }));
    let p = this.inflight.get(identity);
    if (!p) {
      p = this.fetchPaced(norm, identity, 0).finally(() => this.inflight.delete(identity));
      this.inflight.set(identity, p);
    }
    const candles = await p;
    return candles.map((c) => ({ ...c }));
  }

  private async fetchPaced(norm: Normalised, identity: string, attempt: number): Promise<Candle[]> {
    try {
      const candles = await this.queue.run(this.pacingKey(norm, identity), () => this.sendFetch(norm));
      this.cache.set(identity, { at: this.clock.now(), candles });
      this.pruneCache();
      return candles;
    } catch (e) {
      if (e instanceof IbError && isPacingRefusal(e.info.code, e.info.raw) && attempt < this.pacingRetries && !this.disposed) {
        this.logger.info(`candles: pacing refusal for ${norm.contract.display} ${norm.barSize}; trying again in ${this.pacingRetryMs} ms`);
        await this.sleep(this.pacingRetryMs);
        return this.fetchPaced(norm, identity, attempt + 1);
      }
      throw e;
    }
  }

  private sendFetch(norm: Normalised): Promise<Candle[]> {
    const api = this.binding.current();
    if (!api || this.disposed) return Promise.reject(notConnected());
    const reqId = newRequestId(api);
    return new Promise<Candle[]>((resolve, reject) => {
      const bars: Candle[] = [];
      const timer = this.clock.setTimer(() => {
        this.pending.delete(reqId);
        if (api === this.session.api && api.isConnected) rawApi(api).cancelHistoricalData(reqId);
        reject(timeoutError(`history request for ${norm.contract.display} (${norm.barSize}, ${norm.duration})`, this.timeoutMs, reqId));
      }, this.timeoutMs);
      this.pending.set(reqId, {
        api,
        contract: norm.contract,
        daily: norm.daily,
        bars,
        done: (error) => {
          this.clock.clearTimer(timer);
          this.pending.delete(reqId);
          if (error) reject(error);
          else resolve(bars);
        },
      });
      this.logger.debug(`candles: history #${reqId} ${norm.contract.display} ${norm.duration} ${norm.barSize} ${norm.whatToShow}`);
      rawApi(api).reqHistoricalData(reqId, resolvedToContract(norm.contract), norm.endDateTime, norm.duration, norm.barSize as BarSizeSetting, norm.whatToShow as IbWhatToShow, norm.useRTH ? 1 : 0, 2, false);
    });
  }

  // ------------------------------------------------------------ live

  /**
   * A live series: first a 'reset' with the backfill, then 'update's merged
   * by mergeCandle. Errors (including invalid requests and bar sizes under
   * 5 s) arrive as 'error' events. Series with the same request are shared.
   */
  live(req: HistoryRequest, listener: (e: CandleEvent) => void): Disposable {
    const problem = checkBarRequest(req.barSize, req.duration) ?? checkRequestFields({ ...req, endDateTime: undefined });
    const seconds = barSizeSeconds(req.barSize);
    let invalid: IbError | undefined;
    if (problem) invalid = validationError(problem);
    else if (seconds !== undefined && seconds < MIN_LIVE_BAR_SECONDS) {
      invalid = new IbError({
        ...describeIbError(LOCAL_CODES.invalidRequest),
        message: `Live bars need a bar size of 5 secs or more; "${normaliseBarSize(req.barSize)}" can only be fetched as history.`,
        action: 'Choose a bar size of 5 secs or larger for a live chart.',
      });
    } else if (req.endDateTime && req.endDateTime.trim() !== '') {
      invalid = new IbError({ ...describeIbError(LOCAL_CODES.invalidRequest), message: 'A live series always ends now; it cannot have an end date.', action: 'Leave the end date empty for live bars.' });
    }
    if (invalid) {
      const info = invalid.info;
      queueMicrotask(() => listener({ type: 'error', error: info }));
      return { dispose: () => undefined };
    }
    let series: Series | undefined;
    let disposed = false;
    const join = (s: Series) => {
      if (disposed) return;
      series = s;
      s.listeners.add(listener);
      if (s.backfill === undefined && s.started && s.reqId !== undefined) {
        const snapshot = s.candles.map((c) => ({ ...c }));
        queueMicrotask(() => {
          if (!disposed) listener({ type: 'reset', candles: snapshot });
        });
      }
    };
    this.normaliseWhenReady(req, () => disposed).then(
      (norm) => {
        if (disposed || this.disposed) return;
        const key = this.identity(norm, true);
        let s = this.series.get(key);
        if (!s) {
          s = { key, norm, listeners: new Set(), candles: [], early: [], started: false, closed: false, retries: 0, gen: 0 };
          this.series.set(key, s);
          join(s);
          this.startSeries(s);
        } else join(s);
      },
      (e: unknown) => {
        if (!disposed) listener({ type: 'error', error: toIbError(e).info });
      },
    );
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        if (!series) return;
        series.listeners.delete(listener);
        if (series.listeners.size === 0) this.closeSeries(series);
      },
    };
  }

  private startSeries(s: Series): void {
    if (s.closed || this.disposed || !s.norm || s.reqId !== undefined || s.started) return;
    s.started = true;
    const gen = ++s.gen;
    const norm = s.norm;
    this.queue
      .run(this.pacingKey(norm, s.key), () => this.sendLive(s))
      .catch((e: unknown) => {
        if (s.gen !== gen || s.closed || this.disposed) return;
        s.started = false;
        const err = toIbError(e);
        if (isPacingRefusal(err.info.code, err.info.raw) && s.retries < this.pacingRetries) {
          s.retries++;
          this.logger.info(`candles: pacing refusal for live ${norm.contract.display} ${norm.barSize}; trying again in ${this.pacingRetryMs} ms`);
          void this.sleep(this.pacingRetryMs).then(() => this.startSeries(s));
          return;
        }
        if (err.info.code === 504) return; // sent again on the next ready
        this.emit(s, { type: 'error', error: err.info });
      });
  }

  /** Sends the keepUpToDate request; the queue turn ends when the backfill has arrived. */
  private sendLive(s: Series): Promise<void> {
    const api = this.binding.current();
    const norm = s.norm;
    if (!api || !norm || s.closed) return Promise.reject(notConnected());
    const reqId = newRequestId(api);
    s.reqId = reqId;
    s.api = api;
    s.backfill = [];
    s.early = [];
    this.byReqId.set(reqId, s);
    return new Promise<void>((resolve, reject) => {
      const timer = this.clock.setTimer(() => {
        s.release = undefined;
        reject(timeoutError(`live history request for ${norm.contract.display} (${norm.barSize})`, this.timeoutMs, reqId));
        this.cancelOnGateway(s);
      }, this.timeoutMs);
      s.release = (error?: Error) => {
        this.clock.clearTimer(timer);
        s.release = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.logger.debug(`candles: live #${reqId} ${norm.contract.display} ${norm.duration} ${norm.barSize} ${norm.whatToShow}`);
      rawApi(api).reqHistoricalData(reqId, resolvedToContract(norm.contract), '', norm.duration, norm.barSize as BarSizeSetting, norm.whatToShow as IbWhatToShow, norm.useRTH ? 1 : 0, 2, true);
    });
  }

  private cancelOnGateway(s: Series): void {
    if (s.reqId === undefined) return;
    this.byReqId.delete(s.reqId);
    const api = this.session.api;
    if (api && api === s.api && api.isConnected) {
      this.logger.debug(`candles: cancel live #${s.reqId}`);
      rawApi(api).cancelHistoricalData(s.reqId);
    }
    s.reqId = undefined;
    s.api = undefined;
    s.backfill = undefined;
    s.started = false;
  }

  private closeSeries(s: Series): void {
    s.closed = true;
    s.release?.(new Error('closed'));
    this.cancelOnGateway(s);
    this.series.delete(s.key);
  }

  private resendAll(reason: string, cancelFirst: boolean): void {
    if (this.disposed) return;
    const api = this.binding.current();
    if (!api) return;
    if (this.series.size) this.logger.info(`candles: sending ${this.series.size} live series again (${reason})`);
    for (const s of this.series.values()) {
      s.release?.(new Error('sent again'));
      if (cancelFirst) this.cancelOnGateway(s);
      else {
        if (s.reqId !== undefined) this.byReqId.delete(s.reqId);
        s.reqId = undefined;
        s.api = undefined;
        s.backfill = undefined;
        s.started = false;
      }
      s.retries = 0;
      this.startSeries(s);
    }
  }

  // ------------------------------------------------------------ events

  private onBar(reqId: number, time: string, o: number, h: number, l: number, c: number, v: number): void {
    const finished = time.startsWith('finished');
    const p = this.pending.get(reqId);
    if (p) {
      if (finished) {
        this.bars.report(reqId, p.contract);
        p.done();
      } else {
        const candle = this.bars.read(reqId, p.contract, p.daily, time, o, h, l, c, v);
        if (candle) p.bars.push(candle);
      }
      return;
    }
    const s = this.byReqId.get(reqId);
    if (!s || s.backfill === undefined) return;
    if (!finished) {
      if (!s.norm) return;
      const candle = this.bars.read(reqId, s.norm.contract, s.norm.daily, time, o, h, l, c, v);
      if (candle) s.backfill.push(candle);
      return;
    }
    if (s.norm) this.bars.report(reqId, s.norm.contract);
    s.candles = s.backfill;
    s.backfill = undefined;
    s.retries = 0;
    for (const u of s.early) mergeCandle(s.candles, u);
    s.early = [];
    this.emit(s, { type: 'reset', candles: s.candles.map((x) => ({ ...x })) });
    s.release?.();
  }

  private onUpdate(reqId: number, time: string, o: number, h: number, l: number, c: number, v: number): void {
    const s = this.byReqId.get(reqId);
    if (!s?.norm) return;
    const candle = this.bars.read(reqId, s.norm.contract, s.norm.daily, time, o, h, l, c, v);
    if (!candle) {
      if (s.backfill === undefined) this.bars.report(reqId, s.norm.contract, 'debug');
      return;
    }
    if (s.backfill !== undefined) {
      s.early.push(candle);
      return;
    }
    const r = mergeCandle(s.candles, candle);
    if (!r.ignored) this.emit(s, { type: 'update', candle: { ...candle }, replaced: r.replaced });
  }

  private onError(err: Error, code: number, reqId: number): void {
    if (requestErrorRole(code, reqId) !== 'error') return;
    const p = this.pending.get(reqId);
    if (p) {
      this.bars.report(reqId, p.contract);
      p.done(requestError(code, err.message, reqId));
      return;
    }
    const s = this.byReqId.get(reqId);
    if (!s) return;
    if (s.norm) this.bars.report(reqId, s.norm.contract);
    const error = requestError(code, err.message, reqId);
    this.byReqId.delete(reqId);
    s.reqId = undefined;
    s.api = undefined;
    s.backfill = undefined;
    if (s.release) s.release(error); // startSeries' catch handles retry or reports it
    else {
      s.started = false;
      this.emit(s, { type: 'error', error: error.info });
    }
  }

  private emit(s: Series, e: CandleEvent): void {
    for (const l of [...s.listeners]) {
      try {
        l(e);
      } catch (x) {
        this.logger.error(`candles: a listener failed: ${x instanceof Error ? x.message : String(x)}`);
      }
    }
  }

  // ------------------------------------------------------------ helpers

  private async normalise(req: HistoryRequest): Promise<Normalised> {
    const contract = typeof req.symbol === 'string' ? await this.contracts.resolve(req.symbol) : req.symbol;
    const whatToShow: WhatToShow = req.whatToShow ?? (contract.secType === 'CASH' ? 'MIDPOINT' : 'TRADES');
    return {
      contract,
      barSize: normaliseBarSize(req.barSize) ?? req.barSize,
      daily: (barSizeSeconds(req.barSize) ?? 0) >= 86400,
      duration: parseDuration(req.duration)?.text ?? req.duration,
      whatToShow,
      useRTH: req.useRTH ?? true,
      endDateTime: (req.endDateTime ?? '').trim(),
    };
  }

  /** Like normalise; while not connected, tries again on the next ready instead of failing. */
  private normaliseWhenReady(req: HistoryRequest, gone: () => boolean): Promise<Normalised> {
    return retryWhenReady(this.session, () => this.normalise(req), () => this.disposed || gone(), (d) => this.subscriptions.push(d));
  }


  private identity(n: Normalised, live: boolean): string {
    return [live ? 'live' : 'hist', n.contract.conId, n.endDateTime, n.barSize, n.duration, n.whatToShow, n.useRTH ? 1 : 0].join('|');
  }

  private pacingKey(n: Normalised, identity: string): PacingKey {
    return { contract: `${n.contract.conId}|${n.whatToShow}`, identity };
  }

  private pruneCache(): void {
    const now = this.clock.now();
    for (const [k, v] of this.cache) if (now - v.at >= this.cacheMs) this.cache.delete(k);
  }

  /** Waits ms (ends at once on dispose). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.clock.setTimer(() => {
        this.sleepers.delete(t);
        resolve();
      }, ms);
      this.sleepers.set(t, resolve);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of [...this.series.values()]) this.closeSeries(s);
    for (const p of [...this.pending.values()]) p.done(new IbError(describeIbError(LOCAL_CODES.stopped)));
    for (const [t, wake] of this.sleepers) {
      this.clock.clearTimer(t);
      wake();
    }
    this.sleepers.clear();
    this.queue.close('The history service was stopped.');
    for (const s of this.subscriptions) s.dispose();
    this.binding.dispose();
  }
}
