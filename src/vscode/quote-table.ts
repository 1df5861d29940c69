/**
 * The quote table in the panel area: the watchlist as columns (last, change,
 * bid and ask with sizes, volume, high, low, time, data kind), sortable.
 * Only rows whose text changed are sent, and only while the table is shown;
 * the webview writes only the cells that changed, so hovering or selecting a
 * row survives the stream.
 */
import * as vscode from 'vscode';
import { escapeHtml, makeNonce } from '../../media/chart/html';
import type { QuoteTableRow, QuoteTableWebviewMessage } from '../../media/quotes/protocol';
import { decimalsFor, formatDateTime, formatPercent, formatPrice, formatSigned, formatSize } from './format';
import { quoteFacts } from './quote-details';
import type { WatchlistModel, WatchRow } from './watchlist/watchlist-model';
import { badgeText } from './watchlist/watchlist-item';

export const QUOTE_TABLE_VIEW = 'ibQuoteTable';

/** One row as the table shows it. */
export function tableRow(row: WatchRow): QuoteTableRow {
  const q = row.quote;
  const d = q?.price !== undefined ? decimalsFor(q.price) : undefined;
  const dash = '—';
  return {
    symbol: row.symbol,
    cells: {
      symbol: row.symbol,
      price: q ? formatPrice(q.price, d) : dash,
      change: q ? formatSigned(q.change, d) : dash,
      percent: q ? formatPercent(q.changePercent) : dash,
      bid: q ? formatPrice(q.bid, d) : dash,
      bidSize: q ? formatSize(q.bidSize) : dash,
      ask: q ? formatPrice(q.ask, d) : dash,
      askSize: q ? formatSize(q.askSize) : dash,
      volume: q ? formatSize(q.volume) : dash,
      high: q ? formatPrice(q.high, d) : dash,
      low: q ? formatPrice(q.low, d) : dash,
      time: q ? formatDateTime(q.time).slice(11) : dash,
      data: row.error ? `⚠ ${row.error.message}` : q ? badgeText(q) || q.dataType : '…',
    },
    sort: q
      ? {
          price: q.price,
          change: q.change,
          percent: q.changePercent,
          bid: q.bid,
          bidSize: q.bidSize,
          ask: q.ask,
          askSize: q.askSize,
          volume: q.volume,
          high: q.high,
          low: q.low,
        }
      : {},
    direction: q?.change !== undefined && q.change > 0 ? 'up' : q?.change !== undefined && q.change < 0 ? 'down' : 'flat',
    title: q ? [row.symbol, ...quoteFacts(q).map(([k, v]) => `${k}: ${v}`)].join('\n') : row.symbol,
  };
}

export class QuoteTableView implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readonly sent = new Map<string, string>();
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
    private readonly actions: { details(symbol: string): void; chart(symbol: string): void },
  ) {
    this.subs.push(model.onDidChange((rows) => this.push(rows)));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    this.sent.clear();
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    view.webview.options = { enableScripts: true, localResourceRoots: [media, dist] };
    const nonce = makeNonce();
    const w = view.webview;
    const csp = `default-src 'none'; style-src ${w.cspSource}; font-src ${w.cspSource}; script-src 'nonce-${nonce}';`;
    w.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<link rel="stylesheet" href="${escapeHtml(w.asWebviewUri(vscode.Uri.joinPath(media, 'quotes', 'table.css')).toString())}">
<title>Quotes</title></head>
<body><table id="quotes" aria-label="Watchlist quotes"><thead><tr></tr></thead><tbody></tbody></table>
<div class="empty" id="empty" hidden>The watchlist is empty.</div>
<script nonce="${nonce}" src="${escapeHtml(w.asWebviewUri(vscode.Uri.joinPath(dist, 'quotes.js')).toString())}"></script>
</body></html>`;
    this.subs.push(
      w.onDidReceiveMessage((m: QuoteTableWebviewMessage) => {
        if (m?.type === 'ready') {
          // a new page (first shown, or shown again after its content was let go while hidden): every row
          this.ready = true;
          this.sent.clear();
          this.push(undefined);
        } else if ((m?.type === 'details' || m?.type === 'chart') && typeof m.symbol === 'string' && this.model.symbols.includes(m.symbol)) {
          this.actions[m.type](m.symbol);
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

  /** Sends the rows whose text changed; all of them with the order when the list itself changed. */
  private push(rows: WatchRow[] | undefined): void {
    if (!this.view?.visible || !this.ready) return;
    // a row removed is forgotten, so it is sent in full if it comes back
    if (!rows) for (const sym of [...this.sent.keys()]) if (!this.model.symbols.includes(sym)) this.sent.delete(sym);
    const changed: QuoteTableRow[] = [];
    for (const r of rows ?? this.model.rows) {
      const t = tableRow(r);
      const key = JSON.stringify(t);
      if (this.sent.get(r.symbol) === key) continue;
      this.sent.set(r.symbol, key);
      changed.push(t);
    }
    if (!changed.length && rows) return;
    this.rowsSent += changed.length;
    void this.view.webview.postMessage({ type: 'rows', rows: changed, order: rows ? undefined : [...this.model.symbols] });
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
