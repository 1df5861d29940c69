// A long, busy watchlist in the real VS Code: its rows take turns, so the
// extension asks VS Code to draw at most 100 rows a second (at most 50 every
// 500 ms) however many rows stream, and VS Code still draws every row in turn.
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

  it('asks VS Code to draw at most 50 rows every 500 ms, and VS Code draws every row in turn', async () => {
    assert.ok(api.test.watchlistShown(), 'the view is shown');
    const t0 = Date.now();
    const before = api.test.watchlistDraws().asked;
    // VS Code draws every row at least three more times: each takes its turn
    await waitFor(
      () => {
        const now = api.test.watchlistDraws().asked;
        return symbols.every((s) => (now[s] ?? 0) >= (before[s] ?? 0) + 3);
      },
      'every row drawn three more times',
      30_000,
    );
    const fires = api.test.watchlistDraws().fires.filter((f) => f.at >= t0);
    assert.ok(fires.length >= 4, `${fires.length} times asked`);
    for (const f of fires) assert.ok(f.rows <= 50, `${f.rows} rows asked for at once`);
    // one request per 500 ms at most (timers may run a millisecond early by the wall clock)
    for (let i = 1; i < fires.length; i++) assert.ok(fires[i].at - fires[i - 1].at >= 498, `asked again after ${fires[i].at - fires[i - 1].at} ms`);
    // 60 busy rows at 2 refreshes a second would be 120 rows a second: the pace, not the prices, sets the rate
    const total = fires.reduce((n, f) => n + f.rows, 0);
    const seconds = (fires[fires.length - 1].at - fires[0].at) / 1000;
    assert.ok(total <= 100 * seconds + 50, `${total} rows asked for in ${seconds.toFixed(2)} s`);
  });
});
