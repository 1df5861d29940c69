/**
 * Live candle series: one keepUpToDate request carries the backfill and then
 * the updates, merged by IB's rule (mergeCandle). Listeners of the same
 * request share one series; it is sent again after a ready or a resubscribe
 * signal, never twice at once, and cancelled when its last listener leaves.
 */
import type { BarSizeSetting, WhatToShow as IbWhatToShow } from '@stoqey/ib';
import { notConnected, requestError, timeoutError, toIbError } from '../contracts/failures';
import { resolvedToContract } from '../contracts/to-contract';
import { newRequestId, rawApi, type WireBinding } from '../contracts/wire';
import type { Logger } from '../log';
import type { Candle, CandleEvent, Disposable, HistoryRequest, IbSession, ReadOnlyClient } from '../types';
import type { BarReader, WireBar } from './bar-reader';
import { mergeCandle } from './merge';
import type { PacingClock, PacingQueue } from './pacing';
import { isPacingRefusal, liveRequestError, pacingKey, requestIdentity, type Normalised } from './request';

/** What the live series borrow from the candle service. */
export interface LiveContext {
  session: IbSession;
  binding: WireBinding;
  queue: PacingQueue;
  clock: PacingClock;
  bars: BarReader;
  logger: Logger;
  timeoutMs: number;
  pacingRetryMs: number;
  pacingRetries: number;
  /** Waits ms; ends at once when the service stops. */
  sleep(ms: number): Promise<void>;
  /** True once the service was disposed. */
  stopped(): boolean;
  /** The request normalised, waiting for a connection when there is none. */
  normaliseWhenReady(req: HistoryRequest, gone: () => boolean): Promise<Normalised>;
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

export class LiveSeriesSet {
  private readonly series = new Map<string, Series>();
  private readonly byReqId = new Map<number, Series>();

  constructor(private readonly ctx: LiveContext) {}

  /** Live series currently held on the gateway or waiting for their turn. */
  get size(): number {
    return this.series.size;
  }

  /** See CandleService.live. */
  open(req: HistoryRequest, listener: (e: CandleEvent) => void): Disposable {
    const invalid = liveRequestError(req);
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
    this.ctx
      .normaliseWhenReady(req, () => disposed)
      .then(
        (norm) => {
          if (disposed || this.ctx.stopped()) return;
          const key = requestIdentity(norm, true);
          let s = this.series.get(key);
          if (!s) {
            s = { key, norm, listeners: new Set(), candles: [], early: [], started: false, closed: false, retries: 0, gen: 0 };
            this.series.set(key, s);
            join(s);
            this.start(s);
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
        if (series.listeners.size === 0) this.close(series);
      },
    };
  }

  private start(s: Series): void {
    if (s.closed || this.ctx.stopped() || !s.norm || s.reqId !== undefined || s.started) return;
    s.started = true;
    const gen = ++s.gen;
    const norm = s.norm;
    this.ctx.queue
      .run(pacingKey(norm, s.key), () => this.send(s))
      .catch((e: unknown) => {
        if (s.gen !== gen || s.closed || this.ctx.stopped()) return;
        s.started = false;
        const err = toIbError(e);
        if (isPacingRefusal(err.info.code, err.info.raw) && s.retries < this.ctx.pacingRetries) {
          s.retries++;
          this.ctx.logger.info(`candles: pacing refusal for live ${norm.contract.display} ${norm.barSize}; trying again in ${this.ctx.pacingRetryMs} ms`);
          void this.ctx.sleep(this.ctx.pacingRetryMs).then(() => this.start(s));
          return;
        }
        if (err.info.code === 504) return; // sent again on the next ready
        this.emit(s, { type: 'error', error: err.info });
      });
  }

  /** Sends the keepUpToDate request; the queue turn ends when the backfill has arrived. */
  private send(s: Series): Promise<void> {
    const { binding, clock, timeoutMs, logger } = this.ctx;
    const api = binding.current();
    const norm = s.norm;
    if (!api || !norm || s.closed) return Promise.reject(notConnected());
    const reqId = newRequestId(api);
    s.reqId = reqId;
    s.api = api;
    s.backfill = [];
    s.early = [];
    this.byReqId.set(reqId, s);
    return new Promise<void>((resolve, reject) => {
      const timer = clock.setTimer(() => {
        s.release = undefined;
        reject(timeoutError(`live history request for ${norm.contract.display} (${norm.barSize})`, timeoutMs, reqId));
        this.cancelOnGateway(s);
      }, timeoutMs);
      s.release = (error?: Error) => {
        clock.clearTimer(timer);
        s.release = undefined;
        if (error) reject(error);
        else resolve();
      };
      logger.debug(`candles: live #${reqId} ${norm.contract.display} ${norm.duration} ${norm.barSize} ${norm.whatToShow}`);
      rawApi(api).reqHistoricalData(
        reqId,
        resolvedToContract(norm.contract),
        '',
        norm.duration,
        norm.barSize as BarSizeSetting,
        norm.whatToShow as IbWhatToShow,
        norm.useRTH ? 1 : 0,
        2,
        true,
      );
    });
  }

  private cancelOnGateway(s: Series): void {
    if (s.reqId === undefined) return;
    this.byReqId.delete(s.reqId);
    const api = this.ctx.session.api;
    if (api && api === s.api && api.isConnected) {
      this.ctx.logger.debug(`candles: cancel live #${s.reqId}`);
      rawApi(api).cancelHistoricalData(s.reqId);
    }
    this.forget(s);
  }

  /** The series has no request on the gateway any more. */
  private forget(s: Series): void {
    s.reqId = undefined;
    s.api = undefined;
    s.backfill = undefined;
    s.started = false;
  }

  private close(s: Series): void {
    s.closed = true;
    s.release?.(new Error('closed'));
    this.cancelOnGateway(s);
    this.series.delete(s.key);
  }

  /** Every series sent again (after a ready, or cancelled first on a resubscribe signal). */
  resendAll(reason: string, cancelFirst: boolean): void {
    if (this.ctx.stopped()) return;
    if (!this.ctx.binding.current()) return;
    if (this.series.size) this.ctx.logger.info(`candles: sending ${this.series.size} live series again (${reason})`);
    for (const s of this.series.values()) {
      s.release?.(new Error('sent again'));
      if (cancelFirst) this.cancelOnGateway(s);
      else {
        if (s.reqId !== undefined) this.byReqId.delete(s.reqId);
        this.forget(s);
      }
      s.retries = 0;
      this.start(s);
    }
  }

  closeAll(): void {
    for (const s of [...this.series.values()]) this.close(s);
  }

  // ------------------------------------------------------------ events

  /** A backfill bar (or its "finished" end) of a live request. */
  onBar(reqId: number, bar: WireBar): void {
    const s = this.byReqId.get(reqId);
    if (!s || s.backfill === undefined) return;
    const { bars } = this.ctx;
    if (!bar.time.startsWith('finished')) {
      if (!s.norm) return;
      const candle = bars.read(reqId, s.norm.contract, s.norm.daily, bar);
      if (candle) s.backfill.push(candle);
      return;
    }
    if (s.norm) bars.report(reqId, s.norm.contract);
    s.candles = s.backfill;
    s.backfill = undefined;
    s.retries = 0;
    for (const u of s.early) mergeCandle(s.candles, u);
    s.early = [];
    this.emit(s, { type: 'reset', candles: s.candles.map((x) => ({ ...x })) });
    s.release?.();
  }

  onUpdate(reqId: number, bar: WireBar): void {
    const s = this.byReqId.get(reqId);
    if (!s?.norm) return;
    const candle = this.ctx.bars.read(reqId, s.norm.contract, s.norm.daily, bar);
    if (!candle) {
      if (s.backfill === undefined) this.ctx.bars.report(reqId, s.norm.contract, 'debug');
      return;
    }
    if (s.backfill !== undefined) {
      s.early.push(candle);
      return;
    }
    const r = mergeCandle(s.candles, candle);
    if (!r.ignored) this.emit(s, { type: 'update', candle: { ...candle }, replaced: r.replaced });
  }

  /** A request error for a live request (already known to be an error, not a notice). */
  onError(message: string, code: number, reqId: number): void {
    const s = this.byReqId.get(reqId);
    if (!s) return;
    if (s.norm) this.ctx.bars.report(reqId, s.norm.contract);
    const error = requestError(code, message, reqId);
    this.byReqId.delete(reqId);
    s.reqId = undefined;
    s.api = undefined;
    s.backfill = undefined;
    if (s.release)
      s.release(error); // start's catch handles retry or reports it
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
        this.ctx.logger.error(`candles: a listener failed: ${x instanceof Error ? x.message : String(x)}`);
      }
    }
  }
}
