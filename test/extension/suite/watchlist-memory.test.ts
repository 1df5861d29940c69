// What the watchlist's drawing leaves in the extension host. VS Code keeps a
// small object for every tree row it ever drew, for as long as the tree view
// lives; the extension makes its view again while it is hidden, so that goes.
// The heap is read after a full garbage collection (the inspector's, in this host).
import * as assert from 'node:assert/strict';
import { Session } from 'node:inspector';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, deadPort, getApi, resetSettings, sleep, waitFor } from './helpers';

const ROWS = 200;
const DRAWS = 20_000;

async function heapAfterGc(): Promise<number> {
  const session = new Session();
  session.connect();
  try {
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((resolve, reject) => session.post('HeapProfiler.collectGarbage', (err) => (err ? reject(err) : resolve())));
    }
  } finally {
    session.disconnect();
  }
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

describe('the watchlist view and memory', function () {
  this.timeout(240_000);
  let api: IbGatewayTestApi;
  const symbols = Array.from({ length: ROWS }, (_, i) => `MEM${String(i + 1).padStart(3, '0')}`);

  before(async () => {
    api = await getApi();
    // not connected (nothing listens there): the rows stay, with dashes, and nothing streams to move the heap
    await configure({ enabled: true, autoConnect: false, host: '127.0.0.1', port: await deadPort(), clientId: 472, watchlist: symbols });
    await vscode.commands.executeCommand('ibWatchlist.focus');
    await waitFor(() => api.test.watchlistShown() && api.watchlist.rows().length === ROWS, `the view shown with ${ROWS} rows`);
  });

  after(async () => {
    await resetSettings();
  });

  it('lets go of what VS Code kept for the rows it drew once the view is hidden; shown again, every row is there, the selected row still selected', async () => {
    await api.test.selectRow('MEM010');
    await waitFor(() => api.test.watchlistView().selection.join() === 'MEM010', 'MEM010 selected');
    const remakesBefore = api.test.watchlistView().remakes;
    const heap0 = await heapAfterGc();
    const drawn0 = api.test.renderCount();
    while (api.test.renderCount() - drawn0 < DRAWS) {
      const n = api.test.renderCount();
      api.test.redrawWatchlist();
      await waitFor(() => api.test.renderCount() >= n + ROWS, 'VS Code to draw every row again', 10_000);
    }
    const drawn = api.test.renderCount() - drawn0;
    const heap1 = await heapAfterGc();
    // another view in the side bar: the watchlist is hidden and made again
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(() => !api.test.watchlistShown(), 'the watchlist hidden');
    await waitFor(() => api.test.watchlistView().remakes > remakesBefore, 'the view made again while hidden');
    await sleep(500);
    const heap2 = await heapAfterGc();
    console.log(
      `      ${drawn} rows drawn: heap after GC ${mb(heap0)} -> ${mb(heap1)} (+${mb(heap1 - heap0)}, ${((heap1 - heap0) / drawn).toFixed(0)} bytes a row) -> hidden and made again ${mb(heap2)} (${heap2 >= heap0 ? '+' : ''}${mb(heap2 - heap0)})`,
    );
    assert.ok(heap2 - heap0 < 2e6, `the heap stays ${mb(heap2 - heap0)} above where it was before ${drawn} rows were drawn`);

    // shown again: VS Code asks the new view for every row, and the commands' selection works
    const before = api.test.renderCount();
    await vscode.commands.executeCommand('ibWatchlist.focus');
    await waitFor(() => api.test.watchlistShown(), 'the watchlist shown again');
    await waitFor(() => api.test.renderCount() >= before + ROWS, 'every row drawn again');
    await waitFor(() => api.test.watchlistView().selection.join() === 'MEM010', 'MEM010 still selected');
    await api.test.selectRow('MEM007');
    await waitFor(() => api.test.watchlistView().selection.join() === 'MEM007', 'MEM007 selected');
  });

  it('made again while shown (as in a window in the background), every row is drawn again and the selected row stays selected', async () => {
    await vscode.commands.executeCommand('ibWatchlist.focus');
    await api.test.selectRow('MEM042');
    await waitFor(() => api.test.watchlistView().selection.join() === 'MEM042', 'MEM042 selected');
    const { remakes } = api.test.watchlistView();
    const before = api.test.renderCount();
    await api.test.remakeWatchlistView();
    assert.equal(api.test.watchlistView().remakes, remakes + 1);
    await waitFor(() => api.test.renderCount() >= before + ROWS, 'every row drawn by the new view');
    await waitFor(() => api.test.watchlistShown(), 'the view still shown');
    await waitFor(() => api.test.watchlistView().selection.join() === 'MEM042', 'MEM042 selected again');
    // the commands work on the new view: Delete removes the selected row
    await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', { selected: true });
    await waitFor(() => !api.watchlist.rows().some((r) => r.symbol === 'MEM042'), 'MEM042 removed');
  });
});
