import assert from 'node:assert/strict';
import { createMarket, createUniverse, type BarQuery, type Instrument } from '../../src/sim/market';
import { continuousBars, continuousSeries, lastSessionEnd, type ContinuousSeries } from '../../src/sim/market/continuous';

/** Tuesday 22 December 2026, 09:00 Chicago: ESZ6 expired on Friday 18 December at 08:30 Chicago, ESH7 is the front month. */
const NOW = Date.parse('2026-12-22T15:00:00Z');
const NOW_S = NOW / 1000;
/** "MM-DD HH:mm" in Chicago (UTC-6 in December). */
const ct = (t: number): string => new Date((t - 6 * 3600) * 1000).toISOString().slice(5, 16).replace('T', ' ');

describe('simulated market: continuous futures', () => {
  const universe = createUniverse({ now: NOW });
  const market = createMarket({ seed: 7, universe });
  const es = continuousSeries(universe, { symbol: 'ES', exchange: 'GLOBEX' }, NOW_S) as ContinuousSeries;
  const month = (local: string): Instrument => es.months.find((m) => m.localSymbol === local)!;
  const query = (barSizeSeconds: number, days: number, useRTH = false, whatToShow = 'TRADES'): BarQuery => ({
    endTime: NOW_S,
    durationSeconds: days * 86_400,
    barSizeSeconds,
    whatToShow,
    useRTH,
  });

  it("names the front month of the main class, with the kept expired months before it; the front's conId or nothing", () => {
    assert.equal(es.front.localSymbol, 'ESH7');
    assert.deepEqual(
      es.months.map((m) => m.localSymbol),
      ['ESH5', 'ESM5', 'ESU5', 'ESZ5', 'ESH6', 'ESM6', 'ESU6', 'ESZ6', 'ESH7'],
    );
    assert.equal((continuousSeries(universe, { conId: es.front.conId }, NOW_S) as ContinuousSeries).front, es.front);
    assert.equal(continuousSeries(universe, { conId: month('ESZ6').conId }, NOW_S), undefined);
    assert.equal(continuousSeries(universe, { symbol: 'NOPE' }, NOW_S), undefined);
    // just before ESZ6's last trade it was still the front month
    assert.equal((continuousSeries(universe, { symbol: 'ES' }, lastSessionEnd(month('ESZ6')) - 1) as ContinuousSeries).front.localSymbol, 'ESZ6');
  });

  it('rolls hour bars at the last trade: the expiring month up to its last bar, the next month after, no time twice', () => {
    const own = (m: Instrument, useRTH: boolean): Map<number, number> => new Map(market.bars(m, query(3600, 7, useRTH)).map((b) => [b.time, b.close]));
    for (const useRTH of [false, true]) {
      const z6 = own(month('ESZ6'), useRTH);
      const h7 = own(es.front, useRTH);
      const bars = continuousBars(market, es, query(3600, 7, useRTH));
      assert.ok(bars.every((b, i) => i === 0 || b.time > bars[i - 1].time));
      const roll = bars.filter((b) => ct(b.time).startsWith('12-18 0'));
      for (const b of roll) assert.equal(b.close, (ct(b.time) < '12-18 08:30' ? z6 : h7).get(b.time), `${ct(b.time)} rth=${useRTH}`);
      // regular hours open at 08:30, after the expiring month's last trade: that day is the next month's
      assert.equal(roll.length, useRTH ? 2 : 10);
    }
  });

  it("dates a day bar by the month that was the front at the session date: the expiry day is the expiring month's, unless it had no regular hours", () => {
    const day = (m: Instrument, useRTH: boolean) => market.bars(m, query(86_400, 14, useRTH)).find((b) => ct(b.time).startsWith('12-18'));
    const eth = continuousBars(market, es, query(86_400, 14)).find((b) => ct(b.time).startsWith('12-18'));
    const rth = continuousBars(market, es, query(86_400, 14, true)).find((b) => ct(b.time).startsWith('12-18'));
    assert.deepEqual(eth, day(month('ESZ6'), false));
    assert.deepEqual(rth, day(es.front, true));
  });

  it('folds week bars from the stitched days, and shows MIDPOINT without volume', () => {
    const days = continuousBars(market, es, query(86_400, 60));
    const weeks = continuousBars(market, es, query(604_800, 60, false, 'MIDPOINT'));
    assert.ok(weeks.length >= 8);
    const rollWeek = weeks.find((w) => ct(w.time).startsWith('12-18'))!;
    const inWeek = days.filter((d) => ct(d.time) >= '12-14' && ct(d.time) <= '12-18 23');
    assert.equal(rollWeek.close, inWeek[inWeek.length - 1].close);
    assert.equal(rollWeek.high, Math.max(...inWeek.map((d) => d.high)));
    assert.ok(weeks.every((w) => w.volume === -1));
  });
});
