// Fetch Candles from the palette as a person walks it: the default bar size
// is focused, Enter through every step is a valid request, Back goes back.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import type { FetchCandlesResult } from '../../../src/vscode/commands/candle-commands';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim } from './pinned-sim';

const enter = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');

describe('fetch candles steps', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: ['AAPL'] });
    gateway = await connectToPinnedSim(api);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway.stop();
    await resetSettings();
  });

  it('step 2 focuses the default "5 mins"; Back returns to the step before; Enter through the steps charts it', async () => {
    const result = Promise.resolve(vscode.commands.executeCommand<FetchCandlesResult>('ibGateway.fetchCandles'));
    const picker = await waitFor(() => api.test.symbolPicker(), 'step 1, the symbol');
    picker.type('MSFT');
    await waitFor(
      () =>
        api.test
          .symbolPicker()
          ?.rows()
          .some((r) => r.label === 'MSFT') && !api.test.symbolPicker()?.busy,
      'MSFT found',
    );
    await enter();
    const step2 = await waitFor(() => (api.test.inputStep()?.title?.includes('(2/4)') ? api.test.inputStep() : undefined), 'step 2');
    assert.equal(step2.active, '5 mins');
    assert.equal(step2.buttons, 1, 'a Back button');
    // the chart toolbar's words, not IB's plural for one second
    assert.ok(step2.rows.includes('1 sec') && !step2.rows.includes('1 secs'), `bar sizes: ${step2.rows.join(', ')}`);
    await enter();
    const step3 = await waitFor(() => (api.test.inputStep()?.title?.includes('(3/4)') ? api.test.inputStep() : undefined), 'step 3');
    assert.equal(step3.active, '1 D', 'the default duration focused');
    assert.ok(step3.rows.includes('1 W') && !step3.rows.includes('1 Y'), `durations that fit 5-min bars: ${step3.rows.join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
    const again = await waitFor(() => (api.test.inputStep()?.title?.includes('(2/4)') ? api.test.inputStep() : undefined), 'step 2 again after Back');
    assert.equal(again.active, '5 mins');
    await enter();
    await waitFor(() => api.test.inputStep()?.title?.includes('(3/4)'), 'step 3 again');
    await enter();
    await waitFor(() => api.test.inputStep()?.title?.includes('(4/4)'), 'step 4');
    await enter();
    const r = await result;
    assert.equal(r?.format, 'chart');
    assert.equal(r?.chart?.symbol, 'MSFT');
    await waitFor(() => (api.charts.info('MSFT')?.candles ?? 0) > 0, 'MSFT 5-minute candles', 30_000);
    assert.equal(api.charts.info('MSFT')?.barSize, '5 mins');
  });

  it('step 3 takes a duration typed as IB writes it ("3 D"), and refuses one IB would not take, saying why, without closing', async () => {
    const result = Promise.resolve(vscode.commands.executeCommand<FetchCandlesResult>('ibGateway.fetchCandles'));
    await waitFor(() => api.test.symbolPicker(), 'step 1, the symbol');
    api.test.symbolPicker()!.type('AAPL');
    await waitFor(
      () =>
        api.test
          .symbolPicker()
          ?.rows()
          .some((r) => r.label === 'AAPL') && !api.test.symbolPicker()?.busy,
      'AAPL found',
    );
    await enter();
    await waitFor(() => api.test.inputStep()?.title?.includes('(2/4)'), 'step 2');
    await enter();
    const step3 = () => (api.test.inputStep()?.title?.includes('(3/4)') ? api.test.inputStep() : undefined);
    await waitFor(step3, 'step 3');
    step3()!.type('3 X');
    await waitFor(() => (step3()?.active === '3 X' ? true : undefined), 'the typed value first');
    await enter();
    assert.ok(step3(), 'a refused duration leaves the step open');
    step3()!.type('3 D');
    await waitFor(() => (step3()?.active === '3 D' ? true : undefined), 'the typed value first');
    await enter();
    await waitFor(() => api.test.inputStep()?.title?.includes('(4/4)'), 'step 4');
    await enter();
    const r = await result;
    assert.equal(r?.chart?.symbol, 'AAPL');
    await waitFor(() => (api.charts.info('AAPL')?.duration === '3 D' ? true : undefined), 'the chart over 3 D');
  });
});
