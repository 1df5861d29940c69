// A person who clicked a watchlist row (the list has the keyboard focus) and
// opens the symbol search while prices stream: the search stays open. VS Code's
// tree takes the focus back after a refresh while it still believes it has it,
// which closed the search about once in fifty opens (see quick-input-calm.ts).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, sleep, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

describe('quick inputs over a focused, streaming watchlist', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL', 'MSFT', 'EUR.USD', 'GBP.USD', 'ES 202612 FUT@CME'] });
    gateway = await connectToPinnedSim(api);
    await vscode.commands.executeCommand('ibWatchlist.focus');
    await waitFor(() => api.watchlist.rows().filter((r) => r.quote).length === 5, 'five streaming rows', 30_000);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await gateway.stop();
    await resetSettings();
  });

  it('the symbol search opened 40 times from a focused row stays open each time while the rows move', async function () {
    this.timeout(180_000);
    const closedByItself: number[] = [];
    for (let i = 0; i < 40; i++) {
      // a click on a row: the list has the focus, as when a person opens the search from there
      await api.test.selectRow(i % 2 ? 'AAPL' : 'MSFT');
      const renders = api.test.renderCount();
      const result = Promise.resolve(vscode.commands.executeCommand('ibGateway.getQuote'));
      await waitFor(() => api.test.symbolPicker(), 'the search');
      await sleep(400);
      if (!api.test.symbolPicker()) closedByItself.push(i);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await result;
      await waitFor(() => !api.test.symbolPicker(), 'the search to close');
      // the rows went on moving around each open (10 s: once in a full run on the shared 2-core machine
      // none came within 5 s; each row rests a second between renders and a hovered one 8 s)
      await waitFor(() => api.test.renderCount() > renders, 'a row rendered', 10_000);
    }
    assert.deepEqual(closedByItself, [], 'the search closed by itself (the list took the focus back) at these opens');
  });

  it('the symbol search opened just after a symbol was added or removed (the whole list redrawn) stays open', async function () {
    this.timeout(180_000);
    const closedByItself: number[] = [];
    const base = api.watchlist.symbols();
    for (let i = 0; i < 20; i++) {
      await api.test.selectRow('AAPL');
      // the list changes as the search opens: a row added or taken away (the setting written, then read back)
      const list = i % 2 ? base : [...base, 'KO'];
      const changed = configure({ watchlist: list });
      const result = Promise.resolve(vscode.commands.executeCommand('ibGateway.getQuote'));
      await waitFor(() => api.test.symbolPicker(), 'the search');
      await changed;
      await sleep(500);
      if (!api.test.symbolPicker()) closedByItself.push(i);
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await result;
      await waitFor(() => !api.test.symbolPicker(), 'the search to close');
      await waitFor(() => api.watchlist.symbols().length === list.length, 'the list as written');
    }
    assert.deepEqual(closedByItself, [], 'the search closed by itself at these opens');
  });
});
