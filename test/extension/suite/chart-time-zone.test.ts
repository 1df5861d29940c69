// A chart's times are the exchange's by default (the US open reads 09:30),
// with a setting for local time or UTC; the zone is named.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

describe('chart time zone', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: [] });
    gateway = await connectToPinnedSim(api);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway.stop();
    await configure({ 'chart.timeZone': undefined });
    await resetSettings();
  });

  it('shows the exchange zone by default, and follows the setting to UTC and local time', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL');
    await waitFor(() => api.charts.info('AAPL')?.timeZone === 'US/Eastern', `the exchange zone (got ${api.charts.info('AAPL')?.timeZone})`, 30_000);
    await configure({ 'chart.timeZone': 'utc' });
    await waitFor(() => api.charts.info('AAPL')?.timeZone === 'UTC', 'UTC after the setting');
    await configure({ 'chart.timeZone': 'local' });
    await waitFor(() => /^local \(.+\)$/.test(api.charts.info('AAPL')?.timeZone ?? ''), 'local time after the setting');
    assert.ok(api.charts.info('AAPL')?.webviewReady);
  });
});
