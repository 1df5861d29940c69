// A chart closed and opened again keeps the range the person chose.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import type { ChartInfo } from '../../../src/vscode/chart-panel';
import { configure, getApi, resetSettings, waitFor } from './helpers';
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
});
