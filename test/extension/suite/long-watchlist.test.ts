// A long, busy watchlist in the real VS Code: its rows take turns, so the
// extension asks VS Code to draw at most 100 rows a second however many rows
// stream, and every row is still drawn with its latest values about once a
// second.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SimServer } from '../../../src/sim/server';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { TUESDAY_OPEN } from './pinned-sim';

const ROWS = 60;

describe('a long watchlist', function () {
  this.timeout(120_000);
  let api: IbGatewayTestApi;
  let sim: SimServer;
  const symbols = Array.from({ length: ROWS }, (_, i) => `SIM${String(i + 1).padStart(3, '0')}`);

  before(async () => {
    api = await getApi();
    // every line ticks ten times a second: each row's text changes at every refresh
    sim = new SimServer({ host: '127.0.0.1', port: 0, tickIntervalMs: 100, clock: { start: TUESDAY_OPEN }, syntheticStocks: ROWS });
    const { port } = await sim.start();
    await configure({ enabled: true, host: '127.0.0.1', port, clientId: 470, watchlist: symbols });
    await vscode.commands.executeCommand('ibGateway.connect');
    await vscode.commands.executeCommand('ibWatchlist.focus');
    await waitFor(() => api.connection.status.phase === 'ready' && api.connection.status.port === port, 'ready on the simulator');
    await waitFor(() => api.watchlist.rows().filter((r) => r.quote).length === ROWS, `all ${ROWS} rows quoted`, 60_000);
  });

  after(async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await sim.stop();
    await resetSettings();
  });

  it('asks VS Code to draw at most 100 rows a second, every row in turn', async () => {
    assert.ok(api.test.watchlistShown(), 'the view is shown');
    const from = api.test.renders().length;
    const t0 = performance.now();
    const asked = () =>
      api.test
        .renders()
        .slice(from)
        .filter((r) => r.asked);
    // every row drawn again at least twice: each takes its turn
    await waitFor(() => symbols.every((s) => asked().filter((r) => r.symbol === s).length >= 2), 'every row drawn twice', 30_000);
    const seconds = (performance.now() - t0) / 1000;
    const count = asked().length;
    // the first batch leaves at once: one interval's share (25 rows) on top of the pace
    assert.ok(count <= 100 * seconds + 25, `${count} rows asked for in ${seconds.toFixed(2)} s`);
    // at 60 busy rows the pace, not the prices, sets the rate: well over the 240 a second that four refreshes would ask
    assert.ok(seconds >= 0.9, `every row drawn twice within ${seconds.toFixed(2)} s: faster than the pace allows`);
  });
});
