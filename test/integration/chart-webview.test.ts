/**
 * The chart webview in a real Chromium: the page exactly as the host serves it
 * (renderChartHtml with its CSP), the bundled dist/webview/chart.js, and
 * acquireVsCodeApi() supplied by an init script that records what the page posts.
 *
 * Set UPDATE_SCREENSHOTS=1 to refresh docs/screenshots/chart-webview.png.
 */
import { strict as assert } from 'node:assert';
import { createMarket, createUniverse } from '../../src/sim/market';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { chartCsp, makeNonce, renderChartHtml } from '../../media/chart/html';
import type { ChartState, HostMessage, WebviewMessage } from '../../media/chart/protocol';
import { checkBarRequest } from '../../src/ib/bar-sizes';
import type { Candle } from '../../src/ib/types';
import { webviewPages } from './support/webview-pages';

const ROOT = resolve(__dirname, '..', '..');
const NONCE = makeNonce();
const TITLE = 'AAPL <NASDAQ> & "USD"';

type ThemeVars = Record<string, string>;

const DARK: ThemeVars = {
  '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-font-weight': 'normal',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-foreground': '#cccccc',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-editorWidget-border': '#313131',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-dropdown-background': '#313131',
  '--vscode-dropdown-border': '#3c3c3c',
  '--vscode-dropdown-foreground': '#cccccc',
  '--vscode-dropdown-listBackground': '#1f1f1f',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-statusBarItem-warningBackground': '#7a6400',
  '--vscode-statusBarItem-warningForeground': '#ffffff',
  '--vscode-progressBar-background': '#0078d4',
  '--vscode-icon-foreground': '#cccccc',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editorWarning-foreground': '#cca700',
};

const LIGHT: ThemeVars = {
  ...DARK,
  '--vscode-editor-background': '#ffffff',
  '--vscode-editor-foreground': '#3b3b3b',
  '--vscode-foreground': '#3b3b3b',
  '--vscode-charts-green': '#388a34',
  '--vscode-charts-red': '#e51400',
  '--vscode-editorWidget-border': '#c8c8c8',
  '--vscode-descriptionForeground': '#3b3b3b',
  '--vscode-dropdown-background': '#ffffff',
  '--vscode-dropdown-border': '#cecece',
  '--vscode-dropdown-foreground': '#3b3b3b',
  '--vscode-icon-foreground': '#3b3b3b',
};

const BAR = 300;
const BAR_SIZES = ['1 min', '5 mins', '15 mins', '1 hour', '1 day'];
const DURATIONS = ['1 D', '2 D', '1 W', '1 M'];

const INIT: HostMessage = {
  type: 'init',
  symbol: 'AAPL',
  title: 'AAPL (NASDAQ, USD)',
  barSize: '5 mins',
  duration: '1 D',
  barSizes: BAR_SIZES,
  durations: DURATIONS,
  simulated: true,
};

/** A seeded random walk of n bars, every bar either up or down. */
function makeCandles(n: number, seed: number, start = 1_764_000_000 - (1_764_000_000 % BAR)): Candle[] {
  let s = seed;
  const rnd = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const round = (x: number) => Math.round(x * 100) / 100;
  const out: Candle[] = [];
  let price = 180;
  for (let i = 0; i < n; i++) {
    const open = price;
    let close = round(open + (rnd() - 0.5) * 3);
    if (close === open) close = round(open + 0.05);
    out.push({
      time: start + i * BAR,
      open,
      close,
      high: round(Math.max(open, close) + rnd()),
      low: round(Math.min(open, close) - rnd()),
      volume: 1000 + Math.floor(rnd() * 9000),
    });
    price = close;
  }
  return out;
}

interface Watched {
  page: Page;
  problems: readonly string[];
}

interface Legend {
  source?: string;
  time?: string;
  values: string[];
}

function hexRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

describe('chart webview in Chromium', function () {
  this.timeout(90_000);
  const pages = webviewPages('dist/webview/chart.js', 'media/chart/chart.css', (uris) => renderChartHtml({ ...uris, nonce: NONCE, title: TITLE }), {
    warnings: true,
  });

  /** Opens the chart page as VS Code would host it, recording page errors, console errors and CSP violations. */
  async function open(theme: ThemeVars = DARK, savedState?: ChartState): Promise<Watched> {
    const page = await pages.open((p) =>
      p.addInitScript(
        ({ vars, saved }) => {
          const w = window as unknown as Record<string, unknown>;
          const posted: unknown[] = [];
          const violations: string[] = [];
          let state: unknown = saved;
          let acquired = false;
          w.__posted = posted;
          w.__violations = violations;
          w.__state = () => state;
          w.acquireVsCodeApi = () => {
            if (acquired) throw new Error('acquireVsCodeApi may only be called once');
            acquired = true;
            return {
              postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
              getState: () => state,
              setState: (s: unknown) => {
                state = JSON.parse(JSON.stringify(s));
              },
            };
          };
          document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
          // As VS Code does: theme variables on <html>, the theme class on <body>, as soon as they exist.
          let themed = false;
          let marked = false;
          const apply = () => {
            if (!themed && document.documentElement) {
              for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
              themed = true;
            }
            if (!marked && document.body) {
              document.body.classList.add('vscode-dark');
              marked = true;
            }
            return themed && marked;
          };
          if (!apply()) {
            const observer = new MutationObserver(() => {
              if (apply()) observer.disconnect();
            });
            observer.observe(document, { childList: true, subtree: true });
          }
        },
        { vars: theme, saved: savedState },
      ),
    );
    const w: Watched = { page, problems: pages.problems(page) };
    await page.waitForFunction(() => (window as unknown as { __posted: WebviewMessage[] }).__posted.some((m) => m.type === 'ready'), undefined, {
      timeout: 15_000,
    });
    return w;
  }

  const post = (page: Page, msg: unknown) => page.evaluate((m) => window.postMessage(m, '*'), msg);
  const posted = (page: Page) => page.evaluate(() => (window as unknown as { __posted: WebviewMessage[] }).__posted);
  const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
  const savedState = (page: Page) => page.evaluate(() => (window as unknown as { __state: () => unknown }).__state());
  const barCount = async (page: Page) => Number(await page.getAttribute('#chart', 'data-bar-count'));

  async function legend(page: Page): Promise<Legend> {
    return page.evaluate(() => {
      const root = document.getElementById('legend')!;
      return {
        source: root.dataset.source,
        time: root.dataset.time,
        values: Array.from(root.querySelectorAll('.legend-value')).map((e) => e.textContent ?? ''),
      };
    });
  }

  /** Opaque pixels on the chart's canvases within a small distance of each colour. */
  async function countColours(page: Page, colours: string[]): Promise<number[]> {
    return page.evaluate((targets) => {
      const counts = targets.map(() => 0);
      for (const canvas of Array.from(document.querySelectorAll<HTMLCanvasElement>('#chart canvas'))) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        // Read a copy, so the chart's own canvases are never read back.
        const copy = document.createElement('canvas');
        copy.width = canvas.width;
        copy.height = canvas.height;
        const ctx = copy.getContext('2d', { willReadFrequently: true });
        if (!ctx) continue;
        ctx.drawImage(canvas, 0, 0);
        const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] < 250) continue;
          targets.forEach(([r, g, b], k) => {
            if (Math.abs(d[i] - r) <= 6 && Math.abs(d[i + 1] - g) <= 6 && Math.abs(d[i + 2] - b) <= 6) counts[k]++;
          });
        }
      }
      return counts;
    }, colours.map(hexRgb));
  }

  async function waitForColours(page: Page, colours: string[], min: number): Promise<number[]> {
    const until = Date.now() + 15_000;
    for (;;) {
      const counts = await countColours(page, colours);
      if (counts.every((c) => c >= min) || Date.now() > until) return counts;
      await page.waitForTimeout(100);
    }
  }

  async function showChart(w: Watched, candles: Candle[]): Promise<void> {
    await post(w.page, INIT);
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles });
    await w.page.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), candles.length);
  }

  it('is served with the strict CSP, loads without violations and says ready once', async function () {
    const w = await open();
    const csp = await w.page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.equal(csp, chartCsp(pages.origin(), NONCE));
    assert.match(csp ?? '', /default-src 'none'/);
    assert.equal(await w.page.title(), TITLE, 'the title is escaped in the document');
    assert.equal(await w.page.textContent('#chart-title'), TITLE);
    await showChart(w, makeCandles(40, 7));
    await w.page.waitForTimeout(200);
    assert.deepEqual(await posted(w.page), [{ type: 'ready' }]);
    assert.deepEqual(await violations(w.page), []);
    assert.deepEqual(w.problems, []);
  });

  it('really enforces the CSP, so the clean result above means something', async function () {
    const w = await open();
    await w.page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { outline: 1px solid red; }';
      document.head.append(style);
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true';
      document.head.append(script);
    });
    await w.page.waitForFunction(() => (window as unknown as { __violations: string[] }).__violations.length >= 2);
    const v = await violations(w.page);
    assert.ok(
      v.some((x) => x.startsWith('style-src')),
      v.join('\n'),
    );
    assert.ok(
      v.some((x) => x.startsWith('script-src')),
      v.join('\n'),
    );
    assert.equal(await w.page.evaluate(() => (window as unknown as { __inline?: boolean }).__inline), undefined);
    // the page reports what was refused on its console too: the check after each test would have seen it
    const reported = pages.take(w.page);
    assert.ok(
      reported.some((x) => /Content Security Policy/.test(x)),
      reported.join('\n'),
    );
  });

  it('draws candles in the theme up and down colours with the toolbar set from init', async function () {
    const candles = makeCandles(60, 11);
    const ups = candles.filter((c) => c.close > c.open).length;
    assert.ok(ups > 10 && ups < 50, 'the test data has both up and down bars');
    const w = await open();
    await showChart(w, candles);
    const [up, down] = await waitForColours(w.page, [DARK['--vscode-charts-green'], DARK['--vscode-charts-red']], 200);
    const [lightUp] = await countColours(w.page, [LIGHT['--vscode-charts-green']]);
    assert.ok(up >= 200, `up-coloured pixels: ${up}`);
    assert.ok(down >= 200, `down-coloured pixels: ${down}`);
    assert.equal(lightUp, 0, 'no light-theme colours in the dark theme');
    const [background] = await countColours(w.page, [DARK['--vscode-editor-background']]);
    assert.ok(background > 100_000, `background pixels: ${background}`);

    assert.equal(await w.page.textContent('#chart-title'), 'AAPL (NASDAQ, USD)');
    assert.equal(await w.page.isVisible('#sim-badge'), true, 'SIMULATED badge shown');
    assert.deepEqual(await w.page.$$eval('#bar-size option', (os) => os.map((o) => (o as HTMLOptionElement).value)), BAR_SIZES);
    assert.deepEqual(await w.page.$$eval('#duration option', (os) => os.map((o) => (o as HTMLOptionElement).value)), DURATIONS);
    // named as a person says them, IB's own words kept as the values sent
    assert.deepEqual(await w.page.$$eval('#duration option', (os) => os.map((o) => o.textContent)), ['1 day', '2 days', '1 week', '1 month']);
    assert.equal(await w.page.inputValue('#bar-size'), '5 mins');
    assert.equal(await w.page.inputValue('#duration'), '1 D');
    assert.deepEqual(await savedState(w.page), { symbol: 'AAPL', barSize: '5 mins', duration: '1 D', useRTH: true });

    const last = candles[candles.length - 1];
    const l = await legend(w.page);
    assert.equal(l.source, 'last');
    assert.equal(l.time, String(last.time));
    assert.deepEqual(
      l.values.slice(0, 4),
      [last.open, last.high, last.low, last.close].map((x) => x.toFixed(2)),
    );
    // the change says what it is measured against (with extended hours the previous close is the after-hours one)
    const before = candles[candles.length - 2];
    assert.equal(await w.page.getAttribute('#legend .legend-change', 'title'), `Change from the previous bar's close (${before.close.toFixed(2)})`);
    assert.deepEqual(w.problems, []);
  });

  it('merges live candles: the same time replaces the last bar, a newer one appends, an older one is ignored', async function () {
    const candles = makeCandles(30, 3);
    const w = await open();
    await showChart(w, candles);
    const last = candles[candles.length - 1];

    const replaced = { ...last, close: last.close + 1.23, high: last.high + 1.5, volume: last.volume + 500 };
    await post(w.page, { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: replaced });
    await w.page.waitForFunction((c) => document.querySelectorAll('#legend .legend-value')[3]?.textContent === c, replaced.close.toFixed(2));
    assert.equal(await barCount(w.page), candles.length);
    assert.equal((await legend(w.page)).values[1], replaced.high.toFixed(2));

    const next = {
      time: last.time + BAR,
      open: replaced.close,
      high: replaced.close + 2,
      low: replaced.close - 0.5,
      close: replaced.close + 1.75,
      volume: 4321,
    };
    await post(w.page, { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: next });
    await w.page.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), candles.length + 1);
    const l = await legend(w.page);
    assert.equal(l.time, String(next.time));
    assert.deepEqual(l.values, [next.open, next.high, next.low, next.close].map((x) => x.toFixed(2)).concat(String(next.volume)));

    const older = { ...candles[5], close: candles[5].close + 10, high: candles[5].high + 10 };
    await post(w.page, { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: older });
    await post(w.page, { type: 'status', text: 'marker', kind: 'info' });
    await w.page.waitForFunction(() => document.getElementById('status')?.textContent === 'marker');
    assert.equal(await barCount(w.page), candles.length + 1);
    assert.equal((await legend(w.page)).time, String(next.time));
    assert.deepEqual(w.problems, []);
  });

  it('steps through the bars from the keyboard: Left/Right a bar, Home/End the ends, Escape back to the last; the legend says each', async function () {
    const candles = makeCandles(50, 5);
    const w = await open();
    await showChart(w, candles);
    const chart = w.page.locator('#chart');
    assert.equal(await chart.getAttribute('role'), 'img');
    assert.match((await chart.getAttribute('aria-label')) ?? '', /Left and Right arrows step through the bars/);
    await chart.focus();
    const at = async (i: number, source = 'crosshair') => {
      await w.page.waitForFunction(
        ([t, s]) => document.getElementById('legend')?.dataset.time === t && document.getElementById('legend')?.dataset.source === s,
        [String(candles[i].time), source] as const,
      );
      const l = await legend(w.page);
      assert.deepEqual(
        l.values.slice(0, 4),
        [candles[i].open, candles[i].high, candles[i].low, candles[i].close].map((x) => x.toFixed(2)),
      );
    };
    await w.page.keyboard.press('ArrowLeft');
    await at(48);
    // stepped by the keys, the bar is said in words, once (the legend itself is no live region: a live bar rewrites it)
    assert.equal(await w.page.getAttribute('#legend', 'aria-live'), 'off');
    const spoken = await w.page.textContent('#bar-spoken');
    const c = candles[48];
    assert.match(
      spoken ?? '',
      new RegExp(
        `, open ${c.open.toFixed(2)}, high ${c.high.toFixed(2)}, low ${c.low.toFixed(2)}, close ${c.close.toFixed(2)}, volume [^,]+, (up|down) [0-9.]+ \\([0-9.]+%\\)$`,
      ),
    );
    assert.equal(await w.page.getAttribute('#bar-spoken', 'aria-live'), 'polite');
    await w.page.keyboard.press('ArrowLeft');
    await at(47);
    await w.page.keyboard.press('ArrowRight');
    await at(48);
    await w.page.keyboard.press('Home');
    await at(0);
    await w.page.keyboard.press('ArrowLeft');
    await at(0);
    await w.page.keyboard.press('End');
    await at(49);
    await w.page.keyboard.press('Escape');
    await at(49, 'last');
    assert.equal(await w.page.textContent('#bar-spoken'), '', 'back to the live bar: nothing more is said');
    assert.deepEqual(w.problems, []);
  });

  it('shows the bar under the crosshair in the legend, and the last bar again when the pointer leaves', async function () {
    const candles = makeCandles(50, 5);
    const w = await open();
    await showChart(w, candles);
    const box = await w.page.locator('#chart').boundingBox();
    assert.ok(box);
    await w.page.mouse.move(box.x + box.width * 0.35, box.y + box.height * 0.5);
    await w.page.waitForFunction(() => document.getElementById('legend')?.dataset.source === 'crosshair');
    const l = await legend(w.page);
    const bar = candles.find((c) => String(c.time) === l.time);
    assert.ok(bar, `the legend shows one of the bars (time ${l.time})`);
    assert.notEqual(bar, candles[candles.length - 1]);
    assert.deepEqual(
      l.values.slice(0, 4),
      [bar.open, bar.high, bar.low, bar.close].map((x) => x.toFixed(2)),
    );

    await w.page.mouse.move(box.x + box.width + 50, box.y + box.height + 50);
    await w.page.mouse.move(box.x - 5, box.y - 5);
    await w.page.waitForFunction(() => document.getElementById('legend')?.dataset.source === 'last');
    assert.equal((await legend(w.page)).time, String(candles[candles.length - 1].time));
  });

  it("keeps the person's zoom and scroll when the same series comes again (a reconnect); a new series is fitted", async function () {
    const candles = makeCandles(200, 11);
    const last = candles[candles.length - 1].time;
    const more = [...candles, { ...candles[candles.length - 1], time: last + BAR }];
    const visible = (w: Watched) =>
      w.page.$eval('#chart', (el) => ({ from: Number((el as HTMLElement).dataset.visibleFrom), to: Number((el as HTMLElement).dataset.visibleTo) }));
    // the wheel zooms about the pointer: in the middle, or at the newest bar (just left of the price scale)
    const zoomIn = async (w: Watched, at: 'middle' | 'newest' = 'middle') => {
      const box = await w.page.locator('#chart').boundingBox();
      assert.ok(box);
      await w.page.mouse.move(at === 'middle' ? box.x + box.width * 0.5 : box.x + box.width - 75, box.y + box.height * 0.4);
      for (let i = 0; i < 4; i++) await w.page.mouse.wheel(0, -300);
      await w.page.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleFrom) > t, candles[0].time);
      return box;
    };

    // scrolled back to older bars: the same stretch of time stays
    const w = await open();
    await showChart(w, candles);
    const box = await zoomIn(w);
    await w.page.mouse.down();
    await w.page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.4, { steps: 8 });
    await w.page.mouse.up();
    await w.page.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleTo) < t, last);
    const chosen = await visible(w);
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: more });
    await w.page.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), more.length);
    assert.deepEqual(await visible(w), chosen);

    // a new series (another bar size) is fitted: its first bar in view
    const quarter = makeCandles(80, 3).map((c, i) => ({ ...c, time: candles[0].time + i * 900 }));
    await post(w.page, { ...INIT, barSize: '15 mins' });
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '15 mins', candles: quarter });
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '80');
    await w.page.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleFrom) === t, quarter[0].time);
    assert.deepEqual(w.problems, []);

    // zoomed in at the newest bar: the view follows to the new newest bar, as wide as it was
    const v = await open();
    await showChart(v, candles);
    await zoomIn(v, 'newest');
    const atEnd = await visible(v);
    assert.equal(atEnd.to, last, 'zooming keeps the newest bar in view');
    await post(v.page, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: more });
    await v.page.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), more.length);
    assert.deepEqual(await visible(v), { from: atEnd.from + BAR, to: last + BAR });
    assert.deepEqual(v.problems, []);
  });

  it("a fitted chart keeps its first bar in view as live bars arrive (a 1-day chart keeps 9:30); once zoomed, the view is the person's", async function () {
    const candles = makeCandles(78, 5);
    const last = candles[candles.length - 1].time;
    const bar = (i: number) => ({ ...candles[candles.length - 1], time: last + i * BAR });
    const w = await open();
    await showChart(w, candles);
    await w.page.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleFrom) === t, candles[0].time);
    for (let i = 1; i <= 3; i++) await post(w.page, { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: bar(i) });
    await w.page.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleTo) === t, last + 3 * BAR);
    assert.equal(Number(await w.page.$eval('#chart', (el) => (el as HTMLElement).dataset.visibleFrom)), candles[0].time, 'the first bar still in view');
    // zoomed in: a new bar moves the view on as wide as it was, the first bar left behind
    const box = await w.page.locator('#chart').boundingBox();
    assert.ok(box);
    await w.page.mouse.move(box.x + box.width - 75, box.y + box.height * 0.4);
    for (let i = 0; i < 4; i++) await w.page.mouse.wheel(0, -300);
    await w.page.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleFrom) > t, candles[0].time);
    const from = Number(await w.page.$eval('#chart', (el) => (el as HTMLElement).dataset.visibleFrom));
    await post(w.page, { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: bar(4) });
    await w.page.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleTo) === t, last + 4 * BAR);
    assert.equal(Number(await w.page.$eval('#chart', (el) => (el as HTMLElement).dataset.visibleFrom)), from + BAR, 'the zoomed view moved on by one bar');
    assert.deepEqual(w.problems, []);
  });

  /** The months of 2026 after January (the year's own mark) the axis does not name, for a year of AAPL's simulated bars. */
  async function unnamedMonths(barSize: '1 hour' | '1 day', barSizeSeconds: number): Promise<string[]> {
    // the simulated market's year of AAPL's regular-hours bars, as the chart gets them
    const now = Date.parse('2026-12-04T18:28:05Z');
    const universe = createUniverse({ now });
    const aapl = universe.match({ conId: 265598 })[0];
    const bars = createMarket({ seed: 42, universe }).bars(aapl, {
      endTime: now / 1000,
      durationSeconds: 365 * 86_400,
      barSizeSeconds,
      whatToShow: 'TRADES',
      useRTH: true,
    });
    const candles = bars.map((b) => ({ time: b.time, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume }));
    const w = await open();
    await w.page.setViewportSize({ width: 1030, height: 700 });
    await post(w.page, { ...INIT, barSize, duration: '1 Y', timeZone: { zone: 'America/New_York', label: 'US/Eastern' } });
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize, candles });
    await w.page.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), candles.length);
    const months = ['02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => `2026-${m}`);
    await w.page
      .waitForFunction((want) => want.every((m) => (document.getElementById('chart')?.dataset.monthMarks ?? '').includes(m)), months, { timeout: 5000 })
      .catch(() => undefined);
    const shown = (await w.page.$eval('#chart', (el) => (el as HTMLElement).dataset.monthMarks ?? '')).split(',');
    assert.deepEqual(w.problems, []);
    return months.filter((m) => !shown.includes(m));
  }

  it('a year of hourly bars names every month on the axis (spaced for labels of 6 characters, not 8)', async function () {
    assert.deepEqual(await unnamedMonths('1 hour', 3600), []);
  });

  it('a year of daily bars names every month on the axis, December too', async function () {
    // with the library's spacing for 8 characters it named six of eleven; a day mark stood in December's place
    assert.deepEqual(await unnamedMonths('1 day', 86_400), []);
  });

  it('arrow keys on a select send one changeRange when they rest, not one a press (each would be a history request)', async function () {
    const w = await open();
    await showChart(w, makeCandles(30, 9));
    await w.page.focus('#bar-size');
    for (let i = 0; i < 4; i++) await w.page.keyboard.press('ArrowDown', { delay: 20 });
    const chosen = await w.page.$eval('#bar-size', (el) => (el as HTMLSelectElement).value);
    assert.notEqual(chosen, '5 mins', 'the keys moved the bar size');
    assert.deepEqual(await posted(w.page), [{ type: 'ready' }], 'nothing sent while the keys move');
    await w.page
      .waitForFunction(() => ((window as unknown as { __posted?: unknown[] }).__posted ?? []).length > 1, undefined, { timeout: 3000 })
      .catch(() => undefined);
    const sent = (await posted(w.page)).filter((m) => (m as { type: string }).type === 'changeRange');
    assert.equal(sent.length, 1, JSON.stringify(sent));
    assert.equal((sent[0] as { barSize: string }).barSize, chosen);
    // Enter sends at once
    await w.page.keyboard.press('ArrowUp');
    await w.page.keyboard.press('Enter');
    const now = (await posted(w.page)).filter((m) => (m as { type: string }).type === 'changeRange');
    assert.equal(now.length, 2);
    assert.deepEqual(w.problems, []);
  });

  it('posts changeRange from the selects, follows the host answer and drops late bars of the old range', async function () {
    const candles = makeCandles(30, 9);
    const w = await open();
    await showChart(w, candles);
    await w.page.selectOption('#bar-size', '15 mins');
    await w.page.selectOption('#duration', '1 W');
    assert.deepEqual(await posted(w.page), [
      { type: 'ready' },
      { type: 'changeRange', barSize: '15 mins', duration: '1 D', useRTH: true },
      { type: 'changeRange', barSize: '15 mins', duration: '1 W', useRTH: true },
    ]);
    assert.equal(await w.page.textContent('#status'), 'Loading\u2026');
    assert.equal(await w.page.isVisible('#progress'), true);
    assert.deepEqual(await savedState(w.page), { symbol: 'AAPL', barSize: '5 mins', duration: '1 D', useRTH: true }, 'saved only once the host takes it');

    // The host takes the range: init, a late bar of the old range, then the new bars.
    await post(w.page, { ...INIT, barSize: '15 mins', duration: '1 W' });
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: makeCandles(10, 1) });
    await post(w.page, {
      type: 'candle',
      symbol: 'AAPL',
      barSize: '5 mins',
      candle: { ...candles[candles.length - 1], time: candles[candles.length - 1].time + BAR },
    });
    const fresh = makeCandles(12, 2).map((c, i) => ({ ...c, time: candles[0].time + i * 900 }));
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '15 mins', candles: fresh });
    await post(w.page, { type: 'loading', loading: false });
    await w.page.waitForFunction(() => document.getElementById('progress')?.hidden === true);
    assert.equal(await barCount(w.page), fresh.length);
    assert.equal((await legend(w.page)).time, String(fresh[fresh.length - 1].time));
    assert.deepEqual(await savedState(w.page), { symbol: 'AAPL', barSize: '15 mins', duration: '1 W', useRTH: true });

    // The host refuses a range: it reports why and stops loading; the selects show the range in effect again.
    await w.page.selectOption('#bar-size', '1 min');
    await post(w.page, { type: 'status', text: 'The range was not changed: bar size too small', kind: 'error' });
    await post(w.page, { type: 'loading', loading: false });
    await w.page.waitForFunction(() => (document.getElementById('bar-size') as HTMLSelectElement).value === '15 mins');
    assert.equal(await w.page.inputValue('#duration'), '1 W');
    assert.equal(await w.page.getAttribute('#status', 'data-kind'), 'error');
    assert.deepEqual(await savedState(w.page), { symbol: 'AAPL', barSize: '15 mins', duration: '1 W', useRTH: true });

    // A host may also answer with the bars alone: they confirm the new range.
    await w.page.selectOption('#bar-size', '1 hour');
    const hourly = makeCandles(7, 3).map((c, i) => ({ ...c, time: candles[0].time + i * 3600 }));
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '1 hour', candles: hourly });
    await w.page.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), hourly.length);
    assert.deepEqual(await savedState(w.page), { symbol: 'AAPL', barSize: '1 hour', duration: '1 W', useRTH: true });

    await w.page.click('#reload');
    assert.deepEqual((await posted(w.page)).slice(-1), [{ type: 'reload' }]);
    assert.deepEqual(w.problems, []);
  });

  it('offers the bar size and duration pairs IB serves: 1 hour over 1 Y can be picked, 1 min over 1 M cannot', async function () {
    const w = await open();
    await post(w.page, { ...INIT, barSize: '1 day', duration: '1 Y', durations: ['1 D', '1 W', '1 M', '1 Y'] });
    await w.page.waitForFunction(() => (document.getElementById('duration') as HTMLSelectElement).value === '1 Y');
    const disabled = () => w.page.$$eval('#duration option', (os) => (os as HTMLOptionElement[]).filter((o) => o.disabled).map((o) => o.value));
    assert.deepEqual(await disabled(), [], 'every duration fits daily bars');
    // IB's step table lists 1 Y from daily bars only, but TWS serves hourly bars over it
    await w.page.selectOption('#bar-size', '1 hour');
    assert.equal(await w.page.inputValue('#duration'), '1 Y', 'a year of hourly bars stays picked');
    assert.deepEqual(await disabled(), []);
    await w.page.selectOption('#bar-size', '1 min');
    assert.equal(await w.page.inputValue('#duration'), '1 W', 'the duration moved to the longest that fits minute bars');
    assert.deepEqual(await disabled(), ['1 M', '1 Y']);
    assert.match((await w.page.getAttribute('#duration option[value="1 Y"]', 'title')) ?? '', /more than the 20,000/);
    const ranges = (await posted(w.page)).filter((m) => m.type === 'changeRange');
    assert.deepEqual(ranges, [
      { type: 'changeRange', barSize: '1 hour', duration: '1 Y', useRTH: true },
      { type: 'changeRange', barSize: '1 min', duration: '1 W', useRTH: true },
    ]);
    for (const r of ranges) assert.equal(checkBarRequest(r.barSize, r.duration), undefined, `${r.barSize} over ${r.duration} is valid`);
    assert.deepEqual(w.problems, []);
  });

  it('a bar size the range holds only a few of widens the range: 1 day bars over 1 day are a month of them, not one candle', async function () {
    const w = await open();
    await post(w.page, {
      ...INIT,
      barSize: '5 mins',
      duration: '1 D',
      barSizes: [...BAR_SIZES, '1 week'],
      durations: ['1800 S', '1 D', '1 W', '1 M', '6 M', '1 Y', '2 Y'],
    });
    await w.page.waitForFunction(() => (document.getElementById('duration') as HTMLSelectElement).value === '1 D');
    await w.page.selectOption('#bar-size', '1 day');
    assert.equal(await w.page.inputValue('#duration'), '1 M', 'the shortest range with 20 or more daily bars');
    await w.page.selectOption('#bar-size', '1 week');
    assert.equal(await w.page.inputValue('#duration'), '6 M');
    // a range that already holds enough stays as the person left it
    await w.page.selectOption('#bar-size', '1 hour');
    assert.equal(await w.page.inputValue('#duration'), '6 M');
    const ranges = (await posted(w.page)).filter((m) => m.type === 'changeRange');
    assert.deepEqual(ranges, [
      { type: 'changeRange', barSize: '1 day', duration: '1 M', useRTH: true },
      { type: 'changeRange', barSize: '1 week', duration: '6 M', useRTH: true },
      { type: 'changeRange', barSize: '1 hour', duration: '6 M', useRTH: true },
    ]);
    assert.deepEqual(w.problems, []);
  });

  it('shows times in the zone the host names (the exchange zone), with the zone written; UTC when none is named', async function () {
    const open930 = Date.parse('2026-11-17T14:30:00Z') / 1000; // 09:30 in New York
    const bars = makeCandles(3, 5).map((c, i) => ({ ...c, time: open930 + i * BAR }));
    const w = await open();
    await post(w.page, { ...INIT, timeZone: { zone: 'America/New_York', label: 'US/Eastern' } });
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: bars });
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '3');
    assert.equal(await w.page.textContent('.legend-time'), '2026-11-17 09:40 US/Eastern');
    assert.equal(await w.page.getAttribute('#chart', 'data-time-zone'), 'America/New_York');
    await post(w.page, INIT);
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.timeZone === 'UTC');
    await w.page.mouse.move(1, 1);
    await w.page.waitForFunction(() => document.querySelector('.legend-time')?.textContent === '2026-11-17 14:40 UTC');
    await post(w.page, { ...INIT, timeZone: { zone: 'Not/AZone', label: 'nowhere' } });
    await w.page.waitForTimeout(100);
    assert.equal(await w.page.getAttribute('#chart', 'data-time-zone'), 'UTC', 'an unknown zone is not taken');
    assert.deepEqual(w.problems, []);
  });

  it("puts the day labels of a market that trades around the clock at the zone's midnight, also across the autumn clock change", async function () {
    const HOUR = 3600;
    // EUR.USD hourly, Thursday 29 October to Wednesday 4 November 2026 (UTC): New York's clocks go back at 06:00Z on 1 November
    const from = Date.parse('2026-10-29T00:00:00Z') / 1000;
    const bars = makeCandles(24 * 7, 9).map((c, i) => ({ ...c, time: from + i * HOUR }));
    // a page of its own for each zone: lightweight-charts keeps the labels it formatted for a time
    const marks = async (zone: string, label: string): Promise<string[]> => {
      const w = await open();
      await post(w.page, { ...INIT, symbol: 'EUR.USD', barSize: '1 hour', duration: '1 W', timeZone: { zone, label } });
      await post(w.page, { type: 'candles', symbol: 'EUR.USD', barSize: '1 hour', candles: bars });
      await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === String(24 * 7));
      await w.page.waitForFunction(() => (document.getElementById('chart')?.dataset.dayMarks ?? '').split(',').length >= 4);
      assert.deepEqual(w.problems, []);
      return ((await w.page.getAttribute('#chart', 'data-day-marks')) ?? '').split(',');
    };
    const ny = await marks('America/New_York', 'US/Eastern');
    for (const m of ny) assert.match(m, / 00:00$/, `a day label at midnight in New York: ${ny.join(' ')}`);
    // 1 November is labelled with its month
    assert.ok(ny.includes('2026-10-31 00:00') && ny.includes('2026-11-02 00:00'), `the days around the change: ${ny.join(' ')}`);
    const utc = await marks('UTC', 'UTC');
    for (const m of utc) assert.match(m, / 00:00$/, `in UTC, at UTC midnight: ${utc.join(' ')}`);
    const tokyo = await marks('Asia/Tokyo', 'Japan');
    for (const m of tokyo) assert.match(m, / 00:00$/, `in Tokyo, at Tokyo's midnight: ${tokyo.join(' ')}`);
  });

  it('hides the SIMULATED badge when the host says the chart moved to another gateway, and shows it again', async function () {
    const w = await open();
    await post(w.page, INIT);
    await w.page.waitForFunction(() => document.getElementById('sim-badge')?.hidden === false);
    await post(w.page, { ...INIT, simulated: false });
    await w.page.waitForFunction(() => document.getElementById('sim-badge')?.hidden === true);
    assert.equal(await w.page.isVisible('#sim-badge'), false);
    await post(w.page, INIT);
    await w.page.waitForFunction(() => document.getElementById('sim-badge')?.hidden === false);
    assert.deepEqual(w.problems, []);
  });

  it('shows status and loading from the host', async function () {
    const w = await open();
    await post(w.page, { type: 'status', text: 'Live \u00b7 streaming', kind: 'live' });
    await w.page.waitForFunction(() => document.getElementById('status')?.dataset.kind === 'live');
    await post(w.page, { type: 'loading', loading: true });
    await w.page.waitForFunction(() => !document.getElementById('progress')?.hidden);
    assert.equal(await w.page.textContent('#status'), 'Loading\u2026');
    await post(w.page, { type: 'status', text: 'Historical data farm is not connected', kind: 'error' });
    await post(w.page, { type: 'loading', loading: false });
    await w.page.waitForFunction(() => document.getElementById('progress')?.hidden === true);
    assert.equal(await w.page.textContent('#status'), 'Historical data farm is not connected');
    assert.equal(await w.page.getAttribute('#status', 'data-kind'), 'error');
  });

  it("tells a screen reader what the chart is, not each new bar's count", async function () {
    const w = await open();
    await w.page.evaluate(() => {
      const heard: string[] = [];
      (window as unknown as { heard: string[] }).heard = heard;
      const live = document.getElementById('status-spoken');
      new MutationObserver(() => heard.push(live?.textContent ?? '')).observe(live!, { childList: true, characterData: true, subtree: true });
    });
    // two polite regions: the status's words, and the bar the keys step to (empty until they do); not the shown status
    assert.deepEqual(await w.page.$$eval('[aria-live="polite"]', (els) => els.map((e) => [e.id, e.textContent])), [
      ['status-spoken', 'Waiting for data\u2026'],
      ['bar-spoken', ''],
    ]);
    assert.equal(await w.page.getAttribute('#status', 'aria-live'), null);
    const closed = 'Market closed \u00b7 opens Mon 30 Nov 09:30 US/Eastern \u00b7 122 bars';
    for (const text of ['Live \u00b7 120 bars', 'Live \u00b7 121 bars', 'Live \u00b7 122 bars', closed, 'IB link lost \u00b7 1,122 bars kept'])
      await post(w.page, { type: 'status', text, kind: 'live' });
    await w.page.waitForFunction(() => document.getElementById('status')?.textContent?.endsWith('kept'));
    assert.deepEqual(await w.page.evaluate(() => (window as unknown as { heard: string[] }).heard), [
      'Live',
      'Market closed \u00b7 opens Mon 30 Nov 09:30 US/Eastern',
      'IB link lost',
    ]);
    assert.deepEqual(w.problems, []);
  });

  it('holds the loading bar still when reduced motion is asked for (the OS setting, or VS Code’s)', async function () {
    const w = await open();
    await post(w.page, { type: 'loading', loading: true });
    await w.page.waitForFunction(() => !document.getElementById('progress')?.hidden);
    const animation = () => w.page.evaluate(() => getComputedStyle(document.querySelector('.progress-bit')!).animationName);
    assert.equal(await animation(), 'progress-slide');
    await w.page.evaluate(() => document.body.classList.add('vscode-reduce-motion'));
    assert.equal(await animation(), 'none');
    await w.page.evaluate(() => document.body.classList.remove('vscode-reduce-motion'));
    await w.page.emulateMedia({ reducedMotion: 'reduce' });
    assert.equal(await animation(), 'none');
    await w.page.emulateMedia({ reducedMotion: 'no-preference' });
    assert.deepEqual(w.problems, []);
  });

  it('ignores malformed and unknown messages without page errors', async function () {
    const candles = makeCandles(20, 13);
    const w = await open();
    await showChart(w, candles);
    const before = await legend(w.page);
    const last = candles[candles.length - 1];
    const junk: unknown[] = [
      null,
      42,
      'candles',
      [],
      {},
      { type: 'nope' },
      { type: 'candles' },
      { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: 'not a list' },
      { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: [{ time: 'x' }, { time: 1, open: NaN, high: 1, low: 1, close: 1, volume: 1 }] },
      { type: 'candle', symbol: 'AAPL', barSize: '5 mins' },
      { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: { ...last, time: last.time + BAR, high: 1, low: 2 } },
      { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: { ...last, time: last.time + 0.5 } },
      { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: { ...last, time: last.time + BAR, close: Infinity } },
      { type: 'candle', symbol: 'MSFT', barSize: '5 mins', candle: { ...last, time: last.time + BAR } },
      { type: 'init', symbol: 'X', title: 'X', barSize: '1 min', duration: '1 D', barSizes: 'all', durations: [], simulated: false },
      { type: 'init', symbol: 'X', title: 'X', barSize: '1 min', duration: '1 D', barSizes: [], durations: [], simulated: 'yes' },
      { type: 'status', text: 'x', kind: 'shouting' },
      { type: 'loading', loading: 'yes' },
      { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: [null, undefined, { time: -5, open: 1, high: 1, low: 1, close: 1, volume: 1 }] },
    ];
    for (const m of junk) await post(w.page, m);
    await post(w.page, { type: 'status', text: 'after the junk', kind: 'info' });
    await w.page.waitForFunction(() => document.getElementById('status')?.textContent === 'after the junk');
    assert.equal(await barCount(w.page), candles.length);
    assert.deepEqual(await legend(w.page), before);
    assert.equal(await w.page.textContent('#chart-title'), 'AAPL (NASDAQ, USD)');
    assert.equal(await w.page.isVisible('#progress'), false);
    assert.deepEqual(await posted(w.page), [{ type: 'ready' }]);
    assert.deepEqual(w.problems, []);

    // A list with some bad entries keeps the good ones.
    const mixed = [...makeCandles(8, 4), { time: 'bad' }, { time: 99, open: 1, high: 0, low: 2, close: 1, volume: 1 }];
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: mixed });
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '8');
    assert.deepEqual(w.problems, []);
  });

  it('recolours when VS Code switches to a light theme', async function () {
    const w = await open();
    await showChart(w, makeCandles(60, 11));
    const darkCounts = await waitForColours(w.page, [DARK['--vscode-charts-green'], DARK['--vscode-charts-red']], 200);
    assert.ok(
      darkCounts.every((c) => c >= 200),
      `dark colours drawn: ${darkCounts}`,
    );

    await w.page.evaluate((vars) => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.replace('vscode-dark', 'vscode-light');
    }, LIGHT);
    const colours = [LIGHT['--vscode-charts-green'], LIGHT['--vscode-charts-red'], DARK['--vscode-charts-green'], DARK['--vscode-charts-red']];
    const until = Date.now() + 15_000;
    let counts = await countColours(w.page, colours);
    while (!(counts[0] >= 200 && counts[1] >= 200 && counts[2] === 0 && counts[3] === 0) && Date.now() < until) {
      await w.page.waitForTimeout(100);
      counts = await countColours(w.page, colours);
    }
    assert.ok(counts[0] >= 200 && counts[1] >= 200, `light up/down pixels: ${counts}`);
    assert.equal(counts[2] + counts[3], 0, `no dark-theme candle colours left: ${counts}`);
    const [background] = await countColours(w.page, [LIGHT['--vscode-editor-background']]);
    assert.ok(background > 100_000, `light background pixels: ${background}`);
    assert.deepEqual(w.problems, []);
  });

  it('in a high-contrast theme the volume bars are near full strength (dim half-tones on black were hard to see)', async function () {
    const w = await open();
    // every bar up, with volume: the volume pane is one colour
    const up = makeCandles(40, 5).map((c) => ({ ...c, open: Math.min(c.open, c.close), close: Math.max(c.open, c.close) + 0.01, volume: 1000 }));
    await showChart(w, up);
    const HC = { ...DARK, '--vscode-editor-background': '#000000', '--vscode-charts-green': '#89d185', '--vscode-charts-red': '#f48771' };
    await w.page.evaluate((vars) => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.replace('vscode-dark', 'vscode-high-contrast');
    }, HC);
    // green at 85% over black, and at the 40% of the other themes
    const blend = (alpha: number) =>
      '#' +
      [0x89, 0xd1, 0x85]
        .map((c) => Math.round(c * alpha))
        .map((c) => c.toString(16).padStart(2, '0'))
        .join('');
    const [strong] = await waitForColours(w.page, [blend(0.85)], 2000);
    const [dim] = await countColours(w.page, [blend(0.4)]);
    assert.ok(strong >= 2000 && dim < strong / 10, `volume pixels at 85%: ${strong}, at 40%: ${dim}`);
    // the attribution link sits over the volume pane: on the chart's own background, the bars never cut its letters
    assert.equal(await w.page.evaluate(() => getComputedStyle(document.querySelector('.attribution')!).backgroundColor), 'rgb(0, 0, 0)');
    await w.page.screenshot({ path: 'test-results/chart-high-contrast-attribution.png' });
    assert.deepEqual(w.problems, []);
  });

  it('follows the panel size, shows enough decimals for forex and says when a range has no bars', async function () {
    const w = await open();
    const fx = makeCandles(25, 17).map((c) => ({ ...c, open: c.open / 160, high: c.high / 160, low: c.low / 160, close: c.close / 160, volume: 0 }));
    await post(w.page, { ...INIT, symbol: 'EUR.USD', title: 'EUR.USD (IDEALPRO)', simulated: false });
    await post(w.page, { type: 'candles', symbol: 'EUR.USD', barSize: '5 mins', candles: fx });
    await w.page.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), fx.length);
    assert.equal(await w.page.isVisible('#sim-badge'), false, 'no SIMULATED badge for a real gateway');
    const last = fx[fx.length - 1];
    const shown = (await legend(w.page)).values[3];
    assert.ok(shown.length - shown.indexOf('.') - 1 >= 5, `at least 5 decimals: ${shown}`);
    assert.ok(Math.abs(Number(shown) - last.close) < 1e-8 * last.close + 5e-9, `${shown} is ${last.close}`);
    // forex midpoints carry no volume (IB sends -1): no volume pane and no Vol field, not "Vol 0" or "Vol none"
    assert.equal(await w.page.evaluate(() => document.getElementById('chart')?.dataset.volumePane), 'none');
    // the library lays the chart out as table rows: each pane (its drawing and its price scale), then the time axis
    const paneHeights = () =>
      w.page.evaluate(() =>
        Array.from(document.querySelectorAll('#chart table tr'))
          .filter((tr) => tr.children.length === 3)
          .map((tr) => Math.round(tr.getBoundingClientRect().height))
          .slice(0, -1),
      );
    assert.equal((await paneHeights()).length, 1, 'the candles alone, the whole height');
    assert.equal(await w.page.isVisible('#legend .legend-field:nth-child(5)'), false, 'no Vol field in the legend');
    assert.doesNotMatch(await w.page.evaluate(() => document.getElementById('legend')?.innerText ?? ''), /Vol/);
    // a bar with volume: the pane and the field come back
    await post(w.page, { type: 'candle', symbol: 'EUR.USD', barSize: '5 mins', candle: { ...last, volume: 1200 } });
    await w.page.waitForFunction(() => document.querySelectorAll('#legend .legend-value')[4]?.textContent === '1200');
    assert.equal(await w.page.evaluate(() => document.getElementById('chart')?.dataset.volumePane), 'shown');
    assert.equal(await w.page.isVisible('#legend .legend-field:nth-child(5)'), true);
    // the volume in a pane of its own under the candles, a quarter of the height: the price scale's labels stay by
    // the candles (on one pane, they ran down through the volume bars)
    const [candlePane, volumePane] = await paneHeights();
    assert.ok(volumePane > 0 && Math.abs(volumePane / (candlePane + volumePane) - 0.25) < 0.02, `pane heights ${candlePane} and ${volumePane}`);

    const width = () => w.page.evaluate(() => Math.max(...Array.from(document.querySelectorAll('#chart canvas')).map((c) => c.getBoundingClientRect().width)));
    const wide = await width();
    await w.page.setViewportSize({ width: 640, height: 420 });
    await w.page.waitForFunction(
      (before) => Math.max(...Array.from(document.querySelectorAll('#chart canvas')).map((c) => c.getBoundingClientRect().width)) < before - 200,
      wide,
    );
    assert.ok((await width()) <= 640);

    assert.equal(await w.page.isVisible('#empty'), false);
    await post(w.page, { type: 'candles', symbol: 'EUR.USD', barSize: '5 mins', candles: [] });
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '0');
    assert.equal(await w.page.isVisible('#empty'), true);
    assert.deepEqual((await legend(w.page)).values, ['\u2013', '\u2013', '\u2013', '\u2013', '\u2013']);
    assert.deepEqual(w.problems, []);
  });

  it('a problem before any bar is said in full over the empty chart (the one-line status is cut to its width), and goes when bars come', async () => {
    const w = await open();
    await w.page.setViewportSize({ width: 520, height: 400 });
    await post(w.page, INIT);
    const text = 'This account has no market data permissions for the historical data of this symbol. Subscribe in Client Portal.';
    await post(w.page, { type: 'status', text, kind: 'error' });
    assert.equal(await w.page.isVisible('#empty'), true);
    assert.equal(await w.page.textContent('#empty'), text);
    const cut = await w.page.$eval('#status', (el) => el.scrollWidth > el.clientWidth);
    assert.ok(cut, 'the toolbar shows only the start of it');
    const box = (await w.page.locator('#empty').boundingBox())!;
    const inner = await w.page.$eval('#empty', (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const b = r.getBoundingClientRect();
      return { left: b.left, right: b.right };
    });
    assert.ok(inner.left >= box.x && inner.right <= box.x + box.width, 'the whole text inside the chart');
    // and drawn on top: what is at the text's middle is the text, not a canvas of the chart painted over it
    const onTop = await w.page.$eval('#empty', (el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const b = r.getBoundingClientRect();
      // (it lets the pointer through to the chart: hit-tested as if it did not, for this look only)
      (el as HTMLElement).style.pointerEvents = 'auto';
      const at = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
      (el as HTMLElement).style.pointerEvents = '';
      return at === el || el.contains(at);
    });
    assert.ok(onTop, 'the message is over the chart, not behind it');
    // the status calms down before bars come: the chart is only waiting again
    await post(w.page, { type: 'status', text: 'Loading…', kind: 'info' });
    assert.equal(await w.page.isVisible('#empty'), false);
    await post(w.page, { type: 'status', text, kind: 'error' });
    await post(w.page, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: makeCandles(20, 4) });
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '20');
    assert.equal(await w.page.isVisible('#empty'), false, 'bars shown: the problem is in the status alone');
    await post(w.page, { type: 'status', text, kind: 'error' });
    assert.equal(await w.page.isVisible('#empty'), false);
    assert.deepEqual(w.problems, []);
  });

  it('dragging back stops at the first bar: no empty stretch before it, and its time label is drawn whole', async function () {
    // with an empty stretch the leftmost label sat half off the axis ("c 5" for "Dec 5"); at the first bar the library keeps it inside
    const w = await open();
    await showChart(w, makeCandles(200, 7));
    const from = () => w.page.evaluate(() => Number(document.getElementById('chart')?.dataset.logicalFrom));
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.logicalFrom !== undefined);
    const box = await w.page.locator('#chart').boundingBox();
    assert.ok(box);
    for (let i = 0; i < 3; i++) {
      await w.page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.4);
      await w.page.mouse.down();
      await w.page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.4, { steps: 8 });
      await w.page.mouse.up();
    }
    await w.page.waitForTimeout(300); // the library redraws on its next frames
    const first = await from();
    assert.ok(first >= -0.5, `the view starts at the first bar or after it (logical from ${first})`);
    assert.deepEqual(w.problems, []);
  });

  it('a wider editor stretches the bars over it: no empty stretch before the first bar', async function () {
    const w = await open();
    await w.page.setViewportSize({ width: 700, height: 400 });
    await showChart(w, makeCandles(60, 5));
    const from = () => w.page.evaluate(() => Number(document.getElementById('chart')?.dataset.logicalFrom));
    await w.page.waitForFunction(() => document.getElementById('chart')?.dataset.logicalFrom !== undefined);
    const before = await from();
    await w.page.setViewportSize({ width: 1400, height: 400 });
    await w.page.waitForFunction(() => document.querySelector('#chart canvas')!.getBoundingClientRect().width > 1000);
    await w.page.waitForTimeout(300); // the library redraws on its next frames
    const after = await from();
    assert.ok(after >= before - 1, `the first bar stays at the left (logical from ${before} -> ${after})`);
  });

  it("in a narrow editor the status line gives way first, on the title's line: the title keeps the symbol whole", async function () {
    const w = await open();
    await w.page.setViewportSize({ width: 900, height: 400 });
    await post(w.page, INIT);
    await post(w.page, { type: 'status', text: 'Market closed · opens Mon 30 Nov 09:30 US/Eastern · showing the session of Fri 27 Nov', kind: 'info' });
    await w.page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('Market closed'));
    const cut = await w.page.evaluate(() => {
      const el = (id: string) => document.getElementById(id)!;
      return { title: el('chart-title').scrollWidth > el('chart-title').clientWidth, status: el('status').scrollWidth > el('status').clientWidth };
    });
    const widths = await w.page.evaluate(() =>
      Array.from(document.querySelector('.toolbar')!.children).map((c) => `${c.className || c.id}:${Math.round(c.getBoundingClientRect().width)}`),
    );
    if (process.env.SHOT_DIR) await w.page.screenshot({ path: `${process.env.SHOT_DIR}/narrow-800.png` });
    assert.deepEqual(cut, { title: false, status: true }, `the status is cut, the title is not (${widths.join(' ')})`);
    // the status stays on the title's line (the toolbar does not grow with its text)
    const [titleTop, statusTop] = await w.page.evaluate(() => ['chart-title', 'status'].map((id) => document.getElementById(id)!.getBoundingClientRect().top));
    assert.equal(statusTop, titleTop);
  });

  it('in a very narrow editor the toolbar goes on to a second line: the symbol, every control and the status stay in view', async function () {
    const w = await open();
    await w.page.setViewportSize({ width: 460, height: 400 });
    await post(w.page, { ...INIT, symbol: 'EUR.USD', title: 'EUR.USD' });
    await post(w.page, { type: 'status', text: 'Live · 78 bars', kind: 'live' });
    await w.page.waitForFunction(() => document.getElementById('status')?.textContent === 'Live · 78 bars');
    const seen = await w.page.evaluate(() => {
      const bar = document.querySelector('.toolbar')!.getBoundingClientRect();
      const el = (id: string) => document.getElementById(id)!;
      const inView = (e: Element) => {
        const r = e.getBoundingClientRect();
        return r.width === 0 || (r.left >= bar.left - 0.5 && r.right <= bar.right + 0.5);
      };
      return {
        titleCut: el('chart-title').scrollWidth > el('chart-title').clientWidth,
        statusCut: el('status').scrollWidth > el('status').clientWidth,
        outside: Array.from(document.querySelector('.toolbar')!.children)
          .filter((c) => !inView(c))
          .map((c) => c.id || c.className),
        lines: new Set(Array.from(document.querySelector('.toolbar')!.children).map((c) => Math.round(c.getBoundingClientRect().top))).size,
      };
    });
    assert.deepEqual({ titleCut: seen.titleCut, statusCut: seen.statusCut, outside: seen.outside }, { titleCut: false, statusCut: false, outside: [] });
    if (process.env.SHOT_DIR) await w.page.screenshot({ path: `${process.env.SHOT_DIR}/narrow-460.png` });
    assert.ok(seen.lines >= 2, `on more than one line: ${seen.lines}`);
    assert.deepEqual(w.problems, []);
  });

  it('restores the saved state title before the host answers', async function () {
    const w = await open(DARK, { symbol: 'MSFT', barSize: '1 hour', duration: '1 M' });
    assert.equal(await w.page.textContent('#chart-title'), 'MSFT');
    assert.deepEqual(w.problems, []);
  });

  it('looks like a VS Code panel (screenshot)', async function () {
    const w = await open();
    const candles = makeCandles(80, 21);
    await showChart(w, candles);
    await post(w.page, { type: 'status', text: 'Live \u00b7 updated 14:35:05', kind: 'live' });
    const box = await w.page.locator('#chart').boundingBox();
    assert.ok(box);
    await w.page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.4);
    await w.page.waitForFunction(() => document.getElementById('legend')?.dataset.source === 'crosshair');
    await waitForColours(w.page, [DARK['--vscode-charts-green'], DARK['--vscode-charts-red']], 200);
    const png = await w.page.screenshot({ type: 'png' });
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    if (process.env.UPDATE_SCREENSHOTS) {
      await mkdir(join(ROOT, 'docs/screenshots'), { recursive: true });
      await writeFile(join(ROOT, 'docs/screenshots/chart-webview.png'), png);
    }
    assert.deepEqual(w.problems, []);
  });
});
