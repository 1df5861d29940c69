// The commands as a person runs them, without arguments: their quick picks
// open, the first item is accepted (or the pick is dismissed) and the result
// is what that choice means.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, connectToSim, getApi, resetSettings, simPort, sleep, waitFor } from './helpers';

/** Runs a command and presses a quick-input key until the command finishes (the pick may take a moment to show). */
async function runAnd(command: string, key: 'accept' | 'dismiss'): Promise<unknown> {
  let settled = false;
  const result = Promise.resolve(vscode.commands.executeCommand(command)).finally(() => (settled = true));
  const action = key === 'accept' ? 'workbench.action.acceptSelectedQuickOpenItem' : 'workbench.action.closeQuickOpen';
  for (let i = 0; i < 60 && !settled; i++) {
    await sleep(250);
    if (!settled) await vscode.commands.executeCommand(action);
  }
  return result;
}

describe('quick picks', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['MSFT', 'AAPL'] });
    await vscode.commands.executeCommand('ibGateway.disconnect');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await resetSettings();
  });

  it('the status bar menu offers Connect first while disconnected, and it connects', async function () {
    if (!simPort()) this.skip();
    await configure({ host: '127.0.0.1', port: simPort(), clientId: 90 });
    assert.notEqual(api.connection.status.phase, 'ready');
    await runAnd('ibGateway.showMenu', 'accept');
    await waitFor(() => api.connection.status.phase === 'ready', 'ready after the menu');
  });

  it('Get Quote and Add to Watchlist return nothing when the search is dismissed', async () => {
    await connectToSim(api);
    assert.equal(await runAnd('ibGateway.getQuote', 'dismiss'), undefined);
    assert.equal(await runAnd('ibGateway.addToWatchlist', 'dismiss'), undefined);
    assert.equal(await runAnd('ibGateway.fetchCandles', 'dismiss'), undefined);
    assert.deepEqual(api.watchlist.symbols(), ['MSFT', 'AAPL']);
  });

  it('Open Chart offers the watchlist; the first row opens its chart', async () => {
    const info = (await runAnd('ibGateway.openChart', 'accept')) as { symbol: string } | undefined;
    assert.equal(info?.symbol, 'MSFT');
    await waitFor(() => (api.charts.info('MSFT')?.candles ?? 0) > 0, 'MSFT candles', 30_000);
  });

  it('Remove from Watchlist offers the rows; the first is removed', async () => {
    const list = await runAnd('ibGateway.removeFromWatchlist', 'accept');
    assert.deepEqual(list, ['AAPL']);
    assert.deepEqual(vscode.workspace.getConfiguration('jax.ib').get('watchlist'), ['AAPL']);
  });
});
