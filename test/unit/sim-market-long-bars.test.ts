/**
 * Week and month bars of the simulated market: grouped by calendar week
 * (Monday to Sunday) or month of the session date, in the exchange's zone,
 * and dated as TWS dates them: by the last trading day of the period that has
 * data up to the request's end (Friday for a full week, Thursday 18 June 2026
 * in the Juneteenth week, the last day so far for the running period).
 */
import assert from 'node:assert/strict';
import { barDate, createMarket, createUniverse } from '../../src/sim/market';
import type { BarQuery, Instrument, SimBar } from '../../src/sim/market';

const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const DAY = 86_400;
const WEEK = 604_800;
const MONTH = 2_592_000;

function q(endIso: string, durationSeconds: number, barSizeSeconds: number, useRTH = true): BarQuery {
  return { endTime: utc(endIso), durationSeconds, barSizeSeconds, whatToShow: 'TRADES', useRTH };
}

/** One bar from consecutive day bars, as IB folds them: open of the first, close of the last, dated by the last. */
function folded(days: SimBar[]): Omit<SimBar, 'wap'> {
  return {
    time: days[days.length - 1].time,
    open: days[0].open,
    high: Math.max(...days.map((d) => d.high)),
    low: Math.min(...days.map((d) => d.low)),
    close: days[days.length - 1].close,
    volume: days.reduce((s, d) => s + d.volume, 0),
    count: days.reduce((s, d) => s + d.count, 0),
  };
}

const withoutWap = ({ wap: _w, ...rest }: SimBar): Omit<SimBar, 'wap'> => rest;

describe('simulated market: week and month bars dated by their last trading day', () => {
  const u = createUniverse({ now: Date.parse('2026-07-15T16:00:00Z') });
  const one = (query: Parameters<typeof u.match>[0]): Instrument => {
    const [inst] = u.match(query);
    assert.ok(inst, JSON.stringify(query));
    return inst;
  };
  const aapl = one({ conId: 265598 });
  const es = one({ symbol: 'ES', secType: 'FUT' });
  const market = createMarket({ seed: 42, universe: u });
  const dates = (inst: Instrument, bars: SimBar[]): string[] => bars.map((b) => barDate(inst, b.time));

  it('dates a full week by its Friday, and the Juneteenth week 15-19 June 2026 by Thursday 20260618 (ES: Friday, its short session)', () => {
    for (const inst of [aapl, es]) {
      for (const rth of [true, false]) {
        const weeks = market.bars(inst, q('2026-06-27T12:00:00', 21 * DAY, WEEK, rth));
        // CME trades ES on Juneteenth until 12:00 Chicago, so that week's last day with data is Friday
        const juneteenthWeek = inst === es ? '20260619' : '20260618';
        assert.deepEqual(dates(inst, weeks), ['20260612', juneteenthWeek, '20260626'], `${inst.localSymbol} rth=${rth}`);
      }
    }
  });

  it('folds every session of the week into its bar (a futures week starts on the Sunday evening)', () => {
    const end = '2026-06-27T12:00:00';
    for (const [inst, rth] of [
      [aapl, true],
      [es, false],
    ] as const) {
      const days = market.bars(inst, q(end, 21 * DAY, DAY, rth));
      const weeks = market.bars(inst, q(end, 21 * DAY, WEEK, rth));
      const juneteenth = days.filter((d) => barDate(inst, d.time) >= '20260615' && barDate(inst, d.time) <= '20260621');
      const stockDays = ['20260615', '20260616', '20260617', '20260618'];
      assert.deepEqual(dates(inst, juneteenth), inst === es ? [...stockDays, '20260619'] : stockDays);
      assert.deepEqual(withoutWap(weeks[1]), folded(juneteenth), inst.localSymbol);
    }
  });

  it('dates a month by its last trading day (June 2026: Tuesday 20260630; May: Friday 20260529)', () => {
    const months = market.bars(aapl, q('2026-07-01T00:00:00', 95 * DAY, MONTH));
    assert.deepEqual(dates(aapl, months), ['20260331', '20260430', '20260529', '20260630']);
    const days = market.bars(aapl, q('2026-07-01T00:00:00', 95 * DAY, DAY));
    const june = days.filter((d) => barDate(aapl, d.time).startsWith('202606'));
    assert.deepEqual(withoutWap(months[3]), folded(june));
  });

  it('dates the running week and month by the last day with data up to the end time', () => {
    // Wednesday 17 June 2026, 14:00 New York: the session is trading
    const afternoon = market.bars(aapl, q('2026-06-17T18:00:00', 10 * DAY, WEEK));
    assert.equal(barDate(aapl, afternoon[afternoon.length - 1].time), '20260617');
    const days = market.bars(aapl, q('2026-06-17T18:00:00', 10 * DAY, DAY));
    assert.deepEqual(withoutWap(afternoon[afternoon.length - 1]), folded(days.slice(-3)), 'Monday to Wednesday so far');
    // Wednesday 08:00 New York: before the regular open, inside the pre-market
    const early = (rth: boolean): string => {
      const bars = market.bars(aapl, q('2026-06-17T12:00:00', 10 * DAY, WEEK, rth));
      return barDate(aapl, bars[bars.length - 1].time);
    };
    assert.equal(early(true), '20260616', 'regular hours: Tuesday is the last day with data');
    assert.equal(early(false), '20260617', 'extended hours: Wednesday has started');
    const month = market.bars(aapl, q('2026-06-17T18:00:00', 40 * DAY, MONTH));
    assert.deepEqual(dates(aapl, month), ['20260529', '20260617']);
  });

  it('cuts the first period at the window start, dated by its last day as the others', () => {
    // from Wednesday 10 June 2026, 08:00 New York
    const window = q('2026-06-20T00:00:00', 9.5 * DAY, WEEK);
    const weeks = market.bars(aapl, window);
    const days = market.bars(aapl, { ...window, barSizeSeconds: DAY });
    assert.deepEqual(dates(aapl, days.slice(0, 3)), ['20260610', '20260611', '20260612']);
    assert.deepEqual(dates(aapl, weeks), ['20260612', '20260618']);
    assert.deepEqual(withoutWap(weeks[0]), folded(days.slice(0, 3)));
  });
});
