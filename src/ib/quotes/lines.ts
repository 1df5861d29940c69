/** The quote service's bookkeeping: a watcher, a shared line per contract, a snapshot in flight. */
import type { Clock } from '../clock';
import type { Logger } from '../log';
import type { WireRequest } from '../transport/wire';
import type { Disposable, IbErrorInfo, Quote, ResolvedContract } from '../types';
import type { QuoteState } from './tick-model';

/** Codes that mean "no live data for this symbol; delayed may work". */
export const NOT_SUBSCRIBED = new Set([354, 10167, 10089, 10186]);
/** Codes that say the delayed data is now being shown (the line lives on). */
export const SHOWING_DELAYED = 10167;
/**
 * "Requested market data requires additional subscription for API ... Delayed
 * market data is available": on a line asked as delayed, TWS says it and goes
 * on with delayed ticks (the line lives on); on a live line it ends it.
 */
export const NEEDS_API_SUBSCRIPTION = 10089;

export interface Watcher {
  symbol: string;
  /** Hears every change with the quote (subscribe). */
  listener?: (q: Quote) => void;
  /** Hears that the quote changed, and reads it when it needs it (watch). */
  changed?: () => void;
  /** The quote last read by a `changed` watcher, until the line changes again. */
  latest?: Quote;
  /** A `changed` watcher was told of a change and has not read the quote since: it is not told again until it does. */
  told?: boolean;
  onError?: (e: IbErrorInfo) => void;
  line?: Line;
  /** The text it was asked by (subscribe or watch by symbol text): resolved again on another gateway. */
  named?: string;
  disposed: boolean;
}

export interface Line {
  contract: ResolvedContract;
  watchers: Set<Watcher>;
  state: QuoteState;
  /** Open on the gateway: the request in the connection's table. */
  request?: WireRequest;
  /** Asked for delayed data because live was refused under 'auto'. */
  fellBack: boolean;
  /** Why the gateway ended the line (until it is sent again): a watcher joining it hears this. */
  endedBy?: IbErrorInfo;
  /**
   * Resolved on another gateway than the one that gave its contract: its symbol is resolved again there before the
   * line is sent (a simulated gateway numbers its made-up futures months its own way; that conId may be another
   * instrument on a real one). 'asked' while the answer is awaited.
   */
  resolveAgain: false | 'due' | 'asked';
  /** Its values' slot in the service's columns (QuoteBursts), while the line is the service's. */
  slot: number;
  /** Times in a row it was sent again for hearing nothing (see SilentLines), and that check's timer. */
  silentResends: number;
  /** Still silent after the last of those (9015 told): a watcher joining it has it sent again. */
  gaveUpSilent: boolean;
  silenceTimer?: unknown;
}

/** Tells a watcher why its line ended; a listener that throws is logged, not the service's failure. */
export function safeError(w: Watcher, info: IbErrorInfo, logger: Logger): void {
  try {
    w.onError?.(info);
  } catch (e) {
    logger.error(`quotes: an error listener failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** A snapshot refused for lack of a live subscription (retried as delayed under auto). */
export class NotSubscribed extends Error {
  readonly info: IbErrorInfo;
  constructor(info: IbErrorInfo) {
    super(info.message);
    this.info = info;
  }
}

/** A watched line (QuoteService.watch): its latest quote, built when read; undefined before the first tick. */
export interface QuoteWatch extends Disposable {
  latest(): Quote | undefined;
  /** The instrument the symbol resolved to, once it has (its name, kind, exchange: see contract-line.ts). */
  contract(): ResolvedContract | undefined;
}

export interface QuoteServiceOptions {
  /** Default snapshot time limit (12000 ms; TWS ends a snapshot within about 11 s). */
  snapshotTimeoutMs?: number;
  /** Clock for quote times (default: the gateway's, measured on every new connection). */
  now?: () => number;
  /** Timers (the silent-line check); the system's by default. */
  clock?: Clock;
}
