// IB Gateway/TWS's API port changed in its settings while connected (1300, "Please reconnect on the
// new port - N"): the extension does not knock on the old port forever; the status bar says where
// the gateway went, and its menu takes the connection there.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SimServer } from '../../../src/sim/server';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { marketTime } from '../../support/market-times';
import { configure, getApi, resetSettings, runAndAccept, sleep, waitFor } from './helpers';

describe('IB Gateway/TWS moves its API to another port (1300)', function () {
  this.timeout(60_000);
  let api: IbGatewayTestApi;
  let before: SimServer;
  let after: SimServer;

  beforeEach(async () => {
    api = await getApi();
    await vscode.commands.executeCommand('ibGateway.disconnect');
    before = new SimServer({ port: 0, clock: { start: marketTime('regularSession') } });
    after = new SimServer({ port: 0, clock: { start: marketTime('regularSession') } });
    const [a] = await Promise.all([before.start(), after.start()]);
    await configure({ enabled: true, host: '127.0.0.1', port: a.port, clientId: 41, watchlist: ['AAPL'] });
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.port === a.port, 'ready on the first port');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await before?.stop();
    await after?.stop();
    await resetSettings();
  });

  it('the status bar says which port it went to, and its menu moves the connection there', async () => {
    const oldPort = before.address!.port;
    const newPort = after.address!.port;
    before.faults.portMoved(newPort);
    await waitFor(() => api.connection.status.phase === 'failed' && api.connection.status.error?.code === 1300, 'failed with 1300');
    assert.match(api.connection.status.error?.message ?? '', new RegExp(`now takes API connections on port ${newPort}, not ${oldPort}`));
    assert.match(api.statusTooltip(), new RegExp(`port ${newPort}`), 'the status bar hover says where it went');
    assert.equal(api.statusSeverity(), 'error');
    // not tried again on the old port: still failed a while later
    await sleep(1500);
    assert.equal(api.connection.status.phase, 'failed');
    assert.equal(before.clientCount(), 0);
    // the menu's first item: Use Port N
    await runAndAccept('ibGateway.showMenu');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.port === newPort, 'ready on the new port');
    assert.equal(vscode.workspace.getConfiguration('jax.ib').get('port'), newPort);
  });
});
