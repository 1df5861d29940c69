// Get Quote, Fetch Candles, the watchlist commands and the tree rows, driven
// with arguments (no UI), against the simulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Candle, Quote } from '../../../src/ib/types';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, connectToSim, getApi, resetSettings, waitFor } from './helpers';

interface FetchResult {
  candles: Candle[];
  format: string;
  document?: vscode.TextDocument;
}

describe('commands', function () {
  let api: IbGatewayTestApi;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL', 'MSFT', 'SPY'] });
    await connectToSim(api);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('ibGateway.disconnect');
    await vscode.commands.executeCommand('ibGateway.stopSimulator');
    await resetSettings();
  });

  it('Get Quote returns bid, ask and last for a symbol', async () => {
    const q = (await vscode.commands.executeCommand('ibGateway.getQuote', 'AAPL')) as Quote | undefined;
    assert.ok(q, 'a quote');
    assert.ok(q.conId && q.conId > 0);
    assert.ok(typeof q.bid === 'number' && typeof q.ask === 'number' && q.ask >= q.bid, `bid ${q.bid} <= ask ${q.ask}`);
    assert.ok(typeof q.last === 'number' && q.last > 0);
  });

  it('Get Quote refuses an unknown symbol and a malformed one without throwing', async () => {
    assert.equal(await vscode.commands.executeCommand('ibGateway.getQuote', 'ZZZNOTREAL'), undefined);
    assert.equal(await vscode.commands.executeCommand('ibGateway.getQuote', 'AA\u0000PL'), undefined);
    assert.equal(await vscode.commands.executeCommand('ibGateway.getQuote', 'X'.repeat(10_000)), undefined);
    assert.equal(api.connection.status.phase, 'ready', 'the connection is undisturbed');
  });

  it('Fetch Candles puts bars into a new CSV editor', async () => {
    const r = (await vscode.commands.executeCommand('ibGateway.fetchCandles', {
      symbol: 'MSFT',
      barSize: '1 hour',
      duration: '5 D',
      format: 'csv',
    })) as FetchResult;
    assert.ok(r && r.candles.length > 0, 'bars came back');
    assert.ok(r.document);
    const lines = r.document.getText().trim().split('\n');
    assert.equal(lines[0], 'time,date,open,high,low,close,volume');
    assert.match(r.document.uri.path, /MSFT 1 hour 5 D\.csv$/, 'the tab is named for the symbol and range, as a .csv');
    assert.equal(lines.length, r.candles.length + 1);
    const first = r.candles[0];
    assert.equal(lines[1].split(',')[0], String(first.time));
    assert.equal(Number(lines[1].split(',')[2]), first.open);
    // an hourly bar is dated by its start, in UTC
    assert.equal(lines[1].split(',')[1], new Date(first.time * 1000).toISOString());
  });

  it('Fetch Candles puts bars into a new JSON editor', async () => {
    const r = (await vscode.commands.executeCommand('ibGateway.fetchCandles', {
      symbol: 'SPY',
      barSize: '1 day',
      duration: '1 M',
      format: 'json',
    })) as FetchResult;
    assert.ok(r && r.document);
    const doc = JSON.parse(r.document.getText()) as {
      symbol: string;
      barSize: string;
      candles: Array<Candle & { date: string }>;
      columns: string[];
      contract: { conId: number; exchange: string; currency: string };
      exchangeTimeZone: string;
      timeZone: string;
      datedBy: string;
    };
    assert.equal(doc.symbol, 'SPY');
    assert.equal(doc.barSize, '1 day');
    assert.deepEqual(doc.columns, ['time', 'date', 'open', 'high', 'low', 'close', 'volume'], 'the columns of the CSV');
    // the document has the CSV's columns (the bars' WAP is not one of them)
    const asColumns = r.candles.map(({ time, open, high, low, close, volume }) => ({ time, open, high, low, close, volume }));
    // a daily bar is IB's trading day: its date is that day, no time (its 00:00 UTC read in New York is the evening before)
    assert.equal(doc.datedBy, 'trading day');
    assert.deepEqual(
      doc.candles.map(({ date, ...c }) => (assert.equal(date, new Date(c.time * 1000).toISOString().slice(0, 10)), c)),
      asColumns,
    );
    assert.ok(doc.contract.conId > 0 && doc.contract.exchange && doc.contract.currency === 'USD', JSON.stringify(doc.contract));
    assert.equal(doc.timeZone, 'UTC');
    assert.ok(doc.exchangeTimeZone, 'the exchange time zone is named');
    assert.equal(r.document.uri.scheme, 'untitled');
    assert.match(r.document.uri.path, /SPY 1 day 1 M\.json$/, 'the tab is named for the symbol and range');
    for (const c of doc.candles) assert.ok(c.high >= Math.max(c.open, c.close) && c.low <= Math.min(c.open, c.close));
  });

  it('Fetch Candles refuses an unknown bar size and an absurd duration, naming them', async () => {
    assert.equal(
      await vscode.commands.executeCommand('ibGateway.fetchCandles', { symbol: 'SPY', barSize: '7 mins', duration: '1 D', format: 'csv' }),
      undefined,
    );
    assert.equal(
      await vscode.commands.executeCommand('ibGateway.fetchCandles', { symbol: 'SPY', barSize: '1 day', duration: '999 Y', format: 'csv' }),
      undefined,
    );
    assert.equal(
      await vscode.commands.executeCommand('ibGateway.fetchCandles', { symbol: 'SPY', barSize: '1 day', duration: '0 D', format: 'csv' }),
      undefined,
    );
    assert.equal(await vscode.commands.executeCommand('ibGateway.fetchCandles', 'nonsense'), undefined);
  });

  it('the tree shows one row per symbol with price, change and a coloured icon', async () => {
    const items = await waitFor(() => {
      const it = api.watchlist.treeItems();
      return it.length === 3 && it.every((i) => /\d/.test(String(i.description))) ? it : undefined;
    }, 'three rows with prices');
    assert.deepEqual(
      items.map((i) => i.label),
      ['AAPL', 'MSFT', 'SPY'],
    );
    // the first row has no Move Up in its menu, the last no Move Down
    assert.deepEqual(
      items.map((i) => i.contextValue),
      ['ibSymbol.first', 'ibSymbol', 'ibSymbol.last'],
    );
    for (const item of items) {
      assert.match(String(item.description), /^\d+\.\d+(\s+[+−]?\d+\.\d+ \([+−]?\d+\.\d\d%\))?/);
      const icon = item.iconPath as vscode.ThemeIcon;
      assert.ok(icon instanceof vscode.ThemeIcon);
      if (icon.id === 'arrow-up') assert.equal(icon.color?.id, 'charts.green');
      if (icon.id === 'arrow-down') assert.equal(icon.color?.id, 'charts.red');
      const tip = (item.tooltip as vscode.MarkdownString).value;
      for (const word of ['Bid', 'Ask', 'Open', 'High', 'Low', 'Volume', 'Last trade']) assert.ok(tip.includes(word), `hover has ${word}`);
    }
  });

  it('row updates are coalesced: prices change while refresh events stay few', async () => {
    const first = api.watchlist.rows().map((r) => r.quote?.last);
    const count0 = api.watchlist.refreshCount();
    const t0 = Date.now();
    await waitFor(() => api.watchlist.rows().some((r, i) => r.quote?.last !== first[i]), 'a price change');
    await new Promise((r) => setTimeout(r, 1000));
    const seconds = (Date.now() - t0) / 1000;
    const events = api.watchlist.refreshCount() - count0;
    assert.ok(events > 0, 'rows were refreshed');
    assert.ok(events <= Math.ceil(seconds * 4) + 1, `${events} refreshes in ${seconds.toFixed(1)} s is more than four a second`);
  });

  it('Add to Watchlist adds a checked symbol and persists the order in settings', async () => {
    const list = (await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'EUR.USD')) as string[];
    assert.deepEqual(list, ['AAPL', 'MSFT', 'SPY', 'EUR.USD']);
    assert.deepEqual(vscode.workspace.getConfiguration('jax.ib').get('watchlist'), list);
    await waitFor(() => api.watchlist.rows().find((r) => r.symbol === 'EUR.USD')?.quote, 'EUR.USD streaming');
  });

  it('Add to Watchlist refuses an unknown symbol and writes nothing', async () => {
    const before = vscode.workspace.getConfiguration('jax.ib').get('watchlist');
    assert.equal(await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ZZZNOTREAL'), undefined);
    // the error names the symbol (IB's own answer does not: after several adds one could not tell which)
    assert.ok(
      api.test.recentLog().some((l) => l.includes('ZZZNOTREAL: ') && l.includes('200')),
      api.test.recentLog().slice(-5).join('\n'),
    );
    assert.equal(await vscode.commands.executeCommand('ibGateway.addToWatchlist', ''), undefined);
    assert.deepEqual(vscode.workspace.getConfiguration('jax.ib').get('watchlist'), before);
  });

  it('Move Up / Move Down reorder the rows and the setting', async () => {
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.moveUp', 'EUR.USD'), ['AAPL', 'MSFT', 'EUR.USD', 'SPY']);
    assert.deepEqual(await vscode.commands.executeCommand('ibGateway.moveDown', 'AAPL'), ['MSFT', 'AAPL', 'EUR.USD', 'SPY']);
    assert.deepEqual(vscode.workspace.getConfiguration('jax.ib').get('watchlist'), ['MSFT', 'AAPL', 'EUR.USD', 'SPY']);
    assert.deepEqual(
      api.watchlist.treeItems().map((i) => i.label),
      ['MSFT', 'AAPL', 'EUR.USD', 'SPY'],
    );
  });

  it('Remove from Watchlist removes the row, the setting entry and its line', async () => {
    const lines = api.quotes.activeLines;
    const list = (await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', 'EUR.USD')) as string[];
    assert.deepEqual(list, ['MSFT', 'AAPL', 'SPY']);
    assert.deepEqual(vscode.workspace.getConfiguration('jax.ib').get('watchlist'), list);
    await waitFor(() => api.quotes.activeLines === lines - 1, 'one line fewer');
  });

  it('Refresh Watchlist re-subscribes the rows', async () => {
    const list = await vscode.commands.executeCommand('ibGateway.refreshWatchlist');
    assert.deepEqual(list, ['MSFT', 'AAPL', 'SPY']);
    await waitFor(() => api.watchlist.rows().every((r) => r.quote), 'quotes after the refresh');
  });

  it('Show Log runs', async () => {
    await vscode.commands.executeCommand('ibGateway.showLog');
  });
});
