// The chart shows prices with the decimals the watchlist row shows them with: those of IB's price
// increment (minTick), more only for a price off its grid (a MIDPOINT bar between two ticks, as the
// row's mid), and two, grown to the bars' own digits, only while the increment is unknown.
import * as assert from 'node:assert/strict';
import { axisFormat, axisStep, onTick, pricePrecision } from '../../media/chart/format';
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

  it("the crosshair's label reads a price the instrument trades at, while the axis marks by the decimals are written as they are", () => {
    const vix = axisFormat(2, 0.05);
    assert.equal(vix.type, 'custom');
    assert.equal(vix.minMove, 0.01);
    const marks = vix.type === 'custom' ? vix.tickmarksFormatter : undefined;
    if (vix.type !== 'custom' || !marks) throw new Error('VIX: a format of its own, its marks apart');
    assert.deepEqual([14.37, 14.38, 14.324, 14.326].map(vix.formatter), ['14.35', '14.40', '14.30', '14.35']);
    assert.deepEqual(marks([14.37, 14.38, 14.4]), ['14.37', '14.38', '14.40'], 'a mark at 14.37 is written 14.37');
    const eur = axisFormat(5, 0.00005);
    if (eur.type !== 'custom') throw new Error('EUR.USD: a format of its own');
    assert.deepEqual([1.08437, 1.08438, 1.0873].map(eur.formatter), ['1.08435', '1.08440', '1.08730']);
    const jpy = axisFormat(3, 0.005);
    if (jpy.type !== 'custom') throw new Error('USD.JPY: a format of its own');
    assert.deepEqual([151.237, 151.238].map(jpy.formatter), ['151.235', '151.240']);
    // an increment the axis steps by, or none: the library's own price format
    assert.deepEqual(axisFormat(2, 0.25), { type: 'price', precision: 2, minMove: 0.25 });
    assert.deepEqual(axisFormat(2, 0.01), { type: 'price', precision: 2, minMove: 0.01 });
    assert.deepEqual(axisFormat(2, undefined), { type: 'price', precision: 2, minMove: 0.01 });
    assert.equal(axisFormat(6, 1 / 64).formatter?.(110.515625), "110'165", 'ZN in 32nds');
    assert.equal(onTick(-14.37, 0.05).toFixed(2), '-14.35', 'a spread below zero too');
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
