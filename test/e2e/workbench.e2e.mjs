// End to end, as a person sees it: the packaged .vsix installed into a real
// VS Code (code-server's server), opened in Chromium, talking to the
// simulated gateway. Steps run in order and share one workbench; each saves
// a screenshot.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, describe, it } from 'mocha';
import { ensureVsCode, repoRoot } from '../../scripts/vscode/install.mjs';
import {
  cleanupOnExit,
  killGroup,
  launchBrowser,
  makeSandbox,
  serverCli,
  startServer,
  startSimulator,
  workbenchUrl,
  writeSettings,
} from '../../scripts/vscode/workbench.mjs';
import { CHART_SYMBOL, COMMANDS, EXTENSION_ID, SETTINGS, SHOTS, STATUS, STATUS_PREFIX, VIEW_CONTAINER_LABEL, VSIX, WATCHLIST } from './expectations.mjs';
import {
  answerQuickInput,
  canvasStats,
  openViewContainer,
  runCommand,
  sideBarRows,
  statusItem,
  typeCommand,
  waitFor,
  waitForStatus,
  waitForWorkbench,
} from './workbench-page.mjs';

// every run saves its pictures under test-results/ (ignored by git); `npm run
// screenshots` (IB_UPDATE_SCREENSHOTS=1) refreshes the README's in docs/screenshots/
const shotsDir = process.env.IB_UPDATE_SCREENSHOTS ? join(repoRoot, 'docs', 'screenshots') : join(repoRoot, 'test-results', 'e2e', 'screenshots');

describe('end to end: the packaged extension in a browser', function () {
  this.timeout(120_000);
  let sandbox;
  let sim;
  let server;
  let context;
  let page;
  /** A watchlist row in the side bar, by its symbol, and its text as shown. */
  const row = (sym) => page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${sym}$`) }) }).first();
  const rowText = (sym) => row(sym).evaluate((el) => el.textContent.replace(/\s+/g, ' ').trim());
  /** The text of the hovers shown now. */
  const hoverText = () =>
    page.$$eval('.monaco-hover, .workbench-hover', (hs) =>
      hs
        .filter((h) => h.getClientRects().length)
        // as drawn: a line break between the title and the line under it (textContent runs them together)
        .map((h) => h.innerText)
        .join(' '),
    );
  /** The quote table's page (a frame in the panel's webview) once it has every row; `fresh`: a page not marked (data-marked), a new one. */
  const quoteTable = (what, { fresh = false } = {}) =>
    waitFor(
      what,
      async () => {
        for (const f of page.frames()) {
          const n = await f.$$eval(`${fresh ? 'body:not([data-marked]) ' : ''}#quotes tbody tr`, (trs) => trs.length).catch(() => 0);
          if (n === WATCHLIST.length) return f;
        }
        return undefined;
      },
      { timeoutMs: 30_000 },
    );
  let cleanup;

  const shot = async (name) => {
    mkdirSync(shotsDir, { recursive: true });
    await page.screenshot({ path: join(shotsDir, name) });
  };

  before(async function () {
    this.timeout(600_000);
    const paths = ensureVsCode();
    const vsix = join(repoRoot, VSIX);
    if (!process.env.IB_E2E_REUSE_VSIX || !existsSync(vsix)) {
      const pack = spawnSync('npm', ['run', 'package'], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
      assert.equal(pack.status, 0, '`npm run package` failed');
    }
    assert.ok(existsSync(vsix), `${VSIX} was not produced`);

    sandbox = makeSandbox('e2e');
    cleanup = cleanupOnExit(sandbox, [
      async () => context && (await context.close()),
      async () => server && killGroup(server.pid),
      async () => sim && (await sim.sim.stop()),
    ]);
    sim = await startSimulator({ at: 'regularSession', tickIntervalMs: 250 });
    assert.ok(sim, 'the simulator (src/sim/server.ts) is needed for the end-to-end checks');
    writeSettings(sandbox, { ...SETTINGS, 'jax.ib.host': sim.host, 'jax.ib.port': sim.port });

    const installed = await serverCli(paths, sandbox, ['--install-extension', vsix]);
    process.stdout.write(
      installed
        .split('\n')
        .filter((l) => /install/i.test(l))
        .map((l) => `    ${l}\n`)
        .join(''),
    );

    server = await startServer(paths, sandbox, {
      env: { IB_SIM_START: new Date(sim.sim.clock.start).toISOString() },
      verbose: Boolean(process.env.IB_VSCODE_VERBOSE),
    });
    context = await launchBrowser(paths, sandbox);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(workbenchUrl(server, sandbox.dirs.workspace), { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(page);
  });

  afterEach(async function () {
    // a failed step leaves a picture of what was on screen (not committed)
    if (this.currentTest?.state === 'failed' && page) {
      const dir = join(repoRoot, 'test-results', 'e2e');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${this.currentTest.title.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
      await page.screenshot({ path: file }).catch(() => undefined);
      console.log(`    screenshot of the failure: ${file.slice(repoRoot.length + 1)}`);
    }
  });

  after(async function () {
    this.timeout(30_000);
    if (cleanup) await cleanup();
  });

  it('has the .vsix installed the way a user installs it', async () => {
    const paths = ensureVsCode();
    const list = await serverCli(paths, sandbox, ['--list-extensions']);
    assert.ok(list.toLowerCase().split(/\s+/).includes(EXTENSION_ID), `installed: ${list}`);
  });

  it('shows the status bar item disconnected once the watchlist opens', async () => {
    await openViewContainer(page, VIEW_CONTAINER_LABEL);
    await page.mouse.move(170, 600); // empty side bar: no hover tooltip or crosshair in the pictures
    const text = await waitForStatus(page, STATUS_PREFIX, STATUS.disconnected, 60_000);
    assert.match(text, STATUS.disconnected);
    await shot(SHOTS.disconnected);
  });

  it('connects from the command palette and the status bar turns ready', async () => {
    await typeCommand(page, COMMANDS.connect);
    await shot(SHOTS.palette);
    await page.keyboard.press('Enter');
    const text = await waitForStatus(page, STATUS_PREFIX, STATUS.ready, 60_000);
    assert.match(text, STATUS.ready);
    // every watchlist row gets its own streaming line
    await waitForStatus(page, STATUS_PREFIX, STATUS.streamingAll, 60_000);
    await shot(SHOTS.ready);
  });

  it('the palette lists the IB commands that apply: Disconnect, not Connect, while connected; Move Up only with a row selected', async () => {
    /** The palette's IB commands matching what is typed (after "IB: "). */
    const listed = async (typed) => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input.input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await page.keyboard.type(`IB: ${typed}`, { delay: 10 });
      await sleep(500); // the list filters as it is typed
      const labels = await page.$$eval('.quick-input-list .monaco-list-row', (rs) =>
        rs.map((r) => (r.getAttribute('aria-label') || r.textContent || '').split(',')[0].trim()),
      );
      await page.keyboard.press('Escape');
      return labels.filter((l) => l.startsWith('IB: '));
    };
    // the palette matches loosely ("Stop Bridge" finds Start Bridge too): what matters is which titles are there
    assert.ok((await listed('Disconnect')).includes('IB: Disconnect'), 'Disconnect while connected');
    assert.ok(!(await listed('Connect')).includes('IB: Connect'), 'no Connect while connected');
    const bridge = await listed('Bridge');
    assert.ok(
      bridge.includes('IB: Start Bridge') && !bridge.includes('IB: Stop Bridge'),
      `Start Bridge, not Stop Bridge, while no bridge serves: ${bridge.join(', ')}`,
    );
    const move = await listed('Move');
    assert.ok(!move.some((l) => /^IB: Move (Up|Down)/.test(l)), `no Move Up or Move Down while no row is selected: ${move.join(', ')}`);
  });

  it('lists the watchlist with prices that change over time', async () => {
    const priced = () =>
      sideBarRows(page).then((rows) => {
        const mine = WATCHLIST.map((sym) => rows.find((r) => r.startsWith(sym + ' ') || r.includes(` ${sym} `) || r === sym));
        return mine.every((r) => r && /\d+\.\d+/.test(r)) ? mine : undefined;
      });
    const first = await waitFor('every watchlist row with a price', priced, { timeoutMs: 30_000 }).catch(async (err) => {
      throw new Error(`${err.message}; rows: ${JSON.stringify(await sideBarRows(page))}`);
    });
    const changed = await waitFor(
      'a watchlist price to change',
      async () => {
        const now = await priced();
        return now && now.some((r, i) => r !== first[i]) ? now : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    assert.notDeepEqual(changed, first);
    await shot(SHOTS.watchlist);
  });

  it("a row's right-click menu moves it only where it can go: no Move Up on the first row, no Move Down on the last", async () => {
    const menuOf = async (symbol) => {
      const row = page
        .locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${symbol.replace('.', '\\.')}$`) }) })
        .first();
      await row.click({ button: 'right' });
      const items = await waitFor(
        `the menu of ${symbol}`,
        async () => {
          const t = await page.$$eval('.context-view .action-label', (els) => els.map((e) => (e.textContent || '').trim()).filter(Boolean)).catch(() => []);
          return t.length ? t : undefined;
        },
        { timeoutMs: 10_000 },
      );
      await page.keyboard.press('Escape');
      return items;
    };
    const first = await menuOf(WATCHLIST[0]);
    assert.ok(first.includes('Move Down in Watchlist') && !first.includes('Move Up in Watchlist'), `first row: ${first.join(', ')}`);
    const last = await menuOf(WATCHLIST[WATCHLIST.length - 1]);
    assert.ok(last.includes('Move Up in Watchlist') && !last.includes('Move Down in Watchlist'), `last row: ${last.join(', ')}`);
    const middle = await menuOf(WATCHLIST[1]);
    assert.ok(
      middle.includes('Move Up in Watchlist') && middle.includes('Move Down in Watchlist') && middle.includes('Remove from Watchlist'),
      `middle row: ${middle.join(', ')}`,
    );
  });

  it('shows bid × size / ask × size, volume and the range in each row; EUR.USD is priced between its bid and ask', async () => {
    const rows = await sideBarRows(page);
    const fx = rows.find((r) => r.startsWith('EUR.USD '));
    // "EUR.USD 1.3056 +0.0011 (+0.08%) 1.3055×1.00M / 1.3057×2.00M 1.3001–1.3102"
    const m = /^EUR\.USD (\d+\.\d+) .*?(\d+\.\d+)×\S+ \/ (\d+\.\d+)×\S+/.exec(fx ?? '');
    assert.ok(m, `an EUR.USD row with bid and ask: ${fx}`);
    const [price, bid, ask] = m.slice(1).map(Number);
    assert.ok(bid <= price && price <= ask, `EUR.USD ${price} lies between bid ${bid} and ask ${ask} (not the previous close)`);
    const stock = rows.find((r) => r.startsWith('AAPL '));
    assert.match(stock ?? '', /×\S+ \/ \d+\.\d+×\S+ +vol [\d.KMB]+ +\d+\.\d+–\d+\.\d+/, `AAPL row: ${stock}`);
  });

  it("opens a row's hover while prices stream, keeps it open long enough to read, and the row moves after", async () => {
    // as a person does: the quotes stream, the pointer comes to rest on a row, the hover opens
    // (VS Code opens it once the row has not been drawn again for the hover delay, 500 ms)
    await page.mouse.move(170, 600);
    const moving = await rowText('AAPL');
    await waitFor('AAPL streaming', async () => ((await rowText('AAPL')) !== moving ? true : undefined), { timeoutMs: 15_000, intervalMs: 100 });
    const rested = Date.now();
    await row('AAPL').hover();
    await waitFor("the AAPL row's hover, the quotes streaming", async () => ((await hoverText()).includes('Bid') ? true : undefined), {
      timeoutMs: 5_000,
      intervalMs: 100,
    });
    const opened = Date.now();
    assert.ok(opened - rested < 4_000, `the hover opened ${opened - rested} ms after the pointer came to rest`);
    // the hovered row is held (drawing it would close its hover), the others move
    const aapl = await rowText('AAPL');
    // the hover tells what the row shows, not a newer price than the one beside it
    const rowPrice = /^AAPL\s*(\d+\.\d+)/.exec(aapl)?.[1];
    assert.ok(rowPrice, `a price in the AAPL row: ${aapl}`);
    const tip = (await hoverText()).replace(/\s+/g, ' ');
    assert.ok(tip.includes(`Price ${rowPrice} (last trade)`), `the hover's price is the row's ${rowPrice}: ${tip}`);
    const msft = await rowText('MSFT');
    let othersMoved = false;
    while (Date.now() - opened < 6_000) {
      assert.match(await hoverText(), /Bid/, `the hover closed ${Date.now() - opened} ms after it opened`);
      assert.equal(await rowText('AAPL'), aapl, 'the hovered row is not drawn again while its hover is open');
      othersMoved ||= (await rowText('MSFT')) !== msft;
      await sleep(200);
    }
    assert.ok(othersMoved, 'the quotes streamed meanwhile (MSFT moved)');
    await shot(SHOTS.rowHover);
    await page.mouse.move(170, 600);
    await waitFor('the AAPL row to move again', async () => ((await rowText('AAPL')) !== aapl ? true : undefined), { timeoutMs: 15_000, intervalMs: 250 });
  });

  it("moves a row again as soon as the pointer's hover moves on to another row, and holds that one", async () => {
    await page.mouse.move(170, 600);
    const moving = await rowText('AAPL');
    await waitFor('AAPL streaming', async () => ((await rowText('AAPL')) !== moving ? true : undefined), { timeoutMs: 15_000, intervalMs: 100 });
    await row('AAPL').hover();
    await waitFor("the AAPL row's hover", async () => (/^\s*AAPL\b/.test(await hoverText()) ? true : undefined), { timeoutMs: 5_000, intervalMs: 100 });
    const aaplOpened = Date.now();
    const aapl = await rowText('AAPL');
    // as a person reads down the list: the pointer comes to rest on the next row
    await row('MSFT').hover();
    await waitFor("the MSFT row's hover", async () => (/^\s*MSFT\b/.test(await hoverText()) ? true : undefined), { timeoutMs: 5_000, intervalMs: 100 });
    const msftOpened = Date.now();
    const msft = await rowText('MSFT');
    // AAPL's hover is gone: it moves again, long before its hold would have ended (8 s after its hover opened)
    await waitFor('the AAPL row to move again', async () => ((await rowText('AAPL')) !== aapl ? true : undefined), { timeoutMs: 5_000, intervalMs: 100 });
    const moved = Date.now() - aaplOpened;
    assert.ok(moved < 6_000, `AAPL moved ${moved} ms after its hover opened (its hold is 8 s)`);
    // and MSFT, hovered now, stays as it is while its hover is open
    while (Date.now() - msftOpened < 3_000) {
      assert.match(await hoverText(), /^\s*MSFT\b/, `the MSFT hover closed ${Date.now() - msftOpened} ms after it opened`);
      assert.equal(await rowText('MSFT'), msft, 'the hovered row is not drawn again while its hover is open');
      await sleep(200);
    }
    await page.mouse.move(170, 600);
  });

  it('lists ES by month in the symbol search, front month first', async () => {
    await runCommand(page, COMMANDS.getQuote);
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // the placeholder (what to type) is read whole, not cut off at the box's edge
    const hint = await input.evaluate((el) => {
      // runs in the page
      const style = el.ownerDocument.defaultView.getComputedStyle(el);
      const ctx = el.ownerDocument.createElement('canvas').getContext('2d');
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: el.placeholder, width: ctx.measureText(el.placeholder).width, room };
    });
    assert.ok(hint.text.length > 0 && hint.width <= hint.room, `the placeholder fits: ${JSON.stringify(hint)}`);
    await page.keyboard.type('ES', { delay: 20 });
    const labels = await waitFor(
      'ES months in the list',
      async () => {
        const now = await page.$$eval('.quick-input-list .monaco-list-row', (rs) =>
          rs.map((r) => (r.getAttribute('aria-label') || r.textContent || '').replace(/\s+/g, ' ').trim()),
        );
        return now.some((l) => /^ES \d{4}-\d{2} /.test(l)) ? now : undefined;
      },
      { timeoutMs: 20_000 },
    );
    const months = labels.filter((l) => /^ES \d{4}-\d{2} /.test(l)).map((l) => l.slice(3, 10));
    assert.deepEqual(months, [...months].sort(), `front month first: ${JSON.stringify(labels)}`);
    const focused = await page.$eval('.quick-input-list .monaco-list-row.focused', (el) => el.getAttribute('aria-label') || el.textContent || '');
    assert.match(focused, new RegExp(`^ES ${months[0]}`), 'the front month is the one Enter takes');
    await shot(SHOTS.futuresSearch);
    await page.keyboard.press('Escape');
  });

  it('an unknown symbol gets an error notification in words, with the code to look up', async () => {
    await runCommand(page, COMMANDS.getQuote);
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('ZZQQX', { delay: 20 });
    await waitFor(
      'the text offered as typed',
      async () =>
        (await page.$$eval('.quick-input-list .monaco-list-row', (rs) => rs.map((r) => r.textContent || ''))).some((t) => /as typed/.test(t)) || undefined,
    );
    await page.keyboard.press('Enter');
    const message = await waitFor('the error notification', async () => {
      const texts = await page.$$eval('.notifications-toasts .notification-list-item-message', (els) => els.map((e) => e.textContent || ''));
      return texts.find((t) => /ZZQQX|security definition|not found/i.test(t));
    });
    assert.match(message, /\(IB 200\)$/, message);
    assert.doesNotMatch(message, /undefined|\[object/, message);
    await runCommand(page, 'Notifications: Clear All Notifications');
  });

  it('shows the quote table in the panel: columns readable while prices stream, a hovered row stays, sortable', async () => {
    await runCommand(page, COMMANDS.quoteTable);
    const frame = await quoteTable('the quote table');
    const cells = (symbol) =>
      frame.$$eval(`#quotes tbody tr[data-symbol="${symbol}"] > *`, (tds) => Object.fromEntries(tds.map((td) => [td.dataset.key, td.textContent])));
    const fx = await waitFor('EUR.USD with bid and ask', async () => {
      const c = await cells('EUR.USD');
      return /\d/.test(c.bid ?? '') && /\d/.test(c.ask ?? '') ? c : undefined;
    });
    assert.ok(Number(fx.bid) <= Number(fx.price) && Number(fx.price) <= Number(fx.ask), `EUR.USD ${fx.price} between ${fx.bid} and ${fx.ask}`);
    // forex has no last trade: the column says what it holds, the row's hover says where it came from
    assert.match(await frame.$eval('#quotes thead th[data-key="price"]', (th) => th.textContent.trim()), /^Price/);
    assert.match(await frame.$eval('#quotes tbody tr[data-symbol="EUR.USD"]', (tr) => tr.title), /Price: [\d.]+ \(mid of bid\/ask\)/);
    for (const key of ['bidSize', 'askSize', 'high', 'low']) assert.match(fx[key], /\d/, `EUR.USD ${key}`);
    assert.match((await cells('AAPL')).volume, /\d/);
    // a row under the pointer is not re-created while its prices change
    await frame.$eval('#quotes tbody tr[data-symbol="AAPL"]', (tr) => tr.setAttribute('data-marked', '1'));
    await frame.hover('#quotes tbody tr[data-symbol="AAPL"]');
    const before = JSON.stringify(await cells('AAPL'));
    await waitFor('AAPL to change', async () => (JSON.stringify(await cells('AAPL')) !== before ? true : undefined), { timeoutMs: 20_000 });
    assert.equal(await frame.$eval('#quotes tbody tr[data-symbol="AAPL"]', (tr) => tr.getAttribute('data-marked')), '1', 'the same row element');
    assert.match(await frame.$eval('#quotes tbody tr[data-symbol="AAPL"]', (tr) => tr.title), /Bid: .*\n/);
    await frame.click('#quotes thead th[data-key="symbol"] button');
    const sorted = await frame.$$eval('#quotes tbody tr', (trs) => trs.map((tr) => tr.dataset.symbol));
    assert.deepEqual(sorted, [...WATCHLIST].sort());
    await page.mouse.move(170, 600);
    await shot(SHOTS.quoteTable);
  });

  it('the quote table keeps its sort when its panel is hidden and shown again', async () => {
    let frame = await quoteTable('the quote table');
    const sortOf = (f) => f.$$eval('#quotes thead th[aria-sort]', (ths) => ths.map((th) => `${th.dataset.key} ${th.getAttribute('aria-sort')}`));
    const symbols = (f) => f.$$eval('#quotes tbody tr', (trs) => trs.map((tr) => tr.dataset.symbol));
    const zToA = [...WATCHLIST].sort().reverse();
    // sorted A to Z by the case before: a second click on Symbol, Z to A (neither the watchlist's order nor the first click's)
    assert.deepEqual(await sortOf(frame), ['symbol ascending']);
    await frame.click('#quotes thead th[data-key="symbol"] button');
    assert.deepEqual(await sortOf(frame), ['symbol descending']);
    assert.deepEqual(await symbols(frame), zToA);
    await frame.$eval('body', (b) => b.setAttribute('data-marked', '1'));
    // another view in the panel hides the table (its page is let go: no retainContextWhenHidden); then it is shown again
    await runCommand(page, 'Output: Focus on Output View');
    await waitFor('the quote table hidden', async () => {
      for (const f of page.frames()) if (await f.$$eval('body[data-marked] #quotes', (ts) => ts.length).catch(() => 0)) return undefined;
      return true;
    });
    await runCommand(page, COMMANDS.quoteTable);
    frame = await quoteTable('the quote table shown again, a new page', { fresh: true });
    assert.deepEqual(await sortOf(frame), ['symbol descending'], 'the heading says the sort chosen before');
    assert.deepEqual(await symbols(frame), zToA, 'the rows in that order');
    await page.mouse.move(170, 600);
    await shot('quote-table-sort-kept.png');
    // as it was found: A to Z
    await frame.click('#quotes thead th[data-key="symbol"] button');
    assert.deepEqual(await sortOf(frame), ['symbol ascending']);
    assert.deepEqual(await symbols(frame), [...WATCHLIST].sort());
    // from the keyboard: Enter on a row opens its details; Escape brings the keyboard back to that row
    await frame.focus('#quotes tbody tr[data-symbol="MSFT"]');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'quote details' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Escape');
    await waitFor('the focus back on the MSFT row', () =>
      frame.evaluate(() => (globalThis.document.hasFocus() && globalThis.document.activeElement?.closest('tr')?.dataset.symbol === 'MSFT') || undefined),
    );
  });

  it('draws candles in the chart panel (pixels, not a blank canvas)', async () => {
    await runCommand(page, COMMANDS.openChart);
    await answerQuickInput(page, CHART_SYMBOL, 3_000);
    const drawn = await waitFor(
      'a chart canvas with drawn candles',
      async () => {
        const stats = await canvasStats(page);
        const best = stats.filter((s) => s.width >= 200 && s.height >= 100).sort((a, b) => b.drawn - a.drawn)[0];
        return best && best.drawn > 0.01 && best.colours >= 3 ? best : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 1000 },
    );
    assert.ok(drawn.drawn > 0.01, `only ${(drawn.drawn * 100).toFixed(2)} % of the canvas is drawn`);
    await page.mouse.move(170, 600);
    await sleep(500);
    await shot(SHOTS.chart);
    await shot(SHOTS.overview);
  });

  it("keeps a chart's zoom when its tab is hidden behind another and shown again", async () => {
    /** The chart page's frame and the stretch of bars it shows (the first bar's place in the view, the times at its edges). */
    const chartView = async () => {
      for (const f of page.frames()) {
        const v = await f
          .$eval('#chart', (c) => ({ logical: c.dataset.logicalFrom, from: c.dataset.visibleFrom, to: c.dataset.visibleTo }))
          .catch(() => undefined);
        if (v?.from) return { frame: f, ...v };
      }
      return undefined;
    };
    const before = await waitFor('the chart page', chartView, { timeoutMs: 20_000 });
    // the chart's page on screen (a webview's frames sit over the editor, not in it)
    const box = await (await before.frame.frameElement()).boundingBox();
    // as a person zooms in: the wheel over the candles
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, -300);
    const zoomed = await waitFor('the chart zoomed in', async () => {
      const v = await chartView();
      return v && v.from !== before.from ? v : undefined;
    });
    await runCommand(page, 'Preferences: Open User Settings');
    await waitFor('the chart hidden', async () => ((await page.locator('.part.editor .tab.active', { hasText: 'Settings' }).count()) ? true : undefined));
    await page.locator('.part.editor .tab', { hasText: 'AAPL ·' }).first().click();
    const shown = await waitFor('the chart shown again', chartView, { timeoutMs: 20_000 });
    assert.deepEqual([shown.from, shown.to], [zoomed.from, zoomed.to], 'the same bars in view as before it was hidden');
    await page.keyboard.press('Escape');
  });

  it('shows reconnecting when the gateway drops, then ready again', async () => {
    assert.ok(await statusItem(page, STATUS_PREFIX));
    sim.sim.faults.restart(3000);
    const text = await waitForStatus(page, STATUS_PREFIX, STATUS.reconnecting, 30_000);
    await shot(SHOTS.reconnecting);
    assert.match(text, STATUS.reconnecting);
    await waitForStatus(page, STATUS_PREFIX, STATUS.ready, 60_000);
  });

  it('a clicked row keeps moving once the pointer leaves it: its chart opens, its prices go on', async () => {
    await openViewContainer(page, VIEW_CONTAINER_LABEL);
    const chartTabs = () => page.$$eval('.part.editor .tab', (ts) => ts.map((t) => (t.getAttribute('aria-label') || t.textContent || '').trim()));
    await page.mouse.move(170, 600);
    const moving = await rowText('AAPL');
    await waitFor('AAPL streaming', async () => ((await rowText('AAPL')) !== moving ? true : undefined), { timeoutMs: 15_000, intervalMs: 100 });
    await row('AAPL').click();
    const clicked = Date.now();
    // as a person does: a click, then the pointer goes elsewhere (to the chart)
    await page.mouse.move(170, 600);
    const shown = await rowText('AAPL');
    await waitFor('an AAPL chart tab', async () => ((await chartTabs()).some((t) => t.startsWith('AAPL ·')) ? true : undefined), { timeoutMs: 20_000 });
    await waitFor('the AAPL row to move again', async () => ((await rowText('AAPL')) !== shown ? true : undefined), { timeoutMs: 8_000, intervalMs: 100 });
    const moved = Date.now() - clicked;
    assert.ok(moved < 5_000, `the clicked row moved again ${moved} ms after the click (a hover's hold is 8 s)`);
  });

  it("a click on a row opens its chart and keeps the focus in the list; Delete removes the row, Alt+Up moves one, Enter opens a chart in place of the last row's", async () => {
    await openViewContainer(page, VIEW_CONTAINER_LABEL);
    const row = (sym) =>
      page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${sym.replace('.', '\\.')}$`) }) }).first();
    const chartTabs = () => page.$$eval('.part.editor .tab', (ts) => ts.map((t) => (t.getAttribute('aria-label') || t.textContent || '').trim()));
    assert.ok(!(await chartTabs()).some((t) => t.startsWith('SPY ·')), 'no SPY chart before the click');
    await row('SPY').click();
    await waitFor('a SPY chart tab', async () => ((await chartTabs()).some((t) => t.startsWith('SPY ·')) ? true : undefined), { timeoutMs: 20_000 });
    assert.ok(await page.$eval('.part.sidebar .monaco-list', (l) => l.contains(globalThis.document.activeElement)), 'the focus stays in the watchlist');
    await sleep(700); // a person's pace: the selection reaches the extension
    await page.keyboard.press('Delete');
    await waitFor('the SPY row gone', async () => ((await sideBarRows(page)).some((r) => r.startsWith('SPY ')) ? undefined : true));
    await row('EUR.USD').click();
    await sleep(700);
    await page.keyboard.press('Alt+ArrowUp');
    const order = await waitFor('EUR.USD above MSFT', async () => {
      const names = (await sideBarRows(page)).map((r) => r.split(' ')[0]);
      return names.indexOf('EUR.USD') >= 0 && names.indexOf('EUR.USD') < names.indexOf('MSFT') ? names : undefined;
    });
    assert.deepEqual(
      order.filter((n) => ['AAPL', 'MSFT', 'SPY', 'EUR.USD'].includes(n)),
      ['AAPL', 'EUR.USD', 'MSFT'],
    );
    // from the keyboard: the row below, Enter opens its chart
    assert.ok(!(await chartTabs()).some((t) => t.startsWith('MSFT ·')), 'no MSFT chart yet');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitFor('an MSFT chart tab', async () => ((await chartTabs()).some((t) => t.startsWith('MSFT ·')) ? true : undefined), { timeoutMs: 20_000 });
    // each row's chart is a preview, as a file clicked in the Explorer: the next row's took its place
    const tabs = await waitFor('the SPY and EUR.USD previews replaced', async () => {
      const t = await chartTabs();
      return t.some((x) => x.startsWith('SPY ·') || x.startsWith('EUR.USD ·')) ? undefined : t;
    });
    assert.equal(tabs.filter((t) => t.startsWith('MSFT ·')).length, 1, `one MSFT tab: ${tabs.join(' | ')}`);
    // a key acts on the row the keyboard is on (and a screen reader names), not on the row selected before it:
    // Up from MSFT (selected by Enter) to EUR.USD, then Delete
    await waitFor('the focus in the list', () => page.$eval('.part.sidebar .monaco-list', (l) => l.contains(globalThis.document.activeElement) || undefined));
    await page.keyboard.press('ArrowUp');
    await sleep(300);
    await page.keyboard.press('Delete');
    const left = await waitFor('the EUR.USD row gone', async () => {
      const names = (await sideBarRows(page)).map((r) => r.split(' ')[0]);
      return names.includes('EUR.USD') ? undefined : names;
    });
    assert.ok(left.includes('MSFT'), `MSFT, the row selected before, stays: ${left.join(', ')}`);
  });

  it('Ctrl+Alt+F in the streaming watchlist finds a row: Delete edits what is typed and removes no row; Enter puts the keyboard on the row', async () => {
    await openViewContainer(page, VIEW_CONTAINER_LABEL);
    const names = async () => (await sideBarRows(page)).map((r) => r.split(' ')[0]);
    const before = await names();
    await row('AAPL').click();
    // the click opens the row's chart beside the list; once its tab is there the focus has settled back in the list
    const tabs = () => page.$$eval('.part.editor .tab', (ts) => ts.map((t) => (t.getAttribute('aria-label') || t.textContent || '').trim()));
    await waitFor('an AAPL chart tab', async () => ((await tabs()).some((t) => t.startsWith('AAPL ·')) ? true : undefined), { timeoutMs: 20_000 });
    await sleep(1500);
    await waitFor('the focus in the list', () => page.$eval('.part.sidebar .monaco-list', (l) => l.contains(globalThis.document.activeElement) || undefined));
    await page.keyboard.press('Control+Alt+F');
    const input = page.locator('.quick-input-widget input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    // typed at a person's pace while the rows redraw: every letter reaches the box
    await page.keyboard.type('MSF', { delay: 150 });
    await page.keyboard.press('Home');
    await page.keyboard.press('Delete');
    await waitFor('the typed text edited', async () => ((await input.inputValue()) === 'SF' ? true : undefined), { timeoutMs: 5_000 });
    await shot('watchlist-find-delete.png');
    await sleep(700);
    assert.deepEqual(await names(), before, 'no row removed');
    await page.keyboard.press('Home');
    await page.keyboard.type('M');
    await page.keyboard.press('Enter');
    await waitFor('the MSFT row selected and focused', () =>
      page.$eval('.part.sidebar .monaco-list', (l) => {
        const focused = globalThis.document.activeElement;
        const selected = l.querySelector('.monaco-list-row.selected');
        return (l.contains(focused) && selected?.textContent?.includes('MSFT')) || undefined;
      }),
    );
  });

  it('an emptied watchlist says so and offers Add to Watchlist', async () => {
    await openViewContainer(page, VIEW_CONTAINER_LABEL);
    for (let left = (await sideBarRows(page)).length; left > 0; left--) {
      await page.locator('.part.sidebar .monaco-list-row').first().click();
      await sleep(700); // a person's pace: the selection reaches the extension
      await page.keyboard.press('Delete');
      await waitFor('a row gone', async () => ((await sideBarRows(page)).length < left ? true : undefined));
    }
    const welcome = await waitFor(
      "the empty watchlist's welcome",
      async () => {
        const text = await page.$$eval('.part.sidebar .welcome-view-content', (ws) => ws.map((w) => w.textContent).join(' '));
        return /The watchlist is empty/.test(text) ? text : undefined;
      },
      { timeoutMs: 10_000 },
    );
    assert.match(welcome, /Add to Watchlist/);
  });

  it('titles its settings for the product: Extensions › IB Gateway › Connection reads "Host", not "Jax › Ib: Host"', async () => {
    await runCommand(page, 'Preferences: Open User Settings');
    const toc = (label) => page.locator('.settings-toc-container .monaco-list-row', { hasText: label }).first();
    await toc('Extensions').waitFor({ state: 'visible', timeout: 15_000 });
    await toc('Extensions').click();
    await toc('IB Gateway').click();
    await toc('Connection').click();
    const titles = await waitFor(
      'the extension settings',
      async () => {
        const t = await page
          .locator('.settings-editor .setting-item-contents .setting-item-title')
          .allInnerTexts()
          .catch(() => []);
        return t.some((x) => /Host/.test(x)) ? t.map((x) => x.replace(/\s+/g, ' ').trim()) : undefined;
      },
      { timeoutMs: 15_000 },
    );
    await shot(SHOTS.settings);
    const title = titles.find((x) => /Host/.test(x));
    assert.doesNotMatch(title, /Jax/i, `the setting reads "${title}"`);
    await page.keyboard.press('Escape');
  });

  it("the extension's details page shows its README with its screenshots drawn, not broken images", async () => {
    await page.locator('.part.activitybar [aria-label^="Extensions"]').first().click();
    const search = page.locator('.extensions-viewlet .suggest-input-container, .extensions-viewlet .monaco-editor').first();
    await search.waitFor({ state: 'visible', timeout: 15_000 });
    await search.click();
    await page.keyboard.type('@installed IB Gateway', { delay: 5 });
    const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'IB Gateway' }).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
    // the README is drawn in a webview (frames in frames): every picture in it loaded, with its pixels
    const images = await waitFor(
      'the README pictures on the details page',
      async () => {
        for (const frame of page.frames()) {
          const found = await frame
            .evaluate(() => {
              const doc = globalThis.document;
              const readme = [...doc.querySelectorAll('h2')].some((h) => (h.textContent ?? '').trim() === 'Configure IB Gateway or TWS');
              return readme ? [...doc.querySelectorAll('img')].map((i) => ({ alt: i.alt, drawn: i.complete && i.naturalWidth > 0 })) : undefined;
            })
            .catch(() => undefined);
          if (found?.length && found.every((i) => i.drawn)) return found;
        }
        return undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.deepEqual(
      images.map((i) => i.alt),
      ['Watchlist and chart', "A row's hover: which instrument it is, then its quote", 'The quote table'],
    );
  });
  it('a chart zoomed from the keyboard comes back with the same bars in view after Developer: Reload Window', async () => {
    await page.keyboard.press('Escape');
    await runCommand(page, COMMANDS.openChart);
    await answerQuickInput(page, CHART_SYMBOL, 3_000);
    /** The chart page's frame and the times at the edges of its view. */
    const chartView = async () => {
      for (const f of page.frames()) {
        const v = await f
          .$eval('#chart', (c) => ({
            bars: c.dataset.barCount,
            from: c.dataset.visibleFrom,
            to: c.dataset.visibleTo,
            logical: c.dataset.logicalFrom,
            saved: c.dataset.savedView,
          }))
          .catch(() => undefined);
        if (v?.from && Number(v.bars) > 0) return { frame: f, ...v };
      }
      return undefined;
    };
    const before = await waitFor('the chart page', chartView, { timeoutMs: 30_000 });
    // as a keyboard user: Tab stop on the chart, + zooms in, Home steps to the first bar and the view follows it
    await before.frame.focus('#chart');
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    await page.keyboard.press('Home');
    const zoomed = await waitFor('the chart zoomed in at its first bars', async () => {
      const v = await chartView();
      return v && Number(v.from) <= Number(before.from) && Number(v.to) < Number(before.to) ? v : undefined;
    });
    await sleep(1000); // the webview saves its view a moment after it changes
    // F1 from the chart (Escape there would end the stepping and scroll back to the newest bar)
    await runCommand(page, 'Developer: Reload Window', { escape: false });
    await waitForWorkbench(page);
    // the workbench starts with autoConnect off: the person connects again
    await runCommand(page, COMMANDS.connect);
    await waitForStatus(page, STATUS_PREFIX, STATUS.ready, 60_000);
    const back = await waitFor(
      'the chart back after the reload',
      async () => {
        const v = await chartView();
        return v && v.frame !== zoomed.frame ? v : undefined;
      },
      { timeoutMs: 60_000 },
    );
    await shot('chart-after-reload.png');
    assert.deepEqual([back.from, back.to], [zoomed.from, zoomed.to], 'the same bars in view as before the reload');
  });
});
