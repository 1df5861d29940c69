// A chart opened on the simulated gateway stays open while the person
// switches to another gateway: its SIMULATED badge must follow the switch,
// and stay while the simulated bars are still what it shows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

describe('chart after a gateway switch', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>> | undefined;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: [] });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway?.stop();
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await resetSettings();
  });

  it('the SIMULATED badge goes when the chart moves to another gateway, and comes back with the simulator', async () => {
    await vscode.commands.executeCommand('ibGateway.startSimulator');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.simulated, 'the simulated gateway');
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL');
    // a loaded machine can take a while to start the webview: the failure says how far the chart got
    await waitFor(
      () => {
        const info = api.charts.info('AAPL');
        if (info?.webviewReady && info.candles > 0) return true;
        throw new Error(`chart: ${JSON.stringify(info && { ready: info.webviewReady, candles: info.candles, status: info.lastStatus })}`);
      },
      'AAPL candles',
      60_000,
    );
    assert.equal(api.charts.info('AAPL')?.simulatedBadge, true);
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    // stopped, not connected: the bars shown are still the simulated gateway's, and say so
    await waitFor(() => api.connection.status.phase !== 'ready', 'not connected');
    const title = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('AAPL'))?.label ?? '';
    assert.equal(api.charts.info('AAPL')?.simulatedBadge, true, 'the badge stays on simulated bars');
    assert.match(title(), /SIMULATED/);
    // another gateway, a real one (a paper account's name: a DUSIM account is shown as simulated)
    gateway = await connectToPinnedSim(api, undefined, 'DU7654321');
    assert.equal(api.connection.status.simulated, false);
    await waitFor(() => api.charts.info('AAPL')?.simulatedBadge === false, 'the badge gone after the switch');
    await gateway.stop();
    gateway = undefined;
    await vscode.commands.executeCommand('ibGateway.startSimulator');
    await waitFor(() => api.charts.info('AAPL')?.simulatedBadge === true, 'the badge back on the simulator');
  });
});
