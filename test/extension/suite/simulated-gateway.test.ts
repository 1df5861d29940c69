// Start/Stop Simulated Gateway: the built-in simulator in the extension host,
// labelled SIMULATED, and the status bar through a restart and a farm blip.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SimServer } from '../../../src/sim/server';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';

describe('simulated gateway', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL', 'EUR.USD'], 'reconnect.initialDelayMs': 200, 'reconnect.maxDelayMs': 1000 });
  });

  after(async () => {
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await configure({ 'reconnect.initialDelayMs': undefined, 'reconnect.maxDelayMs': undefined });
    await resetSettings();
  });

  it('Start Simulated Gateway runs it on a loopback port and connects, labelled SIMULATED', async () => {
    const address = (await vscode.commands.executeCommand('ibGateway.startSimulator')) as { host: string; port: number };
    assert.equal(address.host, '127.0.0.1');
    assert.ok(address.port > 0);
    assert.equal(api.simulator().running, true);
    await waitFor(() => api.connection.status.phase === 'ready', 'ready on the simulated gateway');
    assert.equal(api.connection.status.simulated, true);
    assert.equal(api.connection.status.port, address.port);
    assert.match(api.statusText(), /^IB SIMULATED DUSIM\d+/);
    assert.match(api.statusTooltip(), /SIMULATED/);
    // its market time is said (it replays a past session at night and at weekends: its quotes' times are its own)
    const said = api.test.recentLog().find((l) => l.includes('SIMULATED gateway running'));
    assert.match(said ?? '', /Its market time: \w{3}, \w{3} \d{1,2}, \d\d:\d\d in New York/, said);
    await waitFor(() => api.watchlist.rows().every((r) => r.quote?.last !== undefined || r.quote?.bid !== undefined), 'quotes for every row');
    // a row's hover says so too: the simulated clock may be hours from this one
    const tip = (api.watchlist.treeItems()[0].tooltip as vscode.MarkdownString).value;
    assert.match(tip, /\*\*SIMULATED\*\* gateway: prices and times are not real/);
    // and the quote details
    void vscode.commands.executeCommand('ibGateway.showQuoteDetails', { symbol: 'AAPL' });
    const title = await waitFor(() => api.test.detailsTitle(), 'the quote details');
    assert.match(title, /^AAPL: quote details .* · SIMULATED$/);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await waitFor(() => api.test.detailsTitle() === undefined, 'the quote details closed');
    // and the quote table's title
    await vscode.commands.executeCommand('ibGateway.showQuoteTable');
    await waitFor(() => api.test.quoteTable().shown, 'the quote table shown', 30_000);
    assert.equal(api.test.quoteTable().description, 'SIMULATED');
    // the panel's tab shows neither a view's title nor its description: the page shows a badge
    await waitFor(() => api.test.quoteTable().simulatedBadge === true, 'the quote table told to show its SIMULATED badge');
    assert.equal(api.test.quoteTable().offline, '', 'streaming: nothing said above the table');
    // in the titles VS Code shows (a view alone in its container shows no description)
    assert.equal(api.test.watchlistView().title, 'SIMULATED Watchlist');
  });

  it('a window reload while the simulated gateway is in use starts it again (the reload ends the extension host it runs in); Stop Simulated Gateway forgets it', async () => {
    await vscode.commands.executeCommand('ibGateway.startSimulator');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.simulated, 'ready on the simulated gateway');
    // its clock has run a while (since the suite started it)
    const simNow = () => api.test.simulatorServer()!.clock.now();
    const startedAt = api.test.simulatorServer()!.clock.start;
    await waitFor(() => simNow() - startedAt >= 1000 || undefined, 'a second of simulated time');
    const before = simNow();
    await api.test.endAsOnReload();
    assert.equal(api.simulator().running, false);
    // what activation starts in the reloaded window
    await api.test.startUp();
    await waitFor(() => api.simulator().running && api.connection.status.phase === 'ready' && api.connection.status.simulated, 'the simulated gateway again');
    // its clock goes on from where it was: the quotes and the day's bars do not go back
    const after = simNow();
    assert.ok(
      after >= before && after - before < 120_000,
      `the simulated clock went on: ${new Date(before).toISOString()} -> ${new Date(after).toISOString()}`,
    );
    await waitFor(() => api.watchlist.rows().every((r) => r.quote?.last !== undefined || r.quote?.bid !== undefined), 'quotes for every row again');
    // stopped by a person: not started again by the next start-up
    const atStop = simNow();
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await api.test.startUp();
    assert.equal(api.simulator().running, false);
    assert.notEqual(api.connection.status.simulated, true);
    await vscode.commands.executeCommand('ibGateway.startSimulator');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.simulated, 'ready on the simulated gateway');
    // started again by a person: its market time goes on from the stop, never back (volumes and day highs would shrink)
    const restarted = api.test.simulatorServer()!.clock.start;
    assert.ok(restarted >= atStop, `the simulated clock went on from the stop: ${new Date(atStop).toISOString()} -> ${new Date(restarted).toISOString()}`);
  });

  it('a reloaded window whose simulated gateway cannot start again (its port now taken) forgets it: the next start-up does not try', async () => {
    const net = await import('node:net');
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
    const port = (taken.address() as { port: number }).port;
    try {
      await api.test.endAsOnReload();
      await configure({ 'simulator.port': port });
      const tries = () => api.test.recentLog().filter((l) => l.includes('starting the simulated gateway again')).length;
      const before = tries();
      await api.test.startUp();
      assert.equal(api.simulator().running, false);
      assert.equal(tries(), before + 1);
      await api.test.startUp();
      assert.equal(tries(), before + 1, 'not tried again');
    } finally {
      await configure({ 'simulator.port': undefined });
      await new Promise((r) => taken.close(r));
    }
    await vscode.commands.executeCommand('ibGateway.startSimulator');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.simulated, 'ready on the simulated gateway');
  });

  it("a fixed simulator port another window's simulated gateway holds: said with the way out, and autoStart falls back to the configured gateway (that one, here), shown as SIMULATED", async () => {
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    // the other window's simulated gateway, on the port both windows' settings name
    const other = new SimServer({ port: 0, tickIntervalMs: 100 });
    const { port } = await other.start();
    try {
      await configure({ 'simulator.port': port, 'simulator.autoStart': true, port, autoConnect: true });
      await api.test.startUp();
      await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.port === port, 'connected to the other window’s simulated gateway');
      assert.equal(api.simulator().running, false, 'none of its own');
      assert.equal(api.connection.status.simulated, true, 'known by its account, not taken for a paper account');
      assert.match(api.statusText(), /^IB SIMULATED /);
      assert.ok(
        api.test
          .recentLog()
          .some(
            (l) => l.includes(`port ${port} is in use, by another window's simulated gateway or another program`) && l.includes(`set jax.ib.port to ${port}`),
          ),
        api.test.recentLog().slice(-3).join(' | '),
      );
    } finally {
      await vscode.commands.executeCommand('ibGateway.disconnect');
      await configure({ 'simulator.port': undefined, 'simulator.autoStart': undefined, port: undefined, autoConnect: undefined });
      await other.stop();
    }
    await vscode.commands.executeCommand('ibGateway.startSimulator');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.simulated, 'ready on the simulated gateway');
    await waitFor(() => api.watchlist.rows().every((r) => r.quote !== undefined), 'the rows streaming on its own again');
  });

  it('a gateway restart shows reconnecting with the attempt and a countdown, then ready again with the rows streaming', async () => {
    const server = api.test.simulatorServer();
    assert.ok(server);
    server.faults.restart(2500);
    const text = await waitFor(() => (api.connection.status.phase === 'reconnecting' ? api.statusText() : undefined), 'the reconnecting phase');
    assert.match(text, /^IB SIMULATED \$\(sync~spin\) reconnecting \((attempt \d+|waiting)/);
    assert.equal(api.statusSeverity(), 'warning');
    // meanwhile no row looks live: each says its values are the last known ones, and the view says what it waits for
    const rowsSay = () => api.watchlist.treeItems().map((i) => `${String(i.label)}: ${String(i.description)}`);
    // (a row not quoted yet shows a dash)
    assert.ok(rowsSay().some((r) => /\d/.test(r)) && rowsSay().every((r) => /last known, not connected|: —$/.test(r)), rowsSay().join(' | '));
    assert.match(api.test.watchlistMessage() ?? '', /^Not connected: the last known values\. Waiting for IB Gateway\/TWS at 127\.0\.0\.1:\d+/);
    await waitFor(() => api.connection.status.phase === 'ready', 'ready after the restart', 30_000);
    assert.ok(
      rowsSay().every((r) => !/not connected/.test(r)),
      rowsSay().join(' | '),
    );
    assert.equal(api.test.watchlistMessage(), undefined);
    // streaming again: every row's prices move after the restart (a forex quote's time is when it was received,
    // on the gateway's clock as measured for this connection, so it is not compared across connections)
    const priced = (q: { bid?: number; ask?: number; last?: number } | undefined) => (q ? `${q.bid}|${q.ask}|${q.last}` : '');
    const before = new Map(api.watchlist.rows().map((r) => [r.symbol, priced(r.quote)]));
    await waitFor(() => {
      const rows = api.watchlist.rows();
      if (rows.every((r) => r.quote !== undefined && priced(r.quote) !== before.get(r.symbol))) return true;
      // the failure says which row did not move, and what it holds
      const stale = rows.map((r) => ({
        symbol: r.symbol,
        before: before.get(r.symbol),
        now: priced(r.quote),
        error: r.error?.code,
        phase: api.connection.status.phase,
      }));
      throw new Error(JSON.stringify(stale));
    }, 'fresh quotes after the restart');
    const lines = server.activeMarketData();
    const conIds = lines.map((l) => l.conId);
    assert.equal(new Set(conIds).size, conIds.length, `no duplicate lines: ${JSON.stringify(lines)}`);
  });

  it('a drop and a reconnect draw each row again, never the whole list (VS Code forgets the rows until it asks for them again, and a click meanwhile is lost)', async () => {
    const server = api.test.simulatorServer()!;
    await vscode.commands.executeCommand('ibWatchlist.focus');
    await waitFor(() => api.test.watchlistShown() || undefined, 'the watchlist shown');
    const wholes = api.test.watchlistDraws().wholes;
    const symbols = api.watchlist.symbols();
    const from = api.test.renderCount();
    const drawnSaying = (pattern: RegExp) => () => {
      const drawn = new Set(
        api.test
          .renders(from)
          .filter((r) => pattern.test(r.key))
          .map((r) => r.symbol),
      );
      return symbols.every((s) => drawn.has(s)) || undefined;
    };
    server.faults.restart(1500);
    await waitFor(() => api.connection.status.phase === 'reconnecting' || undefined, 'the reconnecting phase');
    await waitFor(drawnSaying(/not connected/), 'every row drawn as last known');
    await waitFor(() => api.connection.status.phase === 'ready' || undefined, 'ready after the restart', 30_000);
    await waitFor(() => api.test.renders(from).some((r) => r.asked && !/not connected/.test(r.key)) || undefined, 'rows drawn live again');
    assert.equal(api.test.watchlistDraws().wholes, wholes, 'the whole list was not asked for again');
  });

  it('a data farm blip shows the broken farm in the status bar, then clears', async () => {
    const server = api.test.simulatorServer()!;
    server.faults.farmBlip(3000);
    await waitFor(() => /data farm .* down/.test(api.statusText()), 'the data-farm problem in the status bar');
    assert.equal(api.statusSeverity(), 'warning');
    await waitFor(() => /streaming/.test(api.statusText()), 'the farm back', 15_000);
  });

  it('an open chart says when the connection drops, keeps its bars, and goes live again when it is back', async () => {
    const server = api.test.simulatorServer()!;
    await vscode.commands.executeCommand('ibGateway.openChart', 'AAPL', { barSize: '5 secs', duration: '1800 S' });
    const live = await waitFor(
      () => {
        const i = api.charts.info('AAPL');
        return i && /^Live/.test(i.lastStatus ?? '') ? i : undefined;
      },
      'the chart live',
      30_000,
    );
    server.faults.restart(2500);
    const lost = await waitFor(() => {
      const i = api.charts.info('AAPL')!;
      return /reconnecting/.test(i.lastStatus ?? '') ? i : undefined;
    }, 'the chart saying the connection is lost');
    assert.match(lost.lastStatus!, new RegExp(`${lost.candles} bars kept`));
    assert.ok(lost.candles >= live.candles, 'the bars stay on screen');
    await waitFor(() => api.connection.status.phase === 'ready', 'ready after the restart', 30_000);
    await waitFor(() => /^Live/.test(api.charts.info('AAPL')!.lastStatus ?? ''), 'the chart live again', 60_000);
    // disconnected by a person: nothing brings it back by itself, and the chart says what does
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await waitFor(() => api.charts.info('AAPL')!.lastStatus === 'Disconnected from IB: connect to go on.' || undefined, 'the chart saying what brings it back');
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => api.connection.status.phase === 'ready', 'ready again');
  });

  it('while IB Gateway has lost its own link to IB (1100) the chart says so, not Live; then Live again (1102)', async () => {
    const server = api.test.simulatorServer()!;
    const rowsSay = () => api.watchlist.treeItems().map((i) => String(i.description));
    server.faults.connectivityLost();
    await waitFor(() => /^IB link lost: .* · \d+ bars kept$/.test(api.charts.info('AAPL')!.lastStatus ?? ''), "the chart saying IB's link is lost");
    // the watchlist too: its rows are the last known values, and the view says why
    assert.match(api.test.watchlistMessage() ?? '', /lost its link to IB's servers \(1100\): the last known values/);
    assert.ok(
      rowsSay().every((d) => /last known/.test(d)),
      rowsSay().join(' | '),
    );
    server.faults.connectivityRestored(false);
    await waitFor(() => /^Live · \d+ bars$/.test(api.charts.info('AAPL')!.lastStatus ?? ''), 'the chart live after 1102', 30_000);
    await waitFor(() => api.test.watchlistMessage() === undefined && rowsSay().every((d) => !/last known/.test(d)), 'the rows live again');
  });

  it('a symbol the account gets delayed data for says Delayed, never Live (SHOP@TSE)', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'SHOP@TSE', { barSize: '1 min', duration: '1 D' });
    const info = await waitFor(
      () => {
        const i = api.charts.info('SHOP@TSE');
        return i && i.candles > 0 && i.dataType ? i : undefined;
      },
      'SHOP@TSE bars and its data kind',
      30_000,
    );
    assert.equal(info.dataType, 'delayed');
    await waitFor(() => /^Delayed 15-20 min · \d+ bars$/.test(api.charts.info('SHOP@TSE')?.lastStatus ?? ''), 'the delayed status');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Disconnect leaves the simulated gateway running, and the watchlist says so (not "start one")', async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    assert.equal(api.simulator().running, true);
    const message = await waitFor(() => api.test.watchlistMessage(), 'the message above the rows');
    assert.match(message, /simulated gateway is still running/);
    assert.doesNotMatch(message, /Start Simulated Gateway/);
    await vscode.commands.executeCommand('ibGateway.connect');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.simulated, 'ready on the simulated gateway again');
  });

  it('Stop Simulated Gateway disconnects and goes back to the configured gateway', async () => {
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    assert.equal(api.simulator().running, false);
    assert.match(api.test.watchlistMessage() ?? '', /Start Simulated Gateway/);
    // not SIMULATED now, and not streaming: the quote table says so, as the watchlist does (not "…" in every row)
    await waitFor(() => api.test.quoteTable().description === 'not streaming', 'the quote table no longer SIMULATED, not streaming');
    await waitFor(
      () => /^Not connected\. Run IB: Connect/.test(api.test.quoteTable().offline ?? ''),
      () => `the quote table says why: ${api.test.quoteTable().offline}`,
    );
    await waitFor(() => api.test.quoteTable().simulatedBadge === false, "the quote table's badge gone");
    assert.equal(api.test.watchlistView().title, 'Watchlist');
    // its prices leave with it: none is left on a row as a last known value (they would read as real ones)
    assert.deepEqual(
      api.watchlist.rows().filter((r) => r.quote !== undefined),
      [],
      'no simulated price left on a row',
    );
    assert.doesNotMatch(api.test.watchlistMessage() ?? '', /last known/);
    assert.notEqual(api.connection.status.phase, 'ready');
    assert.equal(api.connection.status.simulated, false);
    assert.doesNotMatch(api.statusText(), /SIMULATED/);
  });
});
