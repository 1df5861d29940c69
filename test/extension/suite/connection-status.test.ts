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
    await waitFor(
      () => api.quotes.activeLines >= 2 && new RegExp(`${api.quotes.activeLines} streaming`).test(api.statusText()),
      'the streaming count of the watchlist',
    );
    // Connect again while connected: it says so (it said nothing), and the connection stays as it is
    const id = st.clientId;
    await vscode.commands.executeCommand('ibGateway.connect');
    assert.ok(
      api.test.recentLog().some((l) => l.includes(`already connected to ${st.host}:${st.port} as client ${id}`)),
      'said so',
    );
    assert.equal(api.connection.status.phase, 'ready');
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
    assert.deepEqual(
      api.watchlist.treeItems().map((i) => i.label),
      before,
    );
    for (const item of api.watchlist.treeItems()) assert.match(String(item.description), /not connected|^—$/);
    assert.match(api.test.watchlistMessage() ?? '', /^Not connected: the last known values\./);
    // a row that never had a value shows a dash, and nothing above the rows calls it last known
    await configure({ watchlist: ['KO'] });
    await waitFor(
      () =>
        api.watchlist
          .treeItems()
          .map((i) => i.label)
          .join() === 'KO',
      'the KO row alone',
    );
    assert.equal(api.watchlist.treeItems()[0].description, '—');
    assert.match(api.test.watchlistMessage() ?? '', /^Not connected\. Run IB: Connect \(in this view.s title bar or the status bar\)/);
    await configure({ watchlist: ['AAPL', 'MSFT'] });
    await waitFor(() => api.watchlist.treeItems().length === 2, 'the rows back');
    await waitFor(() => api.quotes.activeLines === 0, 'every line closed');
    // what the gateway said of its farms and its link is not shown as if it still held
    const tip = api.statusTooltip();
    assert.doesNotMatch(tip, /Data farms|IB link/, tip);
    assert.match(tip, /Streaming \| nothing: not connected/);
  });

  it('Disconnect sticks: Get Quote afterwards does not reconnect (nor re-subscribe the rows) and offers Connect', async () => {
    await connectToSim(api);
    await waitFor(() => api.quotes.activeLines >= 2, 'the watchlist streaming');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await waitFor(() => api.quotes.activeLines === 0, 'every line closed');
    const phases: string[] = [];
    const sub = api.connection.onStatus((s) => phases.push(s.phase));
    try {
      assert.equal(await vscode.commands.executeCommand('ibGateway.getQuote', 'AAPL'), undefined, 'refused while disconnected on request');
      assert.equal(api.connection.status.phase, 'disconnected');
      assert.deepEqual(phases, [], 'no connection attempt');
      assert.equal(api.quotes.activeLines, 0, 'no row subscribed again');
    } finally {
      sub.dispose();
    }
    // Connect is the way back
    const status = (await vscode.commands.executeCommand('ibGateway.connect')) as { phase: string };
    assert.equal(status.phase, 'ready');
    assert.ok(await vscode.commands.executeCommand('ibGateway.getQuote', 'AAPL'), 'a quote once connected again');
    await vscode.commands.executeCommand('ibGateway.disconnect');
  });

  it('Connect to a gateway that is not there (502) says so and keeps trying with the backoff', async () => {
    const port = await deadPort();
    await configure({ port, 'reconnect.initialDelayMs': 200, 'reconnect.maxDelayMs': 1000 });
    const status = (await vscode.commands.executeCommand('ibGateway.connect')) as { phase: string };
    assert.equal(status.phase, 'reconnecting', 'a failed manual connect is retried like the start-up one');
    assert.match(api.statusText(), /^IB \$\(sync~spin\) reconnecting/);
    assert.equal(api.statusSeverity(), 'warning');
    assert.match(api.statusTooltip(), /not reachable/);
    // the notice is short (it was seven lines with the gateway's set-up steps, which the log and the hover keep)
    const notice = api.test
      .recentLog()
      .filter((l) => l.includes('Trying again in the background'))
      .pop();
    assert.ok(notice?.endsWith(`No IB Gateway/TWS answers at 127.0.0.1:${port} yet. Trying again in the background (the status bar counts down).`), notice);
    assert.ok(
      api.test.recentLog().some((l) => l.includes('Enable ActiveX and Socket Clients')),
      'the set-up steps in the log',
    );
    await waitFor(() => (api.connection.status.attempt ?? 0) >= 2, 'a second attempt');
    assert.equal(api.connection.status.error?.code, 502);
    // the view says it is waiting, as the status bar does, rather than asking for a Connect already made
    assert.match(api.test.watchlistMessage() ?? '', new RegExp(`Waiting for IB Gateway/TWS at 127\\.0\\.0\\.1:${port} \\(the status bar counts down\\)`));
    // a command meanwhile does not cut the retries short
    assert.equal(await vscode.commands.executeCommand('ibGateway.getQuote', 'AAPL'), undefined);
    assert.equal(api.connection.status.phase, 'reconnecting');
    await waitFor(() => (api.connection.status.attempt ?? 0) >= 3, 'a third attempt');
  });

  it('changing the port while retrying connects once to the new one', async function () {
    if (!simPort()) this.skip();
    await configure({ port: simPort(), 'reconnect.initialDelayMs': undefined, 'reconnect.maxDelayMs': undefined });
    await waitFor(() => api.connection.status.phase === 'ready', 'ready on the new port');
    assert.equal(api.connection.status.port, simPort());
    await vscode.commands.executeCommand('ibGateway.disconnect');
  });

  it('Disconnect while retrying stops the retries', async () => {
    const port = await deadPort();
    await configure({ port, 'reconnect.initialDelayMs': 100, 'reconnect.maxDelayMs': 1000 });
    await vscode.commands.executeCommand('ibGateway.connect');
    assert.equal(api.connection.status.phase, 'reconnecting');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    assert.equal(api.connection.status.phase, 'disconnected');
    const phases: string[] = [];
    const sub = api.connection.onStatus((s) => phases.push(s.phase));
    await new Promise((r) => setTimeout(r, 500));
    sub.dispose();
    assert.deepEqual(phases, [], 'no attempt after Disconnect');
    await configure({ 'reconnect.initialDelayMs': undefined, 'reconnect.maxDelayMs': undefined });
  });

  it('at start-up, a gateway that is not up yet is waited for (quietly, once connected before), then connected when it starts', async () => {
    const port = await deadPort();
    // this machine was connected to that gateway before (a simulated one does not count: its account is DUSIM...)
    const earlier = new SimServer({ port, tickIntervalMs: 100, clock: { start: suiteMarketTime() }, account: 'DU7654321' });
    await earlier.start();
    await configure({ port });
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.port === port, 'connected to it once');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await earlier.stop();
    await configure({ port, autoConnect: true, 'reconnect.initialDelayMs': 200, 'reconnect.maxDelayMs': 1000 });
    await api.test.startUp();
    await waitFor(() => api.connection.status.phase === 'reconnecting', 'waiting for the gateway');
    // VS Code opened before the gateway, as every morning: no notification (this window was connected before), the log says it
    assert.ok(!api.test.recentLog().some((l) => l.includes(`answers at 127.0.0.1:${port} yet`)), 'no notification');
    assert.ok(
      api.test.recentLog().some((l) => /start-up: .*Trying again in the background\.$/.test(l)),
      api.test.recentLog().slice(-3).join(' | '),
    );
    assert.match(api.statusText(), /^IB \$\(sync~spin\) reconnecting \((attempt \d+|waiting)/);
    assert.equal(api.statusSeverity(), 'warning');
    assert.match(api.statusTooltip(), /not reachable/);
    const attempts = await waitFor(() => ((api.connection.status.attempt ?? 0) >= 2 ? api.connection.status.attempt : undefined), 'a second attempt');
    assert.ok(attempts >= 2);
    // standing for a real gateway (a paper account's name: a DUSIM one is shown as simulated and never counts as connected before)
    const gateway = new SimServer({ port, tickIntervalMs: 100, clock: { start: suiteMarketTime() }, account: 'DU7654321' });
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
