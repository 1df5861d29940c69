// Editing the watchlist as a person does: one row per contract however it is
// typed, the Delete key and Move Up on the selected row, and rows that stay
// (and stay editable) while not connected.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, EXTENSION_ID, getApi, resetSettings, sleep, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

const setting = () => vscode.workspace.getConfiguration('jax.ib').get<string[]>('watchlist');

describe('watchlist editing', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>> | undefined;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL', 'MSFT'] });
    gateway = await connectToPinnedSim(api);
    await vscode.commands.executeCommand('ibWatchlist.focus');
  });

  after(async () => {
    await gateway?.stop();
    await resetSettings();
  });

  it('one row per contract: "ESZ6 FUT@CME" after "ES 202612 FUT@CME" adds nothing; "shop@tse" is stored as SHOP@TSE', async () => {
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ES 202612 FUT@CME'), ['AAPL', 'MSFT', 'ES 202612 FUT@CME']);
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ESZ6 FUT@CME'), ['AAPL', 'MSFT', 'ES 202612 FUT@CME']);
    // said as the row names it
    assert.ok(
      api.test.recentLog().some((l) => l.includes('ESZ6 FUT@CME is already in the watchlist, as ES Dec 2026.')),
      api.test.recentLog().slice(-3).join('\n'),
    );
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'shop@tse'), ['AAPL', 'MSFT', 'ES 202612 FUT@CME', 'SHOP@TSE']);
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'SHOP@TSE CAD'), ['AAPL', 'MSFT', 'ES 202612 FUT@CME', 'SHOP@TSE']);
    assert.deepEqual(setting(), ['AAPL', 'MSFT', 'ES 202612 FUT@CME', 'SHOP@TSE']);
  });

  it('Move Up from the palette moves the selected row, and again', async () => {
    await api.test.selectRow('SHOP@TSE');
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.moveUp'), ['AAPL', 'MSFT', 'SHOP@TSE', 'ES 202612 FUT@CME']);
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.moveUp'), ['AAPL', 'SHOP@TSE', 'MSFT', 'ES 202612 FUT@CME']);
    const palette = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: { commandPalette: Array<{ command: string; when: string }> } } }
    ).contributes.menus.commandPalette;
    assert.ok(!palette.some((m) => m.command === 'ibGateway.moveUp' && m.when === 'false'), 'Move Up is in the palette');
  });

  it('the Delete key removes the selected row and selects the one that took its place', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { keybindings: Array<{ command: string; key: string; args?: unknown; when: string }> };
    };
    const del = pkg.contributes.keybindings.find((k) => k.key === 'delete');
    assert.equal(del?.command, 'ibGateway.removeFromWatchlist');
    assert.equal(del?.when, 'focusedView == ibWatchlist && listFocus && !inputFocus', 'not while typing in its find box');
    await api.test.selectRow('MSFT');
    assert.deepEqual(await vscode.commands.executeCommand(del.command, del.args), ['AAPL', 'SHOP@TSE', 'ES 202612 FUT@CME']);
    assert.deepEqual(setting(), ['AAPL', 'SHOP@TSE', 'ES 202612 FUT@CME']);
    // as in the Explorer: the row that took its place is selected, so the next Delete goes on down the list
    await waitFor(
      () => api.test.watchlistView().selection.join() === 'ES 202612 FUT@CME',
      () => `ES selected, not ${api.test.watchlistView().selection.join()}`,
    );
  });

  it("a Delete says which rows went and its Undo puts them back where they were (a key acts on the selection, not the keyboard's row)", async () => {
    const before = setting() ?? [];
    await api.test.selectRow('SHOP@TSE');
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', { selected: true }), ['AAPL', 'ES 202612 FUT@CME']);
    assert.ok(
      api.test.recentLog().some((l) => l.endsWith('Removed SHOP@TSE from the watchlist.')),
      `the notice: ${api.test.recentLog().slice(-3).join(' | ')}`,
    );
    // its button, as Enter on the focused notice presses it
    for (let i = 0; i < 50 && setting()?.join() !== before.join(); i++) {
      await vscode.commands.executeCommand('notification.acceptPrimaryAction');
      await sleep(200);
    }
    assert.deepEqual(setting(), before, 'Undo put the row back where it was');
    // once: a second Undo does nothing
    assert.equal(await vscode.commands.executeCommand('ibGateway.undoRemoveFromWatchlist'), undefined);
    assert.deepEqual(setting(), before);
  });

  it("Remove from a row's menu with several rows selected removes them all, as the Delete key does, and says so with an Undo", async () => {
    const before = setting() ?? [];
    await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'IBM');
    await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'NVDA');
    const rows = api.watchlist.rows().filter((r) => r.symbol === 'IBM' || r.symbol === 'NVDA');
    assert.equal(rows.length, 2);
    // VS Code passes the row the menu was opened on, then every selected row
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', rows[1], rows), before);
    assert.ok(
      api.test.recentLog().some((l) => l.endsWith('Removed IBM, NVDA from the watchlist.')),
      api.test.recentLog().slice(-3).join(' | '),
    );
    // one row selected (or a row outside the selection): that row only
    await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'IBM');
    const ibm = api.watchlist.rows().find((r) => r.symbol === 'IBM');
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', ibm, [ibm]), before);
  });

  it('disconnected, the rows stay with their last values, can still be added and removed, and the view says so', async () => {
    await waitFor(() => api.watchlist.rows().every((r) => r.quote || r.error), 'every row quoted', 30_000);
    await gateway!.stop();
    gateway = undefined;
    const items = await waitFor(() => {
      const now = api.watchlist.treeItems();
      return now.length === 3 && now.every((i) => /not connected/.test(String(i.description))) ? now : undefined;
    }, 'the rows marked as last known');
    assert.deepEqual(
      items.map((i) => i.label),
      // a future by its month in words, as the symbol search names it
      ['AAPL', 'SHOP@TSE', 'ES Dec 2026'],
    );
    assert.match(String(items[0].description), /^\d+\.\d{2}/);
    // the hover says so too, not "live"
    const tip = (items[0].tooltip as vscode.MarkdownString).value;
    assert.match(tip, /\| Data \| last known, not connected \|/);
    // the future's hover names the entry as written too (the watchlist setting's text)
    assert.match((items[2].tooltip as vscode.MarkdownString).value, /^\*\*ES Dec 2026\*\* · ES 202612 FUT@CME/);
    assert.match(api.test.watchlistMessage() ?? '', /Not connected/);
    // its details are titled as its row is
    void vscode.commands.executeCommand('ibGateway.showQuoteDetails', { symbol: 'ES 202612 FUT@CME' });
    assert.match(await waitFor(() => api.test.detailsTitle(), 'the quote details'), /^ES Dec 2026: quote details/);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await waitFor(() => api.test.detailsTitle() === undefined, 'the details closed');
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ibm'), ['AAPL', 'SHOP@TSE', 'ES 202612 FUT@CME', 'IBM']);
    await waitFor(() => api.watchlist.treeItems().find((i) => i.label === 'IBM' && i.description === '—'), 'an IBM row with a dash');
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', 'SHOP@TSE'), ['AAPL', 'ES 202612 FUT@CME', 'IBM']);
  });

  it('runs where IB Gateway runs: the desktop first (extensionKind ui, then workspace); the welcome text has no literal backticks', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      extensionKind: string[];
      contributes: { viewsWelcome: Array<{ contents: string }>; configuration: Array<{ id: string; title: string }> };
    };
    assert.deepEqual(pkg.extensionKind, ['ui', 'workspace']);
    for (const w of pkg.contributes.viewsWelcome) assert.doesNotMatch(w.contents, /`/);
    // several categories, each with its key prefix as id: VS Code then shows "Host", not "Jax › Ib: Host"
    assert.deepEqual(
      pkg.contributes.configuration.map((c) => [c.id, c.title]),
      [
        ['jax.ib', 'Connection'],
        ['jax.ib.chart', 'Charts'],
        ['jax.ib.simulator', 'Simulated Gateway'],
        ['jax.ib.bridge', 'jax Bridge'],
      ],
    );
  });
});
