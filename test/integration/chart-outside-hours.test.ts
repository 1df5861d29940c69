/**
 * The bands behind the bars outside regular hours, in a real Chromium: the page as the
 * host serves it (renderChartHtml with its CSP) and the bundled dist/webview/chart.js
 * (build it first: node esbuild.mjs). The pixels of the chart's pane are read back.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { makeNonce, renderChartHtml } from '../../media/chart/html';
import type { HostMessage } from '../../media/chart/protocol';
import type { Candle } from '../../src/ib/types';
import { webviewPages } from './support/webview-pages';

const NONCE = makeNonce();
const BAR = 300;
const sec = (iso: string): number => Date.parse(iso) / 1000;

/** IBM on Tuesday 17 November 2026, 5-minute bars 04:00-20:00 New York (EST): 66 pre-market, 78 regular, 48 after hours. */
const DAY: Candle[] = Array.from({ length: 192 }, (_, i) => {
  const open = 200 + Math.sin(i / 7) * 3;
  const close = open + (i % 2 ? 0.4 : -0.4);
  return { time: sec('2026-11-17T09:00:00Z') + i * BAR, open, close, high: Math.max(open, close) + 0.3, low: Math.min(open, close) - 0.3, volume: 1000 + i };
});
const REGULAR: Array<[number, number]> = [
  [sec('2026-11-16T14:30:00Z'), sec('2026-11-16T21:00:00Z')],
  [sec('2026-11-17T14:30:00Z'), sec('2026-11-17T21:00:00Z')],
  [sec('2026-11-18T14:30:00Z'), sec('2026-11-18T21:00:00Z')],
];

const INIT: Extract<HostMessage, { type: 'init' }> = {
  type: 'init',
  symbol: 'IBM',
  title: 'IBM (NYSE, USD)',
  barSize: '5 mins',
  duration: '1 D',
  barSizes: ['5 mins', '1 hour', '1 day'],
  durations: ['1 D', '1 W', '1 Y'],
  simulated: true,
  timeZone: { zone: 'America/New_York', label: 'US/Eastern' },
  useRTH: false,
  stockHours: true,
};

/** Where the band is drawn across the pane: the share of band-coloured columns in each stretch (0..1 of the width). */
interface Bands {
  shareIn(from: number, to: number): number;
  bandColumns: number;
}

describe('chart webview: bands behind the bars outside regular hours, in Chromium', function () {
  this.timeout(90_000);
  const pages = webviewPages('dist/webview/chart.js', 'media/chart/chart.css', (uris) => renderChartHtml({ ...uris, nonce: NONCE, title: 'IBM' }));

  const open = (themeClass = 'vscode-dark'): Promise<Page> =>
    pages.open((p) =>
      p.addInitScript((cls) => {
        const w = window as unknown as Record<string, unknown>;
        w.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });
        document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP: ${e.violatedDirective}`));
        document.addEventListener('DOMContentLoaded', () => document.body.classList.add(cls));
      }, themeClass),
    );

  const post = (p: Page, msg: unknown) => p.evaluate((m) => window.postMessage(m, '*'), msg);
  const chartData = (p: Page, key: string) => p.evaluate((k) => document.getElementById('chart')?.dataset[k], key);

  async function show(p: Page, init: HostMessage, candles: Candle[], regularSessions?: Array<[number, number]>, symbol = 'IBM'): Promise<void> {
    await post(p, init);
    await post(p, { type: 'candles', symbol, barSize: (init as { barSize: string }).barSize, candles, ...(regularSessions ? { regularSessions } : {}) });
    await p.waitForFunction((n) => document.getElementById('chart')?.dataset.barCount === String(n), candles.length);
  }

  /**
   * Reads the pane's top rows (above the bars: the price scale keeps a margin there) and
   * tells, per column, whether it is the band's colour: the theme's band colour over its
   * background (the majority of 7 rows, so a grid line does not count).
   */
  async function bands(p: Page): Promise<Bands> {
    await p.waitForTimeout(150); // a frame or two after the last message
    const columns = await p.evaluate(() => {
      const el = document.getElementById('chart')!;
      const parse = (c: string): number[] => {
        const probe = document.createElement('canvas').getContext('2d')!;
        probe.fillStyle = c;
        const v = String(probe.fillStyle);
        const hex = /^#(..)(..)(..)$/.exec(v);
        if (hex) return [1, 2, 3].map((i) => parseInt(hex[i], 16)).concat(1);
        return v
          .replace(/[^\d.,]/g, '')
          .split(',')
          .map(Number);
      };
      const [br, bg, bb] = parse(el.dataset.background!);
      const [r, g, b, a] = parse(el.dataset.outsideHours!);
      const band = [br + (r - br) * a, bg + (g - bg) * a, bb + (b - bb) * a];
      // the pane: the widest and tallest canvas that is opaque (the one over it draws the crosshair)
      const canvases = Array.from(el.querySelectorAll('canvas')).filter((c) => c.width > el.clientWidth * 0.5 && c.height > el.clientHeight * 0.5);
      for (const canvas of canvases) {
        const copy = document.createElement('canvas');
        copy.width = canvas.width;
        copy.height = 10;
        const ctx = copy.getContext('2d', { willReadFrequently: true })!;
        ctx.drawImage(canvas, 0, 0);
        const d = ctx.getImageData(0, 0, canvas.width, 10).data;
        if (d[3] < 250) continue;
        const out: boolean[] = [];
        for (let x = 0; x < canvas.width; x++) {
          let hits = 0;
          for (let y = 2; y < 9; y++) {
            const i = (y * canvas.width + x) * 4;
            if (Math.abs(d[i] - band[0]) <= 2 && Math.abs(d[i + 1] - band[1]) <= 2 && Math.abs(d[i + 2] - band[2]) <= 2) hits++;
          }
          out.push(hits >= 4);
        }
        return { out, differs: Math.max(...band.map((v, k) => Math.abs(v - [br, bg, bb][k]))) };
      }
      return { out: [] as boolean[], differs: 0 };
    });
    assert.ok(columns.out.length > 500, 'the pane canvas was read');
    assert.ok(columns.differs >= 4, `the band is told from the background (${columns.differs} levels apart)`);
    // a band is wider than a grid line (one pixel, and it may be of much the same colour)
    const cols = columns.out.map((_, x, all) => all.slice(Math.max(0, x - 2), x + 3).filter(Boolean).length >= 3 && all[x]);
    return {
      bandColumns: cols.filter(Boolean).length,
      shareIn: (from, to) => {
        const part = cols.slice(Math.round(from * cols.length), Math.round(to * cols.length));
        return part.filter(Boolean).length / part.length;
      },
    };
  }

  /** The bar the pointer is over, and what the legend says of its session. */
  async function hover(p: Page, share: number): Promise<{ time: number; session: string }> {
    const box = await p.locator('#chart').boundingBox();
    assert.ok(box);
    await p.mouse.move(box.x + box.width * share, box.y + box.height * 0.5);
    await p.waitForFunction(() => document.getElementById('legend')?.dataset.source === 'crosshair');
    return p.evaluate(() => {
      const el = document.querySelector('.legend-session') as HTMLElement;
      return { time: Number(document.getElementById('legend')?.dataset.time), session: el.hidden ? '' : (el.textContent ?? '') };
    });
  }

  it('extended hours: a band behind the pre-market and after-hours bars, none behind the regular session; the legend names them', async () => {
    const p = await open();
    await show(p, INIT, DAY, REGULAR);
    assert.equal(await chartData(p, 'outsideBars'), String(66 + 48));
    // 192 bars and 4 bars of room at the right fill the pane's width (the price scale on its right)
    const b = await bands(p);
    assert.ok(b.shareIn(0.01, 0.3) > 0.9, `pre-market shaded: ${b.shareIn(0.01, 0.3)}`);
    assert.ok(b.shareIn(0.38, 0.68) < 0.02, `regular session not shaded: ${b.shareIn(0.38, 0.68)}`);
    assert.ok(b.shareIn(0.74, 0.86) > 0.9, `after hours shaded: ${b.shareIn(0.74, 0.86)}`);

    const pre = await hover(p, 0.15);
    assert.ok(pre.time < sec('2026-11-17T14:30:00Z'), `a pre-market bar (${pre.time})`);
    assert.equal(pre.session, 'Pre-market');
    const regular = await hover(p, 0.5);
    assert.ok(regular.time >= sec('2026-11-17T14:30:00Z') && regular.time < sec('2026-11-17T21:00:00Z'));
    assert.equal(regular.session, '');
    const after = await hover(p, 0.8);
    assert.ok(after.time >= sec('2026-11-17T21:00:00Z'));
    assert.equal(after.session, 'After hours');
  });

  it("a future's bars outside its regular session are not called pre-market or after hours (its session runs overnight)", async () => {
    const p = await open();
    const { stockHours: _stock, ...future } = INIT;
    await show(p, { ...future, symbol: 'ESZ6', title: 'ESZ6 (CME)', timeZone: { zone: 'America/Chicago', label: 'US/Central' } }, DAY, REGULAR, 'ESZ6');
    assert.equal(await chartData(p, 'outsideBars'), String(66 + 48));
    assert.equal((await hover(p, 0.15)).session, 'Outside regular hours');
    assert.equal((await hover(p, 0.5)).session, '');
    assert.equal((await hover(p, 0.8)).session, 'Outside regular hours');
    await p.close();
  });

  it('follows zoom and scroll: zoomed into the regular session there is no band; live after-hours bars extend it', async () => {
    const p = await open();
    await show(p, INIT, DAY.slice(0, 150), REGULAR);
    assert.equal(await chartData(p, 'outsideBars'), String(66 + 6));
    const box = await p.locator('#chart').boundingBox();
    assert.ok(box);
    // zoom in about the middle of the regular session (bar 105 of 150 and 4 bars of room) until only its bars are in view
    await p.mouse.move(box.x + box.width * 0.66, box.y + box.height * 0.4);
    const inView = async () => ({ from: Number(await chartData(p, 'visibleFrom')), to: Number(await chartData(p, 'visibleTo')) });
    for (let i = 0; i < 12; i++) {
      const v = await inView();
      if (v.from > sec('2026-11-17T14:30:00Z') && v.to < sec('2026-11-17T21:00:00Z')) break;
      await p.mouse.wheel(0, -300);
      await p.waitForTimeout(50);
    }
    const zoomed = await inView();
    assert.ok(zoomed.from > sec('2026-11-17T14:30:00Z') && zoomed.to < sec('2026-11-17T21:00:00Z'), `regular bars only in view: ${JSON.stringify(zoomed)}`);
    await p.mouse.move(box.x + box.width + 50, box.y + box.height + 50);
    assert.equal((await bands(p)).bandColumns, 0, 'only regular bars in view');
    // dragged back towards the pre-market: its band comes into view at the left
    await p.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.4);
    await p.mouse.down();
    await p.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.4, { steps: 8 });
    await p.mouse.up();
    await p.mouse.move(box.x + box.width + 50, box.y + box.height + 50);
    await p.waitForFunction((t) => Number(document.getElementById('chart')?.dataset.visibleFrom) < t, sec('2026-11-17T14:30:00Z'));
    assert.ok((await bands(p)).bandColumns > 20, 'the pre-market band scrolled into view');

    // a chart showing the newest bar: live bars after the close are shaded as they come
    const q = await open();
    await show(q, INIT, DAY.slice(0, 150), REGULAR);
    for (const c of DAY.slice(150, 192)) await post(q, { type: 'candle', symbol: 'IBM', barSize: '5 mins', candle: c });
    await q.waitForFunction(() => document.getElementById('chart')?.dataset.barCount === '192');
    await q.waitForFunction(() => document.getElementById('chart')?.dataset.outsideBars === String(66 + 48));
    const b = await bands(q);
    assert.ok(b.shareIn(0.8, 0.93) > 0.9, `the live after-hours bars shaded: ${b.shareIn(0.8, 0.93)}`);
    await p.close();
  });

  it('regular hours only, daily bars, or no sessions from the host: no band at all', async () => {
    const p = await open();
    await show(p, { ...INIT, useRTH: true }, DAY, REGULAR);
    assert.equal(await chartData(p, 'outsideBars'), '0');
    assert.equal((await bands(p)).bandColumns, 0, 'regular hours only');

    const days = DAY.slice(0, 30).map((c, i) => ({ ...c, time: sec('2026-01-05T00:00:00Z') + i * 86_400 }));
    await show(p, { ...INIT, barSize: '1 day', duration: '1 Y' }, days, REGULAR);
    assert.equal(await chartData(p, 'outsideBars'), '0');
    assert.equal((await bands(p)).bandColumns, 0, 'daily bars');

    await show(p, INIT, DAY);
    assert.equal(await chartData(p, 'outsideBars'), '0');
    assert.equal((await bands(p)).bandColumns, 0, 'no regular sessions sent (forex, an index)');
    // the hours arrive after the bars: the band comes; sent again without sessions, it goes
    await post(p, { type: 'sessions', symbol: 'IBM', barSize: '5 mins', regularSessions: REGULAR });
    await p.waitForFunction(() => document.getElementById('chart')?.dataset.outsideBars === '114');
    assert.ok((await bands(p)).shareIn(0.01, 0.3) > 0.9);
    await post(p, { type: 'sessions', symbol: 'MSFT', barSize: '5 mins' }); // another chart's: ignored
    await post(p, { type: 'sessions', symbol: 'IBM', barSize: '5 mins', regularSessions: [[5, 1]] }); // malformed: ignored
    await post(p, { type: 'status', text: 'marker', kind: 'info' });
    await p.waitForFunction(() => document.getElementById('status')?.textContent === 'marker');
    assert.equal(await chartData(p, 'outsideBars'), '114');
    await post(p, { type: 'sessions', symbol: 'IBM', barSize: '5 mins' });
    await p.waitForFunction(() => document.getElementById('chart')?.dataset.outsideBars === '0');
    assert.equal((await bands(p)).bandColumns, 0);
    // switched to regular hours: the band goes with the init, before any bars
    await show(p, INIT, DAY, REGULAR);
    await post(p, { ...INIT, useRTH: true });
    await p.waitForFunction(() => document.getElementById('chart')?.dataset.outsideBars === '0');
  });

  for (const theme of ['vscode-light', 'vscode-high-contrast', 'vscode-high-contrast-light']) {
    it(`is drawn, told from the background, in a ${theme.slice(7)} theme`, async () => {
      const p = await open(theme);
      await show(p, INIT, DAY, REGULAR);
      const b = await bands(p);
      assert.ok(b.shareIn(0.01, 0.3) > 0.9 && b.shareIn(0.38, 0.68) < 0.02, `${b.shareIn(0.01, 0.3)} ${b.shareIn(0.38, 0.68)}`);
    });
  }
});
