// The simulated market's volume and book as a trader reads them: the front
// futures month trades nearly everything until the roll, when the next month
// takes over; a half day trades about half a day's volume, a holiday's short
// futures session less; a liquid book is one tick wide most of the time; the
// NYSE's unscheduled closures are closed.
import assert from 'node:assert/strict';
import { barDate, createMarket, createUniverse } from '../../src/sim/market';
import type { BarQuery, Instrument } from '../../src/sim/market';

const utc = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const NOW = Date.parse('2026-11-25T17:00:00Z');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function days(endIso: string, count: number, useRTH: boolean): BarQuery {
  return { endTime: utc(endIso), durationSeconds: count * 86_400, barSizeSeconds: 86_400, whatToShow: 'TRADES', useRTH };
}

describe('simulated market: volume, book and closures', () => {
  const u = createUniverse({ now: NOW });
  const market = createMarket({ seed: 42, universe: u });
  const es = u.match({ symbol: 'ES', secType: 'FUT' }).sort((a, b) => a.lastTradeDateOrContractMonth.localeCompare(b.lastTradeDateOrContractMonth));
  const [front, next, far] = es;
  const aapl = u.match({ conId: 265598 })[0];
  const spx = u.match({ symbol: 'SPX', secType: 'IND' })[0];

  /** Day bars by their date ("YYYYMMDD"). */
  const byDate = (inst: Instrument, q: BarQuery): Map<string, number> => new Map(market.bars(inst, q).map((b) => [barDate(inst, b.time), b.volume]));

  it('ES: the front month trades the volume until the roll, then the next month does', () => {
    assert.deepEqual(
      es.map((c) => c.localSymbol),
      ['ESZ6', 'ESH7', 'ESM7'],
    );
    const mid = (c: Instrument) => byDate(c, days('2026-11-25T00:00:00', 3, false)).get('20261124')!;
    assert.ok(mid(front) > 20 * mid(next), `ESZ6 ${mid(front)} against ESH7 ${mid(next)} three weeks before expiry`);
    assert.ok(mid(next) > 5 * mid(far), `ESH7 ${mid(next)} against ESM7 ${mid(far)}`);
    // two days before ESZ6 expires most of the volume has moved to ESH7
    const late = (c: Instrument) => byDate(c, days('2026-12-17T00:00:00', 3, false)).get('20261216')!;
    assert.ok(late(next) > 2 * late(front), `in the roll: ESH7 ${late(next)} against ESZ6 ${late(front)}`);
    // the day's volume varies (dayActivity): the roll's three days together against a usual day's, the median of three weeks
    const roll = ['20261214', '20261215', '20261216'];
    const window = (c: Instrument) => byDate(c, days('2026-12-17T00:00:00', 5, false));
    const [f, n, x] = [window(front), window(next), window(far)];
    const total = roll.reduce((sum, d) => sum + f.get(d)! + n.get(d)! + x.get(d)!, 0) / roll.length;
    const usual = median([...byDate(front, days('2026-11-25T00:00:00', 24, false)).values()]);
    assert.ok(
      total > 0.7 * usual && total < 1.5 * usual,
      `the months together trade about a usual front-month day in the roll: ${Math.round(total)} against ${usual}`,
    );
  });

  it('ES: a far month quotes a thinner, wider book than the front month', () => {
    let frontSize = 0;
    let farSize = 0;
    let farWide = 0;
    for (let i = 0; i < 400; i++) {
      const t = Date.parse('2026-11-24T15:00:00Z') + i * 1_700;
      const f = market.tickAt(front, t);
      const x = market.tickAt(far, t);
      frontSize += f.bidSize + f.askSize;
      farSize += x.bidSize + x.askSize;
      if (Math.round((x.ask - x.bid) / 0.25) > 1) farWide++;
    }
    assert.ok(farSize * 5 < frontSize, `book depth: ESM7 ${farSize / 800} against ESZ6 ${frontSize / 800} contracts a side`);
    assert.ok(farWide > 200, `ESM7 wider than a tick in ${farWide} of 400 quotes`);
  });

  it('a liquid book is one tick wide most of the time (AAPL, the ES front month)', () => {
    for (const [inst, tick] of [
      [aapl, 0.01],
      [front, 0.25],
    ] as const) {
      let one = 0;
      for (let i = 0; i < 400; i++) {
        const q = market.tickAt(inst, Date.parse('2026-11-24T15:00:00Z') + i * 1_300);
        if (Math.round((q.ask - q.bid) / tick) === 1) one++;
      }
      assert.ok(one > 0.7 * 400 && one < 400, `${inst.localSymbol}: one tick wide in ${one} of 400 quotes`);
    }
  });

  it("a half day trades about half a day's volume; a holiday's short futures session less", () => {
    // against the median of the weeks around it (a single day's volume varies by a third)
    const stock = byDate(aapl, days('2026-12-12T00:00:00', 35, true));
    const usual = median([...stock].filter(([d]) => d !== '20261127').map(([, v]) => v));
    const half = stock.get('20261127')! / usual;
    assert.ok(half > 0.35 && half < 0.75, `AAPL on the day after Thanksgiving: ${half.toFixed(2)} of a usual day's volume`);
    const fut = byDate(front, days('2026-12-09T00:00:00', 35, false));
    const holiday = fut.get('20261126')! / median([...fut].filter(([d]) => d !== '20261126' && d !== '20261127').map(([, v]) => v));
    assert.ok(holiday < 0.5 && holiday < half, `ESZ6 on Thanksgiving: ${holiday.toFixed(2)} of a usual day's volume`);
  });

  it("daily volume varies as a real stock's does, most on the days that move most", () => {
    const bars = market.bars(aapl, days('2026-11-25T00:00:00', 365, true)).filter((b) => !['20261127', '20260703', '20251226'].includes(barDate(aapl, b.time)));
    assert.ok(bars.length > 240, `${bars.length} days`);
    const logs = bars.map((b) => Math.log(b.volume));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length);
    // a large cap's log daily volume has a standard deviation of about 0.3 (a steady 52M to 56M is about 0.02)
    assert.ok(sd > 0.15 && sd < 0.5, `log daily volume varies by ${sd.toFixed(3)}`);
    const moves = bars.slice(1).map((b, i) => ({ move: Math.abs(Math.log(b.close / bars[i].close)), volume: b.volume }));
    const byMove = [...moves].sort((a, b) => b.move - a.move);
    const big = median(byMove.slice(0, 25).map((m) => m.volume));
    const calm = median(byMove.slice(-100).map((m) => m.volume));
    assert.ok(big > 1.3 * calm, `the 25 biggest moves' median volume ${big} against the 100 calmest days' ${calm}`);
    const averageVolume = aapl.averageVolume;
    const all = median(bars.map((b) => b.volume));
    assert.ok(all > 0.8 * averageVolume && all < 1.25 * averageVolume, `median day ${all} against the average volume ${averageVolume}`);
  });

  it("a last size is one print (IB's LAST_SIZE), not the second's volume: odd lots and round lots for a stock, a few contracts for ES", () => {
    const sizes = (inst: Instrument) => {
      const out: number[] = [];
      let volume = 0;
      for (let i = 0; i < 600; i++) {
        const t = market.tickAt(inst, Date.parse('2026-11-24T15:00:00Z') + i * 1000);
        assert.ok(t.volume >= volume, 'the day volume only grows');
        volume = t.volume;
        out.push(t.lastSize);
      }
      return out;
    };
    const stock = sizes(aapl);
    // a second of AAPL trades thousands of shares; one print is mostly an odd lot or a round lot
    assert.ok(median(stock) <= 100, `AAPL's median print ${median(stock)} shares`);
    assert.ok(stock.filter((x) => x < 100).length > 100, `odd lots: ${stock.filter((x) => x < 100).length} of 600`);
    assert.ok(
      stock.some((x) => x >= 500),
      'a block now and then',
    );
    const fut = sizes(front);
    assert.ok(median(fut) <= 3, `ESZ6's median print ${median(fut)} contracts`);
  });

  it('BID_ASK bars as IB describes them: open the average bid, close the average ask, low the lowest bid, high the highest ask', () => {
    const q: BarQuery = { endTime: utc('2026-11-25T21:00:00'), durationSeconds: 3 * 86_400, barSizeSeconds: 300, whatToShow: 'BID_ASK', useRTH: true };
    for (const inst of [aapl, front]) {
      const bars = market.bars(inst, q);
      assert.ok(bars.length > 200, `${bars.length} bars`);
      for (const b of bars) {
        const at = `${inst.localSymbol} ${new Date(b.time * 1000).toISOString()}: ${JSON.stringify(b)}`;
        assert.ok(b.open < b.close, `the average bid under the average ask, ${at}`);
        assert.ok(b.low < b.open && b.close < b.high, `the lowest bid and the highest ask outside the averages, ${at}`);
        assert.equal(b.volume, -1, 'no volume');
      }
    }
  });

  it("IDEALPRO has no forex session on Christmas Day and New Year's Day", () => {
    const eur = u.match({ symbol: 'EUR', secType: 'CASH', currency: 'USD' })[0];
    const dates = [...byDate(eur, days('2027-01-06T00:00:00', 20, false)).keys()];
    assert.ok(dates.includes('20261224') && dates.includes('20261228') && dates.includes('20261231') && dates.includes('20270104'), dates.join(', '));
    assert.ok(!dates.includes('20261225') && !dates.includes('20270101'), dates.join(', '));
  });

  it('the NYSE closed for national days of mourning: 5 December 2018 and 9 January 2025 (CME traded)', () => {
    const futures = createUniverse({ now: Date.parse('2024-12-20T17:00:00Z') })
      .match({ symbol: 'ES', secType: 'FUT' })
      .find((c) => c.localSymbol === 'ESH5')!;
    assert.ok(byDate(futures, days('2025-01-11T00:00:00', 6, false)).has('20250109'), 'ES traded on 9 January 2025');
    for (const [day, end] of [
      ['20181205', '2018-12-08T00:00:00'],
      ['20250109', '2025-01-11T00:00:00'],
    ]) {
      for (const inst of [aapl, spx]) {
        const dates = [...byDate(inst, days(end, 6, true)).keys()];
        assert.ok(dates.length >= 3, `${inst.symbol}: the other days of the week (${dates.join(', ')})`);
        assert.ok(!dates.includes(day), `${inst.symbol} has no bar on ${day}: ${dates.join(', ')}`);
      }
    }
  });
});
