/**
 * The simulator's COMEX gold future through @stoqey/ib over TCP: contract
 * details of GC 202612 FUT@COMEX (minTick 0.1, 100 ounces, US/Eastern, CME
 * Globex's metals hours in New York time), the symbol search, and minute bars
 * whose prices are whole tenths; and CBOT's and CFE's own liquid hours as the
 * client reads them. The simulator's clock stands at Tuesday 17 November 2026,
 * 10:00 New York, on a fake clock nobody advances: no wall clock, no sleeps.
 */
import { strict as assert } from 'node:assert';
import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract, type ContractDescription } from '@stoqey/ib';
import { connectApi, startSim, type ApiClient, type StartedSim } from './support/sim';
import { details, rejectOnError } from './support/api-requests';
import { fakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';

const GC: Contract = { symbol: 'GC', secType: SecType.FUT, exchange: 'COMEX', currency: 'USD', lastTradeDateOrContractMonth: '202612' };

/** One reqHistoricalData (TRADES, all hours): each bar's date, OHLC prices and volume. */
function bars(
  c: ApiClient,
  reqId: number,
  contract: Contract,
  duration: string,
  size: BarSizeSetting,
): Promise<Array<{ date: string; prices: number[]; volume: number }>> {
  return new Promise((resolve, reject) => {
    const out: Array<{ date: string; prices: number[]; volume: number }> = [];
    const onBar = (id: number, date: string, open: number, high: number, low: number, close: number, volume: number) => {
      if (id !== reqId) return;
      if (!date.startsWith('finished')) return void out.push({ date, prices: [open, high, low, close], volume });
      stop();
      resolve(out);
    };
    const check = rejectOnError(c, reqId, () => stop(), reject);
    const stop = () => {
      clearInterval(check);
      c.api.off(EventName.historicalData, onBar);
    };
    c.api.on(EventName.historicalData, onBar);
    c.api.reqHistoricalData(reqId, contract, '', duration, size, WhatToShow.TRADES, 0, 1, false);
  });
}

describe('sim: COMEX gold futures (GC) and each product its own liquid hours', function () {
  this.timeout(30_000);
  let sim: StartedSim;
  let c: ApiClient;

  before(async () => {
    const time = fakeTime(marketTime('regularSession'));
    sim = await startSim({
      clock: simClockAt('regularSession'),
      scheduler: time.scheduler,
      limits: { historicalPacing: false, messagesPerSecond: 0 },
    });
    c = await connectApi(sim.port, 1, { maxReqPerSec: 1000 });
  });
  after(async () => {
    c?.assertClean();
    await c?.disconnect();
    await sim?.stop();
  });

  it('answers contract details of GC 202612 FUT@COMEX: minTick 0.1, 100 ounces, US/Eastern, the metals week in New York time', async () => {
    const rows = await details(c, 1, GC);
    assert.equal(rows.length, 1);
    const [d] = rows;
    assert.equal(d.minTick, 0.1);
    assert.equal(Number(d.contract.multiplier), 100);
    assert.equal(d.contract.symbol, 'GC');
    assert.equal(d.contract.localSymbol, 'GCZ6');
    assert.equal(d.contract.tradingClass, 'GC');
    assert.equal(d.contract.exchange, 'COMEX');
    assert.equal(d.contract.currency, 'USD');
    assert.equal(d.longName, 'Gold');
    assert.equal(d.timeZoneId, 'US/Eastern');
    assert.equal(d.contractMonth, '202612');
    assert.equal(d.realExpirationDate, '20261229', 'the third-to-last business day of December');
    assert.match(d.contract.lastTradeDateOrContractMonth ?? '', /^20261229\b/);
    assert.equal(
      d.tradingHours,
      '20261116:1800-20261117:1700;20261117:1800-20261118:1700;20261118:1800-20261119:1700;20261119:1800-20261120:1700;20261121:CLOSED;20261122:1800-20261123:1700',
    );
    assert.equal(
      d.liquidHours,
      '20261117:0820-20261117:1330;20261118:0820-20261118:1330;20261119:0820-20261119:1330;20261120:0820-20261120:1330;20261121:CLOSED;20261122:CLOSED',
    );
    // every listed month without a month in the request: the six even months
    const all = await details(c, 2, { ...GC, lastTradeDateOrContractMonth: undefined });
    assert.deepEqual(
      all.map((r) => r.contract.localSymbol),
      ['GCZ6', 'GCG7', 'GCJ7', 'GCM7', 'GCQ7', 'GCV7'],
    );
  });

  it('finds GC in the symbol search as a COMEX future, as it finds CL', async () => {
    const search = (reqId: number, pattern: string) =>
      new Promise<Array<{ symbol?: string; secType?: string; primaryExch?: string }>>((resolve) => {
        const onRows = (id: number, rows: ContractDescription[]) => {
          if (id !== reqId) return;
          c.api.off(EventName.symbolSamples, onRows);
          resolve(rows.map((r) => ({ symbol: r.contract?.symbol, secType: r.contract?.secType, primaryExch: r.contract?.primaryExch })));
        };
        c.api.on(EventName.symbolSamples, onRows);
        c.api.reqMatchingSymbols(reqId, pattern);
      });
    assert.deepEqual((await search(3, 'GC'))[0], { symbol: 'GC', secType: SecType.FUT, primaryExch: 'COMEX' });
    assert.deepEqual((await search(4, 'CL'))[0], { symbol: 'CL', secType: SecType.FUT, primaryExch: 'NYMEX' });
  });

  it('serves a day of minute bars whose prices are whole tenths near 2,400-2,700, volume in contracts', async () => {
    const minutes = await bars(c, 5, GC, '1 D', BarSizeSetting.MINUTES_ONE);
    assert.ok(minutes.length > 900, `${minutes.length} minute bars`);
    for (const b of minutes) {
      for (const v of b.prices) {
        assert.ok(Math.abs(v * 10 - Math.round(v * 10)) < 1e-6, `${b.date}: ${v} is not a multiple of 0.1`);
        assert.ok(v > 2400 && v < 2700, `${b.date}: ${v}`);
      }
      assert.ok(Number.isInteger(b.volume) && b.volume >= 0, `${b.date}: volume ${b.volume}`);
    }
  });

  it("answers CBOT's Treasuries liquid 07:20-14:00 and CFE's VIX futures 08:30-15:00 Chicago, ES's 08:30-16:00 as before", async () => {
    const month = { secType: SecType.FUT, currency: 'USD', lastTradeDateOrContractMonth: '202612' };
    const [zn] = await details(c, 6, { ...month, symbol: 'ZN', exchange: 'CBOT' });
    const [vx] = await details(c, 7, { ...month, symbol: 'VIX', exchange: 'CFE' });
    const [es] = await details(c, 8, { ...month, symbol: 'ES', exchange: 'CME' });
    assert.equal(
      zn.liquidHours,
      '20261117:0720-20261117:1400;20261118:0720-20261118:1400;20261119:0720-20261119:1400;20261120:0720-20261120:1400;20261121:CLOSED;20261122:CLOSED',
    );
    assert.equal(
      vx.liquidHours,
      '20261117:0830-20261117:1500;20261118:0830-20261118:1500;20261119:0830-20261119:1500;20261120:0830-20261120:1500;20261121:CLOSED;20261122:CLOSED',
    );
    assert.equal(
      es.liquidHours,
      '20261117:0830-20261117:1600;20261118:0830-20261118:1600;20261119:0830-20261119:1600;20261120:0830-20261120:1600;20261121:CLOSED;20261122:CLOSED',
    );
    for (const d of [zn, vx]) assert.equal(d.tradingHours, es.tradingHours, `${d.contract.localSymbol}: the Globex week`);
    assert.equal(vx.timeZoneId, 'US/Central');
  });
});
