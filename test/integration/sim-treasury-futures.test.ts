/**
 * The simulator's US Treasury futures through @stoqey/ib over TCP: contract
 * details of ZN (minTick 1/64) and ZF (1/128) on CBOT, the symbol search, and
 * quotes, historical bars, real-time bars and tick-by-tick prices that are
 * whole multiples of the tick as the client decodes them (x * 64 an integer
 * for ZN, x * 128 for ZF). The simulator's clock stands at Tuesday 17 November
 * 2026, 09:00 Chicago, and runs 40 times as fast on a fake clock the test
 * advances: no wall clock, no sleeps.
 */
import { strict as assert } from 'node:assert';
import { BarSizeSetting, EventName, SecType, TickByTickDataType, WhatToShow, type Contract } from '@stoqey/ib';
import { connectApi, startSim, type ApiClient, type StartedSim } from './support/sim';
import { details } from './support/api-requests';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';

const ZN: Contract = { symbol: 'ZN', secType: SecType.FUT, exchange: 'CBOT', currency: 'USD', lastTradeDateOrContractMonth: '202612' };
const ZF: Contract = { symbol: 'ZF', secType: SecType.FUT, exchange: 'CBOT', currency: 'USD', lastTradeDateOrContractMonth: '202612' };

/** Whole ticks: x * perPoint is an integer (64 for ZN, 128 for ZF). */
function assertOnGrid(values: number[], perPoint: number, what: string): void {
  assert.ok(values.length > 0, `${what}: no prices`);
  for (const v of values) assert.ok(Number.isInteger(v * perPoint), `${what}: ${v} is not a multiple of 1/${perPoint}`);
}

/** The OHLC prices of one reqHistoricalData (TRADES, all hours), and the volumes. */
function bars(c: ApiClient, reqId: number, contract: Contract, duration: string, size: BarSizeSetting): Promise<{ prices: number[]; volumes: number[] }> {
  return new Promise((resolve, reject) => {
    const prices: number[] = [];
    const volumes: number[] = [];
    const onBar = (id: number, date: string, open: number, high: number, low: number, close: number, volume: number) => {
      if (id !== reqId) return;
      if (!date.startsWith('finished')) {
        prices.push(open, high, low, close);
        volumes.push(volume);
        return;
      }
      stop();
      resolve({ prices, volumes });
    };
    const check = setInterval(() => {
      const e = c.errors.find((x) => x.reqId === reqId);
      if (!e) return;
      stop();
      reject(new Error(`${e.code} ${e.message}`));
    }, 10);
    const stop = () => {
      clearInterval(check);
      c.api.off(EventName.historicalData, onBar);
    };
    c.api.on(EventName.historicalData, onBar);
    c.api.reqHistoricalData(reqId, contract, '', duration, size, WhatToShow.TRADES, 0, 1, false);
  });
}

describe('sim: US Treasury futures (ZN, ZF on CBOT)', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let c: ApiClient;
  let time: FakeTime;

  before(async () => {
    time = fakeTime(marketTime('regularSession'));
    sim = await startSim({
      clock: simClockAt('regularSession', 40),
      scheduler: time.scheduler,
      tickIntervalMs: 40,
      limits: { historicalPacing: false, messagesPerSecond: 0 },
    });
    c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
  });
  after(async () => {
    c?.assertClean();
    await c?.disconnect();
    await sim?.stop();
  });

  it('answers contract details of ZN 202612 FUT@CBOT: minTick 1/64, $1000 a point, CME Globex hours in US/Central, liquid 07:20-14:00', async () => {
    const rows = await details(c, 1, ZN);
    assert.equal(rows.length, 1);
    const [d] = rows;
    assert.equal(d.minTick, 0.015625);
    assert.equal(Number(d.contract.multiplier), 1000);
    assert.equal(d.contract.localSymbol, 'ZNZ6');
    assert.equal(d.contract.tradingClass, 'ZN');
    assert.equal(d.contract.exchange, 'CBOT');
    assert.equal(d.longName, '10-Year T-Note');
    assert.equal(d.timeZoneId, 'US/Central');
    assert.equal(d.contractMonth, '202612');
    assert.equal(d.realExpirationDate, '20261221', 'the 7th business day before Thursday 31 December');
    assert.match(d.contract.lastTradeDateOrContractMonth ?? '', /^20261221\b/);
    // ES's Globex week: Sunday-Friday from 17:00 the evening before; liquid 07:20-14:00, not ES's 08:30-16:00
    const [es] = await details(c, 2, { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202703' });
    const [znh7] = await details(c, 3, { ...ZN, lastTradeDateOrContractMonth: '202703' });
    assert.equal(znh7.tradingHours, es.tradingHours);
    assert.match(es.liquidHours ?? '', /^20261117:0830-20261117:1600;/);
    assert.equal(
      znh7.liquidHours,
      '20261117:0720-20261117:1400;20261118:0720-20261118:1400;20261119:0720-20261119:1400;20261120:0720-20261120:1400;20261121:CLOSED;20261122:CLOSED',
    );
    const [zf] = await details(c, 4, ZF);
    assert.equal(zf.minTick, 0.0078125);
    assert.equal(zf.longName, '5-Year T-Note');
    assert.equal(zf.realExpirationDate, '20261231');
    const [zb] = await details(c, 5, { ...ZN, symbol: 'ZB' });
    assert.equal(zb.minTick, 0.03125);
    assert.equal(zb.longName, 'U.S. Treasury Bond');
  });

  it('finds ZN in the symbol search as a CBOT future', async () => {
    const found = new Promise<Array<{ symbol?: string; secType?: string; primaryExch?: string }>>((resolve) => {
      c.api.once(EventName.symbolSamples, (_id: number, rows: Array<{ contract: Contract }>) =>
        resolve(rows.map((r) => ({ symbol: r.contract.symbol, secType: r.contract.secType, primaryExch: r.contract.primaryExch }))),
      );
    });
    c.api.reqMatchingSymbols(6, 'ZN');
    const rows = await found;
    assert.deepEqual(rows[0], { symbol: 'ZN', secType: SecType.FUT, primaryExch: 'CBOT' });
  });

  it('streams bid, ask, last, high, low, close and open as whole 64ths', async () => {
    const ticks = new Map<number, number[]>();
    const onPrice = (id: number, field: number, value: number) => {
      if (id === 7) ticks.set(field, [...(ticks.get(field) ?? []), value]);
    };
    c.api.on(EventName.tickPrice, onPrice);
    c.api.reqMktData(7, ZN, '', false, false);
    await time.advanceUntil('ZN quote updates', () => (ticks.get(1)?.length ?? 0) >= 5 && (ticks.get(4)?.length ?? 0) >= 3);
    c.api.cancelMktData(7);
    c.api.off(EventName.tickPrice, onPrice);
    assert.deepEqual(
      [...ticks.keys()].sort((a, b) => a - b),
      [1, 2, 4, 6, 7, 9, 14],
    );
    for (const [field, values] of ticks) assertOnGrid(values, 64, `ZN tick ${field}`);
    const all = [...ticks.values()].flat();
    assert.ok(
      all.some((v) => !Number.isInteger(v * 1000)),
      'some prices need more than three decimals (110.515625), and arrive whole',
    );
    assert.ok(all.every((v) => v > 90 && v < 140));
  });

  it('serves historical bars in whole 64ths (ZN) and 128ths (ZF), volume in contracts', async () => {
    const minutes = await bars(c, 8, ZN, '1 D', BarSizeSetting.MINUTES_ONE);
    assertOnGrid(minutes.prices, 64, 'ZN minute bars');
    assert.ok(minutes.volumes.every((v) => Number.isInteger(v) && v >= 0));
    assertOnGrid((await bars(c, 9, ZN, '1 M', BarSizeSetting.DAYS_ONE)).prices, 64, 'ZN day bars');
    const zf = await bars(c, 10, ZF, '1 D', BarSizeSetting.MINUTES_FIVE);
    assertOnGrid(zf.prices, 128, 'ZF five-minute bars');
    assert.ok(
      zf.prices.some((v) => !Number.isInteger(v * 64)),
      'ZF uses the quarter 32nds',
    );
  });

  it('streams real-time bars and tick-by-tick trades and quotes in whole 64ths', async () => {
    const rt: number[] = [];
    const last: number[] = [];
    const quotes: number[] = [];
    c.api.on(EventName.realtimeBar, (id: number, _t: number, open: number, high: number, low: number, close: number) => {
      if (id === 11) rt.push(open, high, low, close);
    });
    c.api.on(EventName.tickByTickAllLast, (id: number, _type: number, _time: string, price: number) => {
      if (id === 12) last.push(price);
    });
    c.api.on(EventName.tickByTickBidAsk, (id: number, _time: number, bid: number, ask: number) => {
      if (id === 13) quotes.push(bid, ask);
    });
    c.api.reqRealTimeBars(11, ZN, 5, WhatToShow.TRADES, false);
    c.api.reqTickByTickData(12, ZN, TickByTickDataType.Last, 0, false);
    c.api.reqTickByTickData(13, ZN, TickByTickDataType.BidAsk, 0, false);
    await time.advanceUntil('ZN bars and ticks', () => rt.length >= 12 && last.length >= 3 && quotes.length >= 6);
    c.api.cancelRealTimeBars(11);
    c.api.cancelTickByTickData(12);
    c.api.cancelTickByTickData(13);
    await time.advanceUntil('the streams to end', () => sim.server.activeLines('realTimeBars').length + sim.server.activeLines('tickByTick').length === 0);
    assertOnGrid(rt, 64, 'ZN real-time bars');
    assertOnGrid(last, 64, 'ZN tick-by-tick last');
    assertOnGrid(quotes, 64, 'ZN tick-by-tick bid/ask');
  });
});
