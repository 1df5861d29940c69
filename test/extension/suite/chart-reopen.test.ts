// A chart closed and opened again keeps the range the person chose.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import type { ChartInfo } from '../../../src/vscode/chart-panel';
import { configure, deadPort, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

describe('chart reopened', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: [] });
    gateway = await connectToPinnedSim(api);
  });

  after(async () => {
    // leave the default range remembered for the suites after this one
    await vscode.commands.executeCommand('ibGateway.openChart', 'MSFT', { barSize: '5 mins', duration: '1 D' });
    api.test.closeChart('MSFT');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway.stop();
    await resetSettings();
  });

  it('comes back with the range it had when it was closed', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'MSFT', { barSize: '5 mins', duration: '1 D' });
    await waitFor(() => api.charts.info('MSFT')?.webviewReady, 'the MSFT chart ready', 30_000);
    assert.equal(api.charts.info('MSFT')?.barSize, '5 mins');
    api.test.simulateMessage('MSFT', { type: 'changeRange', barSize: '1 hour', duration: '1 W' });
    await waitFor(() => api.charts.info('MSFT')?.barSize === '1 hour', 'the hourly range');
    api.test.closeChart('MSFT');
    await waitFor(() => !api.charts.symbols().includes('MSFT'), 'the chart closed');
    const info = (await vscode.commands.executeCommand('ibGateway.openChart', 'MSFT')) as ChartInfo;
    assert.deepEqual([info.barSize, info.duration], ['1 hour', '1 W']);
  });

  it('a chart restored while the gateway is not up yet says it waits (as the watchlist does), not "Connect"; it loads once connected', async () => {
    await gateway.stop();
    const port = await deadPort();
    await configure({ port, 'reconnect.initialDelayMs': 200, 'reconnect.maxDelayMs': 1000 });
    try {
      await vscode.commands.executeCommand('ibGateway.connect');
      await waitFor(() => api.connection.status.phase === 'reconnecting', 'waiting for the gateway');
      await api.test.restoreChart({ symbol: 'AAPL', barSize: '5 mins', duration: '1 D' });
      const status = await waitFor(() => api.charts.info('AAPL')?.lastStatus, 'the restored chart says something');
      assert.match(status, new RegExp(`^Waiting for IB Gateway/TWS at 127\\.0\\.0\\.1:${port} \\(the status bar counts down\\)`));
      assert.doesNotMatch(status, /Connect,/);
    } finally {
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await configure({ 'reconnect.initialDelayMs': undefined, 'reconnect.maxDelayMs': undefined });
      api.test.closeChart('AAPL');
      gateway = await connectToPinnedSim(api);
    }
    await waitFor(() => api.charts.info('AAPL') === undefined, 'the chart closed');
  });
});
