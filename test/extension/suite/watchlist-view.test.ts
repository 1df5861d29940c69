// The watchlist view beyond the commands: drag and drop through the tree's
// controller, the delayed badge, and rendering facts of the status bar.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionStatus } from '../../../src/ib/types';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { statusView } from '../../../src/vscode/status-view';
import { configure, connectToSim, getApi, resetSettings, waitFor } from './helpers';

function status(over: Partial<ConnectionStatus>): ConnectionStatus {
  return {
    phase: 'ready',
    host: '127.0.0.1',
    port: 7496,
    clientId: 3,
    simulated: false,
    mode: 'live',
    accounts: ['U1234567'],
    serverVersion: 193,
    connectedSince: Date.UTC(2026, 0, 2, 3, 4, 5),
    farms: { usfarm: 'ok' },
    ibLink: 'ok',
    ...over,
  };
}

describe('watchlist view', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL', 'MSFT', 'SPY', 'QQQ'] });
    await connectToSim(api);
  });

  after(async () => {
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await resetSettings();
  });

  it('dragging a row down drops it after the target, and the order is saved', async () => {
    assert.deepEqual(await api.test.dragAndDrop(['AAPL'], 'SPY'), ['MSFT', 'SPY', 'AAPL', 'QQQ']);
    assert.deepEqual(vscode.workspace.getConfiguration('jax.ib').get('watchlist'), ['MSFT', 'SPY', 'AAPL', 'QQQ']);
  });

  it('dragging rows up drops them before the target; onto nothing moves them to the end', async () => {
    assert.deepEqual(await api.test.dragAndDrop(['AAPL', 'QQQ'], 'MSFT'), ['AAPL', 'QQQ', 'MSFT', 'SPY']);
    assert.deepEqual(await api.test.dragAndDrop(['AAPL'], undefined), ['QQQ', 'MSFT', 'SPY', 'AAPL']);
    assert.deepEqual(
      api.watchlist.treeItems().map((i) => i.label),
      ['QQQ', 'MSFT', 'SPY', 'AAPL'],
    );
    assert.deepEqual(vscode.workspace.getConfiguration('jax.ib').get('watchlist'), ['QQQ', 'MSFT', 'SPY', 'AAPL']);
  });

  it('a symbol without a live subscription falls back to delayed data under "auto", with a delayed badge', async () => {
    const list = (await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'SHOP CAD')) as string[];
    assert.ok(list.includes('SHOP CAD'));
    const item = await waitFor(
      () => api.watchlist.treeItems().find((i) => i.label === 'SHOP CAD' && /\d/.test(String(i.description))),
      'a SHOP CAD row with a price',
      30_000,
    );
    const text = String(item.description);
    assert.match(text, /\[delayed\]/);
    // right after the price and change, before the book: a narrow side bar cuts the end of a row, never the badge
    assert.ok(text.indexOf('[delayed]') < text.indexOf('×'), `the badge before the bid and ask: ${text}`);
    assert.match((item.tooltip as vscode.MarkdownString).value, /delayed \(no live subscription\)/);
    // which instrument the row is: the hover names it, its kind, where it trades and its currency
    // (as its text: VS Code versions escape it differently, with &nbsp; and backslashes or without)
    const hover = (item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(hover, /\nSHOPIFY INC - CLASS A · stock · TSE · CAD · conId \d+\n/);
    for (const other of api.watchlist.treeItems().filter((i) => i.label !== 'SHOP CAD')) assert.doesNotMatch(String(other.description), /delayed/);
  });

  it('an entry saved as a contract id (a futures class that shares its month with another) is named by its contract once resolved', async () => {
    // as the symbol picker saves such a choice
    await configure({ watchlist: [...(vscode.workspace.getConfiguration('jax.ib').get<string[]>('watchlist') ?? []), '756733'] });
    const item = await waitFor(
      () => api.watchlist.treeItems().find((i) => i.id === '756733' && /\d/.test(String(i.description))),
      'the row of contract 756733 with a price',
      30_000,
    );
    assert.equal(item.label, 'SPY (ARCA, USD)', 'named as IB names the contract, not by its number');
    await configure({ watchlist: (vscode.workspace.getConfiguration('jax.ib').get<string[]>('watchlist') ?? []).filter((w) => w !== '756733') });
  });

  it('a LIVE account is unmistakable: LIVE in the text and a warning background', () => {
    const v = statusView(status({}), 3, Date.now());
    assert.equal(v.text, 'IB LIVE U1234567 $(pass-filled) 3 streaming');
    assert.equal(v.severity, 'warning');
    assert.match(v.tooltip, /\*\*LIVE\*\* account/);
    assert.match(v.tooltip, /`127\.0\.0\.1:7496`/);
  });

  it('reconnecting shows the attempt and a countdown; a lost IB link and a broken farm are named', () => {
    const now = Date.now();
    assert.equal(
      statusView(status({ phase: 'reconnecting', attempt: 3, nextAttemptAt: now + 4200 }), 0, now).text,
      'IB $(sync~spin) reconnecting (attempt 3, 5s)',
    );
    assert.match(statusView(status({ ibLink: 'lost' }), 2, now).text, /IB link lost/);
    const farm = statusView(status({ mode: 'paper', accounts: ['DU1'], farms: { usfarm: 'broken', ushmds: 'ok' } }), 2, now);
    assert.equal(farm.text, 'IB PAPER DU1 $(warning) data farm usfarm down');
    assert.equal(farm.severity, 'warning');
  });
});
