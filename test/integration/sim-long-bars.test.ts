/**
 * Week and month bars from the simulator through @stoqey/ib: dated yyyyMMdd by
 * the last trading day of the period (as TWS dates them, for formatDate 1 and
 * 2), and kept up to date across a calendar week or month boundary.
 */
import { strict as assert } from 'node:assert';
import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract } from '@stoqey/ib';
import { connectApi, startSim, type ApiClient } from './support/sim';
import { fakeTime } from '../support/fake-time';
import { waitUntil } from '../support/wait';

const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };

interface Bar {
  date: string;
  open: number;
  volume: number;
  /** Update only: the simulator's market time (epoch ms) when it arrived. */
  at?: number;
}

/** One reqHistoricalData (no updates): its bars, once the end marker came. */
function history(c: ApiClient, reqId: number, end: string, duration: string, bar: BarSizeSetting, formatDate = 1): Promise<Bar[]> {
  return new Promise((resolve, reject) => {
    const bars: Bar[] = [];
    const onBar = (id: number, date: string, open: number, _h: number, _l: number, _c: number, volume: number): void => {
      if (id !== reqId) return;
      if (!date.startsWith('finished')) return void bars.push({ date, open, volume });
      c.api.off(EventName.historicalData, onBar);
      clearTimeout(guard);
      resolve(bars);
    };
    const guard = setTimeout(() => reject(new Error(`no bars for #${reqId}: ${JSON.stringify(c.errors)}`)), 10_000);
    c.api.on(EventName.historicalData, onBar);
    c.api.reqHistoricalData(reqId, AAPL, end, duration, bar, WhatToShow.TRADES, 1, formatDate, false);
  });
}

/**
 * A keepUpToDate request on a clock running an hour of market time per second
 * of (fake) scheduler time: the backfill, then every update until one is dated
 * `until`; then, an hour later, as plain history, today's 1-minute bars
 * (`after`) and the period that ended, requested up to `previousEnd` (`previous`).
 */
async function keepUp(
  start: string,
  duration: string,
  bar: BarSizeSetting,
  until: string,
  previousEnd: string,
): Promise<Record<'backfill' | 'updates' | 'after' | 'previous', Bar[]>> {
  const time = fakeTime();
  const sim = await startSim({ clock: { start: Date.parse(start), speed: 3600 }, scheduler: time.scheduler });
  const c = await connectApi(sim.port, 1);
  try {
    const backfill: Bar[] = [];
    const updates: Bar[] = [];
    let done = false;
    c.api.on(EventName.historicalData, (id: number, date: string, open: number, _h: number, _l: number, _c: number, volume: number) => {
      if (id !== 1) return;
      if (date.startsWith('finished')) done = true;
      else backfill.push({ date, open, volume });
    });
    c.api.on(EventName.historicalDataUpdate, (id: number, date: string, open: number, _h: number, _l: number, _c: number, volume: number) => {
      if (id === 1) updates.push({ date, open, volume, at: sim.server.clock.now() });
    });
    c.api.reqHistoricalData(1, AAPL, '', duration, bar, WhatToShow.TRADES, 1, 1, true);
    await waitUntil('the backfill', () => done || undefined); // in real time: the market clock stands still
    await time.advanceUntil(`an update dated ${until}`, () => updates.some((u) => u.date === until), { stepMs: 500, maxMs: 150_000 });
    c.api.cancelHistoricalData(1);
    await time.advance(1000); // an hour on: the new session's first minutes are history
    const after = await history(c, 2, '', '1 D', BarSizeSetting.MINUTES_ONE);
    const previous = await history(c, 3, previousEnd, duration, bar);
    c.assertClean();
    return { backfill, updates, after, previous };
  } finally {
    await c.disconnect();
    await sim.stop();
  }
}

describe('sim: week and month bars', () => {
  it("dates 1-week bars by the week's last trading day: Friday, Thursday 20260618 for Juneteenth, in yyyyMMdd for formatDate 1 and 2", async () => {
    const sim = await startSim({ clock: { start: Date.parse('2026-07-01T16:00:00Z') } });
    const c = await connectApi(sim.port, 1);
    try {
      for (const formatDate of [1, 2]) {
        const weeks = await history(c, formatDate, '20260627 00:00:00 US/Eastern', '3 W', BarSizeSetting.WEEKS_ONE, formatDate);
        assert.deepEqual(
          weeks.map((b) => b.date),
          ['20260612', '20260618', '20260626'],
          `formatDate ${formatDate}`,
        );
      }
      // Wednesday 1 July, 12:00 New York: the weeks from Wednesday 17 June, the first cut at the window start, the last running
      const running = await history(c, 3, '', '2 W', BarSizeSetting.WEEKS_ONE);
      assert.deepEqual(
        running.map((b) => b.date),
        ['20260618', '20260626', '20260701'],
      );
      c.assertClean();
    } finally {
      await c.disconnect();
      await sim.stop();
    }
  });

  it("dates 1-month bars by the month's last trading day, and the running month by the last day so far", async () => {
    const sim = await startSim({ clock: { start: Date.parse('2026-07-01T16:00:00Z') } });
    const c = await connectApi(sim.port, 1);
    try {
      const months = await history(c, 1, '', '4 M', BarSizeSetting.MONTHS_ONE, 2);
      assert.deepEqual(
        months.map((b) => b.date),
        ['20260331', '20260430', '20260529', '20260630', '20260701'],
      );
      c.assertClean();
    } finally {
      await c.disconnect();
      await sim.stop();
    }
  });

  it('keepUpToDate of 1-week bars: the date moves to each new trading day, and the bar rolls over on the Monday (the week after Memorial Day ends on Friday 20260529)', async () => {
    // Thursday 28 May 2026, 15:00 New York: the week began on Tuesday 26 May
    const { backfill, updates, after, previous } = await keepUp(
      '2026-05-28T19:00:00Z',
      '1 M',
      BarSizeSetting.WEEKS_ONE,
      '20260601',
      '20260530 00:00:00 US/Eastern',
    );
    assert.equal(backfill[backfill.length - 1].date, '20260528');
    const dates = [...new Set(updates.map((u) => u.date))];
    assert.deepEqual(dates, ['20260528', '20260529', '20260601'], 'Thursday, Friday, then the new week on Monday');
    const friday = updates.filter((u) => u.date === '20260529');
    assert.equal(friday[friday.length - 1].volume, previous[previous.length - 1].volume, "the week's final state, Tuesday to Friday");
    assert.equal(previous[previous.length - 1].date, '20260529');
    const monday = updates.filter((u) => u.date === '20260601');
    assert.equal(monday[0].open, after[0].open, "the new bar opens with Monday's first trade");
    assert.ok(monday[0].volume < friday[0].volume, 'the new bar starts afresh');
    assert.ok(monday[0].at! < Date.parse('2026-06-01T20:00:00Z'), `rolled over on Monday's session, not later: ${new Date(monday[0].at!).toISOString()}`);
  });

  it('keepUpToDate of 1-month bars rolls over on the 1st: August 2026 (from Monday the 3rd) ends on Monday 20260831', async () => {
    // Monday 31 August 2026, 15:00 New York
    const { backfill, updates, after, previous } = await keepUp(
      '2026-08-31T19:00:00Z',
      '1 M',
      BarSizeSetting.MONTHS_ONE,
      '20260901',
      '20260901 00:00:00 US/Eastern',
    );
    assert.equal(backfill[backfill.length - 1].date, '20260831');
    const dates = [...new Set(updates.map((u) => u.date))];
    assert.deepEqual(dates, ['20260831', '20260901'], 'August, then September');
    const august = updates.filter((u) => u.date === '20260831');
    assert.equal(august[august.length - 1].volume, previous[previous.length - 1].volume, "August's final state");
    const september = updates.filter((u) => u.date === '20260901');
    assert.equal(september[0].open, after[0].open, "the new bar opens with the 1st's first trade");
    assert.ok(september[0].at! < Date.parse('2026-09-01T20:00:00Z'), `rolled over on the 1st, not later: ${new Date(september[0].at!).toISOString()}`);
  });
});
