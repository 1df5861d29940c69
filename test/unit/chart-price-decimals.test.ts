// The chart shows prices with the decimals the watchlist row shows them with: those of IB's price
// increment (minTick), more only for a price off its grid (a MIDPOINT bar between two ticks, as the
// row's mid), and two, grown to the bars' own digits, only while the increment is unknown.
import * as assert from 'node:assert/strict';
import { axisStep, pricePrecision } from '../../media/chart/format';
import { priceDecimals, quoteDecimals } from '../../src/vscode/format';

describe('chart price decimals', () => {
  it("are the price increment's, as in the row, with no floor of two: YM 1, N225M 5, GC 0.1, ES 0.25, EUR.USD 0.00005, ZN 1/64", () => {
    const cases: Array<[string, number, number[], number]> = [
      ['YM', 1, [42015, 42020], 0],
      ['N225M', 5, [38500, 38505], 0],
      ['GC', 0.1, [2400.1, 2400.2], 1],
      ['ES', 0.25, [5800.25, 5800.5], 2],
      ['EUR.USD', 0.00005, [1.0873, 1.08735], 5],
      // whichever bars are on screen: an even 1/64 or an odd one
      ['ZN', 1 / 64, [110.5], 6],
      ['ZN', 1 / 64, [110.515625], 6],
    ];
    for (const [symbol, minTick, prices, decimals] of cases) {
      assert.equal(pricePrecision(prices, minTick), decimals, `${symbol} on the chart`);
      // a Treasury future's row is in 32nds (price-thirty-seconds.test.ts)
      const row = symbol === 'ZN' ? { per32: 2 } : decimals;
      for (const price of prices) assert.deepEqual(quoteDecimals({ price, minTick }), row, `${symbol} ${price} in the row`);
    }
  });

  it('grow only for a price off the grid, by the rule the row uses for a mid (EUR.USD MIDPOINT 1.087345, ES 5800.125)', () => {
    assert.equal(pricePrecision([1.0873, 1.087345], 0.00005), 6);
    assert.equal(priceDecimals({ price: 1.087345, minTick: 0.00005 }), 6);
    assert.equal(pricePrecision([1.08735], 0.00005), 5, 'a bar on the grid keeps five');
    assert.equal(priceDecimals({ price: 1.08735, minTick: 0.00005 }), 5);
    assert.equal(pricePrecision([5800.125], 0.25), 3);
    assert.equal(priceDecimals({ price: 5800.125, minTick: 0.25 }), 3);
    assert.equal(pricePrecision([42015.5], 1), 1, 'YM: a mid between two points');
    // a trade below the increment: a stock's sub-penny print keeps its digits in the row
    assert.equal(priceDecimals({ price: 187.4321, minTick: 0.01 }), 4);
    assert.equal(priceDecimals({ price: 187.43, minTick: 0.01 }), 2);
    assert.equal(pricePrecision([2400.1 + 0.2], 0.1), 1, 'binary noise (2400.2999999999997) is no digit');
  });

  it('the axis and the crosshair step by the increment where every mark the axis spaces lands on a price it can write', () => {
    // ES 1/4, ZN 1/64, CL and GC powers of ten, YM and N225M whole points: by the increment
    assert.deepEqual(
      [axisStep(0.25, 2), axisStep(1 / 64, 6), axisStep(0.01, 2), axisStep(0.1, 1), axisStep(1, 0), axisStep(5, 0)],
      [0.25, 1 / 64, 0.01, 0.1, 1, 5],
    );
    // VIX 0.05 (its marks would halve to 0.125: "14.40" on the line at 14.375), EUR.USD 0.00005, USD.JPY 0.005: by the decimals
    assert.deepEqual([axisStep(0.05, 2), axisStep(0.00005, 5), axisStep(0.005, 3)], [0.01, 0.00001, 0.001]);
    assert.equal(axisStep(undefined, 2), 0.01);
    assert.equal(axisStep(0.25, 1), 0.1, 'an increment the decimals cannot write');
  });

  it("without an increment: two, grown to the bars' own digits (as before), at most eight", () => {
    assert.equal(pricePrecision([42015, 42020]), 2);
    assert.equal(pricePrecision([2400.1]), 2);
    assert.equal(pricePrecision([1.0873, 1.08735]), 5);
    assert.equal(pricePrecision([1.123456789]), 8);
    assert.equal(pricePrecision([], undefined), 2);
    assert.equal(pricePrecision([NaN, 2400.1], 0.1), 1, 'a price that is no number is skipped');
  });
});
