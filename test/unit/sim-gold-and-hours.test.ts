/**
 * COMEX gold (GC) in the simulator, and each futures product's own regular
 * hours: GC's catalogue entry (even months, the third-to-last business day,
 * US/Eastern, CME Globex's metals week 18:00-17:00 New York, liquid
 * 08:20-13:30), its prices on the 0.1 grid near 2,400-2,700 in late 2026;
 * CBOT's Treasuries liquid 07:20-14:00 Chicago and CFE's VIX futures
 * 08:30-15:00; ES's, NQ's and CL's hours strings byte for byte as they were
 * before the products got their own (values computed before the change).
 */
import { strict as assert } from 'node:assert';
import { fieldText } from '../../src/sim/codec';
import { createMarket, createUniverse, liquidHours, tradingHours, wirePrice, type Instrument } from '../../src/sim/market';
import { lastSessionEnd } from '../../src/sim/market/continuous';
import { previousMonth } from '../../src/sim/market/futures';
import { expiredMatch } from '../../src/sim/market/universe';

/** Tuesday 17 November 2026, 10:00 New York. */
const NOW = Date.parse('2026-11-17T15:00:00Z');
const universe = createUniverse({ now: NOW });
const market = createMarket({ seed: 42, universe });

const gold = (u = universe): Instrument[] => u.match({ symbol: 'GC', secType: 'FUT', exchange: 'COMEX' });
const one = (u: ReturnType<typeof createUniverse>, localSymbol: string): Instrument => {
  const [inst, ...more] = u.match({ secType: 'FUT', localSymbol });
  assert.ok(inst && more.length === 0, localSymbol);
  return inst;
};

/** Whole tenths: x * 10 is an integer up to binary noise, and the wire writes at most one decimal. */
function onTenths(x: number, what: string): void {
  assert.ok(Math.abs(x * 10 - Math.round(x * 10)) < 1e-6, `${what}: ${x} is not a multiple of 0.1`);
}

describe('simulated market: COMEX gold (GC)', () => {
  it('lists the next six even months with the fields IB gives a COMEX future', () => {
    const listed = gold();
    assert.deepEqual(
      listed.map((i) => `${i.localSymbol} ${i.contractMonth} ${i.lastTradeDateOrContractMonth}`),
      ['GCZ6 202612 20261229', 'GCG7 202702 20270224', 'GCJ7 202704 20270428', 'GCM7 202706 20270628', 'GCQ7 202708 20270827', 'GCV7 202710 20271027'],
    );
    for (const i of listed) {
      assert.equal(i.secType, 'FUT');
      assert.equal(i.exchange, 'COMEX');
      assert.equal(i.primaryExchange, 'COMEX');
      assert.equal(i.currency, 'USD');
      assert.equal(i.longName, 'Gold');
      assert.equal(i.multiplier, '100');
      assert.equal(i.minTick, 0.1);
      assert.equal(i.tradingClass, 'GC');
      assert.equal(i.timeZoneId, 'US/Eastern');
      assert.equal(i.lastTradeTime, '13:30', '12:30 Chicago');
      assert.equal(i.validExchanges, 'COMEX');
      assert.equal(i.quoteOnly, false);
    }
    assert.equal(new Set(universe.all().map((i) => i.conId)).size, universe.all().length, 'conIds unique');
    assert.deepEqual(universe.match({ symbol: 'GC', secType: 'FUT', exchange: 'COMEX', lastTradeDateOrContractMonth: '202612' }), [listed[0]]);
    assert.deepEqual(universe.match({ symbol: 'GC', secType: 'FUT', lastTradeDateOrContractMonth: '202701' }), [], 'no odd months');
    assert.deepEqual(universe.match({ symbol: 'GC', secType: 'FUT', multiplier: '100', lastTradeDateOrContractMonth: '20261229' }), [listed[0]]);
  });

  it('stops trading on the third-to-last business day of the contract month, at 13:30 New York', () => {
    // December 2026: Thursday 31 (last), Wednesday 30, Tuesday 29
    assert.equal(one(universe, 'GCZ6').lastTradeDateOrContractMonth, '20261229');
    assert.equal(lastSessionEnd(one(universe, 'GCZ6')), Date.parse('2026-12-29T18:30:00Z') / 1000);
    // the months that expired, each on its third-to-last business day
    const expired = (localSymbol: string): string | undefined => expiredMatch(universe, { localSymbol, exchange: 'COMEX' })[0]?.lastTradeDateOrContractMonth;
    assert.equal(expired('GCV6'), '20261028');
    assert.equal(expired('GCQ6'), '20260827');
    assert.equal(expired('GCM6'), '20260626');
    assert.equal(expired('GCJ6'), '20260428');
    assert.equal(expired('GCG6'), '20260225');
    assert.equal(expired('GCZ6'), undefined, 'listed, not expired');
    const all = expiredMatch(universe, { symbol: 'GC', secType: 'FUT' });
    assert.equal(all.length, 12, 'two years of even months');
    for (const i of all) {
      assert.equal(Number(i.contractMonth.slice(4)) % 2, 0, i.localSymbol);
      assert.ok(i.lastTradeDateOrContractMonth < '20261117' && i.lastTradeDateOrContractMonth >= '20241117', i.localSymbol);
    }
    // a month before its front: the previous even month
    assert.equal(previousMonth(one(universe, 'GCG7'))?.localSymbol, 'GCZ6');
    assert.equal(previousMonth(one(universe, 'GCZ6'))?.localSymbol, 'GCV6');
    // after GCZ6's last trade day, GCG7 is the front and a seventh month is listed
    const after = createUniverse({ now: Date.parse('2026-12-30T15:00:00Z') });
    assert.deepEqual(
      gold(after).map((i) => i.localSymbol),
      ['GCG7', 'GCJ7', 'GCM7', 'GCQ7', 'GCV7', 'GCZ7'],
    );
  });

  it('trades CME Globex metals hours in New York time: 18:00-17:00, liquid 08:20-13:30', () => {
    const gcz6 = one(universe, 'GCZ6');
    assert.equal(
      tradingHours(gcz6, NOW),
      '20261116:1800-20261117:1700;20261117:1800-20261118:1700;20261118:1800-20261119:1700;20261119:1800-20261120:1700;20261121:CLOSED;20261122:1800-20261123:1700',
    );
    assert.equal(
      liquidHours(gcz6, NOW),
      '20261117:0820-20261117:1330;20261118:0820-20261118:1330;20261119:0820-20261119:1330;20261120:0820-20261120:1330;20261121:CLOSED;20261122:CLOSED',
    );
    // Thanksgiving closed, Friday to 13:45; the expiring month stops at 13:30 on its last day
    const thanksgiving = Date.parse('2026-11-26T16:00:00Z');
    assert.equal(
      tradingHours(gcz6, thanksgiving),
      '20261126:1800-20261127:1345;20261128:CLOSED;20261129:1800-20261130:1700;20261130:1800-20261201:1700;20261201:1800-20261202:1700',
    );
    assert.match(tradingHours(gcz6, Date.parse('2026-12-28T15:00:00Z')), /;20261228:1800-20261229:1330;20261230:CLOSED;/);
    const at = (iso: string, rth: boolean): boolean => market.isOpen(gcz6, Date.parse(iso), rth);
    assert.equal(at('2026-11-17T22:30:00Z', false), false, '17:30 New York: the daily break');
    assert.equal(at('2026-11-17T23:30:00Z', false), true, '18:30 New York');
    assert.equal(at('2026-11-17T13:15:00Z', true), false, '08:15 New York');
    assert.equal(at('2026-11-17T13:25:00Z', true), true, '08:25 New York');
    assert.equal(at('2026-11-17T18:35:00Z', true), false, '13:35 New York');
    assert.equal(at('2026-11-22T22:30:00Z', false), false, 'Sunday 17:30 New York');
    assert.equal(at('2026-11-22T23:30:00Z', false), true, 'Sunday 18:30 New York');
  });

  it('prices gold on the 0.1 grid, near 2,400-2,700 in late 2026, volume in contracts', () => {
    const gcz6 = one(universe, 'GCZ6');
    for (const iso of ['2026-11-02T15:00:00Z', '2026-11-17T15:00:00Z', '2026-11-22T23:30:00Z', '2026-12-14T15:00:00Z']) {
      const last = createMarket({ seed: 42, universe: createUniverse({ now: Date.parse(iso) }) }).tickAt(gcz6, Date.parse(iso)).last;
      assert.ok(last > 2400 && last < 2700, `${iso}: ${last}`);
    }
    for (const inst of gold()) {
      for (let t = NOW - 3 * 3_600_000; t <= NOW; t += 97_000) {
        const q = market.tickAt(inst, t);
        for (const v of [q.bid, q.ask, q.last]) onTenths(v, `${inst.localSymbol} quote`);
        assert.ok(q.ask > q.bid, `${inst.localSymbol} book`);
        assert.ok(Number.isInteger(q.volume) && Number.isInteger(q.lastSize), 'contracts');
        const s = market.sessionStats(inst, t);
        for (const v of [s.open, s.high, s.low, s.prevClose]) onTenths(v, `${inst.localSymbol} session`);
      }
    }
    for (const [duration, size] of [
      [86_400, 60],
      [86_400 * 5, 3600],
      [86_400 * 120, 86_400],
    ]) {
      const bars = market.bars(gcz6, { endTime: NOW / 1000, durationSeconds: duration, barSizeSeconds: size, whatToShow: 'TRADES', useRTH: false });
      assert.ok(bars.length > 0, `${size}s bars`);
      for (const b of bars) {
        for (const v of [b.open, b.high, b.low, b.close]) onTenths(v, `${size}s bar`);
        assert.ok(Number.isInteger(b.volume) && b.volume >= 0, 'volume in contracts');
      }
    }
    assert.equal(fieldText(wirePrice(2612.3, 0.1)), '2612.3');
    assert.equal(fieldText(wirePrice(2612.30000001, 0.1)), '2612.3');
  });

  it('is found by the symbol search, as CL is, and by its name', () => {
    const found = universe.search('GC');
    assert.deepEqual(
      found.slice(0, 6).map((i) => `${i.localSymbol} ${i.secType} ${i.primaryExchange}`),
      ['GCZ6 FUT COMEX', 'GCG7 FUT COMEX', 'GCJ7 FUT COMEX', 'GCM7 FUT COMEX', 'GCQ7 FUT COMEX', 'GCV7 FUT COMEX'],
    );
    assert.equal(universe.search('CL')[0].secType, 'FUT');
    assert.ok(universe.search('GOLD').some((i) => i.symbol === 'GC'));
  });
});

describe('simulated market: each futures product its own regular hours', () => {
  it("gives CBOT's Treasuries 07:20-14:00 Chicago and CFE's VIX futures 08:30-15:00, in the Globex week", () => {
    const week =
      '20261116:1700-20261117:1600;20261117:1700-20261118:1600;20261118:1700-20261119:1600;20261119:1700-20261120:1600;20261121:CLOSED;20261122:1700-20261123:1600';
    for (const localSymbol of ['ZNZ6', 'ZBH7', 'ZFZ6']) {
      const inst = one(universe, localSymbol);
      assert.equal(inst.timeZoneId, 'US/Central');
      assert.equal(tradingHours(inst, NOW), week, localSymbol);
      assert.equal(
        liquidHours(inst, NOW),
        '20261117:0720-20261117:1400;20261118:0720-20261118:1400;20261119:0720-20261119:1400;20261120:0720-20261120:1400;20261121:CLOSED;20261122:CLOSED',
        localSymbol,
      );
    }
    const vxz6 = one(universe, 'VXZ6');
    assert.equal(vxz6.timeZoneId, 'US/Central');
    assert.equal(tradingHours(vxz6, NOW), week);
    assert.equal(
      liquidHours(vxz6, NOW),
      '20261117:0830-20261117:1500;20261118:0830-20261118:1500;20261119:0830-20261119:1500;20261120:0830-20261120:1500;20261121:CLOSED;20261122:CLOSED',
    );
    // the expiring VX month stops at 08:00 on its settlement day, before its regular hours
    assert.equal(
      liquidHours(one(universe, 'VXX6'), NOW),
      '20261117:0830-20261117:1500;20261118:CLOSED;20261119:CLOSED;20261120:CLOSED;20261121:CLOSED;20261122:CLOSED',
    );
    const zn = one(universe, 'ZNZ6');
    assert.equal(market.isOpen(zn, Date.parse('2026-11-17T13:25:00Z'), true), true, '07:25 Chicago');
    assert.equal(market.isOpen(zn, Date.parse('2026-11-17T20:05:00Z'), true), false, '14:05 Chicago');
    assert.equal(market.isOpen(vxz6, Date.parse('2026-11-17T21:05:00Z'), true), false, '15:05 Chicago');
    assert.equal(market.isOpen(vxz6, Date.parse('2026-11-17T21:05:00Z'), false), true, 'still trading');
  });

  it("keeps ES's, NQ's and CL's hours strings byte for byte (computed before the products got their own)", () => {
    const before: Array<[string, string, string, string]> = [
      [
        '2026-11-17T15:00:00Z',
        'ESZ6',
        '20261116:1700-20261117:1600;20261117:1700-20261118:1600;20261118:1700-20261119:1600;20261119:1700-20261120:1600;20261121:CLOSED;20261122:1700-20261123:1600',
        '20261117:0830-20261117:1600;20261118:0830-20261118:1600;20261119:0830-20261119:1600;20261120:0830-20261120:1600;20261121:CLOSED;20261122:CLOSED',
      ],
      [
        '2026-11-17T15:00:00Z',
        'CLF7',
        '20261116:1700-20261117:1600;20261117:1700-20261118:1600;20261118:1700-20261119:1600;20261119:1700-20261120:1600;20261121:CLOSED;20261122:1700-20261123:1600',
        '20261117:0800-20261117:1330;20261118:0800-20261118:1330;20261119:0800-20261119:1330;20261120:0800-20261120:1330;20261121:CLOSED;20261122:CLOSED',
      ],
      [
        '2026-11-26T16:00:00Z',
        'ESH7',
        '20261125:1700-20261126:1200;20261126:1700-20261127:1215;20261128:CLOSED;20261129:1700-20261130:1600;20261130:1700-20261201:1600;20261201:1700-20261202:1600',
        '20261125:1700-20261126:1200;20261127:0830-20261127:1215;20261128:CLOSED;20261129:CLOSED;20261130:0830-20261130:1600;20261201:0830-20261201:1600',
      ],
      [
        '2026-11-26T16:00:00Z',
        'NQZ6',
        '20261125:1700-20261126:1200;20261126:1700-20261127:1215;20261128:CLOSED;20261129:1700-20261130:1600;20261130:1700-20261201:1600;20261201:1700-20261202:1600',
        '20261125:1700-20261126:1200;20261127:0830-20261127:1215;20261128:CLOSED;20261129:CLOSED;20261130:0830-20261130:1600;20261201:0830-20261201:1600',
      ],
      [
        '2026-11-26T16:00:00Z',
        'CLF7',
        '20261126:1700-20261127:1245;20261128:CLOSED;20261129:1700-20261130:1600;20261130:1700-20261201:1600;20261201:1700-20261202:1600',
        '20261126:CLOSED;20261127:0800-20261127:1245;20261128:CLOSED;20261129:CLOSED;20261130:0800-20261130:1330;20261201:0800-20261201:1330',
      ],
      [
        '2026-12-14T15:00:00Z',
        'ESZ6',
        '20261213:1700-20261214:1600;20261214:1700-20261215:1600;20261215:1700-20261216:1600;20261216:1700-20261217:1600;20261217:1700-20261218:0830;20261219:CLOSED',
        '20261214:0830-20261214:1600;20261215:0830-20261215:1600;20261216:0830-20261216:1600;20261217:0830-20261217:1600;20261218:CLOSED;20261219:CLOSED',
      ],
      [
        '2026-12-14T15:00:00Z',
        'CLG7',
        '20261213:1700-20261214:1600;20261214:1700-20261215:1600;20261215:1700-20261216:1600;20261216:1700-20261217:1600;20261217:1700-20261218:1600;20261219:CLOSED',
        '20261214:0800-20261214:1330;20261215:0800-20261215:1330;20261216:0800-20261216:1330;20261217:0800-20261217:1330;20261218:0800-20261218:1330;20261219:CLOSED',
      ],
    ];
    for (const [iso, localSymbol, trading, liquid] of before) {
      const now = Date.parse(iso);
      const inst = one(createUniverse({ now }), localSymbol);
      assert.equal(tradingHours(inst, now), trading, `${iso} ${localSymbol} tradingHours`);
      assert.equal(liquidHours(inst, now), liquid, `${iso} ${localSymbol} liquidHours`);
    }
  });
});
