import assert from 'node:assert/strict';
import { createUniverse } from '../../src/sim/market';
import { expiredMatch, isExpiredMonth } from '../../src/sim/market/universe';

/** Tuesday 17 November 2026. */
const NOW = Date.parse('2026-11-17T15:00:00Z');

describe('simulated market: expired futures months', () => {
  const u = createUniverse({ now: NOW });

  it('keeps the months of the last two years apart from the listed ones: found only by expiredMatch', () => {
    assert.deepEqual(u.match({ localSymbol: 'ESU6', exchange: 'CME' }), []);
    const [esu6, ...more] = expiredMatch(u, { localSymbol: 'ESU6', exchange: 'CME' });
    assert.equal(more.length, 0);
    assert.equal(esu6.lastTradeDateOrContractMonth, '20260918');
    assert.equal(isExpiredMonth(u, esu6), true);
    assert.equal(u.byConId(esu6.conId), undefined);
    assert.deepEqual(expiredMatch(u, { conId: esu6.conId }), [esu6]);
    const listed = new Set(u.all().map((i) => i.conId));
    const expired = expiredMatch(u, { secType: 'FUT', symbol: 'CL' });
    assert.ok(expired.length >= 23, `${expired.length} CL months`);
    for (const i of expired) {
      assert.ok(!listed.has(i.conId), `${i.localSymbol} is not listed`);
      assert.ok(i.lastTradeDateOrContractMonth < '20261117' && i.lastTradeDateOrContractMonth >= '20241117', i.localSymbol);
    }
    assert.ok(!u.all().some((i) => isExpiredMonth(u, i)));
    assert.deepEqual(expiredMatch(u, {}), []);
  });

  it('lists VIX futures (VX months on CFE) without changing the other futures', () => {
    const vx = u.match({ symbol: 'VIX', secType: 'FUT' });
    assert.deepEqual(
      vx.map((i) => `${i.localSymbol} ${i.tradingClass} ${i.lastTradeDateOrContractMonth} ${i.multiplier} ${i.exchange}`),
      ['VXX6 VX 20261118 1000 CFE', 'VXZ6 VX 20261216 1000 CFE', 'VXF7 VX 20270120 1000 CFE'],
    );
    assert.deepEqual(
      u.match({ secType: 'FUT', symbol: 'ES' }).map((i) => i.localSymbol),
      ['ESZ6', 'ESH7', 'ESM7'],
    );
  });
});
