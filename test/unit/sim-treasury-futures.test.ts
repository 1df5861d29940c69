/**
 * CBOT's US Treasury futures in the simulator: ZN (1/64), ZB (1/32) and ZF
 * (1/128), quarterly, CBOT, $1000 a point; ZN's and ZB's last trade day is
 * the seventh business day before the month's last business day, ZF's the
 * last business day itself; every price the model makes and the wire writes
 * lies on the tick grid, written whole (110.515625, not 110.516).
 */
import { strict as assert } from 'node:assert';
import { fieldText } from '../../src/sim/codec';
import { quoteMessages } from '../../src/sim/handlers/market-data';
import { realTimeBarFields } from '../../src/sim/handlers/real-time-bars';
import { tickByTickFields } from '../../src/sim/handlers/tick-by-tick';
import { createMarket, createUniverse, liquidHours, tradingHours, wirePrice, type Instrument } from '../../src/sim/market';
import { isUsHoliday } from '../../src/sim/market/holidays';
import { dayFromYmd } from '../../src/sim/market/timezone';
import { expiredMatch } from '../../src/sim/market/universe';

/** Tuesday 17 November 2026, 10:00 New York. */
const NOW = Date.parse('2026-11-17T15:00:00Z');
const universe = createUniverse({ now: NOW });
const market = createMarket({ seed: 42, universe });
const LIVE = { bid: 1, ask: 2, last: 4, bidSize: 0, askSize: 3, lastSize: 5, high: 6, low: 7, volume: 8, close: 9, open: 14, lastTimestamp: 45 };

const months = (symbol: string): Instrument[] => universe.match({ symbol, secType: 'FUT', exchange: 'CBOT' });
const expiries = (symbol: string): string[] => months(symbol).map((i) => `${i.localSymbol} ${i.lastTradeDateOrContractMonth}`);
const front = (symbol: string): Instrument => months(symbol)[0];

/** `x` is a whole number of ticks: x / tick is an integer (exact for these binary fractions). */
function onGrid(x: number, tick: number, what: string): void {
  assert.ok(Number.isInteger(x / tick), `${what}: ${x} is not a multiple of ${tick}`);
}

describe('simulated market: US Treasury futures (ZN, ZB, ZF on CBOT)', () => {
  it('lists three quarterly months of each, with the contract fields IB gives a CBOT future', () => {
    const expected = {
      ZN: { name: '10-Year T-Note', minTick: 0.015625 },
      ZB: { name: 'U.S. Treasury Bond', minTick: 0.03125 },
      ZF: { name: '5-Year T-Note', minTick: 0.0078125 },
    };
    for (const [symbol, e] of Object.entries(expected)) {
      const listed = months(symbol);
      assert.deepEqual(
        listed.map((i) => `${i.localSymbol} ${i.contractMonth}`),
        [`${symbol}Z6 202612`, `${symbol}H7 202703`, `${symbol}M7 202706`],
      );
      for (const i of listed) {
        assert.equal(i.secType, 'FUT');
        assert.equal(i.exchange, 'CBOT');
        assert.equal(i.currency, 'USD');
        assert.equal(i.multiplier, '1000');
        assert.equal(i.minTick, e.minTick);
        assert.equal(i.longName, e.name);
        assert.equal(i.tradingClass, symbol);
        assert.equal(i.timeZoneId, 'US/Central');
        assert.equal(i.lastTradeTime, '12:01', 'CME: an expiring month stops at 12:01 Chicago');
        assert.equal(i.quoteOnly, false);
      }
    }
    // ECBOT is IB's older name for the exchange; the conIds are unique in the universe
    assert.equal(universe.match({ symbol: 'ZN', secType: 'FUT', exchange: 'ECBOT', lastTradeDateOrContractMonth: '202612' }).length, 1);
    assert.equal(new Set(universe.all().map((i) => i.conId)).size, universe.all().length);
  });

  it("trades CME Globex's week, as ES, with its own liquid hours: 07:20-14:00 Chicago", () => {
    const es = universe.match({ symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '202703' })[0];
    for (const symbol of ['ZN', 'ZB', 'ZF']) {
      const h7 = months(symbol)[1];
      assert.equal(tradingHours(h7, NOW), tradingHours(es, NOW), symbol);
      assert.equal(
        liquidHours(h7, NOW),
        '20261117:0720-20261117:1400;20261118:0720-20261118:1400;20261119:0720-20261119:1400;20261120:0720-20261120:1400;20261121:CLOSED;20261122:CLOSED',
        symbol,
      );
    }
    assert.ok(market.isOpen(front('ZN'), NOW, true));
    assert.ok(!market.isOpen(front('ZN'), Date.parse('2026-11-21T17:00:00Z'), false), 'closed on Saturday');
  });

  it('stops ZN and ZB on the 7th business day before the last business day of the month, ZF on the last business day', () => {
    // December 2026: Thursday the 31st is the last business day (New Year's Day is Friday 1 January); Christmas is Friday the 25th
    assert.ok(!isUsHoliday(dayFromYmd(2026, 12, 31)) && isUsHoliday(dayFromYmd(2026, 12, 25)));
    // 30, 29, 28, (25 holiday, 26-27 weekend) 24, 23, 22, 21: Monday 21 December
    assert.deepEqual(expiries('ZN'), ['ZNZ6 20261221', 'ZNH7 20270319', 'ZNM7 20270621']);
    assert.deepEqual(expiries('ZB'), ['ZBZ6 20261221', 'ZBH7 20270319', 'ZBM7 20270621']);
    assert.deepEqual(expiries('ZF'), ['ZFZ6 20261231', 'ZFH7 20270331', 'ZFM7 20270630']);
    // ZNH7: Wednesday 31 March 2027 back over Good Friday (26 March): Friday 19 March
    assert.ok(isUsHoliday(dayFromYmd(2027, 3, 26)));
    // the months that expired: March 2026 (last business day Tuesday 31st), June 2026 (over Juneteenth, Friday 19 June)
    const expired = (localSymbol: string): string | undefined => expiredMatch(universe, { localSymbol, exchange: 'CBOT' })[0]?.lastTradeDateOrContractMonth;
    assert.equal(expired('ZNH6'), '20260320');
    assert.equal(expired('ZNM6'), '20260618');
    assert.equal(expired('ZBU6'), '20260921');
    assert.equal(expired('ZFU6'), '20260930');
    // listed months are not expired ones, and a month rolls off the list after its last trade day
    assert.equal(expiredMatch(universe, { localSymbol: 'ZNZ6', exchange: 'CBOT' }).length, 0);
    const after = createUniverse({ now: Date.parse('2026-12-22T15:00:00Z') });
    assert.deepEqual(
      after.match({ symbol: 'ZN', secType: 'FUT' }).map((i) => i.localSymbol),
      ['ZNH7', 'ZNM7', 'ZNU7'],
    );
    assert.equal(after.match({ symbol: 'ZF', secType: 'FUT' })[0].localSymbol, 'ZFZ6', 'ZF trades to the 31st');
  });

  it('finds them by symbol and by name, as it finds ES', () => {
    const found = universe.search('ZN');
    assert.ok(found.length >= 3);
    assert.deepEqual(
      found.slice(0, 3).map((i) => `${i.localSymbol} ${i.secType}`),
      ['ZNZ6 FUT', 'ZNH7 FUT', 'ZNM7 FUT'],
    );
    assert.ok(universe.search('T-NOTE').some((i) => i.symbol === 'ZF'));
    assert.ok(universe.search('TREASURY').some((i) => i.symbol === 'ZB'));
  });

  it('puts every tick, session figure and bar price on the tick grid, near its base level', () => {
    for (const symbol of ['ZN', 'ZB', 'ZF']) {
      for (const inst of months(symbol)) {
        const tick = inst.minTick;
        for (let t = NOW - 3 * 3_600_000; t <= NOW; t += 97_000) {
          const q = market.tickAt(inst, t);
          for (const [k, v] of [
            ['bid', q.bid],
            ['ask', q.ask],
            ['last', q.last],
          ] as const)
            onGrid(v, tick, `${inst.localSymbol} ${k}`);
          assert.ok(q.ask > q.bid, `${inst.localSymbol} book`);
          assert.ok(Number.isInteger(q.volume) && Number.isInteger(q.lastSize), 'contracts');
          const s = market.sessionStats(inst, t);
          for (const [k, v] of Object.entries(s)) if (k !== 'volume') onGrid(v, tick, `${inst.localSymbol} ${k}`);
        }
        assert.ok(Math.abs(Math.log(market.tickAt(inst, NOW).last / inst.basePrice)) < 0.25, `${inst.localSymbol} near its base`);
        const windows: Array<[number, number, string[]]> = [
          [7200, 5, ['TRADES']],
          [86_400, 60, ['TRADES', 'MIDPOINT', 'BID', 'ASK']],
          [86_400 * 5, 3600, ['TRADES']],
          [86_400 * 120, 86_400, ['TRADES']],
        ];
        for (const [duration, size, kinds] of windows) {
          for (const whatToShow of kinds) {
            const bars = market.bars(inst, { endTime: NOW / 1000, durationSeconds: duration, barSizeSeconds: size, whatToShow, useRTH: false });
            assert.ok(bars.length > 0, `${inst.localSymbol} ${size}`);
            for (const b of bars) for (const v of [b.open, b.high, b.low, b.close]) onGrid(v, tick, `${inst.localSymbol} ${whatToShow} ${size}s bar`);
          }
        }
      }
    }
  });

  it('writes a price on a 1/64 or 1/128 grid with every digit, and other instruments as before', () => {
    assert.equal(wirePrice(110.515625, 0.015625), 110.515625);
    assert.equal(wirePrice(108.0078125, 0.0078125), 108.0078125);
    assert.equal(wirePrice(117.46875, 0.03125), 117.46875);
    assert.equal(fieldText(wirePrice(110.515625, 0.015625)), '110.515625');
    // unchanged: a decimal tick keeps its one extra digit, off-grid noise is cut as before
    assert.equal(wirePrice(232.51, 0.01), 232.51);
    assert.equal(wirePrice(232.5100000001, 0.01), 232.51);
    assert.equal(wirePrice(1.15685, 0.00005), 1.15685);
    assert.equal(wirePrice(6672.25, 0.25), 6672.25);
    assert.equal(wirePrice(59.8, 0.01), 59.8);
  });

  it('sends quotes, real-time bars and tick-by-tick prices on the grid, as the model has them', () => {
    for (const symbol of ['ZN', 'ZB', 'ZF']) {
      const inst = front(symbol);
      let sixtyFourths = 0;
      for (let t = NOW; t < NOW + 600_000; t += 7_000) {
        const q = market.tickAt(inst, t);
        const stats = market.sessionStats(inst, t);
        const msgs = quoteMessages(1, inst, q, stats, LIVE, undefined, undefined, 193);
        const prices = msgs.filter((m) => m[0] === 1);
        assert.equal(prices.length, 7, 'bid, ask, last, high, low, close, open');
        for (const m of prices) {
          const text = fieldText(m[4]);
          onGrid(Number(text), inst.minTick, `${inst.localSymbol} tick ${String(m[3])}`);
          if (/\.\d{4,}$/.test(text)) sixtyFourths++;
        }
        assert.equal(prices.find((m) => m[3] === 1)![4], q.bid);
        assert.equal(prices.find((m) => m[3] === 4)![4], q.last);
        const bidAsk = tickByTickFields(1, 3, inst, q, undefined)!;
        onGrid(Number(bidAsk[4]), inst.minTick, 'tick-by-tick bid');
        onGrid(Number(bidAsk[5]), inst.minTick, 'tick-by-tick ask');
        onGrid(Number(tickByTickFields(1, 1, inst, q, undefined)![4]), inst.minTick, 'tick-by-tick last');
      }
      assert.ok(sixtyFourths > 0, `${symbol}: some prices need four or more decimals`);
      const bars = market.bars(inst, { endTime: NOW / 1000, durationSeconds: 600, barSizeSeconds: 5, whatToShow: 'TRADES', useRTH: false });
      for (const b of bars) {
        const fields = realTimeBarFields(1, inst, b, 193);
        assert.deepEqual(fields.slice(4, 8), [b.open, b.high, b.low, b.close]);
        for (const v of fields.slice(4, 8)) onGrid(Number(v), inst.minTick, 'real-time bar');
        assert.equal(fields[8], b.volume, 'volume in contracts');
      }
    }
  });
});
