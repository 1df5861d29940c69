import assert from 'node:assert/strict';
import { createMarket, createUniverse, ianaZone, lastOpenAt, liquidHours, parseTradingHours, tradingHours } from '../../src/sim/market';
import type { Instrument } from '../../src/sim/market';
import { localStamp } from '../../src/sim/market/timezone';

const utc = (iso: string): number => Date.parse(`${iso}Z`);
const NOW = utc('2026-11-25T17:00:00');

describe('simulated market: calendar', () => {
  const u = createUniverse({ now: NOW });
  const m = createMarket({ seed: 42, universe: u });
  const one = (q: Parameters<typeof u.match>[0]): Instrument => {
    const [inst] = u.match(q);
    assert.ok(inst, JSON.stringify(q));
    return inst;
  };
  const aapl = one({ conId: 265598 });
  const spx = one({ symbol: 'SPX', secType: 'IND' });
  const es = one({ symbol: 'ES', secType: 'FUT' });
  const cl = one({ symbol: 'CL', secType: 'FUT' });
  const eur = one({ symbol: 'EUR', secType: 'CASH', currency: 'USD' });
  const shopTse = one({ symbol: 'SHOP', currency: 'CAD' });

  it('trades US stocks 09:30-16:00 New York, 04:00-20:00 with extended hours, in winter and summer time', () => {
    // 2026-11-25 is EST (UTC-5), 2026-07-15 EDT (UTC-4)
    for (const [day, offset] of [
      ['2026-11-25', 5],
      ['2026-07-15', 4],
    ] as const) {
      const at = (h: number, min: number): number => utc(`${day}T00:00:00`) + ((h + offset) * 60 + min) * 60_000;
      assert.equal(m.isOpen(aapl, at(9, 29), true), false, `${day} 09:29`);
      assert.equal(m.isOpen(aapl, at(9, 30), true), true, `${day} 09:30`);
      assert.equal(m.isOpen(aapl, at(15, 59), true), true, `${day} 15:59`);
      assert.equal(m.isOpen(aapl, at(16, 0), true), false, `${day} 16:00`);
      assert.equal(m.isOpen(aapl, at(3, 59), false), false, `${day} 03:59 ext`);
      assert.equal(m.isOpen(aapl, at(4, 0), false), true, `${day} 04:00 ext`);
      assert.equal(m.isOpen(aapl, at(19, 59), false), true, `${day} 19:59 ext`);
      assert.equal(m.isOpen(aapl, at(20, 0), false), false, `${day} 20:00 ext`);
      assert.equal(m.isOpen(spx, at(8, 0), false), false, 'an index has no extended hours');
      assert.equal(m.isOpen(spx, at(10, 0), false), true);
    }
  });

  it('follows the switch to daylight saving time inside a week', () => {
    // DST began Sunday 2026-03-08: Friday's open is 14:30Z, Monday's 13:30Z
    assert.equal(m.isOpen(aapl, utc('2026-03-06T14:29:00'), true), false);
    assert.equal(m.isOpen(aapl, utc('2026-03-06T14:30:00'), true), true);
    assert.equal(m.isOpen(aapl, utc('2026-03-09T13:29:00'), true), false);
    assert.equal(m.isOpen(aapl, utc('2026-03-09T13:30:00'), true), true);
    const monday = m.bars(aapl, {
      endTime: utc('2026-03-09T23:59:00') / 1000,
      durationSeconds: 86_400,
      barSizeSeconds: 60,
      whatToShow: 'TRADES',
      useRTH: true,
    });
    assert.equal(new Date(monday[0].time * 1000).toISOString(), '2026-03-09T13:30:00.000Z');
    assert.equal(new Date(monday[monday.length - 1].time * 1000).toISOString(), '2026-03-09T19:59:00.000Z');
    assert.equal(monday.length, 390);
    // DST ended Sunday 2026-11-01: Friday's open is 13:30Z, Monday's 14:30Z; ES reopens Sunday 17:00 CST = 23:00Z
    assert.equal(m.isOpen(aapl, utc('2026-10-30T13:30:00'), true), true);
    assert.equal(m.isOpen(aapl, utc('2026-11-02T14:29:00'), true), false);
    assert.equal(m.isOpen(aapl, utc('2026-11-02T14:30:00'), true), true);
    assert.equal(m.isOpen(es, utc('2026-11-01T22:59:00'), false), false);
    assert.equal(m.isOpen(es, utc('2026-11-01T23:00:00'), false), true);
    // from Monday 26 Oct 16:00 CDT (21:00Z) to Monday 2 Nov 16:00 CST (22:00Z): five whole 23-hour sessions
    const hours = m.bars(es, {
      endTime: utc('2026-11-02T22:00:00') / 1000,
      durationSeconds: 7 * 86_400 + 3600,
      barSizeSeconds: 3600,
      whatToShow: 'TRADES',
      useRTH: false,
    });
    assert.ok(
      hours.every((b) => b.time % 3600 === 0),
      'hour bars on the hour across the change',
    );
    assert.equal(hours.length, 23 * 5);
    assert.equal(new Date(hours[0].time * 1000).toISOString(), '2026-10-26T22:00:00.000Z', '17:00 CDT');
    assert.equal(new Date(hours[hours.length - 23].time * 1000).toISOString(), '2026-11-01T23:00:00.000Z', '17:00 CST');
  });

  it('closes on weekends and US holidays, with no bars there', () => {
    for (const inst of [aapl, spx, es, cl, eur]) {
      assert.equal(m.isOpen(inst, utc('2026-11-28T17:00:00'), false), false, `${inst.localSymbol} Saturday`);
      const weekend = m.bars(inst, {
        endTime: utc('2026-11-29T20:00:00') / 1000,
        durationSeconds: 86_400,
        barSizeSeconds: 300,
        whatToShow: 'MIDPOINT',
        useRTH: false,
      });
      assert.deepEqual(weekend, [], `${inst.localSymbol} weekend bars`);
    }
    // Thanksgiving 2026-11-26
    assert.equal(m.isOpen(aapl, utc('2026-11-26T16:00:00'), false), false);
    assert.deepEqual(
      m.bars(aapl, { endTime: utc('2026-11-27T05:00:00') / 1000, durationSeconds: 86_400, barSizeSeconds: 60, whatToShow: 'TRADES', useRTH: false }),
      [],
    );
    assert.equal(m.isOpen(eur, utc('2026-11-26T16:00:00'), false), true, 'forex trades on US holidays');
  });

  it("opens CME futures Sunday 17:00 Chicago, with a break 16:00-17:00 and regular hours 08:30-16:00 (IB's liquidHours for ES)", () => {
    // 2026-11-29 Sunday 17:00 CST = 23:00Z
    assert.equal(m.isOpen(es, utc('2026-11-29T22:59:00'), false), false);
    assert.equal(m.isOpen(es, utc('2026-11-29T23:00:00'), false), true);
    assert.equal(m.isOpen(es, utc('2026-11-29T23:00:00'), true), false, 'evening is outside regular hours');
    assert.equal(m.isOpen(es, utc('2026-11-30T22:30:00'), false), false, 'daily break');
    assert.equal(m.isOpen(es, utc('2026-11-30T23:00:00'), false), true);
    assert.equal(m.isOpen(es, utc('2026-11-30T14:30:00'), true), true, '08:30 CST');
    assert.equal(m.isOpen(es, utc('2026-11-30T21:59:00'), true), true, '15:59 CST');
    assert.equal(m.isOpen(es, utc('2026-11-30T22:00:00'), true), false, '16:00 CST');
    assert.equal(m.isOpen(es, utc('2026-12-04T22:00:00'), false), false, 'Friday 16:00 CST');
    // summer: 17:00 CDT = 22:00Z
    assert.equal(m.isOpen(es, utc('2026-07-12T22:00:00'), false), true);
    assert.equal(m.isOpen(es, utc('2026-07-12T21:59:00'), false), false);
  });

  it('closes early the day after Thanksgiving', () => {
    // 2026-11-27: stocks 13:00 New York (18:00Z), extended until 17:00; ES 12:15 Chicago (18:15Z)
    assert.equal(m.isOpen(aapl, utc('2026-11-27T17:59:00'), true), true);
    assert.equal(m.isOpen(aapl, utc('2026-11-27T18:00:00'), true), false);
    assert.equal(m.isOpen(aapl, utc('2026-11-27T21:59:00'), false), true);
    assert.equal(m.isOpen(aapl, utc('2026-11-27T22:00:00'), false), false);
    assert.equal(m.isOpen(es, utc('2026-11-27T18:14:00'), false), true);
    assert.equal(m.isOpen(es, utc('2026-11-27T18:15:00'), false), false);
    assert.equal(m.isOpen(eur, utc('2026-11-27T20:00:00'), false), true, 'forex keeps its hours');
    const hours = liquidHours(aapl, utc('2026-11-27T12:00:00'), 1);
    assert.equal(hours, '20261127:0930-20261127:1300');
    const day = m.bars(aapl, { endTime: utc('2026-11-28T00:00:00') / 1000, durationSeconds: 86_400, barSizeSeconds: 60, whatToShow: 'TRADES', useRTH: true });
    assert.equal(day.length, 210, 'three and a half hours of minutes');
  });

  it('trades forex from Sunday 17:15 to Friday 17:00 New York', () => {
    assert.equal(m.isOpen(eur, utc('2026-11-29T22:14:00'), true), false);
    assert.equal(m.isOpen(eur, utc('2026-11-29T22:15:00'), true), true);
    assert.equal(m.isOpen(eur, utc('2026-12-02T03:00:00'), true), true, 'overnight');
    assert.equal(m.isOpen(eur, utc('2026-12-04T21:59:00'), true), true);
    assert.equal(m.isOpen(eur, utc('2026-12-04T22:00:00'), true), false);
  });

  it('writes trading and liquid hours that read back to the same sessions', () => {
    const from = utc('2026-11-20T12:00:00');
    for (const inst of [aapl, spx, es, cl, eur, shopTse]) {
      for (const rth of [false, true]) {
        const text = rth ? liquidHours(inst, from, 14) : tradingHours(inst, from, 14);
        // forex leaves a day with no trading empty (";;"), as TWS did for EUR.USD; the others write it CLOSED
        const fx = inst.secType === 'CASH';
        if (fx) assert.match(text, /^(\d{8}:\d{4}-\d{8}:\d{4})?(;(\d{8}:\d{4}-\d{8}:\d{4})?)*$/, text);
        else assert.match(text, /^(\d{8}:(CLOSED|\d{4}-\d{8}:\d{4}))(;\d{8}:(CLOSED|\d{4}-\d{8}:\d{4}))*$/, text);
        const entries = parseTradingHours(text, inst.timeZoneId);
        // each of the 14 days is CLOSED or touched by a session (a futures or forex Sunday by its evening); forex's Saturdays are empty
        const zone = ianaZone(inst.timeZoneId);
        const days = new Set<string>();
        for (const e of entries) {
          if (e.closed) days.add(e.date);
          else for (let t = e.start!; t < e.end!; t += 1800) days.add(localStamp(zone, t * 1000).date);
        }
        assert.equal([...days].filter((d) => d >= '20261120' && d <= '20261203').length, fx ? 12 : 14, `${inst.localSymbol} ${text}`);
        if (fx) {
          assert.equal(text.split(';').filter((e) => e === '').length, 2, `${inst.localSymbol}: its two Saturdays are empty entries`);
          assert.ok(!text.includes('CLOSED'), text);
        } else {
          assert.ok(
            entries.some((e) => e.closed),
            `${inst.localSymbol}: weekends are closed`,
          );
        }
        for (const e of entries) {
          if (e.closed) continue;
          const start = e.start! * 1000;
          const end = e.end! * 1000;
          assert.ok(end > start);
          assert.equal(m.isOpen(inst, start, rth), true, `${inst.localSymbol} ${e.date} start`);
          assert.equal(m.isOpen(inst, end - 1000, rth), true, `${inst.localSymbol} ${e.date} last second`);
          assert.equal(m.isOpen(inst, end, rth), false, `${inst.localSymbol} ${e.date} end`);
          assert.equal(m.isOpen(inst, start - 1000, rth), false, `${inst.localSymbol} ${e.date} before start`);
        }
      }
    }
    const stock = parseTradingHours(tradingHours(aapl, utc('2026-11-25T17:00:00'), 3), aapl.timeZoneId);
    assert.deepEqual(
      stock.map((e) => e.closed),
      [false, true, false],
      'Thanksgiving closed',
    );
    assert.equal(new Date(stock[0].start! * 1000).toISOString(), '2026-11-25T09:00:00.000Z');
    assert.throws(() => parseTradingHours('20261125:0930-x', 'US/Eastern'));
  });

  it('finds the last time a session was open, for weekend demos', () => {
    const saturday = utc('2026-11-28T15:00:00');
    for (const inst of [aapl, es, eur]) {
      const t = lastOpenAt(inst, saturday);
      assert.ok(t <= saturday);
      assert.equal(m.isOpen(inst, t, true), true, inst.localSymbol);
      for (let probe = t + 60_000; probe <= saturday; probe += 15 * 60_000) {
        assert.equal(m.isOpen(inst, probe, true), false, `${inst.localSymbol} open later at ${new Date(probe).toISOString()}`);
      }
    }
    const open = utc('2026-11-25T17:00:00');
    assert.equal(lastOpenAt(aapl, open), open, 'open now: now');
  });
});
