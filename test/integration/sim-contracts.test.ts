/**
 * Contract details, symbol search and head timestamps from the simulator
 * through IBApiNext (and IBApi for the raw field layout).
 */
import { strict as assert } from 'node:assert';
import { EventName, SecType, WhatToShow, type ContractDetails } from '@stoqey/ib';
import { connectApi, connectApiNext, startSim, type ApiNextClient, type StartedSim } from './support/sim';

const TUESDAY_11_ET = Date.parse('2026-11-24T16:00:00Z');

describe('sim: contracts', () => {
  let sim: StartedSim;
  let c: ApiNextClient;

  before(async () => {
    sim = await startSim({ clock: { start: TUESDAY_11_ET } });
    c = await connectApiNext(sim.port, 1);
  });
  after(async () => {
    c.assertClean();
    c.disconnect();
    await sim.stop();
  });

  it('returns the full CONTRACT_DATA of a stock, read by @stoqey/ib without decoding errors', async () => {
    const details = await c.api.getContractDetails({ symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
    assert.equal(details.length, 1);
    const d = details[0];
    assert.equal(d.contract.conId, 265598);
    assert.equal(d.contract.symbol, 'AAPL');
    assert.equal(d.contract.secType, 'STK');
    assert.equal(d.contract.exchange, 'SMART');
    assert.equal(d.contract.primaryExch, 'NASDAQ');
    assert.equal(d.contract.currency, 'USD');
    assert.equal(d.minTick, 0.01);
    assert.equal(d.longName, 'APPLE INC');
    assert.equal(d.timeZoneId, 'US/Eastern');
    assert.equal(d.stockType, 'COMMON');
    assert.match(d.tradingHours ?? '', /^20261124:0400-20261124:2000;/);
    assert.match(d.liquidHours ?? '', /^20261124:0930-20261124:1600;/);
    assert.match(d.liquidHours ?? '', /20261126:CLOSED/, 'Thanksgiving is closed');
    assert.equal(d.minSize, 1);
    assert.equal(d.sizeIncrement, 1);
    assert.deepEqual(d.ineligibilityReasonList, []);
  });

  it('lists every match of an ambiguous description (SHOP in USD and CAD)', async () => {
    const details = await c.api.getContractDetails({ symbol: 'SHOP', secType: SecType.STK, exchange: 'SMART' });
    assert.deepEqual(details.map((d) => d.contract.currency).sort(), ['CAD', 'USD']);
    const cad = details.find((d) => d.contract.currency === 'CAD')!;
    assert.equal(cad.contract.primaryExch, 'TSE');
  });

  it('describes futures with their contract month, and forex on IDEALPRO', async () => {
    const fut = await c.api.getContractDetails({ symbol: 'ES', secType: SecType.FUT, exchange: 'CME', currency: 'USD' });
    assert.ok(fut.length >= 2, `ES months: ${fut.length}`);
    for (const d of fut) {
      assert.match(d.contract.lastTradeDateOrContractMonth ?? '', /^\d{8} 08:30:00 US\/Central$/, 'date, last trade time and zone, as TWS writes them');
      assert.match(d.contractMonth ?? '', /^\d{6}$/);
      assert.equal(d.contract.multiplier, 50);
      assert.equal(d.underSymbol, 'ES');
    }
    const byConId = await c.api.getContractDetails({ conId: fut[0].contract.conId });
    assert.equal(byConId.length, 1);
    assert.equal(byConId[0].contract.localSymbol, fut[0].contract.localSymbol);
    const fx = await c.api.getContractDetails({ symbol: 'EUR', secType: SecType.CASH, exchange: 'IDEALPRO', currency: 'USD' });
    assert.equal(fx.length, 1);
    assert.equal(fx[0].contract.localSymbol, 'EUR.USD');
  });

  it('answers an unknown contract with 200 "No security definition has been found for the request"', async () => {
    await assert.rejects(
      c.api.getContractDetails({ symbol: 'NOSUCH', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }),
      (e: { code?: number; error?: Error }) => e.code === 200 && /No security definition has been found for the request/.test(e.error?.message ?? ''),
    );
  });

  it('searches symbols (REQ_MATCHING_SYMBOLS) by prefix and by name', async () => {
    const byPrefix = await c.api.searchContracts('AAP');
    assert.equal(byPrefix[0].contract?.symbol, 'AAPL');
    assert.equal(byPrefix[0].contract?.conId, 265598);
    // as TWS names a NASDAQ listing in a symbol search (recorded for TSLA): by its old name
    assert.equal(byPrefix[0].contract?.primaryExch, 'ISLAND');
    assert.ok(byPrefix[0].derivativeSecTypes?.includes(SecType.OPT));
    const byName = await c.api.searchContracts('microsoft');
    assert.ok(byName.some((d) => d.contract?.symbol === 'MSFT'));
    const none = await c.api.searchContracts('zzzzqqq');
    assert.deepEqual(none, []);
  });

  it('tells the earliest data point (REQ_HEAD_TIMESTAMP) in both date formats', async () => {
    const text = await c.api.getHeadTimestamp({ symbol: 'NVDA', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, WhatToShow.TRADES, true, 1);
    assert.match(text, /^1999012\d-\d{2}:\d{2}:\d{2}$/);
    const epoch = await c.api.getHeadTimestamp({ symbol: 'NVDA', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, WhatToShow.TRADES, true, 2);
    assert.match(epoch, /^\d{9,10}$/);
    assert.equal(new Date(Number(epoch) * 1000).getUTCFullYear(), 1999);
  });

  it('sends CONTRACT_DATA then CONTRACT_DATA_END for the request id (IBApi)', async () => {
    const raw = await connectApi(sim.port, 2);
    try {
      const seen: Array<[string, number]> = [];
      const ended = new Promise<void>((resolve) => {
        raw.api.on(EventName.contractDetails, (id: number, d: ContractDetails) => seen.push([d.contract.symbol ?? '', id]));
        raw.api.on(EventName.contractDetailsEnd, (id: number) => {
          seen.push(['end', id]);
          resolve();
        });
      });
      raw.api.reqContractDetails(77, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
      await ended;
      assert.deepEqual(seen, [
        ['SPY', 77],
        ['end', 77],
      ]);
      raw.assertClean();
    } finally {
      await raw.disconnect();
    }
  });
});
