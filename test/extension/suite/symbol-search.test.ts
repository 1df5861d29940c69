// The symbol search as a person uses it: type into the picker of Get Quote,
// Add to Watchlist or Open Chart, look at the rows, press Enter.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Quote } from '../../../src/ib/types';
import type { ChartInfo } from '../../../src/vscode/chart-panel';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';
import { typeAndEnter } from './picker';

describe('symbol search', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL'] });
    gateway = await connectToPinnedSim(api);
  });

  afterEach(async () => {
    // what a case left open (its picker, or the quote Get Quote keeps open) is gone before the next case opens its own,
    // as a person presses Escape until it is. Each Escape is awaited: one still on its way to the window when the
    // next case opens its search closed that search instead (the window runs a command after a turn of its own)
    const open = () => api.test.symbolPicker() || api.test.details();
    for (let i = 0; i < 20 && open(); i++) {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await waitFor(() => !open(), 'the picker and the quote details to close', 1_000).catch(() => undefined);
    }
    assert.ok(!open(), 'the picker and the quote details closed');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway.stop();
    await resetSettings();
  });

  it('ES lists each futures month, front month first, and Enter quotes that exact contract', async () => {
    const q = await typeAndEnter<Quote>(
      api,
      'ibGateway.getQuote',
      'ES',
      (p) => p.rows().some((r) => /^ES \d{4}-\d{2} /.test(r.label)),
      (p) => {
        const months = p.rows().filter((r) => r.label.startsWith('ES '));
        assert.deepEqual(
          months.map((r) => r.label),
          ['ES 2026-12 (Dec 2026)', 'ES 2027-03 (Mar 2027)', 'ES 2027-06 (Jun 2027)'],
        );
        assert.equal(new Set(p.rows().map((r) => `${r.label} ${r.description}`)).size, p.rows().length, 'no two rows alike');
        assert.match(p.active() ?? '', /^ES 2026-12 \(Dec 2026\) ESZ6 · FUT · CME/);
      },
    );
    assert.ok(q?.conId, `a quote (got ${JSON.stringify(q)})`);
    const contract = api.test.contract(q.conId!);
    assert.equal(contract?.secType, 'FUT');
    assert.match(contract?.lastTradeDateOrContractMonth ?? '', /^202612/);
    assert.ok(q.price !== undefined);
  });

  it('Add to Watchlist takes the second ES month and the row streams that contract', async () => {
    const resultP = typeAndEnter<string[]>(api, 'ibGateway.addToWatchlist', 'ES', (p) => p.rows().some((r) => r.label.startsWith('ES 2027-03')));
    const list = await resultP;
    // Enter took the front month; the second time one step down (the Down key) takes March
    assert.deepEqual(list, ['AAPL', 'ES 202612 FUT@CME']);
    const result2 = Promise.resolve(vscode.commands.executeCommand<string[]>('ibGateway.addToWatchlist'));
    const picker = await waitFor(() => api.test.symbolPicker(), 'the search');
    picker.type('ES');
    await waitFor(
      () =>
        api.test
          .symbolPicker()
          ?.rows()
          .some((r) => r.label.startsWith('ES 2027-03')) && !api.test.symbolPicker()?.busy,
      'ES months',
    );
    // the Down key of the quick input; the window may still be drawing the rows the host already has (a key
    // pressed then moves nothing, and the rows arriving set the front month active again): pressed again only
    // while the front month is still the active one, as a person presses again when the highlight did not move
    const active = () => api.test.symbolPicker()?.active() ?? '';
    for (let i = 0; i < 10 && !/^ES 2027-03/.test(active()); i++) {
      if (/^ES 2026-12/.test(active())) await vscode.commands.executeCommand('quickInput.next');
      await waitFor(() => !/^ES 2026-12/.test(active()), 'the highlight to move', 1_000).catch(() => undefined);
    }
    assert.match(active(), /^ES 2027-03/, `March active after one step down (rows ${JSON.stringify(api.test.symbolPicker()?.rows())})`);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.deepEqual(await result2, ['AAPL', 'ES 202612 FUT@CME', 'ES 202703 FUT@CME']);
    const row = await waitFor(() => api.watchlist.rows().find((r) => r.symbol === 'ES 202703 FUT@CME' && (r.quote || r.error)), 'the March row');
    assert.equal(row.error, undefined, `no error: ${row.error?.message}`);
    assert.equal(api.test.contract(row.quote!.conId!)?.lastTradeDateOrContractMonth?.slice(0, 6), '202703');
    // Open Chart lists the watchlist first, named as its rows are ("ES Mar 2027"), the stored text beside
    void vscode.commands.executeCommand('ibGateway.openChart');
    const rows = await waitFor(() => {
      const r = api.test.symbolPicker()?.rows();
      return r && r.length >= 3 ? r : undefined;
    }, 'the watchlist in the Open Chart picker');
    assert.deepEqual(rows.slice(0, 3), [
      { label: 'AAPL', description: 'watchlist' },
      { label: 'ES Dec 2026', description: 'watchlist · ES 202612 FUT@CME' },
      { label: 'ES Mar 2027', description: 'watchlist · ES 202703 FUT@CME' },
    ]);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await waitFor(() => !api.test.symbolPicker(), 'the picker closed');
  });

  for (const [typed, expected] of [
    ['Tesla', 'TSLA'],
    ['SPX', 'SPX'],
  ] as const) {
    it(`"${typed}": the real match is active and Enter takes it, not the text as typed`, async () => {
      const q = await typeAndEnter<Quote>(
        api,
        'ibGateway.getQuote',
        typed,
        (p) => p.rows().some((r) => r.label === expected),
        (p) => {
          assert.equal(p.active()?.split(' ')[0], expected);
          assert.match(p.rows()[p.rows().length - 1].label, /as typed/);
        },
      );
      assert.ok(q?.conId, `a quote for ${expected}`);
      assert.equal(api.test.contract(q.conId!)?.symbol, expected);
      // the command ends once its details show: a command run next opens its search over them, never under them
      assert.match(api.test.details()?.[0]?.label ?? '', /^(Contract|Price|Waiting)/, 'the details are open when Get Quote ends');
    });
  }

  it('Get Quote keeps the quote open and live until dismissed; Add to Watchlist only for a symbol not in it', async () => {
    await typeAndEnter<Quote>(api, 'ibGateway.getQuote', 'MSFT', (p) => p.rows().some((r) => r.label === 'MSFT'));
    const seen = new Set<string>();
    await waitFor(
      () => {
        const d = api.test.details();
        if (d) seen.add(JSON.stringify(d));
        return seen.size >= 3;
      },
      'the MSFT details to stay open and change twice',
      30_000,
    );
    const rows = api.test.details()!;
    for (const label of ['Bid', 'Ask', 'Volume', 'High', 'Low', 'Last trade'])
      assert.ok(
        rows.some((r) => r.label === label),
        label,
      );
    assert.ok(
      rows.some((r) => /Add to Watchlist/.test(r.label)),
      'MSFT is not in the watchlist: Add is offered',
    );
    assert.ok(rows.some((r) => /Copy as JSON/.test(r.label)));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await typeAndEnter<Quote>(api, 'ibGateway.getQuote', 'AAPL', (p) => p.rows().some((r) => r.label === 'AAPL' && r.description !== 'watchlist'));
    const inList = await waitFor(() => api.test.details()?.some((r) => r.label === 'Bid') && api.test.details(), 'the AAPL details');
    assert.ok(!inList.some((r) => /Add to Watchlist/.test(r.label)), 'AAPL is in the watchlist: no Add');
  });

  it('Open Chart searches any symbol: NDX opens its index chart', async () => {
    const info = await typeAndEnter<ChartInfo>(
      api,
      'ibGateway.openChart',
      'NDX',
      (p) => p.rows().some((r) => r.label === 'NDX'),
      (p) => {
        assert.match(p.active() ?? '', /^NDX IND/);
      },
    );
    assert.equal(info?.symbol, 'NDX IND@NASDAQ');
    await waitFor(() => (api.charts.info('NDX IND@NASDAQ')?.candles ?? 0) > 0, 'NDX candles', 30_000);
  });

  it("Open Chart, a watchlist entry typed exactly (any case): its own entry stays active over the search's matches", async () => {
    const info = await typeAndEnter<ChartInfo>(
      api,
      'ibGateway.openChart',
      'aapl',
      (p) => p.rows().some((r) => r.label === 'AAPL' && !/watchlist/.test(r.description ?? '')),
      (p) => assert.match(p.active() ?? '', /^AAPL watchlist/),
    );
    assert.equal(info?.symbol, 'AAPL');
  });

  it('Open Chart takes a full symbol typed as is: NDX IND@NASDAQ', async () => {
    // every chart the cases before opened closed first, as a person starts from an empty editor: a tab closing
    // moves the focus to the one behind it, and a chart's webview takes it a moment later, which closes a search
    // opened meanwhile (closing only the NDX chart left the AAPL one behind it to take the focus)
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(() => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0), 'every editor tab closed');
    assert.equal(api.charts.info('NDX IND@NASDAQ'), undefined, 'no NDX chart open before the search');
    const info = await typeAndEnter<ChartInfo>(api, 'ibGateway.openChart', 'NDX IND@NASDAQ', (p) => p.rows().some((r) => /as typed/.test(r.label)));
    assert.equal(info?.symbol, 'NDX IND@NASDAQ');
  });
});
