/**
 * The chart toolbar's regular / extended hours toggle in a real Chromium: the page
 * as the host serves it (renderChartHtml with its CSP) and the bundled
 * dist/webview/chart.js; acquireVsCodeApi() records what the page posts and saves.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { makeNonce, renderChartHtml } from '../../media/chart/html';
import type { HostMessage, WebviewMessage } from '../../media/chart/protocol';
import { webviewPages } from './support/webview-pages';

const NONCE = makeNonce();

const INIT: Extract<HostMessage, { type: 'init' }> = {
  type: 'init',
  symbol: 'AAPL',
  title: 'AAPL (NASDAQ, USD)',
  barSize: '5 mins',
  duration: '1 D',
  barSizes: ['1 min', '5 mins', '1 hour'],
  durations: ['1 D', '2 D', '1 W'],
  simulated: false,
};

describe('chart webview: regular / extended hours toggle in Chromium', function () {
  this.timeout(90_000);
  const pages = webviewPages('dist/webview/chart.js', 'media/chart/chart.css', (uris) => renderChartHtml({ ...uris, nonce: NONCE, title: 'AAPL' }));

  async function open(): Promise<Page> {
    const p = await pages.open((page) =>
      page.addInitScript(() => {
        const w = window as unknown as Record<string, unknown>;
        const posted: unknown[] = [];
        let state: unknown;
        w.__posted = posted;
        w.__state = () => state;
        w.acquireVsCodeApi = () => ({
          postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
          getState: () => state,
          setState: (s: unknown) => (state = JSON.parse(JSON.stringify(s))),
        });
        document.addEventListener('securitypolicyviolation', (e) => posted.push({ type: 'csp-violation', what: e.violatedDirective }));
      }),
    );
    await p.waitForFunction(() => (window as unknown as { __posted: WebviewMessage[] }).__posted.some((m) => m.type === 'ready'));
    return p;
  }

  const post = (p: Page, msg: unknown) => p.evaluate((m) => window.postMessage(m, '*'), msg);
  const posted = (p: Page) => p.evaluate(() => (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted);
  const saved = (p: Page) => p.evaluate(() => (window as unknown as { __state: () => Record<string, unknown> | undefined }).__state());
  const box = (p: Page) =>
    p.evaluate(() => {
      const el = document.getElementById('extended-hours') as HTMLInputElement;
      return { checked: el.checked, disabled: el.disabled, label: el.closest('label')?.textContent?.trim() };
    });
  const rangeAsks = async (p: Page) => (await posted(p)).filter((m) => m.type === 'changeRange');

  it('a person ticks Extended hours: the host is asked for the same range with useRTH false, and the answer is kept', async () => {
    const p = await open();
    assert.equal((await box(p)).disabled, true, 'no toggle before the host says what the chart shows');
    await post(p, INIT);
    await p.waitForFunction(() => !(document.getElementById('extended-hours') as HTMLInputElement).disabled);
    assert.deepEqual(await box(p), { checked: false, disabled: false, label: 'Extended hours' }, 'regular hours by default');
    await p.click('#extended-hours');
    await p.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'changeRange'));
    assert.deepEqual(await rangeAsks(p), [{ type: 'changeRange', barSize: '5 mins', duration: '1 D', useRTH: false }]);
    assert.equal(await p.getAttribute('#progress', 'hidden'), null, 'loading while the host answers');
    // the host takes it
    await post(p, { ...INIT, useRTH: false });
    await post(p, { type: 'loading', loading: false });
    assert.equal((await box(p)).checked, true);
    assert.equal((await saved(p))?.useRTH, false, 'saved with the range (the panel comes back with it after a reload)');
    // a bar size picked now keeps extended hours
    await p.selectOption('#bar-size', '1 hour');
    await p.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.filter((m) => m.type === 'changeRange').length === 2);
    assert.deepEqual((await rangeAsks(p))[1], { type: 'changeRange', barSize: '1 hour', duration: '1 D', useRTH: false });
    // and unticking asks for regular hours again
    await post(p, { ...INIT, barSize: '1 hour', useRTH: false });
    await p.click('#extended-hours');
    await p.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.filter((m) => m.type === 'changeRange').length === 3);
    assert.deepEqual((await rangeAsks(p))[2], { type: 'changeRange', barSize: '1 hour', duration: '1 D', useRTH: true });
  });

  it('a toggle the host does not take goes back to the hours in effect', async () => {
    const p = await open();
    await post(p, INIT);
    await p.waitForFunction(() => !(document.getElementById('extended-hours') as HTMLInputElement).disabled);
    await p.click('#extended-hours');
    assert.equal((await box(p)).checked, true);
    await post(p, { type: 'loading', loading: false }); // finished without an init: refused
    await p.waitForFunction(() => !(document.getElementById('extended-hours') as HTMLInputElement).checked);
    assert.equal((await saved(p))?.useRTH, true);
  });

  it('a chart the host opens on extended hours (remembered) shows the box ticked', async () => {
    const p = await open();
    await post(p, { ...INIT, useRTH: false });
    await p.waitForFunction(() => (document.getElementById('extended-hours') as HTMLInputElement).checked);
    assert.equal((await saved(p))?.useRTH, false);
    assert.deepEqual(await rangeAsks(p), [], 'nothing asked: the host said what it shows');
  });

  it('a useRTH that is not a boolean is ignored (regular hours), never breaks the page', async () => {
    const p = await open();
    await post(p, { ...INIT, useRTH: 'no' });
    await p.waitForFunction(() => !(document.getElementById('extended-hours') as HTMLInputElement).disabled);
    assert.equal((await box(p)).checked, false);
  });

  it("a market with no hours outside its regular ones (the host's 'hours' false): the box is disabled, saying why, through a new init too", async () => {
    const p = await open();
    await post(p, INIT);
    await p.waitForFunction(() => !(document.getElementById('extended-hours') as HTMLInputElement).disabled);
    const title = () => p.evaluate(() => document.getElementById('extended-hours')?.closest('label')?.title ?? '');
    const ownTitle = await title();
    await post(p, { type: 'hours', symbol: 'AAPL', extendedHours: false });
    await p.waitForFunction(() => (document.getElementById('extended-hours') as HTMLInputElement).disabled);
    assert.match(await title(), /no hours outside its regular ones/);
    // a range the host confirms (init again) keeps it disabled
    await post(p, { ...INIT, barSize: '1 hour' });
    await p.waitForFunction(() => (document.getElementById('bar-size') as HTMLSelectElement).value === '1 hour');
    assert.equal((await box(p)).disabled, true);
    // malformed, or for another symbol: ignored
    await post(p, { type: 'hours', symbol: 'AAPL', extendedHours: 'yes' });
    await post(p, { type: 'hours', symbol: 'MSFT', extendedHours: true });
    // a message after them has been handled, so they have been too
    await post(p, { type: 'status', text: 'after the ignored ones', kind: 'info' });
    await p.waitForFunction(() => document.getElementById('status')?.textContent === 'after the ignored ones');
    assert.equal((await box(p)).disabled, true);
    await post(p, { type: 'hours', symbol: 'AAPL', extendedHours: true });
    await p.waitForFunction(() => !(document.getElementById('extended-hours') as HTMLInputElement).disabled);
    assert.equal(await title(), ownTitle);
  });
  it('a saved range with extended hours, on a market without them: the box is clear and disabled, and the choice comes back where there are some', async () => {
    const p = await open();
    await post(p, { ...INIT, useRTH: false });
    await p.waitForFunction(() => (document.getElementById('extended-hours') as HTMLInputElement).checked);
    await post(p, { type: 'hours', symbol: 'AAPL', extendedHours: false });
    await p.waitForFunction(() => (document.getElementById('extended-hours') as HTMLInputElement).disabled);
    assert.equal((await box(p)).checked, false, 'not ticked for a market that has no extended hours');
    // a range changed there keeps the person's choice for when the box is offered again
    await p.selectOption('#bar-size', '1 hour');
    await post(p, { type: 'hours', symbol: 'AAPL', extendedHours: true });
    await p.waitForFunction(() => !(document.getElementById('extended-hours') as HTMLInputElement).disabled);
    assert.equal((await box(p)).checked, true);
  });
});
