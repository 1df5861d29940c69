/**
 * The chart page's HTML and the webview's message checks, without a browser:
 * the document the host serves and what the page accepts from the host.
 */
import { strict as assert } from 'node:assert';
import { chartCsp, escapeHtml, makeNonce, renderChartHtml } from '../../media/chart/html';
import { parseCandle, parseCandles, parseChartState, parseHostMessage, sameBarSize } from '../../media/chart/messages';

const BASE = {
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/chart.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/chart/chart.css',
  cspSource: 'https://*.vscode-cdn.net',
  title: 'ES 202512 FUT@CME',
};

describe('chart webview document', function () {
  it('carries the strict CSP with the nonce and only the given origin', function () {
    const nonce = makeNonce();
    const html = renderChartHtml({ ...BASE, nonce });
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(meta, 'a CSP meta element');
    const csp = meta[1].replace(/&#39;/g, "'");
    assert.equal(csp, chartCsp(BASE.cspSource, nonce));
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    assert.deepEqual(directives, {
      'default-src': ["'none'"],
      'img-src': [BASE.cspSource, 'data:'],
      'style-src': [BASE.cspSource],
      'font-src': [BASE.cspSource],
      'script-src': [`'nonce-${nonce}'`],
    });
  });

  it('has one script, with the nonce and the bundle URI, and no inline code or styles', function () {
    const nonce = makeNonce();
    const html = renderChartHtml({ ...BASE, nonce });
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="${BASE.scriptUri}">`]);
    assert.match(html, /<\/script>\s*<\/body>/);
    assert.doesNotMatch(html, /<script[^>]*>[^<]+<\/script>/, 'no inline script body');
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attributes');
    assert.doesNotMatch(html, /<style/i, 'no style elements');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.ok(html.includes(`<link rel="stylesheet" href="${BASE.styleUri}">`));
    for (const id of ['chart-title', 'sim-badge', 'bar-size', 'duration', 'reload', 'status', 'progress', 'chart', 'legend', 'empty']) {
      assert.ok(html.includes(`id="${id}"`), `element #${id}`);
    }
  });

  it('escapes the title and URIs', function () {
    const html = renderChartHtml({ ...BASE, nonce: makeNonce(), title: '</title><script>alert("x")</script>&', scriptUri: 'https://a/"onload="x' });
    assert.ok(html.includes('<title>&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;</title>'));
    assert.equal((html.match(/<script\b/g) ?? []).length, 1);
    assert.ok(html.includes('src="https://a/&quot;onload=&quot;x"'));
    assert.equal(escapeHtml(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('refuses a nonce that could break out of its attribute', function () {
    assert.throws(() => renderChartHtml({ ...BASE, nonce: 'abc" onload="x' }));
    assert.throws(() => renderChartHtml({ ...BASE, nonce: '' }));
  });

  it('makes 32-character alphanumeric nonces that differ every time', function () {
    const seen = new Set<string>();
    const chars = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const n = makeNonce();
      assert.match(n, /^[A-Za-z0-9]{32}$/);
      seen.add(n);
      for (const c of n) chars.add(c);
    }
    assert.equal(seen.size, 200);
    assert.ok(chars.size > 55, `uses the whole alphabet (${chars.size} of 62 seen)`);
  });
});

describe('chart webview message checks', function () {
  const candle = { time: 1_764_000_000, open: 10, high: 12, low: 9, close: 11, volume: 100 };

  it('accepts each protocol message as the host sends it', function () {
    const init = {
      type: 'init',
      symbol: 'AAPL',
      title: 'AAPL (NASDAQ, USD)',
      barSize: '5 mins',
      duration: '1 D',
      barSizes: ['5 mins'],
      durations: ['1 D'],
      simulated: false,
    };
    assert.deepEqual(parseHostMessage(init), init);
    assert.deepEqual(parseHostMessage({ type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: [candle] }), {
      type: 'candles',
      symbol: 'AAPL',
      barSize: '5 mins',
      candles: [candle],
    });
    assert.deepEqual(parseHostMessage({ type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: [] }), {
      type: 'candles',
      symbol: 'AAPL',
      barSize: '5 mins',
      candles: [],
    });
    assert.deepEqual(parseHostMessage({ type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle }), {
      type: 'candle',
      symbol: 'AAPL',
      barSize: '5 mins',
      candle,
    });
    assert.deepEqual(parseHostMessage({ type: 'status', text: 'Live', kind: 'live' }), { type: 'status', text: 'Live', kind: 'live' });
    assert.deepEqual(parseHostMessage({ type: 'loading', loading: true }), { type: 'loading', loading: true });
  });

  it('refuses malformed messages', function () {
    const bad: unknown[] = [
      undefined,
      null,
      0,
      'init',
      [],
      { type: 1 },
      { type: 'ready' },
      { type: 'changeRange' },
      { type: 'init', symbol: 'A', title: 'A', barSize: '1 min', duration: '1 D', barSizes: [1], durations: [], simulated: false },
      { type: 'init', symbol: 'A', title: 'A', barSize: '1 min', duration: '1 D', barSizes: [''], durations: [], simulated: false },
      { type: 'init', symbol: 'A', title: 'A', barSize: '1 min', duration: '1 D', barSizes: [], durations: [], simulated: 1 },
      { type: 'init', symbol: 'A'.repeat(501), title: 'A', barSize: '1 min', duration: '1 D', barSizes: [], durations: [], simulated: true },
      { type: 'candles', symbol: 'A', barSize: '1 min', candles: {} },
      { type: 'candles', symbol: 'A', barSize: '1 min', candles: [{}, null] },
      { type: 'candle', symbol: 'A', barSize: '1 min', candle: null },
      { type: 'status', text: 5, kind: 'info' },
      { type: 'status', text: 'x', kind: 'fatal' },
      { type: 'loading', loading: 1 },
    ];
    for (const m of bad) assert.equal(parseHostMessage(m), undefined, JSON.stringify(m));
  });

  it('keeps only well-formed candles, sorted, one per time', function () {
    assert.equal(parseCandle({ ...candle, time: 1.5 }), undefined);
    assert.equal(parseCandle({ ...candle, time: 0 }), undefined);
    assert.equal(parseCandle({ ...candle, high: 8 }), undefined, 'high below low');
    assert.equal(parseCandle({ ...candle, high: 10.5 }), undefined, 'high below close');
    assert.equal(parseCandle({ ...candle, low: 10.5 }), undefined, 'low above open');
    assert.equal(parseCandle({ ...candle, open: '10' }), undefined);
    assert.equal(parseCandle({ ...candle, volume: NaN }), undefined);
    assert.deepEqual(parseCandle({ ...candle, volume: -1 }), { ...candle, volume: 0 }, 'IB sends -1 where there is no volume');
    assert.deepEqual(parseCandle({ ...candle, volume: undefined }), { ...candle, volume: 0 });
    const later = { ...candle, time: candle.time + 60 };
    const replaced = { ...candle, close: 11.5 };
    assert.deepEqual(parseCandles([later, candle, 'x', replaced]), [replaced, later]);
  });

  it('reads a saved state and compares bar sizes as people write them', function () {
    assert.deepEqual(parseChartState({ symbol: 'AAPL', barSize: '1 hour', duration: '1 M', extra: 1 }), { symbol: 'AAPL', barSize: '1 hour', duration: '1 M' });
    assert.equal(parseChartState({ symbol: 'AAPL' }), undefined);
    assert.equal(parseChartState('AAPL'), undefined);
    assert.ok(sameBarSize('5 mins', ' 5  Mins '));
    assert.ok(!sameBarSize('5 mins', '15 mins'));
  });
});
