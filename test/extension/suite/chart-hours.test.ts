// The chart's regular / extended hours toggle: ticking Extended hours asks IB for the
// bars outside the regular session too (useRTH 0), and a closed chart comes back with it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IbGatewayTestApi } from '../../../src/vscode/api';
import type { ChartInfo } from '../../../src/vscode/chart-panel';
import { configure, getApi, resetSettings, waitFor } from './helpers';
import { connectToPinnedSim, TUESDAY_OPEN } from './pinned-sim';

describe('chart regular / extended hours', function () {
  let api: IbGatewayTestApi;
  let gateway: Awaited<ReturnType<typeof connectToPinnedSim>>;

  before(async () => {
    api = await getApi();
    await configure({ watchlist: [] });
    gateway = await connectToPinnedSim(api, TUESDAY_OPEN);
  });

  after(async () => {
    // leave regular hours remembered for the suites after this one
    await vscode.commands.executeCommand('ibGateway.openChart', 'IBM', { barSize: '5 mins', duration: '1 D', useRTH: true });
    api.test.closeChart('IBM');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gateway.stop();
    await resetSettings();
  });

  const bars = (info: ChartInfo | undefined) => (info?.webviewReady && !info.lastStatus?.startsWith('Loading') ? info.candles : 0);

  it('Extended hours adds the pre-market bars, says so in the title, and is kept when the chart is closed and reopened', async () => {
    // Tuesday 10:00 New York: the regular session opened at 9:30, the pre-market at 4:00
    await vscode.commands.executeCommand('ibGateway.openChart', 'IBM', { barSize: '5 mins', duration: '1 D', useRTH: true });
    const regular = await waitFor(() => bars(api.charts.info('IBM')), 'regular-hours bars', 30_000);
    assert.equal(api.charts.info('IBM')?.useRTH, true);
    assert.ok(regular <= 8, `regular hours since 9:30 hold a few 5-min bars (got ${regular})`);
    assert.equal(api.charts.info('IBM')?.regularSessions, undefined, 'nothing to shade on a chart of regular hours');

    // what the webview posts when the person ticks the box (the browser suite checks the box itself)
    api.test.simulateMessage('IBM', { type: 'changeRange', barSize: '5 mins', duration: '1 D', useRTH: false });
    await waitFor(() => api.charts.info('IBM')?.useRTH === false, 'extended hours taken');
    const extended = await waitFor(
      () => {
        const n = bars(api.charts.info('IBM'));
        return n > regular ? n : undefined;
      },
      `more bars than the ${regular} of the regular session`,
      30_000,
    );
    assert.ok(extended >= regular + 60, `4:00 to 10:00 in 5-min bars (got ${extended})`);
    // the bars went with IBM's regular sessions (from its liquidHours), so the webview shades those before 9:30
    const sessions = await waitFor(() => api.charts.info('IBM')?.regularSessions, 'the regular sessions sent with the bars', 10_000);
    const open = Date.parse('2026-11-17T14:30:00Z') / 1000; // 09:30 New York
    assert.ok(
      sessions.some(([start, end]) => start === open && end === open + 6.5 * 3600),
      `Tuesday 09:30-16:00 among them: ${JSON.stringify(sessions)}`,
    );
    assert.ok(
      sessions.length >= 4 && sessions.every(([start, end], i) => end > start && (i === 0 || start >= sessions[i - 1][1])),
      'the week listed, in order',
    );
    // the window learns the panel's new title a moment after the bars (a message to the window and back)
    const tabLabel = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('IBM'))?.label ?? '';
    await waitFor(() => /ext\. hours/.exec(tabLabel()), 'the tab title saying extended hours', 10_000);

    api.test.closeChart('IBM');
    await waitFor(() => !api.charts.symbols().includes('IBM'), 'the chart closed');
    const reopened = (await vscode.commands.executeCommand('ibGateway.openChart', 'IBM')) as ChartInfo;
    assert.deepEqual([reopened.barSize, reopened.duration, reopened.useRTH], ['5 mins', '1 D', false], 'reopened with the range and the hours it had');
    await waitFor(() => bars(api.charts.info('IBM')) >= extended, 'the extended bars again', 30_000);
  });

  it('a useRTH that is not a boolean is refused as any malformed webview message is', async () => {
    const before = api.charts.info('IBM');
    assert.ok(before);
    api.test.simulateMessage('IBM', { type: 'changeRange', barSize: '5 mins', duration: '1 D', useRTH: 'no' });
    await waitFor(() => (api.charts.info('IBM')?.refused ?? 0) > before.refused, 'the message refused');
    assert.equal(api.charts.info('IBM')?.useRTH, before.useRTH);
  });

  it('a forex chart offers no Extended hours (IDEALPRO has no hours outside its regular ones); a stock chart does', async () => {
    await vscode.commands.executeCommand('ibGateway.openChart', 'EUR.USD', { barSize: '5 mins', duration: '1 D' });
    await waitFor(() => (api.charts.info('EUR.USD')?.extendedHours === false ? true : undefined), 'EUR.USD: no extended hours', 30_000);
    await vscode.commands.executeCommand('ibGateway.openChart', 'IBM', { barSize: '5 mins', duration: '1 D', useRTH: true });
    await waitFor(() => (api.charts.info('IBM')?.extendedHours === true ? true : undefined), 'IBM: extended hours', 30_000);
    api.test.closeChart('EUR.USD');
  });
});
