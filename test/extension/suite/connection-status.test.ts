// The status bar through every connection state, against the simulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SimServer } from '../../../src/sim/server';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, connectToSim, deadPort, getApi, resetSettings, simPort, suiteMarketTime, waitFor } from './helpers';

describe('connection and status bar', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL', 'MSFT'] });
  });

  after(async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await resetSettings();
  });

  it('shows "IB" first in every state, starting disconnected or failed before any gateway is set', () => {
    assert.match(api.statusText(), /^IB\b/);
  });

  it('connects to the simulator and shows ready with the paper account and the streaming count', async () => {
    await connectToSim(api);
    const st = api.connection.status;
    assert.equal(st.phase, 'ready');
    assert.ok(st.accounts && st.accounts.length > 0, 'accounts are known once ready');
    const text = await waitFor(() => (/streaming/.test(api.statusText()) ? api.statusText() : undefined), 'a ready status text');
    assert.match(text, /^IB /);
    assert.ok(text.includes(st.accounts![0]), `the account is shown: ${text}`);
    assert.match(text, st.simulated ? /SIMULATED/ : /PAPER|LIVE/);
    await waitFor(() => api.quotes.activeLines >= 2 && new RegExp(`${api.quotes.activeLines} streaming`).test(api.statusText()), 'the streaming count of the watchlist');
    const tip = api.statusTooltip();
    assert.ok(tip.includes(`${st.host}:${st.port}`), 'tooltip has host:port');
    assert.ok(tip.includes(String(st.clientId)), 'tooltip has the client id');
    assert.ok(tip.includes(String(st.serverVersion)), 'tooltip has the server version');
    assert.match(tip, /Connected since \| \d{4}-\d\d-\d\d/);
    assert.match(tip, /Data farms \|.*\$\(check\)/);
  });

  it('Disconnect stops streaming and says disconnected; the rows stay with their last values', async () => {
    const before = api.watchlist.treeItems().map((i) => i.label);
    const status = (await vscode.commands.executeCommand('ibGateway.disconnect')) as { phase: string };
    assert.equal(status.phase, 'disconnected');
    assert.match(api.statusText(), /^IB.*disconnected/);
    assert.deepEqual(api.watchlist.treeItems().map((i) => i.label), before);
    for (const item of api.watchlist.treeItems()) assert.match(String(item.description), /not connected|^—$/);
    await waitFor(() => api.quotes.activeLines === 0, 'every line closed');
  });

  it('a gateway that is not there ends in failed (502) with the human sentence in the tooltip', async () => {
    const port = await deadPort();
    await configure({ port });
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => api.connection.status.phase === 'failed', 'the failed phase', 30_000);
    assert.match(api.statusText(), /^IB.*failed \(502\)/);
    assert.equal(api.statusSeverity(), 'error');
    assert.match(api.statusTooltip(), /not reachable/);
  });

  it('changing the port while failed connects once to the new one', async function () {
    if (!simPort()) this.skip();
    await configure({ port: simPort() });
    await waitFor(() => api.connection.status.phase === 'ready', 'ready on the new port');
    assert.equal(api.connection.status.port, simPort());
  });

  it('at start-up, a gateway that is not up yet is waited for, then connected when it starts', async () => {
    const port = await deadPort();
    await configure({ port, autoConnect: true, 'reconnect.initialDelayMs': 200, 'reconnect.maxDelayMs': 600 });
    await api.test.startUp();
    await waitFor(() => api.connection.status.phase === 'reconnecting', 'waiting for the gateway');
    assert.match(api.statusText(), /^IB \$\(sync~spin\) reconnecting \((attempt \d+|waiting)/);
    assert.equal(api.statusSeverity(), 'warning');
    assert.match(api.statusTooltip(), /not reachable/);
    const attempts = await waitFor(() => ((api.connection.status.attempt ?? 0) >= 2 ? api.connection.status.attempt : undefined), 'a second attempt');
    assert.ok(attempts >= 2);
    const gateway = new SimServer({ port, tickIntervalMs: 100, clock: { start: suiteMarketTime() } });
    await gateway.start();
    try {
      await waitFor(() => api.connection.status.phase === 'ready', 'ready once the gateway is up', 30_000);
      assert.equal(api.connection.status.port, port);
      await waitFor(() => api.watchlist.rows().every((r) => r.quote !== undefined), 'the watchlist streaming');
    } finally {
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await gateway.stop();
      await configure({ autoConnect: undefined, 'reconnect.initialDelayMs': undefined, 'reconnect.maxDelayMs': undefined });
    }
  });
});
