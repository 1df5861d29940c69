/**
 * Historical bars from the simulator through @stoqey/ib: layouts and date
 * formats, the calendar, validation like TWS, pacing, and keepUpToDate.
 */
import { strict as assert } from 'node:assert';
import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { connectApi, connectApiNext, startSim, type ApiClient, type StartedSim } from './support/sim';
import { waitUntil } from '../support/wait';
import { fakeTime } from '../support/fake-time';

const TUESDAY_11_ET = Date.parse('2026-11-24T16:00:00Z');
const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
const MSFT: Contract = { symbol: 'MSFT', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
const EURUSD: Contract = { symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' };

interface RawBar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  count: number;
  wap: number;
}

/** One reqHistoricalData through IBApi, collecting bars until the end marker (or an error for the request). */
function history(
  c: ApiClient,
  reqId: number,
  contract: Contract,
  end: string,
  duration: string,
  bar: string,
  what: WhatToShow | string,
  rth = 1,
  formatDate = 1,
): Promise<{ bars: RawBar[]; marker: string }> {
  return new Promise((resolve, reject) => {
    const bars: RawBar[] = [];
    const onBar = (
      id: number,
      date: string,
      open: number,
      high: number,
      low: number,
      close: number,
      volume: number,
      count: number | undefined,
      wap: number,
    ): void => {
      if (id !== reqId) return;
      if (date.startsWith('finished')) {
        c.api.off(EventName.historicalData, onBar);
        resolve({ bars, marker: date });
      } else bars.push({ date, open, high, low, close, volume, count: count ?? 0, wap });
    };
    c.api.on(EventName.historicalData, onBar);
    const check = setInterval(() => {
      const e = c.errors.find((x) => x.reqId === reqId);
      if (e) {
        clearInterval(check);
        c.api.off(EventName.historicalData, onBar);
        reject(Object.assign(new Error(`${e.code} ${e.message}`), { code: e.code }));
      }
    }, 10);
    c.api.once(EventName.historicalData, () => clearInterval(check));
    c.api.reqHistoricalData(reqId, contract, end, duration, bar as BarSizeSetting, what as WhatToShow, rth, formatDate, false);
    setTimeout(() => clearInterval(check), 10_000).unref(); // a guard, not a reason to keep the run alive
  });
}

async function refusal(c: ApiClient, reqId: number, send: () => void): Promise<{ code: number; message: string }> {
  send();
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = setInterval(() => {
      const e = c.errors.find((x) => x.reqId === reqId);
      if (e) {
        clearInterval(poll);
        resolve(e);
      } else if (Date.now() - t0 > 5000) {
        clearInterval(poll);
        reject(new Error(`no error for #${reqId}`));
      }
    }, 10);
  });
}

describe('sim: historical data', () => {
  let sim: StartedSim;
  let c: ApiClient;

  beforeEach(async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET } });
    c = await connectApi(sim.port, 1);
  });
  afterEach(async () => {
    c.assertClean();
    await c.disconnect();
    await sim.stop();
  });

  it('answers "1 D" of 5-min RTH bars with today\'s session so far, dated "yyyyMMdd HH:mm:ss US/Eastern" (the contract zone, server 193), headed by the end minus a day', async () => {
    const { bars, marker } = await history(c, 1, AAPL, '', '1 D', '5 mins', 'TRADES');
    assert.equal(bars.length, 18, '09:30 to 11:00 is 18 five-minute bars');
    assert.equal(bars[0].date, '20261124 09:30:00 US/Eastern');
    assert.equal(bars[bars.length - 1].date, '20261124 10:55:00 US/Eastern');
    // the header's start is the end minus the duration, not the first bar (recorded: "20250714 08:59:54 US/Eastern" for "1 D" ending 20250715 08:59:54)
    assert.match(marker, /^finished-20261123 11:00:00 US\/Eastern-20261124 11:00:00 US\/Eastern$/);
    for (const b of bars) {
      assert.ok(b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close), JSON.stringify(b));
      assert.ok(b.volume > 0 && b.count > 0 && b.wap >= b.low && b.wap <= b.high);
    }
  });

  it('reaches back to the previous session for "1 D" before the open, and skips the weekend', async () => {
    const { bars } = await history(c, 2, AAPL, '20261123 08:00:00 US/Eastern', '1 D', '1 hour', 'TRADES');
    assert.ok(bars.length >= 6, `bars ${bars.length}`);
    assert.ok(
      bars.every((b) => b.date.startsWith('20261120')),
      `Friday's session: ${bars.map((b) => b.date)}`,
    );
  });

  it('counts "N D" in sessions: "5 D" of daily bars is five weekdays, a futures session starts the evening before', async () => {
    const daily = (await history(c, 50, AAPL, '', '5 D', '1 day', 'TRADES')).bars;
    assert.deepEqual(
      daily.map((b) => b.date),
      ['20261118', '20261119', '20261120', '20261123', '20261124'],
    );
    const es = (
      await history(
        c,
        51,
        { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202612' },
        '',
        '1 D',
        '1 hour',
        'TRADES',
        0,
      )
    ).bars;
    assert.equal(es[0].date, '20261123 17:00:00 US/Central', 'Globex opens 17:00 Chicago time the evening before');
  });

  it('agrees across bar sizes: five 1-min bars make the 5-min bar', async () => {
    const end = '20261124-15:30:00';
    const one = (await history(c, 3, AAPL, end, '1800 S', '1 min', 'TRADES')).bars;
    const five = (await history(c, 4, AAPL, end, '1800 S', '5 mins', 'TRADES')).bars;
    assert.equal(one.length, 30);
    assert.equal(five.length, 6);
    for (let i = 0; i < five.length; i++) {
      const part = one.slice(i * 5, i * 5 + 5);
      assert.equal(five[i].date, part[0].date);
      assert.equal(five[i].open, part[0].open);
      assert.equal(five[i].close, part[4].close);
      assert.equal(five[i].high, Math.max(...part.map((b) => b.high)));
      assert.equal(five[i].low, Math.min(...part.map((b) => b.low)));
      assert.equal(
        five[i].volume,
        part.reduce((s, b) => s + b.volume, 0),
      );
    }
  });

  it('reads both end date forms: "yyyyMMdd-HH:mm:ss" (UTC) and "yyyyMMdd HH:mm:ss Zone"', async () => {
    const utc = (await history(c, 5, MSFT, '20261124-15:00:00', '3600 S', '5 mins', 'TRADES')).bars;
    const zoned = (await history(c, 6, MSFT, '20261124 10:00:00 US/Eastern', '3600 S', '5 mins', 'TRADES')).bars;
    assert.deepEqual(utc, zoned);
    assert.equal(utc[utc.length - 1].date, '20261124 09:55:00 US/Eastern');
  });

  it('uses epoch seconds for formatDate 2 and yyyyMMdd for daily bars, weekends and holidays absent', async () => {
    const epoch = (await history(c, 7, AAPL, '', '3600 S', '5 mins', 'TRADES', 1, 2)).bars;
    assert.ok(epoch.every((b) => /^\d{10}$/.test(b.date)));
    assert.equal(Number(epoch[1].date) - Number(epoch[0].date), 300);
    const daily = (await history(c, 8, AAPL, '', '1 M', '1 day', 'TRADES')).bars;
    assert.ok(daily.length >= 18 && daily.length <= 23, `daily bars ${daily.length}`);
    for (const b of daily) {
      assert.match(b.date, /^\d{8}$/);
      const day = new Date(`${b.date.slice(0, 4)}-${b.date.slice(4, 6)}-${b.date.slice(6)}T12:00:00Z`).getUTCDay();
      assert.ok(day >= 1 && day <= 5, `${b.date} is a weekday`);
    }
  });

  it('serves forex on MIDPOINT and refuses TRADES for it (162)', async () => {
    const mid = (await history(c, 9, EURUSD, '', '3600 S', '5 mins', 'MIDPOINT', 0)).bars;
    assert.equal(mid.length, 12);
    const e = await refusal(c, 10, () => c.api.reqHistoricalData(10, EURUSD, '', '3600 S', BarSizeSetting.MINUTES_FIVE, WhatToShow.TRADES, 0, 1, false));
    assert.equal(e.code, 162);
  });

  it('refuses invalid requests as TWS does: bar size (321), step too small (162), whatToShow, keepUpToDate with an end date, unknown contract (200)', async () => {
    const bad = await refusal(c, 11, () => c.api.reqHistoricalData(11, AAPL, '', '1 D', '7 mins' as BarSizeSetting, WhatToShow.TRADES, 1, 1, false));
    assert.equal(bad.code, 321);
    assert.match(bad.message, /bar size/);
    const step = await refusal(c, 12, () => c.api.reqHistoricalData(12, AAPL, '', '1 W', BarSizeSetting.SECONDS_ONE, WhatToShow.TRADES, 1, 1, false));
    assert.equal(step.code, 162);
    assert.match(step.message, /^Historical Market Data Service error message:/);
    const what = await refusal(c, 13, () => c.api.reqHistoricalData(13, AAPL, '', '1 D', BarSizeSetting.MINUTES_FIVE, 'PRICES' as WhatToShow, 1, 1, false));
    assert.equal(what.code, 321);
    const live = await refusal(c, 14, () =>
      c.api.reqHistoricalData(14, AAPL, '20261124-15:00:00', '1 D', BarSizeSetting.MINUTES_FIVE, WhatToShow.TRADES, 1, 1, true),
    );
    assert.equal(live.code, 321);
    const tiny = await refusal(c, 15, () => c.api.reqHistoricalData(15, AAPL, '', '1800 S', BarSizeSetting.SECONDS_ONE, WhatToShow.TRADES, 1, 1, true));
    assert.equal(tiny.code, 321);
    // ADJUSTED_LAST always ends now (rust-ibapi refuses an end date for it before sending; TWS answers 321)
    const adjusted = await refusal(c, 17, () =>
      c.api.reqHistoricalData(17, AAPL, '20261124-15:00:00', '1 M', BarSizeSetting.DAYS_ONE, 'ADJUSTED_LAST' as WhatToShow, 1, 1, false),
    );
    assert.equal(adjusted.code, 321);
    assert.match(adjusted.message, /End date not supported with adjusted last/);
    const unknown = await refusal(c, 16, () =>
      c.api.reqHistoricalData(
        16,
        { symbol: 'NOSUCH', secType: SecType.STK, exchange: 'SMART', currency: 'USD' },
        '',
        '1 D',
        BarSizeSetting.MINUTES_FIVE,
        WhatToShow.TRADES,
        1,
        1,
        false,
      ),
    );
    assert.equal(unknown.code, 200);
  });

  it('enforces pacing for small bars (30 secs or less): an identical request within 15 s, and a 6th request for one contract within 2 s (162)', async () => {
    await history(c, 20, AAPL, '', '1800 S', '30 secs', 'TRADES');
    const again = await refusal(c, 21, () => c.api.reqHistoricalData(21, AAPL, '', '1800 S', BarSizeSetting.SECONDS_THIRTY, WhatToShow.TRADES, 1, 1, false));
    assert.equal(again.code, 162);
    assert.match(again.message, /pacing violation/);
    const durations = ['3600 S', '7200 S', '10800 S', '14400 S'];
    for (let i = 0; i < durations.length; i++) await history(c, 22 + i, AAPL, '', durations[i], '30 secs', 'TRADES');
    const sixth = await refusal(c, 30, () => c.api.reqHistoricalData(30, AAPL, '', '900 S', BarSizeSetting.SECONDS_THIRTY, WhatToShow.TRADES, 1, 1, false));
    assert.equal(sixth.code, 162);
    // another contract is not affected
    await history(c, 31, MSFT, '', '1800 S', '30 secs', 'TRADES');
  });

  it('does not pace bars of 1 min and more (IB lifted its rules for them): the same 5-minute request eight times at once', async () => {
    for (let i = 0; i < 8; i++) await history(c, 50 + i, MSFT, '', '1 D', '5 mins', 'TRADES');
    assert.deepEqual(
      c.errors.filter((e) => e.code === 162),
      [],
    );
  });

  it('lets pacing be switched off', async () => {
    const free = await startSim({ clock: { start: TUESDAY_11_ET }, limits: { historicalPacing: false } });
    const d = await connectApi(free.port, 1);
    try {
      for (let i = 0; i < 8; i++) await history(d, 40 + i, AAPL, '', '1800 S', '30 secs', 'TRADES');
      d.assertClean();
      assert.deepEqual(d.errors, []);
    } finally {
      await d.disconnect();
      await free.stop();
    }
  });

  it('keeps a series up to date with HISTORICAL_DATA_UPDATE until it is cancelled', async () => {
    const time = fakeTime();
    const fast = await startSim({ clock: { start: TUESDAY_11_ET, speed: 25 }, scheduler: time.scheduler });
    const d = await connectApi(fast.port, 1);
    try {
      const updates: Array<{ date: string; open: number; high: number; low: number; close: number; wap: number }> = [];
      let done = false;
      d.api.on(EventName.historicalData, (id: number, date: string) => {
        if (id === 1 && date.startsWith('finished')) done = true;
      });
      d.api.on(
        EventName.historicalDataUpdate,
        (id: number, date: string, open: number, high: number, low: number, close: number, _volume: number, _count: number, wap: number) => {
          if (id === 1) updates.push({ date, open, high, low, close, wap });
        },
      );
      d.api.reqHistoricalData(1, AAPL, '', '1800 S', BarSizeSetting.SECONDS_FIVE, WhatToShow.TRADES, 1, 2, true);
      await time.advanceUntil('four updates', () => updates.length >= 4);
      assert.ok(done, 'backfill first');
      assert.ok(updates.length >= 4, `updates ${updates.length}`);
      assert.deepEqual(fast.server.activeHistorical(), [{ clientId: 1, reqId: 1, conId: 265598 }]);
      for (const u of updates) {
        assert.match(u.date, /^\d{10}$/);
        assert.equal(Number(u.date) % 5, 0);
        assert.ok(u.low <= Math.min(u.open, u.close) && u.high >= Math.max(u.open, u.close));
        // the WAP inside the bar, to the backfill's decimals (recorded: 184.869, 183.9865), not a float's
        assert.ok(u.wap >= u.low && u.wap <= u.high, `WAP ${u.wap}`);
        assert.match(String(u.wap), /^\d+(\.\d{1,4})?$/);
      }
      assert.ok(Number(updates[updates.length - 1].date) > Number(updates[0].date), 'the bar advances with the clock');
      d.api.cancelHistoricalData(1);
      await waitUntil('the keep-up-to-date line to end', () => fast.server.activeHistorical().length === 0, 5000);
      assert.deepEqual(fast.server.activeHistorical(), []);
      d.assertClean();
    } finally {
      await d.disconnect();
      await fast.stop();
    }
  });

  it('keepUpToDate of MIDPOINT (forex): updates carry -1 for volume, WAP and count, as TWS sends them', async () => {
    const time = fakeTime();
    const fast = await startSim({ clock: { start: TUESDAY_11_ET, speed: 25 }, scheduler: time.scheduler });
    const d = await connectApi(fast.port, 1);
    try {
      const updates: Array<{ volume: number; count: number; wap: number; close: number }> = [];
      d.api.on(
        EventName.historicalDataUpdate,
        (id: number, _date: string, _o: number, _h: number, _l: number, close: number, volume: number, count: number, wap: number) => {
          if (id === 2) updates.push({ volume, count, wap, close });
        },
      );
      d.api.reqHistoricalData(2, EURUSD, '', '1800 S', BarSizeSetting.SECONDS_FIVE, WhatToShow.MIDPOINT, 0, 2, true);
      await time.advanceUntil('four updates', () => updates.length >= 4);
      for (const u of updates) {
        assert.deepEqual([u.volume, u.count, u.wap], [-1, -1, -1], JSON.stringify(u));
        assert.ok(u.close > 0.5 && u.close < 2, 'a EUR.USD midpoint');
      }
      d.api.cancelHistoricalData(2);
      d.assertClean();
    } finally {
      await d.disconnect();
      await fast.stop();
    }
  });

  it('starts keepUpToDate updates at the open when the series was backfilled before it', async () => {
    const time = fakeTime();
    const early = await startSim({ clock: { start: Date.parse('2026-11-24T14:29:56Z'), speed: 10 }, scheduler: time.scheduler });
    const d = await connectApi(early.port, 1);
    try {
      const dates: number[] = [];
      d.api.on(EventName.historicalDataUpdate, (id: number, date: string) => {
        if (id === 1) dates.push(Number(date));
      });
      d.api.reqHistoricalData(1, AAPL, '', '1 D', BarSizeSetting.MINUTES_ONE, WhatToShow.TRADES, 1, 2, true);
      await time.advanceUntil('three bar dates', () => dates.length >= 3);
      const open = Date.parse('2026-11-24T14:30:00Z') / 1000;
      assert.ok(dates.length >= 3, `updates ${dates.length}`);
      assert.ok(
        dates.every((t) => t >= open),
        `no update before the open: ${dates.map((t) => t - open)}`,
      );
      d.assertClean();
    } finally {
      await d.disconnect();
      await early.stop();
    }
  });

  it('serves IBApiNext.getHistoricalData', async () => {
    const next = await connectApiNext(sim.port, 2);
    try {
      const bars = await next.api.getHistoricalData(MSFT, '', '1 D', BarSizeSetting.MINUTES_THIRTY, WhatToShow.TRADES, 1, 2);
      assert.equal(bars.length, 3, '09:30, 10:00, 10:30');
      assert.equal(bars[0].time, String(Date.parse('2026-11-24T14:30:00Z') / 1000));
      next.assertClean();
    } finally {
      next.disconnect();
    }
  });
});
