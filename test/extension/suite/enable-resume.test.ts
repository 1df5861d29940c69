// "IB is disabled" with its Enable button: pressing it turns IB on and carries on
// with the command that asked, as the person would expect (issue 16 #13).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, connectToSim, getApi, resetSettings, sleep, waitFor } from './helpers';

/** Presses the first button of the newest notification (as Enter on a focused toast does) until `done`. */
async function pressPrimaryUntil(done: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 20_000;
  while (!done()) {
    if (Date.now() > until) assert.fail(`timed out pressing the notification's button for ${what}`);
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    await sleep(200);
  }
}

const enabledSetting = () => vscode.workspace.getConfiguration('jax.ib').get<boolean>('enabled') === true;

describe('Enable on "IB is disabled" resumes the command', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await connectToSim(api);
  });

  beforeEach(async () => {
    await configure({ enabled: false });
    await waitFor(() => api.connection.status.phase === 'disabled', 'the disabled phase');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  after(async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await resetSettings();
  });

  it('Get Quote while disabled -> Enable -> the Get Quote search opens, and Enter shows the quote', async () => {
    assert.equal(await vscode.commands.executeCommand('ibGateway.getQuote'), undefined, 'refused while disabled');
    assert.equal(api.test.symbolPicker(), undefined, 'no search while disabled');
    await pressPrimaryUntil(enabledSetting, 'Enable');
    const picker = await waitFor(() => api.test.symbolPicker(), 'the Get Quote search, resumed after Enable');
    await waitFor(() => api.connection.status.phase === 'ready', 'connected again');
    picker.type('AAPL');
    await waitFor(() => {
      const p = api.test.symbolPicker();
      return p && p.value === 'AAPL' && !p.busy && p.active()?.startsWith('AAPL');
    }, 'the AAPL row');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const rows = await waitFor(() => api.test.details()?.find((r) => r.label === 'Bid')?.description && api.test.details(), 'the quote details');
    assert.ok(rows.length > 3, JSON.stringify(rows));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('Add to Watchlist with a symbol while disabled -> Enable -> the symbol is added', async () => {
    await configure({ watchlist: ['AAPL'] });
    assert.equal(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'MSFT'), undefined, 'refused while disabled');
    assert.deepEqual(api.watchlist.symbols(), ['AAPL']);
    await pressPrimaryUntil(enabledSetting, 'Enable');
    await waitFor(() => api.watchlist.symbols().includes('MSFT'), `MSFT added after Enable (list: ${JSON.stringify(api.watchlist.symbols())})`, 30_000);
  });

  it('IB turned on again (as IB: Enable IB writes the setting) connects by itself while autoConnect is on; with it off, it waits for Connect', async () => {
    await configure({ enabled: true });
    await waitFor(() => api.connection.status.phase === 'ready', 'connected again by itself');
    await configure({ enabled: false, autoConnect: false });
    await waitFor(() => api.connection.status.phase === 'disabled', 'disabled');
    try {
      await configure({ enabled: true });
      await waitFor(() => api.connection.status.phase === 'disconnected', 'enabled, not connected');
      await sleep(1000);
      assert.equal(api.connection.status.phase, 'disconnected', 'autoConnect off: nothing connects by itself');
    } finally {
      await configure({ autoConnect: undefined });
    }
  });
});
