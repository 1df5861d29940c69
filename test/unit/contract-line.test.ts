/**
 * The line that says which instrument a row is, for the kinds the recorded captures do not cover (those are
 * checked in test/integration/replay/replay-connection-contracts.test.ts): a London share's prices in pence.
 */
import { strict as assert } from 'node:assert';
import { contractLine } from '../../src/ib/contracts/contract-line';
import { displayLabel } from '../../src/ib/contracts/to-contract';
import { priceCurrency } from '../../src/ib/facts/price-currency';
import type { ResolvedContract } from '../../src/ib/types';

describe('the contract line', () => {
  // IB's contract for GAW as ib_insync printed it (bankroll-py/bankroll#31), its last 4293.9999 in pence
  const gaw: ResolvedContract = {
    conId: 35151400,
    symbol: 'GAW',
    secType: 'STK',
    exchange: 'SMART',
    primaryExchange: 'LSE',
    currency: 'GBP',
    localSymbol: 'GAW',
    display: 'GAW (LSE, GBP)',
  };

  it("a London share is GBP priced in pence: IB's last 4293.9999 is 42.94 pounds", () => {
    assert.equal(priceCurrency(gaw), 'GBp');
    assert.equal(contractLine(gaw), 'stock · LSE · GBP, priced in GBp (pence) · conId 35151400');
    // the label of lists and of Get Quote's answer ("GAW (LSE, GBp): last 4294")
    assert.equal(displayLabel(gaw), 'GAW (LSE, GBp)');
    assert.equal(displayLabel({ ...gaw, primaryExchange: 'IBIS', currency: 'EUR' }), 'GAW (IBIS, EUR)');
  });

  it('a dollar ETF listed in London is priced in dollars; a share elsewhere in its currency; a forex pair is not a share', () => {
    assert.equal(priceCurrency({ ...gaw, primaryExchange: 'LSEETF', currency: 'USD' }), 'USD', 'CSPX on LSEETF');
    assert.equal(priceCurrency({ ...gaw, primaryExchange: 'IBIS', currency: 'EUR' }), 'EUR');
    assert.equal(priceCurrency({ secType: 'CASH', exchange: 'IDEALPRO', currency: 'GBP' }), 'GBP');
  });

  it("a futures month in its roll week says how long it has left, on the gateway's clock; not before, nor once expired", () => {
    const esz6: ResolvedContract = {
      conId: 495512563,
      symbol: 'ES',
      secType: 'FUT',
      exchange: 'CME',
      currency: 'USD',
      localSymbol: 'ESZ6',
      lastTradeDateOrContractMonth: '20261218',
      multiplier: '50',
      timeZoneId: 'US/Central',
      display: 'ESZ6 (CME)',
    };
    const at = (iso: string) => contractLine(esz6, Date.parse(iso));
    assert.match(contractLine(esz6), / · last trade 2026-12-18 · conId/, 'no clock: the day alone');
    assert.match(at('2026-11-17T15:00:00Z'), / · last trade 2026-12-18 · conId/);
    assert.match(at('2026-12-14T15:00:00Z'), / · last trade 2026-12-18 \(4 days left\) · /);
    assert.match(at('2026-12-17T15:00:00Z'), /\(1 day left\)/);
    assert.match(at('2026-12-18T15:00:00Z'), /\(its last trade day: today\)/);
    assert.match(at('2026-12-21T15:00:00Z'), / · last trade 2026-12-18 · conId/);
  });

  it('a long name is cut, and a control character in it is not shown', () => {
    const line = contractLine({ ...gaw, longName: `GAMES WORKSHOP\u0007 GROUP PLC ${'X'.repeat(80)}` });
    assert.ok(!line.includes('\u0007'));
    assert.match(line, /^GAMES WORKSHOP.{40,60}… · stock · LSE/);
  });
});
