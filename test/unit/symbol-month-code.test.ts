import { strict as assert } from 'node:assert';
import { parseSymbol } from '../../src/ib/contracts';
import { contractKey, entryLabel } from '../../src/ib/contracts/symbol-text';
import { resolvedToContract, specToContract } from '../../src/ib/contracts/to-contract';
import type { ResolvedContract } from '../../src/ib/types';

describe('symbol grammar: a future by month code is sent as its local symbol', () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    // IB's symbol for VIX futures is VIX; VXZ6 is the local symbol of its December 2026 month
    ['VXZ6@CFE', { localSymbol: 'VXZ6', secType: 'FUT', exchange: 'CFE', root: 'VX', contractMonth: '202612' }],
    // Euro FX: IB's symbol EUR, local symbol 6EZ6; a root may start with a digit when its exchange is given
    ['6EZ6@CME', { localSymbol: '6EZ6', secType: 'FUT', exchange: 'CME', root: '6E', contractMonth: '202612' }],
    ['6EZ6 FUT@CME', { localSymbol: '6EZ6', secType: 'FUT', exchange: 'CME', root: '6E', contractMonth: '202612' }],
    // IB's spelling: the last digit of the year, however many were typed
    ['ESZ26 FUT@CME', { localSymbol: 'ESZ6', secType: 'FUT', exchange: 'CME', root: 'ES', contractMonth: '202612' }],
    ['esh7@cme', { localSymbol: 'ESH7', secType: 'FUT', exchange: 'CME', root: 'ES', contractMonth: '202703' }],
    ['CLF7 FUT@NYMEX USD', { localSymbol: 'CLF7', secType: 'FUT', exchange: 'NYMEX', currency: 'USD', root: 'CL', contractMonth: '202701' }],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as local symbol ${String(expected.localSymbol)}, with no symbol or month sent`, () => {
      const spec = parseSymbol(input, 2026);
      assert.deepEqual(spec, { text: input, ...expected });
      const sent = { ...specToContract(spec) };
      const wire: Record<string, unknown> = { localSymbol: expected.localSymbol, secType: 'FUT', exchange: expected.exchange };
      if (expected.currency) wire.currency = expected.currency;
      assert.deepEqual(sent, wire);
    });
  }

  it('reads a root starting with a digit only with its exchange, and never a word that is no month code', () => {
    assert.equal(parseSymbol('6EZ6@CME', 2026).localSymbol, '6EZ6');
    for (const [text, message] of [
      ['6EZ6', /"6EZ6" is not a symbol/],
      ['6EZ6 FUT', /"6EZ6" is not a symbol/],
      ['6E@CME', /"6E" is not a symbol/],
      ['12Z6@CME', /"12Z6" is not a symbol/],
    ] as const) {
      assert.throws(() => parseSymbol(text, 2026), message, text);
    }
  });

  it('keys and labels the month-code form as the same month written YYYYMM', () => {
    const key = contractKey('ES 202612 FUT@CME', 2026);
    assert.equal(contractKey('ESZ6@CME', 2026), key);
    assert.equal(contractKey('ESZ26 FUT@CME', 2026), key);
    assert.notEqual(contractKey('ESH7@CME', 2026), key);
    assert.equal(entryLabel('ESZ6@CME', 2026), 'ES Dec 2026');
    assert.equal(entryLabel('VXZ6@CFE', 2026), 'VX Dec 2026');
    assert.equal(entryLabel('6EZ6@CME', 2026), '6E Dec 2026');
  });
});

describe('includeExpired on the contracts sent', () => {
  const esu6: ResolvedContract = {
    conId: 649180321,
    symbol: 'ES',
    secType: 'FUT',
    exchange: 'CME',
    currency: 'USD',
    localSymbol: 'ESU6',
    lastTradeDateOrContractMonth: '20260918',
    display: 'ESU6 (CME)',
  };

  it('is set on a lookup among the expired months only', () => {
    const spec = parseSymbol('ES 202609 FUT@CME', 2026);
    assert.equal(specToContract(spec).includeExpired, undefined);
    assert.equal(specToContract(spec, true).includeExpired, true);
  });

  it('is carried by every request for a contract resolved as expired, and by no other', () => {
    assert.equal(resolvedToContract({ ...esu6, includeExpired: true }).includeExpired, true);
    assert.equal(resolvedToContract(esu6).includeExpired, undefined);
  });
});
