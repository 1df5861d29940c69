// The symbol search in a future's roll week, as a person uses it: ES typed into Get Quote on Monday 14 December
// 2026, four days before ESZ6's last trade day. The December row says how many days it has left, March is the row
// Enter takes (trading has moved there), and December is still one Up away. Open Chart offers ES's continuous
// future after its months; a Treasury future (ZN) reads in 32nds.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Quote } from '../../../src/ib/types';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { marketTime } from '../../support/market-times';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';
import { typeAndEnter } from './picker';

describe('symbol search in a roll week', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL'] });
    gateway = await connectToPinnedSim(api, marketTime('rollWeek'));
  });

  after(async () => {
    for (let i = 0; i < 5 && (api.test.symbolPicker() || api.test.details()); i++) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await gateway.stop();
    await resetSettings();
  });

  it('ES: the December row says 4 days left, March is active and Enter quotes March', async () => {
    const q = await typeAndEnter<Quote>(
      api,
      'ibGateway.getQuote',
      'ES',
      (p) => p.rows().some((r) => r.label.startsWith('ES 2027-03')),
      (p) => {
        const dec = p.rows().find((r) => r.label.startsWith('ES 2026-12'));
        assert.match(dec?.description ?? '', /ESZ6 · FUT · CME · USD · expires 2026-12-18 · 4 days left$/);
        assert.doesNotMatch(p.rows().find((r) => r.label.startsWith('ES 2027-03'))?.description ?? '', /left/);
        assert.match(p.active() ?? '', /^ES 2027-03 \(Mar 2027\) ESH7 · FUT · CME/);
      },
    );
    assert.ok(q?.conId, `a quote (got ${JSON.stringify(q)})`);
    assert.equal(api.test.contract(q.conId!)?.lastTradeDateOrContractMonth?.slice(0, 6), '202703');
    await waitFor(() => api.test.details(), 'the quote details').catch(() => undefined);
  });

  it('Open Chart: ES offers its continuous future after its months; picked, its chart shows bars across the rolls, history only', async () => {
    for (let i = 0; i < 5 && (api.test.symbolPicker() || api.test.details()); i++) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    const opened = Promise.resolve(vscode.commands.executeCommand('ibGateway.openChart'));
    const picker = await waitFor(() => api.test.symbolPicker(), 'the search of Open Chart');
    picker.type('ES');
    await waitFor(
      () =>
        api.test
          .symbolPicker()
          ?.rows()
          .some((r) => r.label === 'ES continuous'),
      () => `the continuous row (${JSON.stringify(api.test.symbolPicker()?.rows())})`,
      30_000,
    );
    const rows = api.test.symbolPicker()!.rows();
    const months = rows.filter((r) => /^ES \d{4}-\d{2} /.test(r.label));
    const at = rows.findIndex((r) => r.label === 'ES continuous');
    assert.ok(months.length > 1 && at > rows.indexOf(months[months.length - 1]), 'after the months');
    assert.equal(rows[at].description, 'CONTFUT · CME · its bars across the rolls, history only');
    // the keys a person presses: down to the row, then Enter
    for (let i = 0; i < 40 && !/^ES continuous/.test(api.test.symbolPicker()?.active() ?? ''); i++)
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    assert.match(api.test.symbolPicker()?.active() ?? '', /^ES continuous/);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await opened;
    const info = await waitFor(
      () => {
        const c = api.charts.info('ES CONTFUT@CME');
        return c && c.candles > 0 && /History only/.test(c.lastStatus ?? '') ? c : undefined;
      },
      () => `the chart of ES continuous (${JSON.stringify(api.charts.info('ES CONTFUT@CME'))})`,
      30_000,
    );
    assert.match(info.lastStatus ?? '', /^History only: IB streams no continuous future \(its front month now: ESZ6\) · \d+ bars/);
    assert.equal(info.updates, 0, 'no live updates');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the continuous future is not added to the watchlist (it never has a quote), and its Quote Details say why', async () => {
    const before = api.watchlist.symbols();
    await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ES CONTFUT@CME');
    assert.deepEqual(api.watchlist.symbols(), before, 'nothing added');
    assert.ok(
      api.test.recentLog().some((l) => /ES continuous \(CONTFUT\) is history only/.test(l)),
      'the refusal is said',
    );
    void vscode.commands.executeCommand('ibGateway.showQuoteDetails', 'ES CONTFUT@CME');
    const rows = await waitFor(
      () => api.test.details()?.find((r) => r.label === 'No quote'),
      () => `the details' reason (${JSON.stringify(api.test.details())})`,
      20_000,
    );
    assert.match(rows.description ?? '', /history only: IB streams no quotes for a continuous future/);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('"ES@CME", as traders write it, lists its months in the search; Enter adds the one trading has moved to', async () => {
    const list = await typeAndEnter<string[] | undefined>(
      api,
      'ibGateway.addToWatchlist',
      'ES@CME',
      (p) => p.rows().some((r) => r.label.startsWith('ES 2027-03')),
      (p) => assert.match(p.active() ?? '', /^ES 2027-03 \(Mar 2027\) ESH7/),
    );
    assert.ok(list?.includes('ES 202703 FUT@CME'), `added as its month (${JSON.stringify(list)})`);
    await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', 'ES 202703 FUT@CME');
  });

  it('an expired month is not added to the watchlist (it never quotes): the refusal names the month trading has moved to', async () => {
    const before = api.watchlist.symbols();
    await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ESU6@CME');
    assert.deepEqual(api.watchlist.symbols(), before, 'nothing added');
    const said = await waitFor(
      () => api.test.recentLog().find((l) => /ES Sep 2026 \(ESU6\) expired on 2026-09-18/.test(l)),
      () => `the refusal (${api.test.recentLog().slice(-5).join(' | ')})`,
    );
    // in December's roll week: March, not December with four days left
    assert.match(said, /Use the next month instead \(trading has moved there in the front month's roll week\): ES Mar 2027 \(ESH7\)/);
  });

  it("a Treasury future's row reads in 32nds, as TWS quotes it (ZN: 110'165), its hover too", async () => {
    await vscode.commands.executeCommand('ibGateway.addToWatchlist', 'ZN 202612 FUT@CBOT');
    const item = await waitFor(
      () => api.watchlist.treeItems().find((i) => /^ZN Dec 2026/.test(String(i.label)) && /^\d{2,3}'\d{3} /.test(String(i.description ?? ''))),
      () => `the ZN row in 32nds (${JSON.stringify(api.watchlist.treeItems().map((i) => [i.label, i.description]))})`,
      20_000,
    );
    // price, change, then bid×size / ask×size: every price in 32nds and halves of one
    assert.match(String(item.description), /^\d{2,3}'\d{2}[05] {2}[+−]?\d+'\d{2}[05] \([+−]?\d+\.\d{2}%\) {2}\d{2,3}'\d{2}[05]×\d+ \/ \d{2,3}'\d{2}[05]×\d+/);
    const hover = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
    assert.match(hover, /\d{2,3}'\d{2}[05]/);
    // its words wrap at their spaces: no no-break spaces (a long line broke inside a word)
    assert.doesNotMatch(hover, /&nbsp;/);
    assert.match(hover, /future ZNZ6 · CBOT · USD · ×1000 · last trade 2026-12-21 \(7 days left\)/);
    const q = api.watchlist.rows().find((r) => r.symbol === 'ZN 202612 FUT@CBOT')?.quote;
    assert.ok(q?.price !== undefined && Number.isInteger(q.price * 64), `the price itself is a whole 64th (${q?.price})`);
    await vscode.commands.executeCommand('ibGateway.removeFromWatchlist', 'ZN 202612 FUT@CBOT');
  });
});
