// A chart on a Saturday, as a person opens it: the 30-minute range holds no bars, so the chart
// says the market is closed and when it opens, shows Friday's last bars instead of an empty
// canvas, and never says Live. Fetch Candles says the same. The gateway is a simulator whose
// clock is pinned to Saturday 21 November 2026, 12:00 New York.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SimServer } from '../../../src/sim/server';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import type { ChartInfo } from '../../../src/vscode/chart-panel';
import { marketTime } from '../../support/market-times';
import { configure, getApi, resetSettings, waitFor } from './helpers';

describe('chart and Fetch Candles while the market is closed (Saturday)', function () {
  this.timeout(60_000);
  let api: IbGatewayTestApi;
  let gateway: SimServer;

  before(async () => {
    api = await getApi();
    gateway = new SimServer({ port: 0, clock: { start: marketTime('saturday') }, limits: { historicalPacing: false } });
    const { port } = await gateway.start();
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await configure({ enabled: true, host: '127.0.0.1', port, clientId: 77, watchlist: ['AAPL'] });
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.port === port, 'ready on the Saturday gateway');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await gateway?.stop();
    await resetSettings();
  });

  it('Open Chart: "Market closed · opens Mon 23 Nov 09:30", Friday\'s last bars, not Live', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL', { barSize: '5 secs', duration: '1800 S' });
    const info = await waitFor(
      () => {
        const i = api.charts.info('AAPL');
        return i && i.candles > 0 && i.showingLastSession ? i : undefined;
      },
      "the last session's bars in the chart",
      30_000,
    );
    assert.equal(info.market, 'closed');
    assert.equal(info.lastStatus, `Market closed · opens Mon 23 Nov 09:30 US/Eastern · showing the session of Fri 20 Nov (ended 16:00 US/Eastern)`);
    assert.doesNotMatch(info.lastStatus ?? '', /Live/);
    const last = info.lastCandle!;
    assert.ok(
      last.time * 1000 < Date.parse('2026-11-20T21:00:00Z') && last.time * 1000 >= Date.parse('2026-11-20T20:59:00Z'),
      `the last bar is Friday's 15:59: ${new Date(last.time * 1000).toISOString()}`,
    );
  });

  it("a 1-second chart (never live) shows Friday's last bars too, not an error", async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL', { barSize: '1 secs', duration: '1800 S' });
    const info = await waitFor(
      () => {
        const i = api.charts.info('AAPL');
        return i && i.barSize === '1 secs' && (i.candles > 0 || /\[\d+\]|no data/i.test(i.lastStatus ?? '')) ? i : undefined;
      },
      "the 1-second chart's bars or its error",
      30_000,
    );
    assert.equal(info.lastStatus, `Market closed · opens Mon 23 Nov 09:30 US/Eastern · showing the session of Fri 20 Nov (ended 16:00 US/Eastern)`);
    assert.equal(info.showingLastSession, true);
    const last = info.lastCandle!;
    assert.equal(last.time * 1000, Date.parse('2026-11-20T20:59:59Z'), `the last bar is Friday's 15:59:59: ${new Date(last.time * 1000).toISOString()}`);
  });

  it('a range that holds bars (1 W of 1 hour) says closed too, never Live', async () => {
    const info = (await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL', { barSize: '1 hour', duration: '1 W' })) as ChartInfo;
    assert.equal(info.symbol, 'AAPL');
    const loaded = await waitFor(
      () => {
        const i = api.charts.info('AAPL');
        return i && i.barSize === '1 hour' && i.candles > 0 && i.market ? i : undefined;
      },
      'hourly bars',
      30_000,
    );
    assert.equal(loaded.showingLastSession, false);
    await waitFor(
      () => /^Market closed · opens Mon 23 Nov 09:30 US\/Eastern · \d+ bars$/.test(api.charts.info('AAPL')?.lastStatus ?? ''),
      'the closed status',
      10_000,
    );
  });

  it('an expired futures month (ES Sep 2026, last traded 18 September) charts its bars and says it expired, never "opens"', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'ESU6@CME', { barSize: '1 hour', duration: '1 W' });
    const info = await waitFor(
      () => {
        const i = api.charts.info('ESU6@CME');
        return i && i.candles > 0 && /^Expired/.test(i.lastStatus ?? '') ? i : undefined;
      },
      () => `the expired month's bars and status (${api.charts.info('ESU6@CME')?.lastStatus})`,
      30_000,
    );
    assert.match(info.lastStatus ?? '', /^Expired on 2026-09-18 \(its last trade day\) · \d+ bars$/);
    assert.ok(info.lastCandle!.time * 1000 < Date.parse('2026-09-18T13:30:00Z'), 'its bars end at its last trade (08:30 Chicago)');
    assert.equal(info.market, 'closed');
  });

  it("Fetch Candles as CSV: the most recent session's bars, and a message that says why", async () => {
    const r = (await vscode.commands.executeCommand('ibGateway.fetchCandles', { symbol: 'AAPL', barSize: '1 min', duration: '3600 S', format: 'csv' })) as {
      candles: unknown[];
      lastSession?: { end: number };
      document?: vscode.TextDocument;
    };
    assert.ok(r.candles.length > 0, 'bars instead of an empty file');
    assert.equal(r.lastSession?.end, Date.parse('2026-11-20T21:00:00Z'));
    assert.ok((r.document?.lineCount ?? 0) > 2);
  });
});
