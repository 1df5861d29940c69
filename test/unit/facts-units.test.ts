import { strict as assert } from 'node:assert';
import { barVolumeInShares, TickUnits, tickSizeMultiplier, tickValueInShares } from '../../src/ib/facts/units';

const stock = (serverVersion: number | undefined) => ({ secType: 'STK', currency: 'USD', serverVersion });

describe('facts: sizes and volumes in shares', () => {
  it('volume ticks 8, 21 and 74 of US stocks are lots of 100 below 220, shares from it', () => {
    for (const tick of [8, 21, 74]) {
      assert.equal(tickValueInShares(tick, 323886, stock(173)), 32_388_600, `tick ${tick} at 173`);
      assert.equal(tickValueInShares(tick, 323886, stock(219)), 32_388_600, `tick ${tick} at 219`);
      assert.equal(tickValueInShares(tick, 32_388_600, stock(220)), 32_388_600, `tick ${tick} at 220`);
    }
  });

  it('bid, ask and last sizes (0, 3, 5 and delayed 69, 70, 71) are lots below 159, shares from it', () => {
    for (const tick of [0, 3, 5, 69, 70, 71]) {
      assert.equal(tickValueInShares(tick, 2, stock(158)), 200, `tick ${tick} at 158`);
      assert.equal(tickValueInShares(tick, 2, stock(159)), 2, `tick ${tick} at 159`);
      assert.equal(tickValueInShares(tick, 2, stock(193)), 2, `tick ${tick} at 193`);
    }
  });

  it('prices and other ticks are never scaled', () => {
    for (const tick of [1, 2, 4, 6, 7, 9, 14, 66, 75]) assert.equal(tickValueInShares(tick, 202.55, stock(157)), 202.55);
  });

  it('forex sizes are units of the base currency and futures count contracts, at every version', () => {
    assert.equal(tickValueInShares(8, 250000, { secType: 'CASH', currency: 'USD', serverVersion: 173 }), 250000);
    assert.equal(tickValueInShares(8, 1200, { secType: 'FUT', currency: 'USD', serverVersion: 173 }), 1200);
    assert.equal(barVolumeInShares(1200, { secType: 'FUT', currency: 'USD', serverVersion: 157 }), 1200);
  });

  it('a stock in another currency is left as sent (IB speaks of US stocks only)', () => {
    assert.equal(tickValueInShares(8, 5000, { secType: 'STK', currency: 'CAD', serverVersion: 173 }), 5000);
  });

  it('historical bar volume is lots below 175, with decimals; shares from 175', () => {
    assert.equal(barVolumeInShares(948837.22, stock(173)), 94_883_722);
    assert.equal(barVolumeInShares(948837.22, stock(174)), 94_883_722);
    assert.equal(barVolumeInShares(5_583_527, stock(175)), 5_583_527);
  });

  it('an unknown server version (not connected) scales nothing; no value stays no value', () => {
    assert.equal(tickValueInShares(8, 3, stock(undefined)), 3);
    assert.equal(tickValueInShares(8, undefined, stock(173)), undefined);
    assert.equal(tickValueInShares(8, -1, stock(173)), -1, 'IB writes -1 for no value; the quote model drops it');
  });

  it('the per-line table gives what the rule gives, for every tick type, version and instrument', () => {
    const contexts = [
      ...[undefined, 100, 158, 159, 174, 219, 220, 300].map(stock),
      { secType: 'STK', currency: '', serverVersion: 158 },
      { secType: 'STK', currency: 'CAD', serverVersion: 158 },
      { secType: 'CASH', currency: 'USD', serverVersion: 158 },
      { secType: 'FUT', currency: 'USD', serverVersion: 158 },
    ];
    for (const ctx of contexts) {
      const units = new TickUnits(ctx);
      for (let tick = 0; tick <= 100; tick++) {
        const m = tickSizeMultiplier(tick, ctx);
        for (const v of [undefined, -1, 0, 2, 2.5, 323886, Number.NaN, Number.POSITIVE_INFINITY]) {
          const expected = v === undefined || !Number.isFinite(v) || v < 0 || m === 1 ? v : Math.round(v * m);
          assert.deepEqual(units.inShares(tick, v), expected, `tick ${tick} value ${v} ${JSON.stringify(ctx)}`);
        }
      }
    }
    assert.equal(new TickUnits({ secType: 'CASH', currency: 'USD', serverVersion: 100 }).multipliers !== null, false, 'nothing to scale: no table');
    assert.equal(new TickUnits(stock(158)).multipliers !== null, true);
  });
});
