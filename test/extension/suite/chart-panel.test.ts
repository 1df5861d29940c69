// The chart panel: opened by command, a strict CSP, the ready handshake,
// live candles, range changes, one panel per symbol, bad messages ignored.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import type { ChartInfo } from '../../../src/vscode/chart-panel';
import { configure, connectToSim, getApi, resetSettings, waitFor } from './helpers';

describe('chart panel', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL'] });
    await connectToSim(api);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await resetSettings();
  });

  it('Open Chart opens a webview that says it is ready, then gets candles', async () => {
    const info = (await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL', { barSize: '5 secs', duration: '1800 S' })) as ChartInfo;
    assert.equal(info.symbol, 'AAPL');
    assert.equal(info.barSize, '5 secs');
    await waitFor(() => api.charts.info('AAPL')?.webviewReady, 'the webview ready message', 30_000);
    const loaded = await waitFor(
      () => {
        const i = api.charts.info('AAPL');
        return i && i.candles > 0 ? i : undefined;
      },
      'candles in the chart',
      30_000,
    );
    assert.equal(loaded.streaming, true);
    // the suite's market time is a regular session: the chart says Live, with its market open
    await waitFor(() => api.charts.info('AAPL')?.market === 'open', 'the market read as open');
    assert.match(api.charts.info('AAPL')?.lastStatus ?? '', /^Live · \d+ bars$/);
  });

  it('serves HTML under a strict Content Security Policy with a script nonce', () => {
    const html = api.charts.html('AAPL');
    assert.ok(html);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    assert.ok(csp, 'a CSP meta tag');
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([A-Za-z0-9]+)'/.exec(csp)?.[1];
    assert.ok(nonce, 'scripts need a nonce');
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/(?!.*vscode)/);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.ok(scripts.length > 0);
    for (const s of scripts) assert.ok(s.includes(`nonce="${nonce}"`), `script without the nonce: ${s}`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  });

  it('live bars arrive as updates (keepUpToDate), and a new bar is counted in the status', async () => {
    const before = api.charts.info('AAPL')!.updates;
    await waitFor(() => api.charts.info('AAPL')!.updates > before, 'a live bar update', 30_000);
    const bars = api.charts.info('AAPL')!.candles;
    await waitFor(() => api.charts.info('AAPL')!.candles > bars, 'a new 5-second bar', 30_000);
    const info = api.charts.info('AAPL')!;
    assert.equal(info.lastStatus, `Live · ${info.candles} bars`);
  });

  it('Open Chart for the same symbol reuses the panel', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL');
    assert.deepEqual(
      api.charts.symbols().filter((s) => s === 'AAPL'),
      ['AAPL'],
    );
  });

  it('a changeRange message from the webview reloads the bars in the new range', async () => {
    api.test.simulateMessage('AAPL', { type: 'changeRange', barSize: '1 min', duration: '1 D' });
    const info = await waitFor(() => {
      const i = api.charts.info('AAPL');
      return i && i.barSize === '1 min' && i.candles > 0 && i.streaming && !i.rangeError ? i : undefined;
    }, 'bars of 1 min');
    assert.equal(info.duration, '1 D');
  });

  it('an invalid range or an unexpected message is ignored and logged; the chart keeps going', async () => {
    const before = api.charts.info('AAPL')!;
    api.test.simulateMessage('AAPL', { type: 'changeRange', barSize: '1 secs', duration: '1 Y' });
    assert.equal(api.charts.info('AAPL')!.barSize, '1 min');
    assert.match(api.charts.info('AAPL')!.rangeError ?? '', /not changed: bar size "1 secs" is too small/);
    for (const junk of [
      null,
      42,
      'ready',
      { type: 'placeOrder' },
      { type: 'changeRange', barSize: 'x'.repeat(10_000), duration: '1 D' },
      { type: 'changeRange' },
    ]) {
      api.test.simulateMessage('AAPL', junk);
    }
    const after = api.charts.info('AAPL')!;
    assert.equal(after.refused, before.refused + 6);
    assert.equal(after.streaming, true);
  });

  it('30-second bars over 8 hours, as far as IB serves them (its step table), are offered and load', async () => {
    api.test.simulateMessage('AAPL', { type: 'changeRange', barSize: '30 secs', duration: '28800 S' });
    const info = await waitFor(() => {
      const i = api.charts.info('AAPL');
      return i && i.barSize === '30 secs' && i.candles > 0 && !i.rangeError ? i : undefined;
    }, '30-second bars over 8 hours');
    assert.equal(info.duration, '28800 S');
  });

  it('Fetch Candles with the chart format opens that chart', async () => {
    const r = (await vscode.commands.executeCommand('ibGateway.fetchCandles', { symbol: 'MSFT', barSize: '1 hour', duration: '1 W' })) as {
      format: string;
      chart?: ChartInfo;
    };
    assert.equal(r.format, 'chart');
    assert.equal(r.chart?.symbol, 'MSFT');
    await waitFor(() => (api.charts.info('MSFT')?.candles ?? 0) > 0, 'MSFT candles', 30_000);
  });

  it('a chart comes back after a window reload from its saved state; a bad state is dropped', async () => {
    const info = (await api.test.restoreChart({ symbol: 'SPY', barSize: '15 mins', duration: '1 W' })) as ChartInfo | undefined;
    assert.equal(info?.symbol, 'SPY');
    assert.equal(info?.barSize, '15 mins');
    await waitFor(() => (api.charts.info('SPY')?.candles ?? 0) > 0, 'SPY candles after the restore', 30_000);
    const count = api.charts.symbols().length;
    assert.equal(await api.test.restoreChart({ symbol: 42 }), undefined);
    assert.equal(await api.test.restoreChart(undefined), undefined);
    assert.equal(api.charts.symbols().length, count);
  });

  it("a future's chart tab is titled by its month in words, as its watchlist row", async () => {
    const symbol = 'ES 202612 FUT@CME';
    await vscode.commands.executeCommand('ibGateway.openChart', symbol, { barSize: '5 mins', duration: '1 D' });
    const tab = await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('ES Dec 2026 · 5 mins')),
      'the tab titled "ES Dec 2026 · 5 mins"',
      30_000,
    );
    assert.ok(tab);
    await waitFor(() => api.charts.info(symbol)?.webviewReady, 'the webview ready', 30_000);
    api.test.closeChart(symbol);
  });

  it("a chart opened by a future's contract id (as the watchlist keeps VIX weeklies) opens on the whole session, as by its name; a stock's on regular hours", async () => {
    // its contract known, as once its row has been asked for
    await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ES 202612 FUT@CME');
    const conIdOf = (symbol: string) => api.watchlist.rows().find((r) => r.symbol === symbol)?.quote?.conId;
    const future = await waitFor(() => conIdOf('ES 202612 FUT@CME'), 'the ES row quoted', 30_000);
    const stock = await waitFor(() => conIdOf('AAPL'), 'the AAPL row quoted', 30_000);
    for (const [conId, useRTH, kind] of [
      [future, false, 'the whole session, as a future'],
      [stock, true, 'regular hours, as a stock'],
    ] as const) {
      const byId = String(conId);
      await vscode.commands.executeCommand('ibGateway.openChart', byId);
      await waitFor(() => api.charts.info(byId)?.webviewReady, 'the webview ready', 30_000);
      assert.equal(api.charts.info(byId)?.useRTH, useRTH, kind);
      api.test.closeChart(byId);
    }
    await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', 'ES 202612 FUT@CME');
  });

  it('a range changed while not connected shows none of the old bars (they are not its) and says why; its bars come once connected', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL', { barSize: '5 mins', duration: '1 D' });
    await waitFor(() => {
      const i = api.charts.info('AAPL');
      return i && i.barSize === '5 mins' && i.candles > 0 && i.streaming;
    }, 'a 5-minute chart');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await waitFor(() => api.connection.status.phase === 'disconnected', 'disconnected');
    api.test.simulateMessage('AAPL', { type: 'changeRange', barSize: '15 mins', duration: '1 W' });
    const info = await waitFor(() => {
      const i = api.charts.info('AAPL');
      return i && i.barSize === '15 mins' ? i : undefined;
    }, 'the new range taken');
    assert.equal(info.candles, 0, '5-minute bars are not shown as 15-minute ones');
    assert.equal(info.lastStatus, 'Not connected to IB. Connect, or start the simulated gateway.');
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => {
      const i = api.charts.info('AAPL');
      return i && i.barSize === '15 mins' && i.candles > 0 && i.streaming;
    }, 'the 15-minute bars once connected');
  });

  it('closing the panel ends its live subscription', async () => {
    const keepUp = () => api.test.simulatorServer()?.activeHistorical().length;
    for (const symbol of api.charts.symbols()) api.test.closeChart(symbol);
    await waitFor(() => api.charts.symbols().length === 0, 'no chart panels');
    if (keepUp() !== undefined) await waitFor(() => keepUp() === 0, 'no keepUpToDate requests on the simulator');
  });
});
