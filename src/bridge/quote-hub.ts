/**
 * The bridge's quote watches, one per symbol whoever asks for it (polling
 * GETs, SSE and WebSocket clients): each holds one QuoteService subscription,
 * which itself shares the gateway line with the editor's watchlist. A polled
 * symbol stays watched for a while after the last GET, so a client polling
 * every 500 ms is answered from the line at once. The number of symbols
 * bridge clients hold is capped: past it a new symbol is refused (429) rather
 * than silently using up IB's 100 market-data lines.
 */
import type { ContractService, QuoteService } from '../ib';
import { NO_SECURITY_DEFINITION } from '../ib/errors';
import { wholePicture } from '../ib/facts/price';
import type { Disposable, IbErrorInfo, Quote, ResolvedContract } from '../ib/types';
import { fromIbInfo, HttpError } from './http-errors';
import { symbolKey } from './symbols';

/** An error after which a symbol never streams: IB does not know it (200) or cannot use it as a contract. */
export function isUnknownSymbol(e: IbErrorInfo): boolean {
  return e.code === NO_SECURITY_DEFINITION || e.category === 'contract';
}

interface Waiter {
  /** The line's first quote came: the time limit no longer applies (its picture settles within SETTLE_MAX_MS). */
  heard: () => void;
  ok: (q: Quote) => void;
  fail: (e: HttpError) => void;
}

export type QuoteListener = (q: Quote, contract: ResolvedContract | undefined) => void;

interface Watcher {
  onQuote: QuoteListener;
  onError?: (e: IbErrorInfo) => void;
}

interface Watch {
  key: string;
  text: string;
  sub?: Disposable;
  watchers: Set<Watcher>;
  last?: Quote;
  /** Whether the line's first picture is whole (see QuoteHub.settle): until then no watcher or waiter hears a quote. */
  settled: boolean;
  /** While the first picture comes: the quiet timer and the cap. */
  settling?: { quiet: NodeJS.Timeout; cap: NodeJS.Timeout };
  contract?: ResolvedContract;
  /** A polled symbol is kept until lingerUntil (epoch ms); the timer checks and re-arms itself. */
  lingerTimer?: NodeJS.Timeout;
  lingerUntil: number;
  waiters: Set<Waiter>;
  /** Whether the line already had its grace since its last watcher left (see QuoteHubOptions.streamGraceMs). */
  graced?: boolean;
  /**
   * Why the gateway ended the line (a permission refusal, a competing
   * session): told to every GET and watcher that comes while it lasts, until
   * the line streams again (it is sent again when the gateway is back).
   */
  ended?: IbErrorInfo;
}

export interface QuoteHubOptions {
  /** Symbols bridge clients may hold at once (default 50 of IB's 100 lines). */
  maxLines?: number;
  /** How long a polled symbol stays watched after the last GET (default 60 s). */
  lingerMs?: number;
  /**
   * How long a symbol's line is kept after its last watcher leaves (default
   * 3 s). Every line opened or given back is a message to IB, which takes 40
   * a second from a client: a stream client reconnecting in a loop would
   * otherwise queue a subscribe and a cancel per round, and every other
   * client's requests wait behind them.
   */
  streamGraceMs?: number;
  /** Whether the gateway is connected now: a new watcher is not handed the last quote while it is not (default: always). */
  connected?: () => boolean;
}

/** How long after a new line's last quote its first picture counts as whole (see QuoteHub.settle). */
const SETTLE_QUIET_MS = 100;
/** The longest a line's first picture is held back after its first quote. */
const SETTLE_MAX_MS = 1_000;

export class QuoteHub implements Disposable {
  private readonly watches = new Map<string, Watch>();
  readonly maxLines: number;
  private readonly lingerMs: number;
  private readonly streamGraceMs: number;

  constructor(
    private readonly quotes: QuoteService,
    private readonly contracts: ContractService,
    options: QuoteHubOptions = {},
  ) {
    this.maxLines = options.maxLines ?? 50;
    this.lingerMs = options.lingerMs ?? 60_000;
    this.streamGraceMs = options.streamGraceMs ?? 3_000;
    this.connected = options.connected ?? (() => true);
  }

  private readonly connected: () => boolean;

  /** Gateway lines bridge clients hold now: one per contract, however it is spelled ("AAPL", "265598"). */
  get lines(): number {
    const held = new Set<string | number>();
    for (const w of this.watches.values()) held.add(w.contract?.conId ?? w.key);
    return held.size;
  }

  /** Watchers over all symbols (a client watching 3 symbols counts 3). */
  get watchers(): number {
    let n = 0;
    for (const w of this.watches.values()) n += w.watchers.size;
    return n;
  }

  /** Throws 400 for a malformed symbol and 429 when a new symbol would pass the cap. */
  check(text: string): string {
    const key = symbolKey(text);
    this.checkCap(key);
    return key;
  }

  /** Throws 429 when a new symbol (by its key) would pass the cap. */
  private checkCap(key: string): void {
    if (!this.watches.has(key) && this.lines >= this.maxLines) {
      throw new HttpError(
        429,
        `The bridge already holds ${this.maxLines} market-data lines, its limit; a new symbol needs one of them to be given back first (IB allows 100 lines in all).`,
        this.nextLineFreeSeconds(),
      );
    }
  }

  /** Seconds until a line only polled (no stream on it) is given back, if one is: when to ask again after a 429. */
  private nextLineFreeSeconds(): number | undefined {
    let soonest = Infinity;
    for (const w of this.watches.values()) if (w.watchers.size === 0 && w.waiters.size === 0 && w.lingerTimer) soonest = Math.min(soonest, w.lingerUntil);
    return soonest === Infinity ? undefined : Math.max(1, Math.ceil((soonest - Date.now()) / 1000));
  }

  /** Streams a symbol's quotes; the line is given back when the last watcher leaves. */
  watch(text: string, onQuote: QuoteListener, onError?: (e: IbErrorInfo) => void): Disposable {
    const key = this.check(text);
    const watch = this.open(key, text);
    const watcher: Watcher = { onQuote, onError };
    watch.watchers.add(watcher);
    watch.graced = false;
    // the line has ended: the new watcher hears why, as the others did; else the last quote heard, to start
    // with: not while the gateway is away (it is not the market's now); a line whose first picture is still
    // coming hands it over once it is whole
    const ended = watch.ended;
    const q = watch.last;
    if (ended)
      queueMicrotask(() => {
        if (watch.watchers.has(watcher)) watcher.onError?.(ended);
      });
    else if (q && watch.settled && this.connected())
      queueMicrotask(() => {
        if (watch.watchers.has(watcher)) watcher.onQuote(q, watch.contract);
      });
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        watch.watchers.delete(watcher);
        this.release(watch);
      },
    };
  }

  /**
   * The latest quote of a symbol, waiting for the first one up to timeoutMs.
   * The symbol is resolved first, so an unknown one is a 404 and takes no line;
   * the cap is checked again after that wait, since other requests may have
   * taken the last lines meanwhile.
   */
  async latest(text: string, timeoutMs: number): Promise<{ quote: Quote; contract: ResolvedContract }> {
    const key = this.check(text);
    // a symbol watched already: its contract is known (its quotes' own), no lookup (a poller's every GET); the cap again after a lookup
    const contract = this.watches.get(key)?.contract ?? (await this.contracts.resolve(text));
    this.checkCap(key);
    const watch = this.open(key, text);
    watch.contract = contract;
    this.linger(watch);
    // the line has ended: the reason at once (a poller hears it every time, not a time-out after the first)
    if (watch.ended) throw fromIbInfo(watch.ended);
    if (watch.last && watch.settled) return { quote: watch.last, contract };
    const quote = await new Promise<Quote>((resolve, reject) => {
      const timer = setTimeout(() => {
        watch.waiters.delete(waiter);
        reject(new HttpError(504, `IB Gateway/TWS sent no quote for ${text} within ${Math.round(timeoutMs / 100) / 10} s.`));
      }, timeoutMs);
      // a quote heard before this GET: its picture is settling
      if (watch.last) clearTimeout(timer);
      const waiter: Waiter = {
        heard: () => clearTimeout(timer),
        ok: (q) => {
          clearTimeout(timer);
          resolve(q);
        },
        fail: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      watch.waiters.add(waiter);
    });
    return { quote, contract };
  }

  /**
   * A new line's first picture (bid, ask, their sizes, last, volume, the day's
   * range) comes as a dozen messages that need not arrive in one socket read:
   * the first quote heard may hold the bid alone. So the line's quotes are
   * held back from every watcher and waiter (GETs and streams alike) until
   * it holds all its instrument ever has (wholePicture), or nothing more has
   * come for SETTLE_QUIET_MS (a closed market's picture is never whole), or
   * SETTLE_MAX_MS after the first quote; then they hear the picture so far,
   * and every quote after it as it comes. Called on each quote until then.
   */
  private settle(watch: Watch): void {
    if (watch.last && !watch.last.stale && wholePicture(watch.last, watch.last.secType)) return this.settleNow(watch);
    if (watch.settling) clearTimeout(watch.settling.quiet);
    else for (const waiter of watch.waiters) waiter.heard();
    const done = () => this.settleNow(watch);
    watch.settling = { quiet: setTimeout(done, SETTLE_QUIET_MS), cap: watch.settling?.cap ?? setTimeout(done, SETTLE_MAX_MS) };
  }

  /** The first picture is whole (or the line ended: an error): waiters and watchers hear it. */
  private settleNow(watch: Watch): void {
    if (watch.settled) return;
    this.stopSettling(watch);
    const q = watch.last;
    if (!q) return;
    watch.settled = true;
    for (const waiter of [...watch.waiters]) waiter.ok(q);
    watch.waiters.clear();
    // as a new watcher: no quote while the gateway is away (the next one after it is back is sent)
    if (this.connected()) this.tell(watch, q);
  }

  private stopSettling(watch: Watch): void {
    if (!watch.settling) return;
    clearTimeout(watch.settling.quiet);
    clearTimeout(watch.settling.cap);
    watch.settling = undefined;
  }

  private tell(watch: Watch, q: Quote): void {
    for (const watcher of [...watch.watchers]) {
      try {
        watcher.onQuote(q, watch.contract);
      } catch {
        // one client's failure is its own
      }
    }
  }

  private open(key: string, text: string): Watch {
    let watch = this.watches.get(key);
    if (watch) return watch;
    const w: Watch = { key, text: text.trim(), watchers: new Set(), waiters: new Set(), lingerUntil: 0, settled: false };
    this.watches.set(key, w);
    // asked before the quote service asks (the same lookup, shared), so the contract is known by the first quote
    const resolve = () =>
      this.contracts.resolve(w.text).then(
        (c) => (w.contract ??= c),
        () => undefined,
      );
    void resolve();
    w.sub = this.quotes.subscribe(
      w.text,
      (q) => {
        w.ended = undefined;
        w.last = q;
        // the quote's own contract (another gateway may number it otherwise: its line was resolved again there)
        if (q.conId !== undefined && w.contract?.conId !== q.conId) w.contract = this.contracts.cached(q.conId);
        if (!w.contract) void resolve();
        // a line sent again (a reconnect) mixes its new values with the old ones: its picture settles again
        if (w.settled && q.stale) w.settled = false;
        if (w.settled) this.tell(w, q);
        else this.settle(w);
      },
      (e) => {
        // the line has ended: what came of its first picture is all there is
        w.ended = e;
        this.settleNow(w);
        for (const waiter of [...w.waiters]) waiter.fail(fromIbInfo(e));
        w.waiters.clear();
        for (const watcher of [...w.watchers]) watcher.onError?.(e);
        // a symbol IB does not know gives its line back at once
        if (isUnknownSymbol(e)) this.close(w);
      },
    );
    watch = w;
    return watch;
  }

  /** Keeps a symbol watched for ms more, lingerMs by default (no timer churn: one timer per symbol, re-armed when it fires early). */
  private linger(watch: Watch, ms = this.lingerMs): void {
    watch.lingerUntil = Math.max(watch.lingerUntil, Date.now() + ms);
    if (watch.lingerTimer) return;
    const arm = (ms: number) => {
      watch.lingerTimer = setTimeout(() => {
        const left = watch.lingerUntil - Date.now();
        if (left > 0) return arm(left);
        watch.lingerTimer = undefined;
        this.release(watch);
      }, ms);
      watch.lingerTimer.unref?.();
    };
    arm(watch.lingerUntil - Date.now());
  }

  private release(watch: Watch): void {
    if (watch.watchers.size > 0 || watch.lingerTimer || watch.waiters.size > 0) return;
    // the last stream left: the line waits a moment for one that comes back (a client reconnecting)
    if (this.streamGraceMs > 0 && !watch.graced && !watch.ended) {
      watch.graced = true;
      return this.linger(watch, this.streamGraceMs);
    }
    this.close(watch);
  }

  private close(watch: Watch): void {
    if (this.watches.get(watch.key) !== watch) return;
    this.watches.delete(watch.key);
    if (watch.lingerTimer) clearTimeout(watch.lingerTimer);
    this.stopSettling(watch);
    watch.sub?.dispose();
  }

  dispose(): void {
    for (const w of [...this.watches.values()]) this.close(w);
  }
}
