import { strict as assert } from 'node:assert';
import { barTime, calendarPeriod, dailyTime, mergeCandle, toCandle } from '../../src/ib/candles/merge';
import type { Candle } from '../../src/ib/types';

const c = (time: number, close: number): Candle => ({ time, open: close, high: close, low: close, close, volume: 1 });

describe('live bar merge', () => {
  it('replaces the last bar when the time is the same', () => {
    const series = [c(60, 1), c(120, 2)];
    assert.deepEqual(mergeCandle(series, c(120, 3)), { replaced: true });
    assert.deepEqual(
      series.map((x) => x.close),
      [1, 3],
    );
  });

  it('appends a newer bar', () => {
    const series = [c(60, 1)];
    assert.deepEqual(mergeCandle(series, c(120, 2)), { replaced: false });
    assert.deepEqual(
      series.map((x) => x.time),
      [60, 120],
    );
  });

  it('ignores an older bar and leaves the series as it was', () => {
    const series = [c(60, 1), c(120, 2)];
    assert.deepEqual(mergeCandle(series, c(60, 9)), { replaced: false, ignored: true });
    assert.deepEqual(
      series.map((x) => x.close),
      [1, 2],
    );
  });

  it('starts an empty series', () => {
    const series: Candle[] = [];
    assert.deepEqual(mergeCandle(series, c(5, 1)), { replaced: false });
    assert.equal(series.length, 1);
  });
});

describe('week and month bars: dated by their last day with data', () => {
  const d = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

  it('a bar of the same week replaces the last one, whatever its date (the running week moves on each day)', () => {
    const series = [c(d('2026-06-12'), 1), c(d('2026-06-16'), 2)];
    assert.deepEqual(mergeCandle(series, c(d('2026-06-17'), 3), 'week'), { replaced: true, moved: true });
    assert.deepEqual(mergeCandle(series, c(d('2026-06-18'), 4), 'week'), { replaced: true, moved: true });
    assert.deepEqual(mergeCandle(series, c(d('2026-06-18'), 5), 'week'), { replaced: true });
    // Monday 22 June: the next week
    assert.deepEqual(mergeCandle(series, c(d('2026-06-22'), 6), 'week'), { replaced: false });
    assert.deepEqual(
      series.map((x) => [new Date(x.time * 1000).toISOString().slice(0, 10), x.close]),
      [
        ['2026-06-12', 1],
        ['2026-06-18', 5],
        ['2026-06-22', 6],
      ],
    );
  });

  it('a week runs Monday to Sunday: a Sunday date is the week that began on the Monday before', () => {
    const series = [c(d('2026-06-19'), 1)];
    assert.deepEqual(mergeCandle(series, c(d('2026-06-21'), 2), 'week'), { replaced: true, moved: true });
    assert.deepEqual(mergeCandle(series, c(d('2026-06-22'), 3), 'week'), { replaced: false });
  });

  it('a bar of the same month replaces the last one; the 1st of the next appends', () => {
    const series = [c(d('2026-07-31'), 1), c(d('2026-08-28'), 2)];
    assert.deepEqual(mergeCandle(series, c(d('2026-08-31'), 3), 'month'), { replaced: true, moved: true });
    assert.deepEqual(mergeCandle(series, c(d('2026-09-01'), 4), 'month'), { replaced: false });
    assert.equal(series.length, 3);
  });

  it('without a period (daily bars and shorter) a new date appends as before', () => {
    const series = [c(d('2026-06-16'), 1)];
    assert.deepEqual(mergeCandle(series, c(d('2026-06-17'), 2)), { replaced: false });
  });

  it('knows which bar sizes are dated by their period, in any spelling', () => {
    assert.equal(calendarPeriod('1 week'), 'week');
    assert.equal(calendarPeriod('1 weeks'), 'week');
    assert.equal(calendarPeriod('1 month'), 'month');
    assert.equal(calendarPeriod('1 day'), undefined);
    assert.equal(calendarPeriod('5 mins'), undefined);
  });
});

describe('bar times', () => {
  it('reads epoch seconds as they are', () => {
    assert.equal(barTime('1700000000'), 1_700_000_000);
  });
  it('reads yyyyMMdd as UTC midnight', () => {
    assert.equal(barTime('20251124'), Date.UTC(2025, 10, 24) / 1000);
  });
  it('reads yyyyMMdd HH:mm:ss without a zone as UTC', () => {
    assert.equal(barTime('20251124 14:30:05'), Date.UTC(2025, 10, 24, 14, 30, 5) / 1000);
    assert.equal(barTime('20251124-14:30:05'), Date.UTC(2025, 10, 24, 14, 30, 5) / 1000);
  });
  it('keys daily bars by UTC midnight of their date, from New York or Tokyo midnight alike', () => {
    const day = Date.UTC(2025, 10, 24) / 1000;
    assert.equal(dailyTime(day), day);
    assert.equal(dailyTime(day + 5 * 3600), day, 'midnight in New York is 05:00 UTC');
    assert.equal(dailyTime(day - 9 * 3600), day, 'midnight in Tokyo is 15:00 UTC the day before');
  });
  it('refuses what it cannot read', () => {
    for (const bad of ['', 'finished-20251124-20251125', '20251340', '20250231', 'abc', '12']) assert.equal(barTime(bad), undefined, bad);
  });
  it('turns IB fields into a candle, volume -1 as 0, prices below zero kept, and refuses what is not a price', () => {
    assert.deepEqual(toCandle('1700000000', 1, 2, 0.5, 1.5, 100), { time: 1_700_000_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 100 });
    assert.equal(toCandle('1700000000', 1, 2, 0.5, 1.5, -1)?.volume, 0);
    // IB's unset Decimal in a bar's volume (Integer.MAX_VALUE, Long.MAX_VALUE) is no volume
    assert.equal(toCandle('1700000000', 1, 2, 0.5, 1.5, 2147483647)?.volume, 0);
    assert.equal(toCandle('1700000000', 1, 2, 0.5, 1.5, Number('9223372036854775807'))?.volume, 0);
    assert.equal(toCandle('1700000000', 1, 2, 0.5, 1.5, 100, undefined, 1.27)?.wap, 1.27, "IB's WAP is kept");
    for (const none of [-1, 0, Number.NaN])
      assert.equal(toCandle('1700000000', 1, 2, 0.5, 1.5, -1, undefined, none)?.wap, undefined, `WAP ${none} is no price`);
    // a price below zero is a price: CL on 2020-04-20 (a bar of the May contract, low -40.32)
    assert.deepEqual(toCandle('20200420', 17.73, 17.85, -40.32, -37.63, 247_947), {
      time: Date.UTC(2020, 3, 20) / 1000,
      open: 17.73,
      high: 17.85,
      low: -40.32,
      close: -37.63,
      volume: 247_947,
    });
    assert.equal(toCandle('1700000000', Number.POSITIVE_INFINITY, 2, 0.5, 1.5, 1), undefined);
    assert.equal(toCandle('x', 1, 2, 0.5, 1.5, 1), undefined);
    // an update with empty prices (read as 0), as TWS sends when it has no bar (ib_insync #166)
    assert.equal(toCandle('20190702  16:50:30', 0, 0, 0, 0, -1), undefined);
    assert.equal(toCandle('1700000000', Number.NaN, 2, 0.5, 1.5, 1), undefined, '"?" prices');
  });
});
