// "Copy as JSON" (Get Quote, Quote Details, the row's info icon): the quote for
// a program to read, so no binary noise from the arithmetic (231.42 − 230.24 is
// 1.1799999999999784 as a double) and the time as ISO 8601 UTC, not bare epoch ms.
import * as assert from 'node:assert/strict';
import { QuoteState } from '../../src/ib/quotes/tick-model';
import type { SecType } from '../../src/ib/types';
import { quoteJson } from '../../src/vscode/quote-text';

/** A quote built from IB's tick types as the gateway sends them, at `nowMs`. */
function quote(secType: SecType, ticks: Array<[number, number]>, minTick: number, nowMs = 0) {
  const state = new QuoteState('live', secType, minTick);
  for (const [tickType, value] of ticks) state.apply(tickType, value, undefined, nowMs);
  return state.toQuote('X');
}

describe('Copy as JSON', () => {
  it("rounds the change to the price's decimals and the percentage to four; IB's own prices as sent", () => {
    const q = quote(
      'STK',
      [
        [1, 231.4],
        [0, 300],
        [2, 231.44],
        [3, 200],
        [4, 231.42],
        [5, 100],
        [8, 22_134_567],
        [9, 230.24],
        [45, Date.UTC(2026, 10, 17, 15, 0, 12) / 1000],
      ],
      0.01,
    );
    // the noise this is about, in the domain quote
    assert.notEqual(q.change, 1.18);
    const json = JSON.parse(quoteJson(q));
    assert.equal(json.change, 1.18);
    assert.equal(json.changePercent, 0.5125);
    assert.equal(json.price, 231.42);
    assert.equal(json.last, 231.42);
    assert.equal(json.bid, 231.4);
    assert.equal(json.close, 230.24);
    assert.equal(json.volume, 22_134_567);
    assert.equal(json.time, '2026-11-17T15:00:12.000Z');
  });

  it('keeps the field names and their order (someone may paste it into a fixture); only the time is now a string', () => {
    const q = quote(
      'STK',
      [
        [1, 189.22],
        [2, 189.24],
        [4, 189.23],
        [9, 187.5],
        [45, 1_790_000_000],
      ],
      0.01,
    );
    const json = JSON.parse(quoteJson(q));
    assert.deepEqual(Object.keys(json), Object.keys(JSON.parse(JSON.stringify(q))));
    assert.equal(typeof json.time, 'string');
    assert.match(quoteJson(q), /^\{\n {2}"symbol": "X",\n/, 'indented as before');
  });

  it('a forex mid between two ticks keeps its extra digit; a change below one pip is not lost', () => {
    const q = quote(
      'CASH',
      [
        [1, 1.08732],
        [2, 1.08735],
        [9, 1.0861],
      ],
      0.00005,
      Date.UTC(2026, 10, 21, 15, 3, 11),
    );
    const json = JSON.parse(quoteJson(q));
    assert.equal(json.price, 1.087335);
    assert.equal(json.change, 0.001235);
    assert.equal(json.changePercent, 0.1137);
    // no trade time on IDEALPRO: when the values last changed, in UTC
    assert.equal(json.time, '2026-11-21T15:03:11.000Z');
  });

  it('a negative change, and none where the price is the previous close', () => {
    // CL: 60.03 − 60.04 is −0.00999999999999801 as a double
    const down = JSON.parse(
      quoteJson(
        quote(
          'FUT',
          [
            [4, 60.03],
            [9, 60.04],
          ],
          0.01,
        ),
      ),
    );
    assert.equal(down.change, -0.01);
    assert.equal(down.changePercent, -0.0167);
    const closeOnly = JSON.parse(quoteJson(quote('IND', [[9, 6660]], 0.01)));
    assert.equal(closeOnly.price, 6660);
    assert.equal(closeOnly.priceSource, 'close');
    assert.equal('change' in closeOnly, false);
    assert.equal('time' in closeOnly, true);
  });
});
