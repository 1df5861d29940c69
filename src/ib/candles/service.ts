/**
 * Candles: historical bars (validated before sending, paced, cached for 15 s)
 * and live series (live-series.ts: a backfill, then keep-up-to-date bars
 * merged by IB's rule).
 *
 * Requests are entries in the connection's request table (transport/),
 * owned here, so that one keepUpToDate request carries both the backfill and
 * the updates, and so that this service alone decides when a live series is
 * sent again: after a ready (a new connection has nothing), after a
 * resubscribe signal (cancel, then send), never twice for the same series.
 */
import type { ContractService } from '../contracts/service';
import { notConnected } from '../contracts/failures';
import { resolvedToContract } from '../contracts/to-contract';
import { describeIbError, IbError, LOCAL_CODES } from '../errors';
import { silentLogger, type Logger } from '../log';
import { onGatewayChanged, onResendNeeded, ReadyWaits } from '../session-waits';
import type { WireRequest } from '../transport/wire';
import type { Candle, CandleEvent, Disposable, HistoryRequest, IbSession } from '../types';
import { barSizeSeconds } from '../bar-sizes';
import { BarReader, unreadableBarsError } from './bar-reader';
import { LiveSeriesSet } from './live-series';
import { systemClock, type Clock } from '../clock';
import { PacingQueue, type PacingLimits } from './pacing';
import { historyRequestError, isPacingRefusal, normaliseRequest, pacingKey, requestIdentity, type Normalised } from './request';

export interface CandleServiceOptions {
  /** Pacing limits (IB's by default); tests shorten them. */
  pacing?: Partial<PacingLimits>;
  clock?: Clock;
  /** Identical fetches within this time are served from the cache (default 15000 ms). */
  cacheMs?: number;
  /** Time limit for one history answer (default 60000 ms). */
  timeoutMs?: number;
  /**
   * "Now" on the gateway's clock (epoch ms), which bar times follow: when a
   * forming bar ends (see cacheUntil). By default this machine's (`clock`),
   * as a real gateway's is; a simulated gateway may run at another time.
   */
  gatewayNow?: () => number;
  /** Wait before re-sending a request the gateway refused for pacing (default 15000 ms), and how often (default 4). */
  pacingRetryMs?: number;
  pacingRetries?: number;
}

export class CandleService implements Disposable {
  private readonly queue: PacingQueue;
  /** Fetched bars by request identity, each until it goes stale (see cacheUntil). */
  private readonly cache = new Map<string, { until: number; candles: Candle[] }>();
  private readonly inflight = new Map<string, Promise<Candle[]>>();
  /** History fetches in flight: how to end each. */
  private readonly pending = new Set<(error?: Error) => void>();
  private readonly liveSet: LiveSeriesSet;
  private readonly waits: ReadyWaits;
  private readonly subscriptions: Disposable[] = [];
  private readonly clock: Clock;
  private readonly gatewayNow: () => number;
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly pacingRetryMs: number;
  private readonly pacingRetries: number;
  private readonly sleepers = new Map<unknown, () => void>();
  private readonly bars: BarReader;
  private disposed = false;

  constructor(
    private readonly session: IbSession,
    private readonly contracts: ContractService,
    private readonly logger: Logger = silentLogger,
    options: CandleServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.gatewayNow = options.gatewayNow ?? (() => this.clock.now());
    this.bars = new BarReader(session, () => this.clock.now(), logger);
    this.queue = new PacingQueue(options.pacing, this.clock);
    this.cacheMs = options.cacheMs ?? 15_000;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.pacingRetryMs = options.pacingRetryMs ?? 15_000;
    this.pacingRetries = options.pacingRetries ?? 4;
    this.waits = new ReadyWaits(session);
    this.liveSet = new LiveSeriesSet({
      session,
      queue: this.queue,
      clock: this.clock,
      bars: this.bars,
      logger,
      timeoutMs: this.timeoutMs,
      pacingRetryMs: this.pacingRetryMs,
      pacingRetries: this.pacingRetries,
      sleep: (ms) => this.sleep(ms),
      stopped: () => this.disposed,
      normaliseWhenReady: (req, gone) => this.normaliseWhenReady(req, gone),
    });
    this.subscriptions.push(
      // before the series are sent again: bars from the old gateway are not the new one's, nor is its pacing
      onGatewayChanged(session, (from, to) => {
        this.logger.info(`candles: gateway ${from} -> ${to}: cached bars and pacing history forgotten, live series resolved again there`);
        this.cache.clear();
        this.queue.forgetSent();
        this.liveSet.gatewayChanged();
      }),
      onResendNeeded(session, (reason, cancelFirst) => this.liveSet.resendAll(reason, cancelFirst), 'history'),
    );
  }

  /** Live series currently held on the gateway or waiting for their turn. */
  get liveSeries(): number {
    return this.liveSet.size;
  }

  /** The pacing queue (for a status display: how many requests wait). */
  get pacing(): PacingQueue {
    return this.queue;
  }

  // ------------------------------------------------------------ fetch

  /** Historical bars, times in UTC epoch seconds. Validated first; paced; identical requests within 15 s come from the cache. */
  async fetch(req: HistoryRequest): Promise<Candle[]> {
    const invalid = historyRequestError(req);
    if (invalid) throw invalid;
    const norm = await normaliseRequest(this.contracts, req, this.gatewayNow());
    const identity = requestIdentity(norm, false);
    const hit = this.cache.get(identity);
    if (hit && this.clock.now() < hit.until) return hit.candles.map((c) => ({ ...c }));
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
      const candles = await this.queue.run(pacingKey(norm, identity), () => this.sendFetch(norm));
      this.cache.set(identity, { until: this.cacheUntil(norm, candles), candles });
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
    const api = this.session.api;
    if (!api || this.disposed) return Promise.reject(notConnected());
    return new Promise<Candle[]>((resolve, reject) => {
      const bars: Candle[] = [];
      const done = (error?: Error) => {
        if (!this.pending.delete(done)) return;
        request.forget();
        const unreadable = this.bars.report(request.id, norm.contract);
        if (error) reject(error);
        // bars came, none readable: a failure in words, not "no bars"
        else if (bars.length === 0 && unreadable > 0) reject(unreadableBarsError(norm.contract, unreadable));
        else resolve(bars);
      };
      this.pending.add(done);
      // (its owner is called only after this returns: answers come from the socket, refusals in a microtask)
      const request: WireRequest = api.historicalData(
        {
          bar: (bar) => {
            if (bar.time.startsWith('finished')) return done();
            const candle = this.bars.read(request.id, norm.contract, norm.daily, bar);
            if (candle) bars.push(candle);
          },
          update: () => undefined,
          error: ({ role, info }) => {
            if (role === 'error') done(new IbError(info));
          },
          // the time limit (the request is cancelled on the gateway), or the connection ended
          end: (info) => done(new IbError(info)),
        },
        {
          contract: resolvedToContract(norm.contract),
          endDateTime: norm.endDateTime,
          duration: norm.duration,
          barSize: norm.barSize,
          whatToShow: norm.whatToShow,
          useRTH: norm.useRTH,
          keepUpToDate: false,
        },
        { ms: this.timeoutMs, what: `history request for ${norm.contract.display} (${norm.barSize}, ${norm.duration})` },
      );
      this.logger.debug(`candles: history #${request.id} ${norm.contract.display} ${norm.duration} ${norm.barSize} ${norm.whatToShow}`);
    });
  }

  // ------------------------------------------------------------ live

  /**
   * A live series: first a 'reset' with the backfill, then 'update's merged
   * by mergeCandle. Errors (including invalid requests and bar sizes under
   * 5 s) arrive as 'error' events. Series with the same request are shared.
   */
  live(req: HistoryRequest, listener: (e: CandleEvent) => void): Disposable {
    return this.liveSet.open(req, listener);
  }

  // ------------------------------------------------------------ helpers

  /** Like normaliseRequest; while not connected, tries again on the next ready instead of failing. */
  private normaliseWhenReady(req: HistoryRequest, gone: () => boolean): Promise<Normalised> {
    return this.waits.retry(
      () => normaliseRequest(this.contracts, req, this.gatewayNow()),
      () => this.disposed || gone(),
    );
  }

  /**
   * Until when (this machine's clock) fetched bars answer an identical request: 15 s, and for bars
   * of a minute or more no later than the end of a bar still forming when
   * they came (after it, the answer would lack the new bar and hold the old
   * one's unfinished close and volume). Bars under a minute keep the 15 s:
   * IB refuses an identical request of them sooner (the pacing queue would
   * hold a new one until then anyway).
   */
  private cacheUntil(norm: Normalised, candles: readonly Candle[]): number {
    const now = this.clock.now();
    const until = now + this.cacheMs;
    const seconds = barSizeSeconds(norm.barSize);
    const last = candles[candles.length - 1];
    if (!last || seconds === undefined || seconds < 60) return until;
    // bar times are the gateway's: how long until the last bar ends, on its clock
    const endsIn = (last.time + seconds) * 1000 - this.gatewayNow();
    return endsIn > 0 ? Math.min(until, now + endsIn) : until;
  }

  private pruneCache(): void {
    const now = this.clock.now();
    for (const [k, v] of this.cache) if (now >= v.until) this.cache.delete(k);
  }

  /** Waits ms (ends at once on dispose). */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.sleepers.delete(t);
        resolve();
      }, ms);
      this.sleepers.set(t, resolve);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.liveSet.closeAll();
    for (const done of [...this.pending]) done(new IbError(describeIbError(LOCAL_CODES.stopped)));
    for (const [t, wake] of this.sleepers) {
      this.clock.clearTimeout(t);
      wake();
    }
    this.sleepers.clear();
    this.queue.close('The history service was stopped.');
    for (const s of this.subscriptions) s.dispose();
    this.waits.dispose();
  }
}
