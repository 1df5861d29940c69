// A click on a watchlist row opens its chart as a preview, as VS Code opens a
// file from the Explorer: the next row's chart takes its place, unless the
// preview was used (its range changed), clicked again, or opened by a command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

const ROWS = ['AAPL', 'MSFT', 'SPY', 'IBM', 'EUR.USD'];

describe('chart preview', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  /** Does what a click on the row does: runs the command VS Code runs, with its arguments. */
  async function clickRow(symbol: string): Promise<void> {
    const item = await waitFor(() => api.watchlist.treeItems().find((i) => i.label === symbol), `the ${symbol} row`);
    const command = item.command;
    assert.ok(command, `the ${symbol} row has a command`);
    // VS Code keeps a tree row's command arguments only until the row is drawn again: a click resolved just
    // before a redraw would run without them, so the row's command carries none
    assert.equal(command.arguments, undefined, `the ${symbol} row's command has arguments`);
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    await waitFor(() => api.charts.info(symbol)?.webviewReady, `the ${symbol} chart ready`, 30_000);
  }

  /** The chart tabs VS Code shows, by their symbol. */
  function chartTabs(): string[] {
    return vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('ibGateway.chart'))
      .map((t) => t.label.split(' · ')[0])
      .sort();
  }

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ROWS });
    gateway = await connectToPinnedSim(api);
  });

  afterEach(async () => {
    for (const s of api.charts.symbols()) api.test.closeChart(s);
    await waitFor(() => api.charts.symbols().length === 0, 'every chart closed');
    await vscode.workspace.getConfiguration('workbench.editor').update('enablePreview', undefined, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway.stop();
    await resetSettings();
  });

  it("browsing rows leaves one chart tab: each row's chart takes the place of the one before", async () => {
    await clickRow('AAPL');
    await clickRow('MSFT');
    await waitFor(() => !api.charts.symbols().includes('AAPL'), 'the AAPL preview replaced');
    await clickRow('SPY');
    await waitFor(() => api.charts.symbols().length === 1, 'one chart');
    assert.deepEqual(api.charts.symbols(), ['SPY']);
    await waitFor(
      () => chartTabs().join() === 'SPY',
      () => `one SPY tab, not ${chartTabs().join()}`,
    );
  });

  it('a preview whose range was changed is kept; so is one whose row was clicked again', async () => {
    await clickRow('AAPL');
    api.test.simulateMessage('AAPL', { type: 'changeRange', barSize: '1 hour', duration: '1 W' });
    await waitFor(() => api.charts.info('AAPL')?.barSize === '1 hour', 'the hourly range');
    await clickRow('MSFT');
    // clicked again (a double click): kept
    await clickRow('MSFT');
    await clickRow('SPY');
    await waitFor(
      () => chartTabs().length === 3,
      () => `three chart tabs, not ${chartTabs().join()}`,
    );
    assert.deepEqual(api.charts.symbols().sort(), ['AAPL', 'MSFT', 'SPY']);
    // SPY is the preview now: the next row's chart takes its place
    await clickRow('IBM');
    await waitFor(() => !api.charts.symbols().includes('SPY'), 'the SPY preview replaced');
    assert.deepEqual(api.charts.symbols().sort(), ['AAPL', 'IBM', 'MSFT']);
  });

  it('a chart opened by IB: Open Chart is never replaced by a row', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'IBM');
    await waitFor(() => api.charts.info('IBM')?.webviewReady, 'the IBM chart ready', 30_000);
    await clickRow('EUR.USD');
    await clickRow('SPY');
    assert.deepEqual(api.charts.symbols().sort(), ['IBM', 'SPY']);
  });

  it('a chart opened by a command meanwhile leaves the preview a preview; a preview pinned by a person is kept', async () => {
    await clickRow('AAPL');
    await vscode.commands.executeCommand('ibGateway.openChart', 'IBM');
    await waitFor(() => api.charts.info('IBM')?.webviewReady, 'the IBM chart ready', 30_000);
    await clickRow('MSFT');
    await waitFor(() => !api.charts.symbols().includes('AAPL'), 'the AAPL preview replaced');
    assert.deepEqual(api.charts.symbols().sort(), ['IBM', 'MSFT']);
    // pinned (VS Code's Pin), the preview is the person's: the next row opens beside it
    const tab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('MSFT'));
    await waitFor(() => tab(), 'the MSFT tab');
    const group = vscode.window.tabGroups.all.find((g) => g.tabs.includes(tab()!))!;
    if (group.activeTab !== tab()) await vscode.commands.executeCommand('workbench.action.openEditorAtIndex', group.tabs.indexOf(tab()!));
    await vscode.commands.executeCommand('workbench.action.pinEditor');
    await waitFor(() => tab()?.isPinned, 'the MSFT tab pinned');
    await clickRow('SPY');
    assert.deepEqual(api.charts.symbols().sort(), ['IBM', 'MSFT', 'SPY']);
    await vscode.commands.executeCommand('workbench.action.unpinEditor');
  });

  it('with VS Code preview editors turned off (workbench.editor.enablePreview), every row keeps its chart', async () => {
    await vscode.workspace.getConfiguration('workbench.editor').update('enablePreview', false, vscode.ConfigurationTarget.Global);
    await clickRow('AAPL');
    await clickRow('MSFT');
    assert.deepEqual(api.charts.symbols().sort(), ['AAPL', 'MSFT']);
    await waitFor(
      () => chartTabs().length === 2,
      () => `two chart tabs, not ${chartTabs().join()}`,
    );
  });
});
