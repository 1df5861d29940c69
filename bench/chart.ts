/**
 * 4. Chart, in headless Chromium: time to draw 50,000 candles through the
 * project's webview (message validation, candles + volume series) against
 * bare lightweight-charts drawing the same picture (candles and direction-
 * coloured volume); and the frame rate while 100
 * live updates a second arrive, against bare series.update at the same pace.
 */
import * as esbuild from 'esbuild';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { renderChartHtml } from '../media/chart/html';
import type { Candle } from '../src/ib/types';
import { launchBrowser, startStaticServer } from '../test/integration/support/browser';
import { argNumber, median, report, ROOT, round } from './support';

const NONCE = 'benchNonce0123456789abcdefABCDEF';

const BARE_ENTRY = `
import { createChart, CandlestickSeries, HistogramSeries } from 'lightweight-charts';
const el = document.getElementById('chart');
const chart = createChart(el, { autoSize: true });
const candles = chart.addSeries(CandlestickSeries, {});
const volume = chart.addSeries(HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' } });
chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
// the same picture as the webview: volume bars coloured by direction
const vol = (b) => ({ time: b.time, value: b.volume, color: b.close >= b.open ? 'rgba(38,166,154,0.4)' : 'rgba(239,83,80,0.4)' });
window.bare = {
  setData(bars) {
    candles.setData(bars);
    volume.setData(bars.map(vol));
    chart.timeScale().fitContent();
  },
  update(b) {
    candles.update(b);
    volume.update(vol(b));
  },
};
`;

function makeCandles(n: number, barSeconds = 60): Candle[] {
  const out: Candle[] = [];
  let price = 100;
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const start = 1_700_000_000 - n * barSeconds;
  for (let i = 0; i < n; i++) {
    const open = price;
    const close = Math.max(1, open + (rnd() - 0.5) * 0.8);
    const high = Math.max(open, close) + rnd() * 0.3;
    const low = Math.min(open, close) - rnd() * 0.3;
    out.push({
      time: start + i * barSeconds,
      open: round(open, 2),
      high: round(high, 2),
      low: round(low, 2),
      close: round(close, 2),
      volume: Math.round(rnd() * 10000),
    });
    price = close;
  }
  return out;
}

/** In the page: ms from handing over the data until two frames have been drawn. */
async function timeDraw(page: Page, kind: 'project' | 'bare', candles: Candle[]): Promise<number> {
  return page.evaluate(
    ({ kind, candles }) =>
      new Promise<number>((resolve) => {
        const w = window as unknown as { bare: { setData(c: unknown): void } };
        const t0 = performance.now();
        if (kind === 'bare') w.bare.setData(candles);
        else window.dispatchEvent(new MessageEvent('message', { data: { type: 'candles', symbol: 'BENCH', barSize: '1 min', candles } }));
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      }),
    { kind, candles },
  );
}

/** In the page: frames per second while `perSecond` live updates arrive for `seconds`. */
async function fpsUnderUpdates(page: Page, kind: 'project' | 'bare', last: Candle, perSecond: number, seconds: number): Promise<number> {
  return page.evaluate(
    ({ kind, last, perSecond, seconds }) =>
      new Promise<number>((resolve) => {
        const w = window as unknown as { bare: { update(c: unknown): void } };
        let frames = 0;
        let running = true;
        const frame = () => {
          frames++;
          if (running) requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
        let i = 0;
        const bar = { ...last };
        const timer = setInterval(() => {
          i++;
          // ten updates of one bar, then a new bar
          if (i % 10 === 0) {
            bar.time += 60;
            bar.open = bar.close;
          }
          bar.close = bar.open + Math.sin(i) * 0.5;
          bar.high = Math.max(bar.high, bar.open, bar.close);
          bar.low = Math.min(bar.low, bar.open, bar.close);
          bar.volume += 10;
          const candle = { ...bar, high: Math.max(bar.open, bar.close, bar.high), low: Math.min(bar.open, bar.close, bar.low) };
          if (kind === 'bare') w.bare.update(candle);
          else window.dispatchEvent(new MessageEvent('message', { data: { type: 'candle', symbol: 'BENCH', barSize: '1 min', candle } }));
        }, 1000 / perSecond);
        setTimeout(() => {
          running = false;
          clearInterval(timer);
          resolve(frames / seconds);
        }, seconds * 1000);
      }),
    { kind, last, perSecond, seconds },
  );
}

async function main(): Promise<void> {
  const count = argNumber('candles', 50_000);
  const seconds = argNumber('fps-seconds', 5);
  const rounds = argNumber('rounds', 5);
  const bareJs = (
    await esbuild.build({ stdin: { contents: BARE_ENTRY, resolveDir: ROOT, loader: 'js' }, bundle: true, write: false, format: 'iife', minify: true })
  ).outputFiles[0].text;
  const chartJs = await readFile(path.join(ROOT, 'dist/webview/chart.js'));
  const css = await readFile(path.join(ROOT, 'media/chart/chart.css'));
  const server = await startStaticServer((p, origin) => {
    if (p === '/')
      return {
        body: renderChartHtml({ scriptUri: `${origin}/chart.js`, styleUri: `${origin}/chart.css`, cspSource: origin, nonce: NONCE, title: 'bench' }),
        contentType: 'text/html',
      };
    if (p === '/bare')
      return {
        body: `<!DOCTYPE html><html><body style="margin:0"><div id="chart" style="width:100vw;height:100vh"></div><script src="/bare.js"></script></body></html>`,
        contentType: 'text/html',
      };
    if (p === '/chart.js') return { body: chartJs, contentType: 'text/javascript' };
    if (p === '/bare.js') return { body: bareJs, contentType: 'text/javascript' };
    if (p === '/chart.css') return { body: css, contentType: 'text/css' };
    return undefined;
  });
  const browser = await launchBrowser({ width: 1200, height: 700 });
  const candles = makeCandles(count);
  const openProject = async () => {
    const page = await browser.context.newPage();
    await page.addInitScript({
      content: 'globalThis.__name = (t) => t; window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });',
    });
    await page.goto(`${server.origin}/`);
    await page.evaluate(() =>
      window.dispatchEvent(
        new MessageEvent('message', {
          data: { type: 'init', symbol: 'BENCH', title: 'BENCH', barSize: '1 min', duration: '1 M', barSizes: ['1 min'], durations: ['1 M'], simulated: true },
        }),
      ),
    );
    return page;
  };
  const openBare = async () => {
    const page = await browser.context.newPage();
    await page.addInitScript({ content: 'globalThis.__name = (t) => t;' });
    await page.goto(`${server.origin}/bare`);
    await page.waitForFunction(() => 'bare' in window);
    return page;
  };
  const drawProject: number[] = [];
  const drawBare: number[] = [];
  const fpsBareRounds: number[] = [];
  const fpsProjectRounds: number[] = [];
  try {
    // rounds alternate bare and project pages; the medians are compared
    for (let r = 0; r < rounds; r++) {
      const b = await openBare();
      drawBare.push(await timeDraw(b, 'bare', candles));
      fpsBareRounds.push(await fpsUnderUpdates(b, 'bare', candles[candles.length - 1], 100, seconds));
      await b.close();
      const p = await openProject();
      drawProject.push(await timeDraw(p, 'project', candles));
      const bars = Number(await p.getAttribute('#chart', 'data-bar-count'));
      if (bars !== count) throw new Error(`the webview drew ${bars} bars, expected ${count}`);
      fpsProjectRounds.push(await fpsUnderUpdates(p, 'project', candles[candles.length - 1], 100, seconds));
      await p.close();
    }
    const fpsBare = median(fpsBareRounds);
    const fpsProject = median(fpsProjectRounds);
    const dp = median(drawProject);
    const db = median(drawBare);
    report({
      name: 'chart',
      rows: [
        {
          metric: `time to draw ${count} candles + volume`,
          value: round(dp),
          baseline: round(db),
          ratio: round(dp / db),
          better: 'lower',
          unit: 'ms',
          note: 'webview (validates every candle) vs bare lightweight-charts setData',
        },
        {
          metric: 'frames per second under 100 live updates/s',
          value: round(fpsProject, 1),
          baseline: round(fpsBare, 1),
          ratio: round(fpsProject / fpsBare),
          better: 'higher',
          target: '>= 0.9',
          pass: fpsProject / fpsBare >= 0.9,
        },
      ],
      details: {
        drawProjectMs: drawProject.map((x) => round(x)),
        drawBareMs: drawBare.map((x) => round(x)),
        fpsProject: fpsProjectRounds.map((x) => round(x, 1)),
        fpsBare: fpsBareRounds.map((x) => round(x, 1)),
      },
    });
  } finally {
    await browser.close();
    await server.close();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
