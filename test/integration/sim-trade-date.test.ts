/**
 * Daily bars of markets whose session starts the evening before (CME Globex
 * futures from 17:00 Chicago, IDEALPRO forex from 17:15 New York), from the
 * simulator through @stoqey/ib: a bar is dated by its trade date, so the
 * evening after the open belongs to the next day's bar, in history and in
 * keepUpToDate updates alike. Stocks keep the calendar day.
 */
import { strict as assert } from 'node:assert';
import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { connectApi, startSim, type ApiClient } from './support/sim';
import { fakeTime } from '../support/fake-time';
import { waitUntil } from '../support/wait';

const ES: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202612' };
const EURUSD: Contract = { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' };
const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

/** Tuesday 17 November 2026, 16:30 New York (EST, UTC-5; Chicago UTC-6). */
const TUESDAY_1630_NY = '2026-11-17T21:30:00Z';
/** Wednesday 18 November 2026, 10:00 New York. */
const WEDNESDAY_10_NY = Date.parse('2026-11-18T15:00:00Z');

interface Bar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** Update only: the simulator's market time (epoch ms) when it arrived. */
  at?: number;
}

/** One reqHistoricalData (no updates): its bars, once the end marker came. */
function history(c: ApiClient, reqId: number, contract: Contract, end: string, duration: string, bar: BarSizeSetting, what: WhatToShow): Promise<Bar[]> {
  return new Promise((resolve, reject) => {
    const bars: Bar[] = [];
    const onBar = (id: number, date: string, open: number, high: number, low: number, close: number, volume: number): void => {
      if (id !== reqId) return;
      if (!date.startsWith('finished')) return void bars.push({ date, open, high, low, close, volume });
      c.api.off(EventName.historicalData, onBar);
      clearTimeout(guard);
      resolve(bars);
    };
    const guard = setTimeout(() => reject(new Error(`no bars for #${reqId}: ${JSON.stringify(c.errors)}`)), 10_000);
    c.api.on(EventName.historicalData, onBar);
    c.api.reqHistoricalData(reqId, contract, end, duration, bar, what, 0, 1, false);
  });
}

/** The bar on one date, or a failure naming the dates there are. */
function on(bars: Bar[], date: string): Bar {
  const b = bars.find((x) => x.date === date);
  assert.ok(b, `no bar dated ${date}: ${bars.map((x) => x.date).join(', ')}`);
  return b;
}

const at = (u: Bar): string => new Date(u.at!).toISOString();

/**
 * A 1-day keepUpToDate request (all hours) from Tuesday 16:30 New York, on a
 * clock running an hour of market time per second of (fake) scheduler time,
 * until an update arrives at Wednesday 10:00; then, with the market clock
 * standing still, plain history: the daily bars up to now and the hourly bars
 * of the Wednesday session up to `midnight` (the evening).
 */
async function keepUpOverTheEvening(
  contract: Contract,
  what: WhatToShow,
  midnight: string,
): Promise<{ backfill: Bar[]; updates: Bar[]; days: Bar[]; evening: Bar[] }> {
  const time = fakeTime();
  const sim = await startSim({ clock: { start: Date.parse(TUESDAY_1630_NY), speed: 3600 }, scheduler: time.scheduler });
  const c = await connectApi(sim.port, 1);
  try {
    const backfill: Bar[] = [];
    const updates: Bar[] = [];
    let done = false;
    c.api.on(EventName.historicalData, (id: number, date: string, open: number, high: number, low: number, close: number, volume: number) => {
      if (id !== 1) return;
      if (date.startsWith('finished')) done = true;
      else backfill.push({ date, open, high, low, close, volume });
    });
    c.api.on(EventName.historicalDataUpdate, (id: number, date: string, open: number, high: number, low: number, close: number, volume: number) => {
      if (id === 1) updates.push({ date, open, high, low, close, volume, at: sim.server.clock.now() });
    });
    c.api.reqHistoricalData(1, contract, '', '3 D', BarSizeSetting.DAYS_ONE, what, 0, 1, true);
    await waitUntil('the backfill', () => done || undefined); // in real time: the market clock stands still
    await time.advanceUntil('an update at Wednesday 10:00 New York', () => updates.some((u) => u.at! >= WEDNESDAY_10_NY), { stepMs: 500, maxMs: 120_000 });
    c.api.cancelHistoricalData(1);
    const days = await history(c, 2, contract, '', '3 D', BarSizeSetting.DAYS_ONE, what);
    const evening = await history(c, 3, contract, midnight, '1 D', BarSizeSetting.HOURS_ONE, what);
    c.assertClean();
    return { backfill, updates, days, evening };
  } finally {
    await c.disconnect();
    await sim.stop();
  }
}

const CASES = [
  {
    label: 'ES 1-day bars (CME Globex: the Wednesday session opens Tuesday 18:00 New York, 17:00 Chicago)',
    contract: ES,
    what: WhatToShow.TRADES,
    openDate: '20261117 17:00:00 US/Central',
    openMs: Date.parse('2026-11-17T23:00:00Z'),
    midnight: '20261118 00:00:00 US/Central',
    midnightMs: Date.parse('2026-11-18T06:00:00Z'),
  },
  {
    label: 'EUR.USD 1-day MIDPOINT bars (IDEALPRO: the day ends 17:00 New York, the Wednesday session opens at 17:15)',
    contract: EURUSD,
    what: WhatToShow.MIDPOINT,
    openDate: '20261117 17:15:00 US/Eastern',
    openMs: Date.parse('2026-11-17T22:15:00Z'),
    midnight: '20261118 00:00:00 US/Eastern',
    midnightMs: Date.parse('2026-11-18T05:00:00Z'),
  },
];

describe('sim: daily bars dated by the trade date (sessions that start the evening before)', () => {
  for (const k of CASES) {
    describe(`keepUpToDate of ${k.label}, Tuesday 16:30 to Wednesday 10:00 New York`, () => {
      let r: Awaited<ReturnType<typeof keepUpOverTheEvening>>;
      before(async function () {
        this.timeout(60_000);
        r = await keepUpOverTheEvening(k.contract, k.what, k.midnight);
        assert.equal(r.backfill[r.backfill.length - 1].date, '20261117', 'Tuesday 16:30 New York is still the Tuesday session');
        assert.equal(r.evening[0].date, k.openDate, 'the hourly bars of the evening start at the open');
      });

      it("the Tuesday bar keeps the previous evening's open and ends in its final state, no evening trades in it", () => {
        const backfilled = r.backfill[r.backfill.length - 1];
        const final = on(r.days, '20261117');
        assert.equal(final.open, backfilled.open);
        const tuesday = r.updates.filter((u) => u.date === '20261117');
        assert.ok(tuesday.length > 0, 'updates of the Tuesday bar until its 17:00 New York close');
        for (const u of tuesday) assert.equal(u.open, backfilled.open, `the Tuesday bar's open, at ${at(u)}`);
        const last = tuesday[tuesday.length - 1];
        assert.deepEqual([last.close, last.high, last.low, last.volume], [final.close, final.high, final.low, final.volume], `its final state, at ${at(last)}`);
        const late = tuesday.filter((u) => u.at! >= k.openMs);
        assert.ok(late.length <= 1, `after the open, at most the final state of the Tuesday bar: ${late.map(at).join(', ')}`);
      });

      it('updates go on through Tuesday evening, dated Wednesday (the trade date) from the open', () => {
        const evening = r.updates.filter((u) => u.at! >= k.openMs && u.at! < k.midnightMs && u.date === '20261118');
        assert.ok(evening.length > 10, `Wednesday updates in the evening: ${evening.length}`);
        const wednesday = r.updates.filter((u) => u.date === '20261118');
        assert.ok(wednesday[0].at! < k.openMs + 600_000, `the Wednesday bar from the open, not later: ${at(wednesday[0])}`);
        assert.deepEqual([...new Set(r.updates.map((u) => u.date))], ['20261117', '20261118']);
      });

      it("the Wednesday bar opens at the evening's first price and keeps the evening after midnight", () => {
        const wednesday = r.updates.filter((u) => u.date === '20261118');
        for (const u of wednesday) assert.equal(u.open, r.evening[0].open, `the open's price opens the bar, at ${at(u)}`);
        const high = Math.max(...r.evening.map((b) => b.high));
        const low = Math.min(...r.evening.map((b) => b.low));
        const volume = r.evening.reduce((s, b) => s + b.volume, 0);
        for (const u of wednesday.filter((x) => x.at! >= k.midnightMs)) {
          assert.ok(u.high >= high && u.low <= low, `the evening's range is in the bar at ${at(u)}`);
          if (k.what === WhatToShow.MIDPOINT) assert.equal(u.volume, -1);
          else assert.ok(u.volume >= volume, `the evening's volume is in the bar at ${at(u)}: ${u.volume} < ${volume}`);
        }
        assert.equal(on(r.days, '20261118').open, wednesday[wednesday.length - 1].open, 'history and updates agree');
      });
    });
  }

  it('keepUpToDate of AAPL 1-day bars (all hours) keeps the calendar day: post-market in the Tuesday bar, the Wednesday bar from 04:00', async function () {
    this.timeout(60_000);
    const r = await keepUpOverTheEvening(AAPL, WhatToShow.TRADES, '20261118 06:00:00 US/Eastern');
    assert.deepEqual([...new Set(r.updates.map((u) => u.date))], ['20261117', '20261118']);
    const tuesday = r.updates.filter((u) => u.date === '20261117');
    for (const u of tuesday) assert.equal(u.open, r.backfill[r.backfill.length - 1].open, `the Tuesday bar's open, at ${at(u)}`);
    assert.ok(
      tuesday[tuesday.length - 1].at! >= Date.parse('2026-11-18T00:30:00Z'),
      `post-market (to 20:00 New York) is Tuesday's: ${at(tuesday[tuesday.length - 1])}`,
    );
    assert.equal(r.evening[0].date, '20261118 04:00:00 US/Eastern');
    const wednesday = r.updates.filter((u) => u.date === '20261118');
    assert.ok(wednesday[0].at! >= Date.parse('2026-11-18T09:00:00Z'), `nothing before the 04:00 pre-market: ${at(wednesday[0])}`);
    for (const u of wednesday) assert.equal(u.open, r.evening[0].open, `04:00's price opens the Wednesday bar, at ${at(u)}`);
  });

  it("history: a futures day bar holds the previous evening's hours and is dated by the trade date; during the evening the running day is the next date", async () => {
    // Tuesday 17 November 2026, 20:00 New York: the Wednesday session has traded two hours
    const sim = await startSim({ clock: { start: Date.parse('2026-11-18T01:00:00Z') } });
    const c = await connectApi(sim.port, 1);
    try {
      const days = await history(c, 1, ES, '', '2 D', BarSizeSetting.DAYS_ONE, WhatToShow.TRADES);
      assert.deepEqual(
        days.map((b) => b.date),
        ['20261117', '20261118'],
      );
      const hours = await history(c, 2, ES, '20261117 16:00:00 US/Central', '1 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES);
      assert.equal(hours[0].date, '20261116 17:00:00 US/Central', 'the Tuesday session opened on Monday evening');
      const tuesday = on(days, '20261117');
      assert.equal(tuesday.open, hours[0].open);
      assert.equal(tuesday.close, hours[hours.length - 1].close);
      assert.equal(tuesday.high, Math.max(...hours.map((h) => h.high)));
      assert.equal(tuesday.low, Math.min(...hours.map((h) => h.low)));
      assert.equal(
        tuesday.volume,
        hours.reduce((s, h) => s + h.volume, 0),
      );
      const evening = await history(c, 3, ES, '', '7200 S', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES);
      assert.equal(evening[0].date, '20261117 17:00:00 US/Central');
      const running = on(days, '20261118');
      assert.equal(running.open, evening[0].open);
      assert.equal(
        running.volume,
        evening.reduce((s, h) => s + h.volume, 0),
      );
      const fx = await history(c, 4, EURUSD, '', '2 D', BarSizeSetting.DAYS_ONE, WhatToShow.MIDPOINT);
      assert.deepEqual(
        fx.map((b) => b.date),
        ['20261117', '20261118'],
      );
      // stocks keep the calendar day: pre- and post-market on the session's own date
      const aapl = await history(c, 5, AAPL, '', '2 D', BarSizeSetting.DAYS_ONE, WhatToShow.TRADES);
      assert.deepEqual(
        aapl.map((b) => b.date),
        ['20261116', '20261117'],
      );
      const aaplHours = await history(c, 6, AAPL, '20261117 20:00:00 US/Eastern', '1 D', BarSizeSetting.HOURS_ONE, WhatToShow.TRADES);
      assert.deepEqual([aaplHours[0].date, aaplHours[aaplHours.length - 1].date], ['20261117 04:00:00 US/Eastern', '20261117 19:00:00 US/Eastern']);
      assert.equal(
        on(aapl, '20261117').volume,
        aaplHours.reduce((s, h) => s + h.volume, 0),
      );
      c.assertClean();
    } finally {
      await c.disconnect();
      await sim.stop();
    }
  });
});
