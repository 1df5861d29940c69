/**
 * The chart webview's HTML document. Pure: the host passes in the URIs it
 * made with `webview.asWebviewUri` and its `cspSource`; nothing here imports vscode.
 */

export interface ChartHtmlOptions {
  /** URI of the bundled webview script (dist/webview/chart.js). */
  scriptUri: string;
  /** URI of the stylesheet (media/chart/chart.css). */
  styleUri: string;
  /** `webview.cspSource`: the only origin resources may come from. */
  cspSource: string;
  /** A fresh nonce per render (see makeNonce). */
  nonce: string;
  /** The panel's title, shown until the first 'init' message arrives. */
  title: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** The Content-Security-Policy the chart document carries. */
export function chartCsp(cspSource: string, nonce: string): string {
  return (
    ["default-src 'none'", `img-src ${cspSource} data:`, `style-src ${cspSource}`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ') + ';'
  );
}

/** The complete chart document: strict CSP, one stylesheet, one nonce'd script, no inline code or styles. */
export function renderChartHtml(o: ChartHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(o.nonce)) throw new Error('nonce must be base64 or alphanumeric text');
  const title = escapeHtml(o.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(chartCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${title}</title>
</head>
<body>
<header class="toolbar" role="group" aria-label="Chart controls">
  <span class="title" id="chart-title">${title}</span>
  <span class="badge badge-sim" id="sim-badge" title="Data comes from the built-in gateway simulator, not from Interactive Brokers" hidden>SIMULATED</span>
  <label class="control">Bar <select id="bar-size" disabled></select></label>
  <label class="control">Range <select id="duration" disabled></select></label>
  <label class="control" title="Bars from outside the regular session too (pre-market and after hours)"><input type="checkbox" id="extended-hours" disabled> Extended hours</label>
  <button type="button" class="icon-button" id="reload" title="Reload the bars" aria-label="Reload the bars">&#x21bb;</button>
  <span class="spacer"></span>
  <span class="status" id="status" data-kind="info">Waiting for data&hellip;</span>
  <span class="spoken" id="status-spoken" role="status" aria-live="polite">Waiting for data&hellip;</span>
</header>
<div class="progress" id="progress" hidden><div class="progress-bit"></div></div>
<main class="chart-area">
  <div class="chart" id="chart" tabindex="0" role="img" aria-roledescription="chart" aria-label="${title}: candles. Left and Right arrows step through the bars, Home and End go to the first and last, Escape back to the last; plus and minus zoom, 0 shows every bar."></div>
  <div class="legend" id="legend" aria-live="off"></div>
  <span class="spoken" id="bar-spoken" aria-live="polite" aria-atomic="true"></span>
  <div class="empty" id="empty" hidden>No bars for this range.</div>
  <a class="attribution" href="https://www.tradingview.com/" title="Charting by TradingView Lightweight Charts">Charts by TradingView</a>
</main>
<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

/** A crypto-random nonce of 32 alphanumeric characters. */
export function makeNonce(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const out: string[] = [];
  // Rejection sampling keeps every character equally likely (248 = 4 * 62).
  while (out.length < 32) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(48));
    for (const b of bytes) {
      if (b < 248 && out.length < 32) out.push(alphabet[b % 62]);
    }
  }
  return out.join('');
}
