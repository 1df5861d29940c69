import * as assert from 'node:assert/strict';
import { createMarket, createUniverse } from '../../src/sim/market';

describe('simulated market: synthetic listings for load tests', () => {
  it('are absent by default and added on request, each resolvable and priced', () => {
    const plain = createUniverse();
    assert.equal(plain.match({ symbol: 'SIM001', secType: 'STK' }).length, 0);
    const big = createUniverse({ syntheticStocks: 100 });
    assert.equal(big.all().length, plain.all().length + 100);
    const ids = new Set(big.all().map((i) => i.conId));
    assert.equal(ids.size, big.all().length, 'conIds stay unique');
    const [sim100] = big.match({ symbol: 'SIM100', secType: 'STK', exchange: 'SMART', currency: 'USD' });
    assert.ok(sim100, 'SIM100 resolves like any stock');
    const market = createMarket({ seed: 1, universe: big });
    const tick = market.tickAt(sim100, Date.parse('2026-11-24T16:00:00Z'));
    assert.ok(tick.bid > 0 && tick.ask > tick.bid);
  });
});
