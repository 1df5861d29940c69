/**
 * The quote table webview in a real Chromium: the page as the host serves it
 * (renderQuoteTableHtml with its CSP), the bundled dist/webview/quotes.js, and
 * acquireVsCodeApi() supplied by an init script that records what the page
 * posts. The host's messages are the protocol's own: the fields that changed.
 */
import { strict as assert } from 'node:assert';
import type { Page } from 'playwright-core';
import { makeNonce } from '../../media/chart/html';
import { renderQuoteTableHtml } from '../../media/quotes/html';
import { fieldChanges, type QuoteFields, type QuoteTableHostMessage } from '../../media/quotes/protocol';
import { webviewPages } from './support/webview-pages';

describe('quote table webview (real Chromium)', function () {
  this.timeout(90_000);
  const nonce = makeNonce();
  const pages = webviewPages('dist/webview/quotes.js', 'media/quotes/table.css', (uris) => renderQuoteTableHtml({ ...uris, nonce }), { warnings: true });
  let page: Page;

  beforeEach(async () => {
    page = await pages.open((p) =>
      p.addInitScript({
        content: `window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))), getState: () => window.__state, setState: (s) => (window.__state = s) });`,
      }),
    );
    await page.waitForFunction(() => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => m.type === 'ready'));
  });

  /** Posts a host message, and resolves once the page has handled it (messages are handled in order: a marker posted after it comes back). */
  const send = (m: QuoteTableHostMessage) =>
    page.evaluate(
      (msg) =>
        new Promise<void>((done) => {
          const marker = `done-${Math.random()}`;
          const seen = (e: MessageEvent) => {
            if (e.data !== marker) return;
            window.removeEventListener('message', seen);
            done();
          };
          window.addEventListener('message', seen);
          window.postMessage(msg, '*');
          window.postMessage(marker, '*');
        }),
      m,
    );
  const cells = (symbol: string) =>
    page.$$eval(`#quotes tbody tr[data-symbol="${symbol}"] > *`, (tds) =>
      Object.fromEntries(tds.map((td) => [(td as HTMLElement).dataset.key, td.textContent])),
    );

  const aapl: QuoteFields = {
    bid: 231.4,
    bidSize: 300,
    ask: 231.44,
    askSize: 200,
    last: 231.42,
    timeIsTrade: true,
    price: 231.42,
    priceSource: 'last',
    close: 230.24,
    change: 1.18,
    changePercent: 0.5125,
    volume: 32_400_000,
    dataType: 'live',
    halted: false,
  };

  it("names the time column's zone (this computer's, as the browser reads it)", async () => {
    const heading = await page.$eval('#quotes thead th[data-key="time"] button', (b) => b.textContent);
    const zone = await page.evaluate(
      () => new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName')?.value,
    );
    assert.ok(zone, 'the browser names its zone');
    assert.equal(heading, `Time (${zone})`);
  });

  it("the time heading's zone follows this computer's when daylight saving time begins while the table is open", async () => {
    const newYork = await pages.open(async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Emulation.setTimezoneOverride', { timezoneId: 'America/New_York' });
      p.on('close', () => void cdp.detach().catch(() => undefined));
      await p.addInitScript({
        content: `window.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });`,
      });
      // two minutes before 2 a.m. on 8 March 2026, when New York's clocks go forward
      await p.clock.install({ time: new Date('2026-03-08T06:58:00Z') });
    });
    const heading = () => newYork.$eval('#quotes thead th[data-key="time"] button', (b) => b.textContent);
    assert.equal(await heading(), 'Time (EST)');
    await newYork.clock.setSystemTime(new Date('2026-03-08T07:05:00Z'));
    await newYork.evaluate((m) => window.postMessage(m, '*'), {
      type: 'rows',
      rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }],
      order: ['AAPL'],
    });
    await newYork.waitForFunction(() => document.querySelector('#quotes thead th[data-key="time"] button')?.textContent !== 'Time (EST)');
    assert.equal(await heading(), 'Time (EDT)');
  });

  /** A page in New York's zone with its clock installed at `at` (the time column's text depends on both). */
  const pinnedPage = (at: string) =>
    pages.open(async (p) => {
      const cdp = await p.context().newCDPSession(p);
      await cdp.send('Emulation.setTimezoneOverride', { timezoneId: 'America/New_York' });
      p.on('close', () => void cdp.detach().catch(() => undefined));
      await p.addInitScript({
        content: `window.acquireVsCodeApi = () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined });`,
      });
      await p.clock.install({ time: new Date(at) });
    });

  it('sorts by time as times, not as text: a quote of Dec 4 before the ones of this morning', async () => {
    const ny = await pinnedPage('2026-12-10T15:00:00Z');
    const times: Array<[string, string]> = [
      ['AAPL', '2026-12-10T14:59:58Z'],
      ['SHOP', '2026-12-04T21:00:00Z'],
      ['MSFT', '2026-12-10T15:00:00Z'],
    ];
    await ny.evaluate((m) => window.postMessage(m, '*'), {
      type: 'rows',
      rows: times.map(([symbol, t]) => ({ symbol, set: fieldChanges(undefined, { ...aapl, time: Date.parse(t) })! })),
      order: times.map(([symbol]) => symbol),
      reset: true,
    });
    await ny.waitForFunction(() => document.querySelectorAll('#quotes tbody tr').length === 3);
    const text = await ny.$$eval('#quotes tbody td[data-key="time"]', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(text, ['09:59:58', 'Dec 4 16:00:00', '10:00:00']);
    const order = () => ny.$$eval('#quotes tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.symbol));
    await ny.click('#quotes thead th[data-key="time"] button');
    assert.deepEqual(await order(), ['SHOP', 'AAPL', 'MSFT']);
    await ny.click('#quotes thead th[data-key="time"] button');
    assert.deepEqual(await order(), ['MSFT', 'AAPL', 'SHOP']);
  });

  it('past midnight, a quote of yesterday that has not changed shows its date', async () => {
    // 23:58 in New York on 9 December
    const ny = await pinnedPage('2026-12-10T04:58:00Z');
    await ny.evaluate((m) => window.postMessage(m, '*'), {
      type: 'rows',
      rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, { ...aapl, time: Date.parse('2026-12-10T03:00:00Z') })! }],
      order: ['AAPL'],
      reset: true,
    });
    const time = () => ny.$eval('#quotes tbody td[data-key="time"]', (td) => td.textContent);
    await ny.waitForFunction(() => document.querySelector('#quotes tbody td[data-key="time"]')?.textContent === '22:00:00');
    // five minutes on: 00:03 on 10 December, no new quote
    await ny.clock.runFor(5 * 60_000);
    assert.equal(await time(), 'Dec 9 22:00:00');
  });

  it('shows whole rows from their fields, then writes only the cells a change touched (the row element stays)', async () => {
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }], order: ['AAPL'], reset: true });
    const first = await cells('AAPL');
    assert.equal(first.price, '231.42');
    assert.equal(first.bid, '231.40');
    assert.equal(first.bidSize, '300');
    assert.equal(first.volume, '32.4M');
    assert.equal(first.change, '+1.18');
    assert.equal(first.data, 'live');
    await page.$eval('#quotes tbody tr[data-symbol="AAPL"]', (tr) => tr.setAttribute('data-marked', '1'));
    const next = { ...aapl, bid: 231.41, bidSize: 500 };
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(aapl, next)! }] });
    await page.waitForFunction(() => document.querySelector('#quotes tr[data-symbol="AAPL"] [data-key="bid"]')?.textContent === '231.41');
    const after = await cells('AAPL');
    assert.deepEqual(after, { ...first, bid: '231.41', bidSize: '500' });
    assert.equal(await page.$eval('#quotes tbody tr[data-symbol="AAPL"]', (tr) => tr.getAttribute('data-marked')), '1', 'the same row element');
    assert.match(
      await page.$eval('#quotes tbody tr[data-symbol="AAPL"]', (tr) => (tr as HTMLElement).title),
      /^AAPL\nPrice: 231\.42 \(last trade\)\n.*\nBid: 231\.41 × 500\n/s,
    );
  });

  it('in a panel narrower than the table, the symbol column stays in view while the others scroll sideways', async () => {
    await page.setViewportSize({ width: 320, height: 300 });
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }], order: ['AAPL'], reset: true });
    const scrolled = await page.evaluate(() => {
      const row = 'tbody tr[data-symbol="AAPL"]';
      const left = (sel: string) => Math.round((document.querySelector(`#quotes ${row} > ${sel}`) as HTMLElement).getBoundingClientRect().left);
      const priceBefore = left('[data-key="price"]');
      window.scrollTo(400, 0);
      return { x: window.scrollX, symbolLeft: left('th'), priceBefore, priceAfter: left('[data-key="price"]') };
    });
    assert.ok(scrolled.x > 0, `the table is wider than the panel and scrolls (${JSON.stringify(scrolled)})`);
    assert.equal(scrolled.symbolLeft, 0, 'the symbol cell stays at the left edge');
    assert.equal(scrolled.priceAfter, scrolled.priceBefore - scrolled.x, 'the other cells scrolled');
  });

  it('a field no longer known is shown as a dash; an error shows in the data column and goes again', async () => {
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }], order: ['AAPL'], reset: true });
    const { bid: _bid, ...noBid } = aapl;
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(aapl, { ...noBid, error: 'Market data farm connection is broken' })! }] });
    await page.waitForFunction(() => document.querySelector('#quotes tr[data-symbol="AAPL"] [data-key="bid"]')?.textContent === '—');
    assert.equal((await cells('AAPL')).data, '⚠ Market data farm connection is broken');
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges({ ...noBid, error: 'x' }, noBid)! }] });
    await page.waitForFunction(() => document.querySelector('#quotes tr[data-symbol="AAPL"] [data-key="data"]')?.textContent === 'live');
  });

  it('whole rows in answer to ready replace what reached the page before them', async () => {
    // a change meant for the page this one replaced: the bid it carries is no longer known when the whole rows come
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: { bid: 1.23 } }], order: ['AAPL'] });
    const { bid: _bid, ...noBid } = aapl;
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, noBid)! }], order: ['AAPL'], reset: true });
    await page.waitForFunction(() => document.querySelector('#quotes tr[data-symbol="AAPL"] [data-key="price"]')?.textContent === '231.42');
    assert.equal((await cells('AAPL')).bid, '—');
  });

  it('forex is priced by the mid of bid/ask, and a row dropped from the order goes', async () => {
    const eur: QuoteFields = {
      bid: 1.1,
      ask: 1.1002,
      price: 1.1001,
      priceSource: 'mid',
      close: 1.09,
      change: 0.0101,
      changePercent: 0.93,
      dataType: 'live',
      halted: false,
    };
    await send({
      type: 'rows',
      rows: [
        { symbol: 'AAPL', set: fieldChanges(undefined, aapl)! },
        { symbol: 'EUR.USD', set: fieldChanges(undefined, eur)! },
      ],
      order: ['AAPL', 'EUR.USD'],
      reset: true,
    });
    assert.equal((await cells('EUR.USD')).price, '1.1001');
    assert.match(await page.$eval('#quotes tbody tr[data-symbol="EUR.USD"]', (tr) => (tr as HTMLElement).title), /Price: 1\.1001 \(mid of bid\/ask\)/);
    await send({ type: 'rows', rows: [], order: ['EUR.USD'] });
    assert.deepEqual(await page.$$eval('#quotes tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.symbol)), ['EUR.USD']);
  });
  it('keyboard: the sort buttons are one Tab stop and the rows another; arrows, Home and End move within each; Enter opens the details, Shift+Enter the chart', async () => {
    const three = ['AAPL', 'MSFT', 'IBM'];
    await send({
      type: 'rows',
      rows: three.map((symbol, i) => ({ symbol, set: fieldChanges(undefined, { ...aapl, price: 100 + i })! })),
      order: three,
      reset: true,
    });
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.tagName === 'TR' ? `row ${el.dataset.symbol}` : el?.tagName === 'BUTTON' ? `sort ${el.closest('th')?.dataset.key}` : String(el?.tagName);
      });
    const posted = () =>
      page.evaluate(() => (window as unknown as { __posted: Array<{ type: string; symbol?: string }> }).__posted.filter((m) => m.type !== 'ready'));
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'sort symbol');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'row AAPL', 'one Tab from the first sort button to the rows, past the other twelve');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'row MSFT');
    await page.keyboard.press('End');
    assert.equal(await focused(), 'row IBM');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'row IBM', 'the last row stays');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    // asked with the keyboard: the host brings the keyboard back to this row when the details close
    assert.deepEqual(await posted(), [{ type: 'details', symbol: 'MSFT', byKey: true }]);
    // back to the sort buttons: Shift+Tab, then along them with the arrows; the page did not scroll for the arrows
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(), 'sort symbol');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'sort price');
    // Tab from there goes to the row last on, not the first
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'row MSFT');
    assert.equal(await page.evaluate(() => window.scrollY), 0);
    // Shift+Enter opens the row's chart, as a double click does
    await page.keyboard.press('Shift+Enter');
    assert.deepEqual((await posted()).slice(-1), [{ type: 'chart', symbol: 'MSFT' }]);
    assert.equal(await page.getAttribute('#quotes tbody tr[data-symbol="MSFT"]', 'aria-keyshortcuts'), 'Enter Shift+Enter');
    // a click asks for the details too, not by key: the focus stays where the person puts it next
    await page.click('#quotes tbody tr[data-symbol="IBM"] td[data-key="price"]');
    assert.deepEqual((await posted()).slice(-1), [{ type: 'details', symbol: 'IBM' }]);
  });

  it('a screen reader hears a row once: its cells, not the whole quote again from its tooltip (which a pointer still shows)', async () => {
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }], order: ['AAPL'], reset: true });
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: Array<{ role?: { value: string }; name?: { value: string }; description?: { value: string } }>;
    };
    const row = nodes.find((n) => n.role?.value === 'row' && /AAPL/.test(n.name?.value ?? ''));
    assert.ok(row, 'the row is in the accessibility tree');
    assert.equal(row.name?.value, 'AAPL', 'named by its symbol, not by the whole quote');
    assert.ok(!row.description?.value, `no description read after the cells (got "${row.description?.value}")`);
    const tip = await page.getAttribute('#quotes tbody tr[data-symbol="AAPL"]', 'title');
    assert.match(tip ?? '', /^AAPL\nPrice: 231\.42/, 'the pointer still shows the whole quote');
  });

  it('sorted by price, the row a person is on keeps the focus when a new price moves it', async () => {
    const three = ['AAPL', 'MSFT', 'IBM'];
    const prices = [100, 101, 102];
    await send({
      type: 'rows',
      rows: three.map((symbol, i) => ({ symbol, set: fieldChanges(undefined, { ...aapl, price: prices[i] })! })),
      order: three,
      reset: true,
    });
    await page.click('#quotes thead th[data-key="price"] button');
    const order = () => page.$$eval('#quotes tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.symbol));
    assert.deepEqual(await order(), ['AAPL', 'MSFT', 'IBM']);
    await page.focus('#quotes tbody tr[data-symbol="AAPL"]');
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges({ ...aapl, price: 100 }, { ...aapl, price: 103 })! }] });
    assert.deepEqual(await order(), ['MSFT', 'IBM', 'AAPL']);
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.symbol), 'AAPL');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.symbol), 'IBM');
  });
  it('a row without a quote ("—", a symbol IB refused) sorts last by a number column, ascending and descending', async () => {
    const percents: Array<[string, number | undefined]> = [
      ['VIX', -6.35],
      ['SHOP', -2.08],
      ['RY@TSE', undefined],
      ['EUR.USD', 0.18],
      ['AAPL', 0.51],
    ];
    await send({
      type: 'rows',
      rows: percents.map(([symbol, p]) => ({ symbol, set: fieldChanges(undefined, p === undefined ? { halted: false } : { ...aapl, changePercent: p })! })),
      order: percents.map(([symbol]) => symbol),
      reset: true,
    });
    assert.equal((await cells('RY@TSE')).percent, '—');
    const order = () => page.$$eval('#quotes tbody tr', (trs) => trs.map((tr) => (tr as HTMLElement).dataset.symbol));
    await page.click('#quotes thead th[data-key="percent"] button');
    assert.deepEqual(await order(), ['VIX', 'SHOP', 'EUR.USD', 'AAPL', 'RY@TSE']);
    await page.click('#quotes thead th[data-key="percent"] button');
    assert.deepEqual(await order(), ['AAPL', 'EUR.USD', 'SHOP', 'VIX', 'RY@TSE']);
  });

  it("a numeric column's heading ends where its numbers end; the focused row is framed on all four sides, the pinned symbol cell too", async () => {
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }], order: ['AAPL'], reset: true });
    const edges = await page.evaluate(() => {
      const right = (el: Element) => {
        const r = document.createRange();
        r.selectNodeContents(el);
        return Math.round(r.getBoundingClientRect().right);
      };
      const pad = (el: Element) => parseFloat(getComputedStyle(el).paddingRight);
      return ['price', 'bid', 'volume'].map((key) => {
        const button = document.querySelector(`#quotes thead th[data-key="${key}"] button`)!;
        const cell = document.querySelector(`#quotes tbody tr[data-symbol="AAPL"] [data-key="${key}"]`)!;
        // the heading's sort arrow is not shown yet (no sort): its text and the number end a padding from the right
        return { key, heading: right(button) + pad(button), number: right(cell) + pad(cell) };
      });
    });
    for (const e of edges) assert.ok(Math.abs(e.heading - e.number) <= 1, JSON.stringify(e));
    // the theme's focus colour, as VS Code gives a webview
    await page.evaluate(() => document.documentElement.style.setProperty('--vscode-focusBorder', '#0078d4'));
    // by the keyboard (the sort buttons, then the rows): the focus is shown as for a keyboard
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.symbol), 'AAPL');
    const frame = await page.evaluate(() => {
      const row = document.querySelector('#quotes tbody tr[data-symbol="AAPL"]')!;
      return Array.from(row.children).map((c) => getComputedStyle(c).boxShadow);
    });
    assert.match(frame[0], /\) 1px 0px 0px 0px inset/, `the symbol cell draws the left edge: ${frame[0]}`);
    assert.match(frame[frame.length - 1], /\) -1px 0px 0px 0px inset/, 'the last cell the right edge');
    for (const f of frame) assert.match(f, /\) 0px 1px 0px 0px inset.*\) 0px -1px 0px 0px inset/, `every cell the top and bottom: ${f}`);
  });
  it('says SIMULATED above the table while the host says the quotes are simulated (the panel tab cannot), and not after', async () => {
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }], order: ['AAPL'], reset: true });
    const badge = () =>
      page.evaluate(() => ({
        shown: !document.getElementById('sim-badge')!.hidden && document.getElementById('sim-badge')!.getClientRects().length > 0,
        text: document.getElementById('sim-badge')!.textContent,
      }));
    assert.equal((await badge()).shown, false, 'none before the host says so');
    await send({ type: 'simulated', on: true });
    assert.deepEqual(await badge(), { shown: true, text: 'SIMULATED: prices and times are not real' });
    // malformed: ignored
    await send({ type: 'simulated', on: 'no' } as unknown as QuoteTableHostMessage);
    assert.equal((await badge()).shown, true);
    await send({ type: 'simulated', on: false });
    assert.equal((await badge()).shown, false);
  });

  it('says above the table why the quotes do not stream (not connected, IB disabled) while they do not, and nothing once they do', async () => {
    await send({ type: 'rows', rows: [{ symbol: 'AAPL', set: fieldChanges(undefined, aapl)! }], order: ['AAPL'], reset: true });
    const note = () =>
      page.evaluate(() => {
        const el = document.getElementById('offline')!;
        return { shown: !el.hidden && el.getClientRects().length > 0, text: el.textContent, role: el.getAttribute('role') };
      });
    assert.equal((await note()).shown, false);
    const text = 'Not connected: the last known values. Run IB: Connect (in the status bar).';
    await send({ type: 'offline', text });
    assert.deepEqual(await note(), { shown: true, text, role: 'status' });
    await send({ type: 'offline', text: 42 } as unknown as QuoteTableHostMessage);
    assert.equal((await note()).text, text, 'a malformed message is ignored');
    await send({ type: 'offline', text: '' });
    assert.equal((await note()).shown, false);
  });
});
