import { strict as assert } from 'node:assert';
import { SimClock } from '../../src/sim/clock';
import { barTime, connectionTime, endDateHasZone, historicalDateTime, parseEndDateTime, utcDashed, zoneOffsetMs } from '../../src/sim/time-format';

const T = Date.parse('2026-11-24T15:30:00Z') / 1000; // 10:30 New York (EST)

describe('sim time formats', () => {
  it('writes the handshake connection time as "yyyyMMdd HH:mm:ss zone", the host zone by its display name as recorded', () => {
    assert.equal(connectionTime(T * 1000), '20261124 15:30:00 Greenwich Mean Time');
    assert.equal(connectionTime(Date.parse('2026-07-01T13:30:00Z')), '20260701 14:30:00 British Summer Time');
  });

  it('writes intraday bar times for formatDate 1 with the contract zone from version 174, two spaces and no zone (login zone) before it', () => {
    assert.equal(barTime(T, 1, false, 'US/Eastern', 193), '20261124 10:30:00 US/Eastern');
    assert.equal(barTime(T, 1, false, 'US/Eastern', 178), '20261124 10:30:00 US/Eastern');
    assert.equal(barTime(T, 1, false, 'US/Eastern', 174), '20261124 10:30:00 US/Eastern');
    assert.equal(barTime(T, 1, false, 'US/Central', 193), '20261124 09:30:00 US/Central');
    assert.equal(barTime(T, 1, false, 'US/Eastern', 173), '20261124  15:30:00', 'before 174: the TWS login zone (London here, as the handshake says)');
    assert.equal(barTime(Date.parse('2026-07-01T13:30:00Z') / 1000, 1, false, 'US/Eastern', 173), '20260701  14:30:00', 'in British summer time');
    assert.equal(barTime(T, 1, false, 'US/Eastern', 157), '20261124  15:30:00');
    // summer time
    assert.equal(barTime(Date.parse('2026-07-01T13:30:00Z') / 1000, 1, false, 'US/Eastern', 193), '20260701 09:30:00 US/Eastern');
    assert.equal(historicalDateTime(T, 'US/Eastern', 193), '20261124 10:30:00 US/Eastern');
    assert.equal(historicalDateTime(T, 'US/Eastern', 157), '20261124  15:30:00');
  });

  it('writes intraday bars as epoch seconds for formatDate 2, and daily bars as yyyyMMdd whatever formatDate says', () => {
    assert.equal(barTime(T, 2, false, 'US/Eastern', 193), String(T));
    const midnightNy = Date.parse('2026-11-24T05:00:00Z') / 1000;
    for (const v of [157, 178, 193]) {
      assert.equal(barTime(midnightNy, 1, true, 'US/Eastern', v), '20261124');
      assert.equal(barTime(midnightNy, 2, true, 'US/Eastern', v), '20261124');
    }
  });

  it('tells end dates that name their zone (or are UTC) from those that do not (TWS warns 2174)', () => {
    for (const t of ['', '20261124-15:30:00', '20261124 10:30:00 US/Eastern', '20261124 10:30:00 UTC']) assert.ok(endDateHasZone(t), t);
    for (const t of ['20261124 10:30:00', '20261124']) assert.ok(!endDateHasZone(t), t);
  });

  it('knows the zone offsets across daylight saving', () => {
    assert.equal(zoneOffsetMs(T * 1000, 'US/Eastern'), -5 * 3600_000);
    assert.equal(zoneOffsetMs(Date.parse('2026-07-01T12:00:00Z'), 'US/Eastern'), -4 * 3600_000);
  });

  it('reads end dates: empty, UTC dashed, zoned, and the instrument zone by default', () => {
    assert.equal(parseEndDateTime('', 123, 'US/Eastern'), 123);
    assert.equal(parseEndDateTime('20261124-15:30:00', 0, 'US/Eastern'), T);
    assert.equal(parseEndDateTime('20261124 10:30:00 US/Eastern', 0, 'UTC'), T);
    assert.equal(parseEndDateTime('20261124 10:30:00 America/New_York', 0, 'UTC'), T);
    assert.equal(parseEndDateTime('20261124 10:30:00', 0, 'US/Eastern'), T);
    assert.equal(parseEndDateTime('20261124', 0, 'UTC'), Date.parse('2026-11-24T00:00:00Z') / 1000);
    assert.equal(parseEndDateTime('yesterday', 0, 'UTC'), undefined);
    assert.equal(parseEndDateTime('20261124 10:30:00 Mars/Olympus', 0, 'UTC'), undefined);
    assert.equal(utcDashed(T), '20261124-15:30:00');
  });

  it('runs the simulated clock from its start at its speed', () => {
    let real = 1_000;
    const clock = new SimClock({ start: 5_000_000, speed: 10 }, () => real);
    assert.equal(clock.now(), 5_000_000);
    real += 250;
    assert.equal(clock.now(), 5_002_500);
    assert.equal(clock.nowSeconds(), 5_002);
    assert.equal(clock.realDelay(1000), 100);
    assert.equal(new SimClock({ speed: -1 }, () => real).speed, 1);
  });
});
