/**
 * The chart's prices with the watchlist row's decimals, in a real Chromium: the page as the host serves it
 * (renderChartHtml with its CSP) and the bundled dist/webview/chart.js. The host sends the instrument's price
 * increment (IB's minTick) with init; the legend, and the price axis and crosshair (the series' price format,
 * published on the page as data-price-precision), show its decimals, more only for a price off its grid.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import type { Page } from 'playwright-core';
import { makeNonce, renderChartHtml } from '../../media/chart/html';
import type { HostMessage } from '../../media/chart/protocol';
import type { Candle } from '../../src/ib/types';
import { webviewPages } from './support/webview-pages';

const NONCE = makeNonce();
const T0 = 1_764_000_000;

const init = (symbol: string, minTick?: unknown): HostMessage =>
  ({
    type: 'init',
    symbol,
    title: symbol,
    barSize: '1 hour',
    duration: '1 W',
    barSizes: ['1 hour', '1 day'],
    durations: ['1 W', '1 M'],
    simulated: true,
    ...(minTick !== undefined ? { minTick } : {}),
  }) as HostMessage;

const bar = (i: number, open: number, high: number, low: number, close: number, volume = 0): Candle => ({
  time: T0 + i * 3600,
  open,
  high,
  low,
  close,
  volume,
});

describe("chart webview: the row's decimals (IB's minTick), in Chromium", function () {
  this.timeout(90_000);
  const pages = webviewPages('dist/webview/chart.js', 'media/chart/chart.css', (uris) => renderChartHtml({ ...uris, nonce: NONCE, title: 'chart' }));

  const open = (): Promise<Page> =>
    pages.open((p) =>
      p.addInitScript(() => {
        const w = window as unknown as Record<string, unknown>;
        w.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective}`));
      }),
    );

  const post = (p: Page, msg: unknown) => p.evaluate((m) => window.postMessage(m, '*'), msg);
  /** The legend's O, H, L, C (and Vol where shown) and its change, once a frame has drawn them. */
  async function legend(p: Page): Promise<{ values: string[]; change: string }> {
    await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    return p.evaluate(() => ({
      values: Array.from(document.querySelectorAll('#legend .legend-value'))
        .slice(0, 4)
        .map((e) => e.textContent ?? ''),
      change: document.querySelector('#legend .legend-change')?.textContent ?? '',
    }));
  }
  const axisPrecision = (p: Page) => p.evaluate(() => document.getElementById('chart')?.dataset.pricePrecision);

  /** What the crosshair's price label reads (the series' own formatter, published by the page) at 28 heights down the candles' pane. */
  async function crosshairPrices(p: Page): Promise<string[]> {
    const box = await p.locator('#chart').boundingBox();
    if (!box) throw new Error('no chart on the page');
    const read: string[] = [];
    for (let i = 1; i < 29; i++) {
      await p.mouse.move(box.x + box.width / 3, box.y + (box.height * 0.7 * i) / 29);
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(undefined))));
      read.push(await p.evaluate(() => document.getElementById('chart')?.dataset.crosshairPrice ?? ''));
    }
    return read.filter(Boolean);
  }

  async function show(p: Page, symbol: string, minTick: unknown, candles: Candle[]): Promise<void> {
    await post(p, init(symbol, minTick));
    await post(p, { type: 'candles', symbol, barSize: '1 hour', candles });
    await p.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), candles.length);
  }

  it('GC (minTick 0.1): 2400.2, not 2400.20; the price format has one decimal', async function () {
    const p = await open();
    await show(p, 'GC', 0.1, [bar(0, 2400, 2400.3, 2399.9, 2400.1, 5), bar(1, 2400.1, 2400.4, 2400, 2400.2, 7)]);
    assert.deepEqual((await legend(p)).values, ['2400.1', '2400.4', '2400.0', '2400.2']);
    assert.equal((await legend(p)).change, '+0.1 (+0.00%)');
    assert.equal(await axisPrecision(p), '1');
  });

  it('ES (minTick 0.25): the crosshair price steps by the tick, 5887.75 then 5888.00, never 5887.80', async function () {
    const p = await open();
    await show(p, 'ES', 0.25, [bar(0, 5887.5, 5888.25, 5887, 5888), bar(1, 5888, 5889, 5887.75, 5888.5)]);
    assert.equal(await axisPrecision(p), '2');
    assert.equal(await p.evaluate(() => document.getElementById('chart')?.dataset.priceMinMove), '0.25');
    // without an increment: a step of the decimals shown
    await post(p, init('ES', undefined));
    await p.waitForFunction(() => document.getElementById('chart')?.dataset.priceMinMove === '0.01');
  });

  it('VIX futures (minTick 0.05): two decimals, the axis steps by 0.01 so its marks fall on prices it can write (never 14.375 as "14.40")', async function () {
    const p = await open();
    await show(p, 'VXF7', 0.05, [bar(0, 14.05, 14.5, 14.0, 14.45, 300), bar(1, 14.45, 14.55, 14.1, 14.15, 200)]);
    assert.deepEqual((await legend(p)).values, ['14.45', '14.55', '14.10', '14.15']);
    assert.equal(await axisPrecision(p), '2');
    assert.equal(await p.evaluate(() => document.getElementById('chart')?.dataset.priceMinMove), '0.01');
    // the crosshair's label: a price VIX trades at (14.35, 14.40), never 14.37, though the axis marks by 0.01
    const read = await crosshairPrices(p);
    assert.ok(new Set(read).size >= 5, `the crosshair read ${read.join(', ')}`);
    for (const v of read) assert.match(v, /^\d+\.\d[05]$/, `the crosshair read ${v}`);
    await fs.mkdir('test-results', { recursive: true });
    await p.screenshot({ path: 'test-results/chart-vix-axis.png' });
  });

  it('YM (minTick 1): 42015, not 42015.00; the price format has none', async function () {
    const p = await open();
    await show(p, 'YM', 1, [bar(0, 42000, 42020, 41990, 42010, 3), bar(1, 42010, 42030, 42005, 42015, 4)]);
    assert.deepEqual((await legend(p)).values, ['42010', '42030', '42005', '42015']);
    assert.equal(await axisPrecision(p), '0');
  });

  it('EUR.USD (minTick 0.00005): a MIDPOINT bar off the grid (1.087345) shows six, a bar on it five, as the row', async function () {
    const p = await open();
    await show(p, 'EUR.USD', 0.00005, [bar(0, 1.0872, 1.0874, 1.08715, 1.0873), bar(1, 1.0873, 1.08745, 1.0872, 1.087345)]);
    assert.deepEqual((await legend(p)).values, ['1.087300', '1.087450', '1.087200', '1.087345']);
    await p.focus('#chart');
    await p.keyboard.press('ArrowLeft');
    assert.deepEqual((await legend(p)).values, ['1.08720', '1.08740', '1.08715', '1.08730'], 'the bar on the grid: five');
    assert.equal(await axisPrecision(p), '5', "the axis reads at the tick (1.08780, not 1.087800); the legend gives each bar's price exactly");
    // the crosshair's label: a price on the half-pip grid (1.08735, 1.08740), never 1.08737
    const read = await crosshairPrices(p);
    assert.ok(new Set(read).size >= 5, `the crosshair read ${read.join(', ')}`);
    for (const v of read) assert.match(v, /^1\.087\d[05]$/, `the crosshair read ${v}`);
    // a live bar on the grid keeps five
    await p.keyboard.press('Escape');
    await post(p, { type: 'candle', symbol: 'EUR.USD', barSize: '1 hour', candle: bar(2, 1.08735, 1.0875, 1.0873, 1.0874) });
    await p.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '3');
    assert.deepEqual((await legend(p)).values, ['1.08735', '1.08750', '1.08730', '1.08740']);
  });

  it("ZN (minTick 1/64): in 32nds as TWS quotes it (110'165), the axis too; a MIDPOINT bar between two 64ths in quarters", async function () {
    const p = await open();
    await show(p, 'ZN', 0.015625, [bar(0, 110.5, 110.640625, 110.375, 110.515625, 900), bar(1, 110.515625, 110.5625, 110.4921875, 110.53125, 800)]);
    assert.deepEqual((await legend(p)).values, ["110'165", "110'180", "110'157", "110'170"], 'the last bar: a low between two 64ths');
    assert.equal((await legend(p)).change, "+0'005 (+0.01%)");
    await p.focus('#chart');
    await p.keyboard.press('ArrowLeft');
    assert.deepEqual((await legend(p)).values, ["110'160", "110'205", "110'120", "110'165"]);
    const dataset = await p.evaluate(() => ({ ...document.getElementById('chart')?.dataset }));
    assert.equal(dataset.priceFormat, 'custom', 'the axis and the crosshair are written by the same 32nds');
    assert.equal(dataset.priceMinMove, '0.015625', 'the crosshair steps by a 64th');
    await fs.mkdir('test-results', { recursive: true });
    await p.screenshot({ path: 'test-results/chart-zn-32nds.png' });
  });

  it("the increment learnt after the bars (init again) sets the decimals then; without one: two, grown to the bars' digits", async function () {
    const p = await open();
    await show(p, 'GC', undefined, [bar(0, 2400, 2400.3, 2399.9, 2400.1), bar(1, 2400.1, 2400.4, 2400, 2400.2)]);
    assert.deepEqual((await legend(p)).values, ['2400.10', '2400.40', '2400.00', '2400.20'], 'unknown: two');
    await post(p, init('GC', 0.1));
    await p
      .waitForFunction(() => document.querySelectorAll('#legend .legend-value')[3]?.textContent === '2400.2', undefined, { timeout: 5000 })
      .catch(() => undefined);
    assert.deepEqual((await legend(p)).values, ['2400.1', '2400.4', '2400.0', '2400.2'], 'learnt: one');
    assert.equal(await axisPrecision(p), '1');
    // a malformed increment is none
    await post(p, init('GC', -0.1));
    await p.waitForFunction(() => document.getElementById('chart')?.dataset.pricePrecision === '2');
    await post(p, init('GC', '0.1'));
    await p.waitForTimeout(100);
    assert.equal(await axisPrecision(p), '2');
    assert.deepEqual((await legend(p)).values, ['2400.10', '2400.40', '2400.00', '2400.20']);
  });
});
