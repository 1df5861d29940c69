/**
 * The chart's view from the keyboard and across a window reload, in a real Chromium: the page as the host serves it
 * (renderChartHtml with its CSP) and the bundled dist/webview/chart.js (build it first: node esbuild.mjs).
 * Stepping to a bar off the screen scrolls to it; + and - zoom, 0 shows every bar; the bars the person zoomed or
 * scrolled to are saved with the webview's state and shown again by the page a reload makes.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { makeNonce, renderChartHtml } from '../../media/chart/html';
import type { ChartState, HostMessage } from '../../media/chart/protocol';
import type { Candle } from '../../src/ib/types';
import { webviewPages } from './support/webview-pages';

const NONCE = makeNonce();
const T0 = 1_764_000_000;
const BARS: Candle[] = Array.from({ length: 300 }, (_, i) => {
  const open = 100 + Math.sin(i / 9) * 4;
  const close = open + (i % 3 ? 0.3 : -0.3);
  return { time: T0 + i * 300, open, close, high: Math.max(open, close) + 0.2, low: Math.min(open, close) - 0.2, volume: 100 + i };
});
const INIT: HostMessage = {
  type: 'init',
  symbol: 'AAPL',
  title: 'AAPL (NASDAQ, USD)',
  barSize: '5 mins',
  duration: '1 W',
  barSizes: ['5 mins', '1 hour'],
  durations: ['1 W', '1 M'],
  simulated: true,
};

describe('chart webview: the view from the keyboard and across a reload, in Chromium', function () {
  this.timeout(90_000);
  const pages = webviewPages('dist/webview/chart.js', 'media/chart/chart.css', (uris) => renderChartHtml({ ...uris, nonce: NONCE, title: 'AAPL' }));

  /** A page whose getState answers `saved` (as VS Code's after a reload) and which keeps what setState saves. */
  const open = (saved?: ChartState): Promise<Page> =>
    pages.open((p) =>
      p.addInitScript((s) => {
        const w = window as unknown as Record<string, unknown>;
        let state: unknown = s ?? undefined;
        w.__state = () => state;
        w.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => state, setState: (v: unknown) => (state = JSON.parse(JSON.stringify(v))) });
      }, saved ?? null),
    );
  const post = (p: Page, msg: unknown) => p.evaluate((m) => window.postMessage(m, '*'), msg);
  const show = async (p: Page, candles = BARS) => {
    await post(p, INIT);
    await post(p, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles });
    await p.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), candles.length);
  };
  const data = (p: Page, name: string) => p.evaluate((n) => document.getElementById('chart')?.dataset[n], name);
  /** The first and last bar instants in view. */
  const inView = async (p: Page) => {
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return { from: Number(await data(p, 'visibleFrom')), to: Number(await data(p, 'visibleTo')) };
  };
  const legendTime = (p: Page) => p.evaluate(() => Number(document.getElementById('legend')?.dataset.time));
  const press = async (p: Page, key: string, times = 1) => {
    for (let i = 0; i < times; i++) await p.keyboard.press(key);
  };
  const barsInView = async (p: Page) => {
    const v = await inView(p);
    return BARS.filter((b) => b.time >= v.from && b.time <= v.to).length;
  };

  it('+ zooms in about the bar stepped to, - zooms out, 0 shows every bar again', async () => {
    const p = await open();
    await show(p);
    assert.equal(await barsInView(p), 300, 'every bar at first');
    await p.locator('#chart').focus();
    await press(p, '+', 6);
    const zoomedIn = await barsInView(p);
    assert.ok(zoomedIn < 100 && zoomedIn > 40, `0.8^6 of the bars: ${zoomedIn}`);
    assert.equal((await inView(p)).to, BARS[299].time, 'zoomed about the newest bar: it stays in view');
    await press(p, '-', 2);
    const zoomedOut = await barsInView(p);
    assert.ok(zoomedOut > zoomedIn * 1.4, `zoomed out: ${zoomedIn} -> ${zoomedOut}`);
    await press(p, '+', 40);
    assert.ok((await barsInView(p)) >= 5, 'never fewer than 5 bars');
    await press(p, '0');
    assert.equal(await barsInView(p), 300, 'every bar again');
    // kept so: a live bar keeps every bar in view, as when first shown
    const next = { ...BARS[299], time: BARS[299].time + 300 };
    await post(p, { type: 'candle', symbol: 'AAPL', barSize: '5 mins', candle: next });
    await p.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '301');
    assert.equal((await inView(p)).from, BARS[0].time);
  });

  it('stepping with Left/Home to a bar off the screen scrolls to it; End scrolls back to the newest', async () => {
    const p = await open();
    await show(p);
    await p.locator('#chart').focus();
    await press(p, '+', 8); // about 50 bars, the newest at the right
    const zoomed = await inView(p);
    assert.ok(zoomed.from > BARS[200].time, `zoomed in at the newest bars: ${JSON.stringify(zoomed)}`);
    const width = await barsInView(p);
    // Left past the first bar in view: the view follows, one bar at a time, its width kept
    await press(p, 'ArrowLeft', width + 10);
    const stepped = await legendTime(p);
    const v = await inView(p);
    assert.ok(stepped >= v.from && stepped <= v.to, `the stepped-to bar ${stepped} is in view ${JSON.stringify(v)}`);
    assert.ok(Math.abs((await barsInView(p)) - width) <= 1, 'the zoom is kept while it scrolls');
    await press(p, 'Home');
    assert.equal(await legendTime(p), BARS[0].time);
    assert.equal((await inView(p)).from, BARS[0].time, 'the first bar in view');
    await press(p, 'End');
    assert.equal(await legendTime(p), BARS[299].time);
    assert.equal((await inView(p)).to, BARS[299].time, 'the newest bar in view again');
  });

  it('Escape goes back to the newest bar and the view follows; + with no bar stepped to zooms where the person is', async () => {
    const p = await open();
    await show(p);
    await p.locator('#chart').focus();
    await press(p, '+', 8);
    await press(p, 'Home');
    assert.equal((await inView(p)).from, BARS[0].time);
    await press(p, 'Escape');
    assert.equal((await inView(p)).to, BARS[299].time, 'the newest bar in view again');
    // another chart, zoomed with the wheel and dragged back in time by the pointer, which then leaves it: no bar is
    // stepped to, the newest bar is off the screen
    const q = await open();
    await show(q);
    const box = await q.locator('#chart').boundingBox();
    assert.ok(box);
    await q.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.4);
    for (let i = 0; i < 6; i++) await q.mouse.wheel(0, -300);
    await q.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.4);
    await q.mouse.down();
    await q.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.4, { steps: 8 });
    await q.mouse.up();
    await q.mouse.move(box.x + box.width + 40, box.y + box.height + 40);
    await q.waitForFunction(() => document.getElementById('legend')?.dataset.source === 'last');
    await q.locator('#chart').focus();
    const before = await inView(q);
    assert.ok(before.to < BARS[290].time, `dragged back: ${JSON.stringify(before)}`);
    await press(q, '+');
    const after = await inView(q);
    assert.ok(after.from > before.from && after.to < before.to, `zoomed in where the view was: ${JSON.stringify({ before, after })}`);
  });

  it('a reload shows the bars the person had zoomed to; a view at the newest bar follows the newest bar', async () => {
    const p = await open();
    await show(p);
    await p.locator('#chart').focus();
    await press(p, '+', 5);
    await press(p, 'Home'); // scrolled back to the first bars
    const before = await inView(p);
    await p.waitForFunction(() => (window as unknown as { __state: () => ChartState }).__state()?.view !== undefined);
    const saved = await p.evaluate(() => (window as unknown as { __state: () => ChartState }).__state());
    assert.equal(saved.symbol, 'AAPL');
    assert.deepEqual(Object.keys(saved.view ?? {}).sort(), ['bars', 'firstTime']);

    // the window reloads: a new page with the saved state, the same bars come again
    const q = await open(saved);
    await show(q);
    assert.deepEqual(await inView(q), before, 'the same bars in view after the reload');

    // zoomed at the newest bar: after a reload with a bar more, the view ends at the newest bar
    const r = await open();
    await show(r);
    await r.locator('#chart').focus();
    await press(r, '+', 5);
    const atEnd = await barsInView(r);
    // the state saved once the last zoom is in it (saves are 300 ms apart: under load, an earlier zoom's may be saved first)
    await r.waitForFunction((last) => {
      const view = (window as unknown as { __state: () => ChartState }).__state()?.view;
      const from = Number(document.getElementById('chart')?.dataset.logicalFrom);
      return view !== undefined && 'pastLast' in view && Math.abs(last + view.pastLast - view.bars - from) < 0.1;
    }, BARS.length - 1);
    const s = await r.evaluate(() => (window as unknown as { __state: () => ChartState }).__state());
    const more = [...BARS, { ...BARS[299], time: BARS[299].time + 300 }];
    const t = await open(s);
    await show(t, more);
    assert.equal((await inView(t)).to, more[300].time, 'the newest bar in view');
    const fromT = Number(await data(t, 'visibleFrom'));
    const width = more.filter((b) => b.time >= fromT).length;
    assert.ok(Math.abs(width - atEnd) <= 1, `as many bars as before (${atEnd} -> ${width})`);
  });

  it('a reload of a chart showing every bar shows every bar; another range after a reload is not given the old view', async () => {
    const p = await open();
    await show(p);
    await p.waitForTimeout(400);
    const saved = await p.evaluate(() => (window as unknown as { __state: () => ChartState }).__state());
    assert.equal(saved.view, undefined, 'nothing chosen: no view saved');

    const zoomedState: ChartState = { symbol: 'AAPL', barSize: '5 mins', duration: '1 W', view: { firstTime: BARS[10].time, bars: 20 } };
    const q = await open(zoomedState);
    // the host answers with another range (the person changed it before the reload took effect)
    await post(q, { ...INIT, barSize: '1 hour' });
    await post(q, { type: 'candles', symbol: 'AAPL', barSize: '1 hour', candles: BARS.slice(0, 100) });
    await q.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '100');
    const v = await inView(q);
    assert.equal(v.from, BARS[0].time, 'fitted, not the 5-minute view');
    assert.equal(v.to, BARS[99].time);

    // not connected after the reload: an empty answer first, the bars later; the view waits for them
    const saved2 = await p.evaluate(() => (window as unknown as { __state: () => ChartState }).__state());
    const z = await open({ ...saved2, view: { firstTime: BARS[40].time, bars: 30 } });
    await post(z, INIT);
    await post(z, { type: 'candles', symbol: 'AAPL', barSize: '5 mins', candles: [] });
    await show(z);
    const back = await inView(z);
    assert.equal(back.from, BARS[40].time, `the saved view once the bars came: ${JSON.stringify(back)}`);

    // a malformed saved view is ignored
    const bad = await open({ symbol: 'AAPL', barSize: '5 mins', duration: '1 W', view: { firstTime: 'x', bars: -1 } as never });
    await show(bad);
    assert.equal((await inView(bad)).from, BARS[0].time);
  });
});
