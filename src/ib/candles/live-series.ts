/**
 * Live candle series: one keepUpToDate request carries the backfill and then the updates, merged by IB's rule
 * (mergeCandle). Listeners of the same request share one series; it is sent again after a ready or a
 * resubscribe signal, never twice at once, and cancelled when its last listener leaves.
 */
import { notConnected, toIbError } from '../contracts/failures';
import { resolvedToContract } from '../contracts/to-contract';
import { IbError, type ClassifiedMessage } from '../errors';
import type { Logger } from '../log';
import type { WireBar, WireRequest } from '../transport/wire';
import type { Candle, CandleEvent, Disposable, HistoryRequest, IbSession, IbErrorInfo } from '../types';
import { unreadableBarsError, type BarReader } from './bar-reader';
import { calendarPeriod, mergeCandle } from './merge';
import type { Clock } from '../clock';
import type { PacingQueue } from './pacing';
import { historyOnly, isPacingRefusal, liveRequestError, pacingKey, requestIdentity, type Normalised } from './request';

/** What the live series borrow from the candle service. */
export interface LiveContext {
  session: IbSession;
  queue: PacingQueue;
  clock: Clock;
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

/**
 * IB ended (or refused before its bars) a keepUpToDate series; only the client re-arms it: 10182 "Failed to request
 * live updates (disconnected)." (farm flaps, the nightly reset), 10225 "Bust event occurred, current subscription is
 * deactivated. Please resubscribe real-time bars immediately."
 */
const LIVE_UPDATES_DROPPED: ReadonlySet<number> = new Set([10182, 10225]);
/** The first pause before a series whose live updates IB dropped is sent again (doubled for each drop in a row). */
const DROP_PAUSE_MS = 2_000;
/** Drops in a row (no whole backfill between) after which the series waits for a ready, a 1101 or a farm back. */
const MAX_DROPS = 6;

interface Series {
  key: string;
  /** As asked: normalised again on another gateway (its contract may be numbered otherwise there). */
  req: HistoryRequest;
  norm?: Normalised;
  /** Being normalised again (after a gateway change): not sent until that ends. */
  normalising: boolean;
  listeners: Set<(e: CandleEvent) => void>;
  candles: Candle[];
  /** The request on the gateway, in the connection's table. */
  request?: WireRequest;
  /** Backfill received so far for the current request; undefined once it ended. */
  backfill?: Candle[];
  /** Updates that arrived before the backfill ended. */
  early: Candle[];
  /** Ends the pacing-queue turn of the current request. */
  release?: (error?: Error) => void;
  started: boolean;
  closed: boolean;
  retries: number;
  /** Times IB dropped its live updates (LIVE_UPDATES_DROPPED) since its last whole backfill. */
  drops: number;
  /** Bumped on every send, so a superseded send's outcome is ignored. */
  gen: number;
}

export class LiveSeriesSet {
  private readonly series = new Map<string, Series>();
  /** Series renamed apart from another of the same request after a gateway change. */
  private renamed = 0;

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
      if (s.backfill === undefined && s.started && s.request !== undefined) {
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
          // a continuous future's series is its history as asked then (never updated): not one a later request joins
          const key = `${requestIdentity(norm, true)}${norm.contract.secType === 'CONTFUT' ? `|${++this.renamed}` : ''}`;
          let s = this.series.get(key);
          if (!s) {
            s = {
              key,
              req,
              norm,
              normalising: false,
              listeners: new Set(),
              candles: [],
              early: [],
              started: false,
              closed: false,
              retries: 0,
              drops: 0,
              gen: 0,
            };
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
    if (s.closed || this.ctx.stopped() || !s.norm || s.request !== undefined || s.started) return;
    s.started = true;
    const gen = ++s.gen;
    const norm = s.norm;
    this.ctx.queue
      // a turn superseded while it waited (sent again, another gateway) sends nothing
      .run(pacingKey(norm, s.key), () => (s.gen === gen && s.norm === norm ? this.send(s) : Promise.resolve()))
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
        if (LIVE_UPDATES_DROPPED.has(err.info.code)) void this.sendAgainAfterDrop(s);
      });
  }

  /** Sends the keepUpToDate request; the queue turn ends when the backfill has arrived. */
  private send(s: Series): Promise<void> {
    const { session, timeoutMs, logger } = this.ctx;
    const api = session.api;
    const norm = s.norm;
    if (!api || !norm || s.closed) return Promise.reject(notConnected());
    s.backfill = [];
    s.early = [];
    return new Promise<void>((resolve, reject) => {
      s.release = (error?: Error) => {
        s.release = undefined;
        if (error) reject(error);
        else resolve();
      };
      const request: WireRequest = api.historicalData(
        {
          bar: (bar) => this.onBar(s, request, bar),
          update: (bar) => this.onUpdate(s, request, bar),
          error: (m) => this.onError(s, request, m),
          end: (info) => this.onEnd(s, request, info),
        },
        {
          contract: resolvedToContract(norm.contract),
          endDateTime: norm.contract.includeExpired ? norm.endDateTime : '', // an expired month: to its last trade day
          duration: norm.duration,
          barSize: norm.barSize,
          whatToShow: norm.whatToShow,
          useRTH: norm.useRTH,
          keepUpToDate: !historyOnly(norm.contract), // an expired month, a continuous future: no updates
        },
        { ms: timeoutMs, what: `live history request for ${norm.contract.display} (${norm.barSize})` },
      );
      s.request = request;
      logger.debug(`candles: live #${request.id} ${norm.contract.display} ${norm.duration} ${norm.barSize} ${norm.whatToShow}`);
    });
  }

  private cancelOnGateway(s: Series): void {
    if (s.request === undefined) return;
    this.ctx.logger.debug(`candles: cancel live #${s.request.id}`);
    s.request.cancel();
    this.forget(s);
  }

  /** The series has no request on the gateway any more. */
  private forget(s: Series): void {
    s.request = undefined;
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
    if (!this.ctx.session.api) return;
    if (this.series.size) this.ctx.logger.info(`candles: sending ${this.series.size} live series again (${reason})`);
    for (const s of [...this.series.values()]) {
      s.release?.(new Error('sent again'));
      if (cancelFirst) this.cancelOnGateway(s);
      else this.forget(s);
      s.retries = 0;
      // not normalised on this gateway yet (its symbol was unknown at the last try): asked again
      if (!s.norm) this.normaliseAgain(s);
      else this.start(s);
    }
  }

  /**
   * The connection moved to another gateway: each series' request is normalised there before it is sent (a
   * simulated gateway's futures conIds are made up; one may be another instrument on a real gateway). A symbol
   * the new gateway does not know tells the series' listeners why, and nothing is sent for the old contract.
   */
  gatewayChanged(): void {
    for (const s of this.series.values()) {
      s.gen++; // what the old gateway's request still does is ignored
      s.release?.(new Error('another gateway'));
      this.forget(s);
      s.norm = undefined;
      this.normaliseAgain(s);
    }
  }

  private normaliseAgain(s: Series): void {
    if (s.normalising || s.closed) return;
    s.normalising = true;
    this.ctx
      .normaliseWhenReady(s.req, () => s.closed)
      .then(
        (norm) => {
          s.normalising = false;
          if (s.closed || this.ctx.stopped()) return;
          // another series asked otherwise may be this one there (a month by code and by date): each keeps its own key
          const key = requestIdentity(norm, true);
          this.series.delete(s.key);
          s.key = this.series.has(key) ? `${key}|${++this.renamed}` : key;
          s.norm = norm;
          this.series.set(s.key, s);
          this.start(s);
        },
        (e: unknown) => {
          s.normalising = false;
          if (!s.closed && !this.ctx.stopped()) this.emit(s, { type: 'error', error: toIbError(e).info });
        },
      );
  }

  closeAll(): void {
    for (const s of [...this.series.values()]) this.close(s);
  }

  // ------------------------------------------------------------ events (of the series' current request only)

  /** A backfill bar (or its "finished" end) of a live request. */
  private onBar(s: Series, request: WireRequest, bar: WireBar): void {
    if (s.request !== request || s.backfill === undefined) return;
    const { bars } = this.ctx;
    if (!bar.time.startsWith('finished')) {
      if (!s.norm) return;
      const candle = bars.read(request.id, s.norm.contract, s.norm.daily, bar);
      if (candle) s.backfill.push(candle);
      return;
    }
    // an expired month's answer, a continuous future's, is whole: nothing to cancel later
    void (s.norm && historyOnly(s.norm.contract) ? request.forget() : request.answered());
    const unreadable = s.norm ? bars.report(request.id, s.norm.contract) : 0;
    if (s.norm && unreadable > 0 && s.backfill.length === 0 && s.early.length === 0) {
      // bars came, none readable: the one-shot fetch's failure (9013), not an empty chart that reads as "no bars"
      const error = unreadableBarsError(s.norm.contract, unreadable);
      const release = s.release;
      this.cancelOnGateway(s);
      if (release) release(error);
      else this.emit(s, { type: 'error', error: error.info });
      return;
    }
    s.candles = s.backfill;
    s.backfill = undefined;
    s.retries = 0;
    s.drops = 0;
    for (const u of s.early) mergeCandle(s.candles, u, calendarPeriod(s.norm?.barSize ?? ''));
    s.early = [];
    this.emit(s, { type: 'reset', candles: s.candles.map((x) => ({ ...x })) });
    s.release?.();
  }

  private onUpdate(s: Series, request: WireRequest, bar: WireBar): void {
    if (s.request !== request || !s.norm) return;
    const candle = this.ctx.bars.read(request.id, s.norm.contract, s.norm.daily, bar);
    if (!candle) {
      if (s.backfill === undefined) this.ctx.bars.report(request.id, s.norm.contract, 'debug');
      return;
    }
    if (s.backfill !== undefined) {
      s.early.push(candle);
      return;
    }
    const r = mergeCandle(s.candles, candle, calendarPeriod(s.norm.barSize));
    // the running week or month dated by a new day: its bar's time changed, which an update cannot say
    if (r.moved) this.emit(s, { type: 'reset', candles: s.candles.map((x) => ({ ...x })) });
    else if (!r.ignored) this.emit(s, { type: 'update', candle: { ...candle }, replaced: r.replaced });
  }

  /** An error for a live request: notices go on; an error ends the request. */
  private onError(s: Series, request: WireRequest, { role, info }: ClassifiedMessage): void {
    if (role !== 'error' || s.request !== request) return;
    request.forget();
    this.ended(s, request, new IbError(info));
  }

  /** The time limit passed before the backfill ended (the request is cancelled on the gateway), or the connection ended. */
  private onEnd(s: Series, request: WireRequest, info: IbErrorInfo): void {
    if (s.request !== request) return;
    this.ended(s, request, new IbError(info));
  }

  private ended(s: Series, request: WireRequest, error: IbError): void {
    if (s.norm) this.ctx.bars.report(request.id, s.norm.contract);
    s.request = undefined;
    s.backfill = undefined;
    if (s.release)
      s.release(error); // start's catch handles retry or reports it
    else {
      s.started = false;
      if (error.info.code !== 504) this.emit(s, { type: 'error', error: error.info });
      if (LIVE_UPDATES_DROPPED.has(error.info.code)) void this.sendAgainAfterDrop(s);
    }
  }

  /**
   * IB dropped the series' live updates, or refused them before its bars came, and will not send them again by itself
   * (see LIVE_UPDATES_DROPPED): it is sent again after a pause that doubles with each drop before a whole backfill (2 s, then up to a minute),
   * once the connection is ready and IB's link is up (a ready, a 1101 or a data farm coming back sends it too,
   * whichever comes first); after MAX_DROPS in a row it waits for those alone.
   */
  private async sendAgainAfterDrop(s: Series): Promise<void> {
    if (s.drops >= MAX_DROPS) {
      this.ctx.logger.warn(
        `candles: IB dropped the live updates of ${s.norm?.contract.display ?? s.key} ${MAX_DROPS} times in a row; waiting for the connection to come back`,
      );
      return;
    }
    const gen = s.gen;
    await this.ctx.sleep(Math.min(DROP_PAUSE_MS * 2 ** s.drops++, 60_000));
    const waiting = () => !s.closed && !this.ctx.stopped() && s.gen === gen && !s.started && s.request === undefined;
    // IB's link down (1100): looked at again every pause; no connection at all: the next ready sends it
    while (waiting() && this.ctx.session.api && this.ctx.session.status.ibLink !== 'ok') await this.ctx.sleep(DROP_PAUSE_MS);
    if (!waiting() || !this.ctx.session.api) return;
    this.ctx.logger.info(`candles: IB dropped the live updates of ${s.norm?.contract.display ?? s.key}; sending the series again`);
    this.start(s);
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
