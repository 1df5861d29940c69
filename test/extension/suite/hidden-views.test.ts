// While prices stream, a hidden watchlist view (another view container shown)
// and a hidden quote table cost nothing: no row is rendered or sent. Shown
// again, they are brought up to date at once, even if no quote arrives after.
// That prices moved meanwhile is heard by another client of the same gateway.
import { EventName, IBApi, SecType } from '@stoqey/ib';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

describe('hidden views', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  /** Another client of the gateway, hearing AAPL's ticks. */
  let other: IBApi;
  let ticks = 0;

  /** Waits until the other client has heard `n` more of AAPL's ticks: prices moved meanwhile (the pinned simulator ticks every 100 ms). */
  const ticksHeard = async (n: number) => {
    const from = ticks;
    await waitFor(() => ticks >= from + n, `${n} more AAPL ticks heard by another client`, 20_000);
  };

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL', 'EUR.USD'] });
    gateway = await connectToPinnedSim(api);
    const port = gateway.sim.address!.port;
    other = new IBApi({ host: '127.0.0.1', port });
    const count = (reqId: number) => reqId === 7001 && ticks++;
    other.on(EventName.tickPrice, count).on(EventName.tickSize, count);
    await new Promise<void>((resolve) => {
      other.once(EventName.nextValidId, () => resolve());
      other.connect(777);
    });
    other.reqMktData(7001, { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    await ticksHeard(1);
  });

  after(async () => {
    other?.disconnect();
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await gateway.stop();
    await resetSettings();
  });

  it('the quote table sends nothing while hidden, and the rows that changed when shown again', async () => {
    await vscode.commands.executeCommand('ibQuoteTable.focus');
    await waitFor(() => api.test.quoteTable().shown && api.test.quoteTable().rowsSent > 2, 'the table shown and streaming', 30_000);
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await waitFor(() => !api.test.quoteTable().shown, 'the table hidden');
    await ticksHeard(10);
    const sent = api.test.quoteTable().rowsSent;
    await ticksHeard(30);
    assert.equal(api.test.quoteTable().rowsSent, sent, 'no row sent while the table was hidden');
    await vscode.commands.executeCommand('ibQuoteTable.focus');
    await waitFor(() => api.test.quoteTable().rowsSent > sent, 'rows sent again once the table shows', 20_000);
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('the watchlist renders no row while hidden, and renders the rows that changed at once when shown', async () => {
    await vscode.commands.executeCommand('ibWatchlist.focus');
    await waitFor(() => api.test.watchlistShown() && api.test.renders().some((r) => r.symbol === 'AAPL' && r.asked), 'AAPL rendered while shown', 30_000);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor(() => !api.test.watchlistShown(), 'the watchlist hidden');
    // renders VS Code was already asked for before the view hid may still arrive: count from one coalescing round later
    await ticksHeard(10);
    const from = api.test.renderCount();
    const told = api.watchlist.refreshCount();
    await ticksHeard(60);
    // nobody reads the rows while hidden: each is told of one change, not of every one
    assert.ok(api.watchlist.refreshCount() - told <= 2, `rows announced while nobody read them: ${api.watchlist.refreshCount() - told}`);
    // the market data farm goes down: no quote arrives from here on (2103 comes after the last tick)
    gateway.sim.faults.farmBlip(120_000);
    await waitFor(() => Object.values(api.connection.status.farms).includes('broken'), 'the farm reported down');
    assert.equal(api.test.renderCount(), from, 'no row rendered while the view was hidden, though prices moved');
    const rendered = api.test.renderCount();
    await vscode.commands.executeCommand('ibWatchlist.focus');
    // what each row shows now (no quote arrives any more), and a render of it since the view showed
    for (const symbol of ['AAPL', 'EUR.USD']) {
      await waitFor(
        () => {
          const now = api.watchlist.treeItems().find((i) => i.label === symbol);
          return api.test.renders(rendered).some((r) => r.symbol === symbol && now && r.key.startsWith(`${String(now.description)}|`));
        },
        `${symbol} rendered with its latest quote once the view shows`,
        20_000,
      );
    }
  });
});
