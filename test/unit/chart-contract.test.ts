// What a chart learns once from its contract's details and sends with init: the exchange's zone and the
// price increment (IB's minTick) that sets the decimals its prices are shown with, as in the watchlist row.
import * as assert from 'node:assert/strict';
import { ChartContract, zoneLabel, type ChartContractDetails, type ExchangeZone } from '../../src/vscode/chart-contract';

const zoneOf = (exchange: ExchangeZone | undefined) => (exchange ? { zone: exchange.zone, label: exchange.id } : { zone: 'UTC', label: 'UTC' });
const settle = () => new Promise((r) => setImmediate(r));

function contractOf(details: ChartContractDetails | Error) {
  const asked: string[] = [];
  let learnt = 0;
  const contract = new ChartContract(
    'GC',
    { resolve: (text) => (asked.push(text), details instanceof Error ? Promise.reject(details) : Promise.resolve(details)) },
    () => learnt++,
    zoneOf,
  );
  return { contract, asked, learnt: () => learnt };
}

describe('chart contract', () => {
  it("sends IB's minTick with init once learnt, and the exchange's zone", async () => {
    const c = contractOf({ timeZoneId: 'US/Eastern', minTick: 0.1 });
    assert.deepEqual(c.contract.initFacts(), { timeZone: { zone: 'UTC', label: 'UTC' } }, 'before: UTC, no increment');
    c.contract.learn();
    await settle();
    assert.equal(c.learnt(), 1, 'learnt: init is sent again');
    assert.deepEqual(c.contract.initFacts(), { timeZone: { zone: 'US/Eastern', label: 'US/Eastern' }, minTick: 0.1 });
    assert.deepEqual(c.contract.info, { timeZone: 'US/Eastern', minTick: 0.1 });
    c.contract.learn();
    await settle();
    assert.deepEqual(c.asked, ['GC'], 'asked once');
  });

  it('an increment without a zone IB names is still learnt (and a zone without an increment)', async () => {
    const a = contractOf({ timeZoneId: 'Nowhere/Else', minTick: 1 });
    a.contract.learn();
    await settle();
    assert.deepEqual(a.contract.initFacts(), { timeZone: { zone: 'UTC', label: 'UTC' }, minTick: 1 });
    const b = contractOf({ timeZoneId: 'US/Eastern' });
    b.contract.learn();
    await settle();
    assert.deepEqual(b.contract.initFacts(), { timeZone: { zone: 'US/Eastern', label: 'US/Eastern' } });
  });

  it("a stock says so with init (its bars outside the session are pre-market and after hours); a future's do not", async () => {
    const stock = contractOf({ timeZoneId: 'US/Eastern', minTick: 0.01, secType: 'STK' });
    assert.equal('stockHours' in stock.contract.initFacts(), false, 'not before it is known');
    stock.contract.learn();
    await settle();
    assert.equal(stock.contract.initFacts().stockHours, true);
    for (const secType of ['FUT', 'IND', 'CASH', undefined]) {
      const other = contractOf({ timeZoneId: 'US/Central', minTick: 0.25, secType });
      other.contract.learn();
      await settle();
      assert.equal('stockHours' in other.contract.initFacts(), false, String(secType));
    }
  });

  it('no increment from a zero, negative or missing minTick, nor from a failed lookup (asked again next time)', async () => {
    for (const minTick of [0, -0.1, Number.NaN, undefined]) {
      const c = contractOf({ minTick });
      c.contract.learn();
      await settle();
      assert.equal(c.learnt(), 0);
      assert.equal('minTick' in c.contract.initFacts(), false, String(minTick));
    }
    const failed = contractOf(new Error('unknown symbol'));
    failed.contract.learn();
    await settle();
    failed.contract.learn();
    await settle();
    assert.deepEqual(failed.asked, ['GC', 'GC']);
    assert.equal(failed.learnt(), 0);
  });
});

describe("a chart's zone label", () => {
  it("IB's region id as is; an older TWS's abbreviation (EST, all year) named by the zone it resolves to", () => {
    assert.equal(zoneLabel('America/New_York', 'US/Eastern'), 'US/Eastern');
    assert.equal(zoneLabel('America/New_York', 'EST'), 'America/New_York');
    assert.equal(zoneLabel('America/New_York', 'EST (Eastern Standard Time)'), 'America/New_York');
    assert.equal(zoneLabel('Europe/London', undefined), 'Europe/London');
  });
});
