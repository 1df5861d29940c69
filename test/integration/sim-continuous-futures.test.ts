/**
 * The simulator's continuous futures (secType CONTFUT), through @stoqey/ib
 * over TCP, as IB answers them: contract details are the front month's own
 * (same conId, local symbol, expiry, hours) with secType CONTFUT; historical
 * bars are, bar by bar, the month that was the front month then (unadjusted,
 * from the expired months IB keeps); no end date (10339); no streaming (200).
 * The simulator's clock stands at Tuesday 17 November 2026: ESZ6 is the front
 * month, ESU6 expired on Friday 18 September 2026, ESM6 the June before.
 */
import { strict as assert } from 'node:assert';
import { BarSizeSetting, EventName, SecType, WhatToShow, type Contract, type ContractDetails } from '@stoqey/ib';
import { connectApi, startSim, type ApiClient, type StartedSim } from './support/sim';
import { details, rejectOnError } from './support/api-requests';
import { fakeTime } from '../support/fake-time';
import { marketTime, simClockAt } from '../support/market-times';

const ES_CONT: Contract = { symbol: 'ES', secType: SecType.CONTFUT, exchange: 'CME', currency: 'USD' };
const ES_FUT: Contract = { symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' };

interface Bar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

type Failure = Error & { code?: number };

function bars(c: ApiClient, reqId: number, contract: Contract, duration: string, size: BarSizeSetting, end = ''): Promise<Bar[]> {
  return new Promise((resolve, reject) => {
    const rows: Bar[] = [];
    const onBar = (id: number, date: string, open: number, high: number, low: number, close: number, volume: number) => {
      if (id !== reqId) return;
      if (!date.startsWith('finished')) return void rows.push({ date, open, high, low, close, volume });
      stop();
      resolve(rows);
    };
    const check = rejectOnError(c, reqId, () => stop(), reject);
    const stop = () => {
      clearInterval(check);
      c.api.off(EventName.historicalData, onBar);
    };
    c.api.on(EventName.historicalData, onBar);
    c.api.reqHistoricalData(reqId, contract, end, duration, size, WhatToShow.TRADES, 0, 1, false);
  });
}

const byDate = (rows: Bar[]): Map<string, Bar> => new Map(rows.map((b) => [b.date, b]));

describe('sim: continuous futures (CONTFUT)', () => {
  let sim: StartedSim;
  let c: ApiClient;
  let front: ContractDetails;

  before(async () => {
    const time = fakeTime(marketTime('regularSession'));
    sim = await startSim({ clock: simClockAt('regularSession'), scheduler: time.scheduler, limits: { historicalPacing: false } });
    c = await connectApi(sim.port, 1);
    // the front month: the first of the future's listed months not yet expired
    const months = await details(c, 1, ES_FUT);
    front = [...months].sort((a, b) => (a.contract.lastTradeDateOrContractMonth ?? '').localeCompare(b.contract.lastTradeDateOrContractMonth ?? ''))[0];
    assert.equal(front.contract.localSymbol, 'ESZ6');
  });
  after(async () => {
    c?.assertClean();
    await c?.disconnect();
    await sim?.stop();
  });

  it("answers contract details with the front month's own details, secType CONTFUT, once", async () => {
    const rows = await details(c, 2, ES_CONT);
    assert.equal(rows.length, 1);
    const d = rows[0];
    assert.equal(d.contract.secType, SecType.CONTFUT);
    for (const k of ['conId', 'symbol', 'localSymbol', 'lastTradeDateOrContractMonth', 'multiplier', 'tradingClass', 'exchange', 'currency'] as const) {
      assert.equal(d.contract[k], front.contract[k], k);
    }
    for (const k of ['contractMonth', 'timeZoneId', 'tradingHours', 'liquidHours', 'marketName', 'minTick', 'underConId', 'realExpirationDate'] as const) {
      assert.equal(d[k], front[k], k);
    }
    // a client that qualified it sends the conId with CONTFUT: the same answer
    const [again] = await details(c, 3, { conId: d.contract.conId, secType: SecType.CONTFUT, exchange: 'CME' });
    assert.equal(again.contract.secType, SecType.CONTFUT);
    assert.equal(again.contract.localSymbol, 'ESZ6');
    await assert.rejects(
      details(c, 4, { symbol: 'ZZZ', secType: SecType.CONTFUT, exchange: 'CME' }),
      (e: Failure) => e.code === 200 && /No security definition has been found/.test(e.message),
    );
  });

  it('serves a year of day bars stitched from the month that was the front month on each day', async () => {
    const cont = await bars(c, 5, ES_CONT, '1 Y', BarSizeSetting.DAYS_ONE);
    assert.ok(cont.length > 240, `${cont.length} day bars`);
    const dates = cont.map((b) => b.date);
    assert.ok(
      dates.every((d, i) => i === 0 || d > dates[i - 1]),
      'dates increase',
    );
    assert.ok(dates[0] <= '20251120' && dates[dates.length - 1] === '20261117', `${dates[0]} .. ${dates[dates.length - 1]}`);
    // each month's own bars, asked as FUT (expired ones with includeExpired)
    const own = async (reqId: number, localSymbol: string): Promise<Map<string, Bar>> =>
      byDate(await bars(c, reqId, { localSymbol, secType: SecType.FUT, exchange: 'CME', includeExpired: true }, '1 Y', BarSizeSetting.DAYS_ONE));
    const z6 = await own(6, 'ESZ6');
    const u6 = await own(7, 'ESU6');
    const m6 = await own(8, 'ESM6');
    // the rolls: each expired month's last trade date (from its own details)
    const expiry = async (reqId: number, localSymbol: string): Promise<string> =>
      (await details(c, reqId, { localSymbol, secType: SecType.FUT, exchange: 'CME', includeExpired: true }))[0].contract.lastTradeDateOrContractMonth!.slice(
        0,
        8,
      );
    const [u6End, m6End] = [await expiry(15, 'ESU6'), await expiry(16, 'ESM6')];
    assert.equal(u6End, '20260918');
    const monthOf = (date: string): Map<string, Bar> => (date > u6End ? z6 : date > m6End ? u6 : m6);
    let differsFromFront = 0;
    assert.ok(m6.has(m6End), 'ESM6 traded on its expiry day');
    for (const b of cont.filter((x) => x.date > '20260401')) {
      assert.deepEqual(b, monthOf(b.date).get(b.date), `${b.date}: the front month's own bar`);
      const z = z6.get(b.date);
      if (z && z.close !== b.close) differsFromFront++;
    }
    // before the roll on 18 September the series is not ESZ6's: ESZ6 traded then too, at its own prices
    assert.ok(differsFromFront > 50, `${differsFromFront} bars before the roll differ from ESZ6's own`);
    assert.deepEqual(
      cont.find((b) => b.date === '20260918'),
      u6.get('20260918'),
      'the expiry day is the expiring month',
    );
    assert.deepEqual(
      cont.find((b) => b.date === '20260917'),
      u6.get('20260917'),
    );
    assert.ok(!u6.has('20260921') && cont.some((b) => b.date === '20260921'), 'after its expiry, the next month');
    // within a month the volume is in contracts, as any future's
    assert.ok(cont.every((b) => b.volume > 0 && Number.isInteger(b.volume)));
  });

  it('serves a month of hour bars, the front month throughout when no roll falls in it', async () => {
    const cont = await bars(c, 9, ES_CONT, '1 M', BarSizeSetting.HOURS_ONE);
    const fut = await bars(c, 10, { conId: front.contract.conId, exchange: 'CME' }, '1 M', BarSizeSetting.HOURS_ONE);
    assert.ok(cont.length > 300, `${cont.length} hour bars`);
    assert.deepEqual(cont, fut);
  });

  it('takes no end date for a continuous future (10339), as IB', async () => {
    await assert.rejects(
      bars(c, 11, ES_CONT, '1 M', BarSizeSetting.DAYS_ONE, '20261101-12:00:00'),
      (e: Failure) => e.code === 10339 && /continuous future/.test(e.message),
    );
  });

  it('streams nothing for a continuous future: 200, by symbol or with the conId', async () => {
    c.api.reqMktData(12, ES_CONT, '', false, false);
    assert.match((await c.waitFor(200, 12)).message, /No security definition has been found/);
    c.api.reqMktData(13, { ...ES_CONT, conId: front.contract.conId }, '', false, false);
    assert.match((await c.waitFor(200, 13)).message, /No security definition has been found/);
    c.api.reqRealTimeBars(14, ES_CONT, 5, WhatToShow.TRADES, false);
    await c.waitFor(200, 14);
    assert.equal(sim.server.activeMarketData().length, 0);
  });
});
