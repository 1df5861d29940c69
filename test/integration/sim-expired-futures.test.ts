/**
 * The simulator's expired futures months and its VIX future, through
 * @stoqey/ib over TCP: as IB does, a month that expired in the last two years
 * is answered to contract details and historical data only when the request
 * sets includeExpired (else 200), with bars up to its expiry, and streams no
 * quotes (200); VIX futures are IB's symbol VIX, trading class VX, local
 * symbols VX + month code + year digit, on CFE.
 */
import { strict as assert } from 'node:assert';
import { EventName, SecType, WhatToShow, BarSizeSetting, type Contract } from '@stoqey/ib';
import { connectApi, startSim, type ApiClient, type StartedSim } from './support/sim';
import { details, rejectOnError } from './support/api-requests';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';

/** Tuesday 17 November 2026: ESU6 expired on Friday 18 September 2026, ESZ6 is the front month. */
const ESU6: Contract = { localSymbol: 'ESU6', secType: SecType.FUT, exchange: 'CME' };

function dailyBars(c: ApiClient, reqId: number, contract: Contract, duration: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const dates: string[] = [];
    const onBar = (id: number, date: string) => {
      if (id !== reqId) return;
      if (!date.startsWith('finished')) return void dates.push(date);
      stop();
      resolve(dates);
    };
    const check = rejectOnError(c, reqId, () => stop(), reject);
    const stop = () => {
      clearInterval(check);
      c.api.off(EventName.historicalData, onBar);
    };
    c.api.on(EventName.historicalData, onBar);
    c.api.reqHistoricalData(reqId, contract, '', duration, BarSizeSetting.DAYS_ONE, WhatToShow.TRADES, 1, 1, false);
  });
}

describe('sim: expired futures months and VIX futures', () => {
  let time: FakeTime;
  let sim: StartedSim;
  let c: ApiClient;

  before(async () => {
    time = fakeTime(marketTime('regularSession'));
    sim = await startSim({ clock: simClockAt('regularSession'), scheduler: time.scheduler, limits: { historicalPacing: false } });
    c = await connectApi(sim.port, 1);
  });
  after(async () => {
    c?.assertClean();
    await c?.disconnect();
    await sim?.stop();
  });

  it('answers contract details of a month that expired only with includeExpired; without it, 200 as for a month never listed', async () => {
    await assert.rejects(
      details(c, 1, ESU6),
      (e: { code?: number; message: string }) => e.code === 200 && /No security definition has been found/.test(e.message),
    );
    const rows = await details(c, 2, { ...ESU6, includeExpired: true });
    assert.equal(rows.length, 1);
    const d = rows[0];
    assert.equal(d.contract.symbol, 'ES');
    assert.equal(d.contract.localSymbol, 'ESU6');
    assert.equal(d.contractMonth, '202609');
    assert.match(d.contract.lastTradeDateOrContractMonth ?? '', /^20260918\b/);
  });

  it("lists a future's expired months of the last two years with includeExpired, its live months either way", async () => {
    const es: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME' };
    const live = (await details(c, 3, es)).map((d) => d.contract.localSymbol).sort();
    const all = (await details(c, 4, { ...es, includeExpired: true })).map((d) => d.contract.localSymbol);
    assert.deepEqual(live, ['ESH7', 'ESM7', 'ESZ6']);
    for (const m of [...live, 'ESU6', 'ESM6', 'ESH6', 'ESZ5', 'ESZ4']) assert.ok(all.includes(m), `${m} in ${all.join(' ')}`);
    assert.ok(!all.includes('ESU4'), 'September 2024 expired more than two years ago');
  });

  it("serves an expired month's bars with includeExpired, up to its expiry; refuses them (200) without it", async () => {
    const [row] = await details(c, 5, { ...ESU6, includeExpired: true });
    const byConId: Contract = { conId: row.contract.conId, exchange: 'CME' };
    await assert.rejects(dailyBars(c, 6, byConId, '3 M'), (e: { code?: number }) => e.code === 200);
    const dates = await dailyBars(c, 7, { ...byConId, includeExpired: true }, '3 M');
    assert.ok(dates.length > 20, `${dates.length} daily bars`);
    assert.ok(dates[dates.length - 1] <= '20260918', `last bar ${dates[dates.length - 1]} after the expiry`);
    assert.ok(dates[dates.length - 1] >= '20260917', `last bar ${dates[dates.length - 1]}: the bars end at the expiry`);
  });

  it('streams no quotes for an expired month: 200, as IB answers', async () => {
    const [row] = await details(c, 8, { ...ESU6, includeExpired: true });
    c.api.reqMktData(9, { conId: row.contract.conId, exchange: 'CME' }, '', false, false);
    assert.match((await c.waitFor(200, 9)).message, /No security definition/);
    assert.equal(sim.server.activeMarketData().length, 0);
  });

  it('lists VIX futures as IB does: symbol VIX, trading class VX, local symbols VX + month code + year digit, monthly, on CFE', async () => {
    const rows = await details(c, 10, { symbol: 'VIX', secType: SecType.FUT, exchange: 'CFE' });
    assert.deepEqual(
      rows.map((d) => d.contract.localSymbol),
      ['VXX6', 'VXZ6', 'VXF7'],
    );
    for (const d of rows) {
      assert.equal(d.contract.symbol, 'VIX');
      assert.equal(d.contract.tradingClass, 'VX');
      assert.equal(d.contract.exchange, 'CFE');
      assert.equal(d.contract.multiplier, 1000);
      // a Wednesday, 30 days before the third Friday of the month after
      const day = /^(\d{4})(\d{2})(\d{2})/.exec(d.contract.lastTradeDateOrContractMonth ?? '')!;
      assert.equal(new Date(Date.UTC(+day[1], +day[2] - 1, +day[3])).getUTCDay(), 3, d.contract.lastTradeDateOrContractMonth);
    }
    assert.match(rows[1].contract.lastTradeDateOrContractMonth ?? '', /^20261216\b/);
    const [byLocal] = await details(c, 11, { localSymbol: 'VXZ6', secType: SecType.FUT, exchange: 'CFE' });
    assert.equal(byLocal.contract.conId, rows[1].contract.conId);
    await assert.rejects(
      details(c, 12, { symbol: 'VX', secType: SecType.FUT, exchange: 'CFE', lastTradeDateOrContractMonth: '202612' }),
      (e: { code?: number }) => e.code === 200,
    );
  });
});
