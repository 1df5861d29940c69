// Market hours at pinned simulated times, over TCP: stocks, futures, forex and an index at
// every named market time, and the closed-market fallback (a range with no bars shows the most
// recent session's, and says when the market opens). Each time is a simulator clock; nothing
// here reads the wall clock.
import { strict as assert } from 'node:assert';
import { CandleService, closedText, MarketHoursService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import { IbError } from '../../src/ib/errors';
import { exchangeTimeText } from '../../src/ib/facts/trading-hours';
import { marketTime, type MarketTimeName } from '../support/market-times';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, type TestSession } from './support/session';
import { waitUntil } from '../support/wait';

/** The E-mini S&P 500 front quarter at an instant (the simulator lists the next quarterly contracts). */
function esFront(at: number): string {
  const d = new Date(at);
  const month = d.getUTCMonth() + 1;
  let quarter = Math.ceil(month / 3) * 3;
  if (month % 3 === 0 && d.getUTCDate() > 14) quarter = Math.ceil((month + 1) / 3) * 3;
  return `ES ${d.getUTCFullYear()}${String(quarter).padStart(2, '0')} FUT@CME`;
}

type Open = 'open' | 'closed';
/** [regular hours, extended hours] for stock, futures, forex, index. */
interface Expect {
  stock: [Open, Open];
  future: [Open, Open | undefined];
  forex: [Open, Open];
  index: [Open, Open];
}
const O = 'open' as const;
const C = 'closed' as const;

const TABLE: Record<MarketTimeName, Expect> = {
  regularSession: { stock: [O, O], future: [O, O], forex: [O, O], index: [O, O] },
  // 07:00 New York: stocks pre-market (extended hours from 04:00), futures on Globex, forex, index shut
  preMarket: { stock: [C, O], future: [C, O], forex: [O, O], index: [C, C] },
  // 17:30 New York: stocks after-hours; futures in CME's daily halt (16:00-17:00 Chicago); forex reopened at 17:15
  afterHours: { stock: [C, O], future: [C, C], forex: [O, O], index: [C, C] },
  // 02:00 New York: stocks shut, futures and forex trade overnight
  overnight: { stock: [C, C], future: [C, O], forex: [O, O], index: [C, C] },
  saturday: { stock: [C, C], future: [C, C], forex: [C, C], index: [C, C] },
  // 18:30 New York on Sunday: futures reopened at 17:00 Chicago, forex at 17:15 New York
  sundayEvening: { stock: [C, C], future: [C, O], forex: [O, O], index: [C, C] },
  // Thanksgiving: US stock exchanges shut. CME's equity futures trade a short holiday session until
  // 12:00 Chicago, which IB lists in the liquid hours too (as Memorial Day in a recorded ES contract)
  thanksgiving: { stock: [C, C], future: [O, O], forex: [O, O], index: [C, C] },
  springForwardWeek: { stock: [O, O], future: [O, O], forex: [O, O], index: [O, O] },
  fallBackWeek: { stock: [O, O], future: [O, O], forex: [O, O], index: [O, O] },
  rollWeek: { stock: [O, O], future: [O, O], forex: [O, O], index: [O, O] },
};

describe('market hours at pinned simulated times (stocks, futures, forex, index)', function () {
  this.timeout(30_000);
  let sim: StartedSim | undefined;
  let session: TestSession | undefined;
  let candles: CandleService | undefined;
  let market: MarketHoursService;

  async function at(name: MarketTimeName): Promise<void> {
    sim = await startSim({ clock: { start: marketTime(name) }, limits: { historicalPacing: false } });
    session = await connectSession(sim.port, 61);
    const contracts = new ContractService(session.manager);
    candles = new CandleService(session.manager, contracts);
    market = new MarketHoursService(session.manager, contracts, candles);
  }

  afterEach(async () => {
    candles?.dispose();
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
    sim = undefined;
    session = undefined;
  });

  for (const [name, expected] of Object.entries(TABLE) as Array<[MarketTimeName, Expect]>) {
    it(`${name}: open or closed as the exchanges are`, async () => {
      await at(name);
      const now = await market.now();
      assert.ok(Math.abs(now - marketTime(name)) < 60_000, `the gateway's clock is the simulated one (${new Date(now).toISOString()})`);
      const symbols: Record<keyof Expect, string> = { stock: 'AAPL', future: esFront(marketTime(name)), forex: 'EUR.USD', index: 'SPX IND@CBOE' };
      for (const kind of Object.keys(symbols) as Array<keyof Expect>) {
        const [rth, ext] = expected[kind];
        const regular = await market.hours(symbols[kind], true);
        const extended = await market.hours(symbols[kind], false);
        assert.ok(regular && extended, `${symbols[kind]} has hours`);
        assert.equal(regular.open ? O : C, rth, `${symbols[kind]} regular hours at ${name}`);
        if (ext) assert.equal(extended.open ? O : C, ext, `${symbols[kind]} extended hours at ${name}`);
        if (!regular.open) {
          assert.ok(regular.next && regular.next.start > now, `${symbols[kind]}: the next opening is after now`);
          // (TWS lists hours from today on: the last session is known only when it was today)
          if (regular.last) assert.ok(regular.last.end <= now, `${symbols[kind]}: the last session has ended`);
          // outside its regular hours a market that trades all the same (ES overnight, a stock pre-market) is not "closed"
          assert.match(
            closedText(regular),
            extended.open ? /^Outside regular hours · they open \w{3} \d+ \w{3} \d\d:\d\d / : /^Market closed · opens /,
            `${symbols[kind]} at ${name}`,
          );
        }
      }
    });
  }

  it("a stock on Saturday: a 30-minute range is empty, so the bars of Friday's last 30 minutes come instead, with when it opens", async () => {
    await at('saturday');
    const r = await market.barsOrLastSession({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S' });
    assert.ok(r.lastSession, 'the bars are from the last session');
    assert.equal(r.lastSession.end, Date.parse('2026-11-20T21:00:00Z'), 'Friday 16:00 New York');
    assert.ok(r.candles.length >= 300, `about 360 five-second bars, got ${r.candles.length}`);
    for (const c of r.candles)
      assert.ok(c.time * 1000 >= r.lastSession.end - 1800_000 && c.time * 1000 < r.lastSession.end, `bar ${c.time} in Friday's last 30 minutes`);
    assert.ok(r.hours && !r.hours.open);
    assert.equal(closedText(r.hours), 'Market closed · opens Mon 23 Nov 09:30 US/Eastern');
  });

  it("a stock on Thanksgiving: the most recent session is Wednesday's, the next Friday's", async () => {
    await at('thanksgiving');
    const r = await market.barsOrLastSession({ symbol: 'AAPL', barSize: '1 min', duration: '3600 S' });
    assert.equal(r.lastSession?.end, Date.parse('2026-11-25T21:00:00Z'));
    assert.equal(exchangeTimeText(r.hours!.next!.start, r.hours!.zone), 'Fri 27 Nov 09:30 US/Eastern');
    assert.ok(r.candles.length > 0);
  });

  it('forex on Saturday: the last session ended Friday 17:00 New York, it reopens Sunday 17:15', async () => {
    await at('saturday');
    const r = await market.barsOrLastSession({ symbol: 'EUR.USD', barSize: '1 min', duration: '3600 S' });
    assert.equal(r.lastSession?.end, Date.parse('2026-11-20T22:00:00Z'));
    assert.equal(closedText(r.hours!), 'Market closed · opens Sun 22 Nov 17:15 US/Eastern');
    assert.ok(r.candles.length > 0);
  });

  it('while the market is open the range is served as asked, with no fallback', async () => {
    await at('regularSession');
    const r = await market.barsOrLastSession({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S' });
    assert.equal(r.lastSession, undefined);
    assert.ok(r.hours?.open);
    assert.ok(r.candles.length > 300);
    const lastBar = r.candles[r.candles.length - 1].time * 1000;
    assert.ok(marketTime('regularSession') - lastBar < 60_000, 'the bars reach now');
  });

  it('hours are read again from the gateway connected now, not kept from another one (or another day)', async () => {
    await at('saturday');
    assert.equal((await market.hours('AAPL'))?.open, false);
    const weekday = await startSim({ clock: { start: marketTime('regularSession') } });
    try {
      await session!.manager.updateSettings({ enabled: true, host: '127.0.0.1', port: weekday.port, clientId: 61, simulated: true });
      await waitUntil('ready on the weekday gateway', () => session!.manager.status.phase === 'ready' && session!.manager.status.port === weekday.port);
      assert.equal((await market.hours('AAPL'))?.open, true, 'the same service, now on Tuesday 10:00');
    } finally {
      await session!.close();
      await weekday.stop();
    }
  });

  it("an explicit end date with no bars is IB's answer (162, no data), said in words, not replaced", async () => {
    await at('regularSession');
    await assert.rejects(
      market.barsOrLastSession({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', endDateTime: '20261115-12:00:00' }),
      (e: unknown) => e instanceof IbError && e.info.code === 162 && /no bars for AAPL/.test(e.message),
    );
  });
});
