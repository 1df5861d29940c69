import * as vscode from 'vscode';
import { describeIbError, IbError, LOCAL_CODES } from '../../ib/errors';
import type { Logger } from '../../ib/log';
import type { QuoteWatch } from '../../ib/quotes/lines';
import type { IbErrorInfo, Quote, ResolvedContract } from '../../ib/types';
import { entryLabel } from '../../ib/contracts/symbol-text';

/**
 * One watchlist row's state. Objects are stable per symbol: the tree refreshes
 * them by identity. The quote is read from its line when shown (built once per
 * change), not made for every tick; when the row stops streaming it keeps the
 * last one.
 */
export class WatchRow {
  error?: IbErrorInfo;
  /** The streaming line, while the row streams. */
  watch?: QuoteWatch;
  /** The quote when the row last stopped streaming. */
  private last?: Quote;
  /** The instrument it last resolved to. */
  private lastContract?: ResolvedContract;

  /** The name its text gives it (a future's month in words). */
  private readonly named: string;

  constructor(readonly symbol: string) {
    this.named = entryLabel(symbol);
  }

  /**
   * What the row shows as its name: a future's month in words; an entry saved as a contract id (a class of
   * futures that shares its month with another: FDXM beside FDAX) by the contract's name once resolved.
   */
  get label(): string {
    const c = /^\d+$/.test(this.symbol) ? this.contract : undefined;
    return c ? c.display : this.named;
  }

  get quote(): Quote | undefined {
    return this.watch?.latest() ?? this.last;
  }

  /** The instrument the row's symbol resolved to (its name, kind, exchange), once it has. */
  get contract(): ResolvedContract | undefined {
    return this.watch?.contract() ?? this.lastContract;
  }

  /** Stops streaming; the last quote stays. */
  stopWatching(): void {
    const w = this.watch;
    if (!w) return;
    this.watch = undefined;
    w.dispose();
    this.last = w.latest() ?? this.last;
    this.lastContract = w.contract() ?? this.lastContract;
  }

  /** Forgets the last quote of a row that no longer streams (it came from a gateway that is gone for good). */
  forgetLast(): void {
    if (!this.watch) {
      this.last = undefined;
      this.lastContract = undefined;
    }
  }
}

/** What the model needs from the quote service. */
export interface QuoteSource {
  watch(symbol: string, changed: () => void, onError?: (e: IbErrorInfo) => void): QuoteWatch;
}

export interface WatchlistModelOptions {
  /** Shortest time between two row refreshes (default 250 ms: at most four a second). */
  coalesceMs?: number;
}

/**
 * The watchlist: an ordered list of symbol texts, each with its latest quote.
 * Streams while `active`; row changes are coalesced into at most one event
 * per interval, carrying only the rows that changed.
 */
export class WatchlistModel implements vscode.Disposable {
  private order: string[] = [];
  private readonly rowsBySymbol = new Map<string, WatchRow>();
  private readonly changed = new Set<WatchRow>();
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  private readonly coalesceMs: number;
  private readonly emitter = new vscode.EventEmitter<WatchRow[] | undefined>();
  /** Fires with the rows that changed, or undefined when the list itself changed. */
  readonly onDidChange = this.emitter.event;
  /** How many row events were fired (for tests: proves coalescing). */
  refreshCount = 0;

  constructor(
    private readonly quotes: QuoteSource,
    private readonly logger: Logger,
    options: WatchlistModelOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? 250;
  }

  get symbols(): readonly string[] {
    return this.order;
  }

  get rows(): WatchRow[] {
    return this.order.map((s) => this.rowsBySymbol.get(s)!);
  }

  row(symbol: string): WatchRow | undefined {
    return this.rowsBySymbol.get(symbol);
  }

  get streaming(): boolean {
    return this.active;
  }

  /** Replaces the list (from settings); keeps the streams of symbols that stay. */
  setSymbols(symbols: readonly string[]): void {
    const next = [...new Set(symbols)];
    const same = next.length === this.order.length && next.every((s, i) => s === this.order[i]);
    if (same) return;
    for (const gone of this.order.filter((s) => !next.includes(s))) {
      this.unsubscribe(gone);
      this.rowsBySymbol.delete(gone);
    }
    for (const s of next) {
      if (!this.rowsBySymbol.has(s)) {
        this.rowsBySymbol.set(s, new WatchRow(s));
        if (this.active) this.subscribe(s);
      }
    }
    this.order = next;
    this.fireStructure();
  }

  /** Starts streaming every symbol (the connection is ready). */
  start(): void {
    if (this.active) return;
    this.active = true;
    for (const s of this.order) this.subscribe(s);
    this.fireStructure();
  }

  /** Stops every stream (the connection ended); the last values stay visible. */
  stop(): void {
    if (!this.active) return;
    this.active = false;
    for (const s of this.order) this.unsubscribe(s);
    this.fireStructure();
  }

  /**
   * Forgets the last values of the rows that no longer stream: the simulated gateway was stopped, and its
   * prices are not anyone's last known values (left on screen they read as real closing prices).
   */
  forgetValues(): void {
    for (const row of this.rowsBySymbol.values()) row.forgetLast();
    this.fireStructure();
  }

  /** Re-subscribes one symbol, or all (after an error was fixed, or on request). */
  refresh(symbol?: string): void {
    const targets = symbol ? [symbol] : [...this.order];
    for (const s of targets) {
      const row = this.rowsBySymbol.get(s);
      if (!row) continue;
      row.error = undefined;
      if (this.active) {
        this.unsubscribe(s);
        this.subscribe(s);
      }
    }
    this.fireStructure();
  }

  private subscribe(symbol: string): void {
    const row = this.rowsBySymbol.get(symbol);
    if (!row || row.watch) return;
    try {
      row.watch = this.quotes.watch(
        symbol,
        () => {
          if (this.rowsBySymbol.get(symbol) !== row) return;
          row.error = undefined;
          this.markChanged(row);
        },
        (e) => {
          if (this.rowsBySymbol.get(symbol) !== row) return;
          this.logger.warn(`watchlist ${symbol}: [${e.code}] ${e.message}`);
          row.error = e;
          this.markChanged(row);
        },
      );
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.logger.error(`watchlist ${symbol}: ${message}`);
      row.error = { ...describeIbError(e instanceof IbError ? e.info.code : LOCAL_CODES.requestFailed), message, action: 'Check the symbol.' };
      this.markChanged(row);
    }
  }

  private unsubscribe(symbol: string): void {
    const row = this.rowsBySymbol.get(symbol);
    try {
      row?.stopWatching();
    } catch (e) {
      this.logger.warn(`watchlist ${symbol}: unsubscribe failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private markChanged(row: WatchRow): void {
    this.changed.add(row);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const rows = [...this.changed].filter((r) => this.rowsBySymbol.get(r.symbol) === r);
      this.changed.clear();
      if (rows.length) {
        this.refreshCount++;
        this.emitter.fire(rows);
      }
    }, this.coalesceMs);
  }

  private fireStructure(): void {
    this.changed.clear();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.active = false;
    for (const s of this.order) this.unsubscribe(s);
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
  }
}
