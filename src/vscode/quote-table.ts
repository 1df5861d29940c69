/**
 * The quote table in the panel area: the watchlist as columns (last, change,
 * bid and ask with sizes, volume, high, low, time, data kind), sortable.
 * Only the fields that changed are sent (the values as they are: the webview
 * formats them), and only while the table is shown; the webview writes only
 * the cells that changed, so hovering or selecting a row survives the stream.
 */
import * as vscode from 'vscode';
import { makeNonce } from '../../media/chart/html';
import { renderQuoteTableHtml } from '../../media/quotes/html';
import {
  fieldChanges,
  QUOTE_FIELDS,
  type QuoteFields,
  type QuoteTableChange,
  type QuoteTableHostMessage,
  type QuoteTableWebviewMessage,
} from '../../media/quotes/protocol';
import type { WatchlistModel, WatchRow } from './watchlist/watchlist-model';

export const QUOTE_TABLE_VIEW = 'ibQuoteTable';

/** A row's fields as the table is sent them: the quote's values as they are (formatted in the webview) and the error's text. */
function rowFields(row: WatchRow, live: boolean): QuoteFields {
  const f: Record<string, unknown> = {};
  const q = row.quote;
  if (q)
    for (const k of QUOTE_FIELDS) if (k !== 'error' && k !== 'stale' && k !== 'label' && q[k as keyof typeof q] !== undefined) f[k] = q[k as keyof typeof q];
  if (row.error) f.error = row.error.message;
  if (row.label !== row.symbol) f.label = row.label;
  if (q && !live) f.stale = true;
  return f as QuoteFields;
}

export class QuoteTableView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** What the webview was last sent of each row. */
  private readonly sent = new Map<string, QuoteFields>();
  private readonly subs: vscode.Disposable[] = [];
  /** Rows sent so far (for tests: only changed rows go, and only while shown). */
  rowsSent = 0;

  /** Whether the table shows now. */
  get shown(): boolean {
    return this.view?.visible ?? false;
  }

  constructor(
    private readonly model: WatchlistModel,
    private readonly extensionUri: vscode.Uri,
    private readonly actions: {
      /** `byKey`: asked with the keyboard (Enter on a row), not a click. */
      details(symbol: string, byKey: boolean): void;
      chart(symbol: string): void;
      /** Quotes stream now (connected); otherwise the rows show their last known values as such. */
      live?: () => boolean;
      /** The quotes come from the simulated gateway: the view's title says SIMULATED. */
      simulated?: () => boolean;
      /** Why the quotes do not stream (not connected, IB disabled), said above the table; undefined while they do. */
      offline?: () => string | undefined;
    },
  ) {
    this.subs.push(model.onDidChange((rows) => this.push(rows)));
  }

  /** What the view's title says beside its name (SIMULATED), for tests. */
  get description(): string | undefined {
    return this.view?.description;
  }

  /**
   * Says SIMULATED while the quotes come from the simulated gateway (on every status): beside the view's name, and
   * as a badge above the table (the panel's tab shows neither the view's title nor its description).
   */
  describe(force = false): void {
    const simulated = this.actions.simulated?.() ?? false;
    const offline = this.actions.offline?.() ?? '';
    const text = simulated ? 'SIMULATED' : offline ? 'not streaming' : undefined;
    if (this.view && this.view.description !== text) this.view.description = text;
    if (!this.view || !this.ready) return;
    if (force || offline !== this.offlineSent) {
      this.offlineSent = offline;
      void this.view.webview.postMessage({ type: 'offline', text: offline } satisfies QuoteTableHostMessage);
    }
    if (!force && simulated === this.simulatedSent) return;
    this.simulatedSent = simulated;
    void this.view.webview.postMessage({ type: 'simulated', on: simulated } satisfies QuoteTableHostMessage);
  }

  /** What the page was last told of why the quotes do not stream ('' while they do), for tests. */
  offlineSent: string | undefined;

  /** What the page was last told of the simulated gateway (its badge), for tests. */
  simulatedSent: boolean | undefined;

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    this.describe();
    this.sent.clear();
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    const w = view.webview;
    w.html = renderQuoteTableHtml({
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'quotes.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'quotes', 'table.css')).toString(),
      cspSource: w.cspSource,
      nonce: makeNonce(),
    });
    this.subs.push(
      w.onDidReceiveMessage((m: QuoteTableWebviewMessage) => {
        if (m?.type === 'ready') {
          // a new page (first shown, or shown again after its content was let go while hidden): every row
          this.ready = true;
          this.sent.clear();
          this.describe(true);
          this.push(undefined, true);
        } else if ((m?.type === 'details' || m?.type === 'chart') && typeof m.symbol === 'string' && this.model.symbols.includes(m.symbol)) {
          if (m.type === 'details') this.actions.details(m.symbol, m.byKey === true);
          else this.actions.chart(m.symbol);
        }
      }),
      // hidden (another panel shown, or the panel closed), nothing is worked out or sent; shown again, what changed meanwhile is
      view.onDidChangeVisibility(() => view.visible && this.push(undefined)),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  /**
   * Sends the fields that changed; every row, and the order, when the list
   * itself changed. `reset` (a new page said ready): every row whole, and the
   * page forgets whatever reached it before.
   */
  private push(rows: WatchRow[] | undefined, reset = false): void {
    if (!this.view?.visible || !this.ready) return;
    // a row removed is forgotten, so it is sent in full if it comes back
    if (!rows) for (const sym of [...this.sent.keys()]) if (!this.model.symbols.includes(sym)) this.sent.delete(sym);
    const changed: QuoteTableChange[] = [];
    const live = this.actions.live?.() ?? true;
    for (const r of rows ?? this.model.rows) {
      const f = rowFields(r, live);
      const prev = this.sent.get(r.symbol);
      const set = fieldChanges(prev, f) ?? (prev ? undefined : {});
      if (!set) continue;
      this.sent.set(r.symbol, f);
      changed.push({ symbol: r.symbol, set });
    }
    if (!changed.length && rows) return;
    this.rowsSent += changed.length;
    void this.view.webview.postMessage({ type: 'rows', rows: changed, order: rows ? undefined : [...this.model.symbols], ...(reset ? { reset } : {}) });
  }

  /** The connection came or went: every row says again whether its values stream or are the last known. */
  refresh(): void {
    this.describe();
    this.push(undefined);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
