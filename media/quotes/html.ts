/**
 * The quote table webview's HTML document. Pure: the host passes in the URIs
 * it made with `webview.asWebviewUri` and its `cspSource`.
 */
import { escapeHtml } from '../chart/html';

export interface QuoteTableHtmlOptions {
  /** URI of the bundled webview script (dist/webview/quotes.js). */
  scriptUri: string;
  /** URI of the stylesheet (media/quotes/table.css). */
  styleUri: string;
  /** `webview.cspSource`: the only origin resources may come from. */
  cspSource: string;
  /** A fresh nonce per render. */
  nonce: string;
}

export function renderQuoteTableHtml(o: QuoteTableHtmlOptions): string {
  const csp = `default-src 'none'; style-src ${o.cspSource}; font-src ${o.cspSource}; script-src 'nonce-${o.nonce}';`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>Quotes</title></head>
<body><div class="badge-sim" id="sim-badge" title="Data comes from the built-in gateway simulator, not from Interactive Brokers" hidden>SIMULATED: prices and times are not real</div>
<div class="offline" id="offline" role="status" hidden></div>
<table id="quotes" aria-label="Watchlist quotes"><thead><tr></tr></thead><tbody></tbody></table>
<div class="empty" id="empty" hidden>The watchlist is empty.</div>
<span id="no-description" hidden></span>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body></html>`;
}
