// US Treasury futures are quoted in 32nds of a point, as TWS and CME write them: ZN (increment 1/64) "110'165" for
// 110 + 16.5/32, ZF (1/128) "108'312", ZB (1/32) "117'28". The quote table and the details show them so (the
// watchlist row by the same functions, in the extension's tests).
import * as assert from 'node:assert/strict';
import { tableRow } from '../../media/quotes/row-view';
import { QuoteState } from '../../src/ib/quotes/tick-model';
import { formatPrice, formatSigned, priceDecimals, quoteDecimals, thirtySecondsOf } from '../../src/vscode/format';
import { quoteFacts } from '../../src/vscode/quote-text';

describe('prices in 32nds (US Treasury futures)', () => {
  it("are an increment of 1/32, 1/64, 1/128 or 1/256 of a point; nothing else (ES 0.25, a stock's 0.01, 1/100)", () => {
    assert.deepEqual(thirtySecondsOf(1 / 32), { per32: 1 });
    assert.deepEqual(thirtySecondsOf(0.015625), { per32: 2 });
    assert.deepEqual(thirtySecondsOf(0.0078125), { per32: 4 });
    assert.deepEqual(thirtySecondsOf(1 / 256), { per32: 8 });
    for (const tick of [0.25, 0.01, 0.00005, 1 / 16, 0.5, undefined, 0, -1 / 64]) assert.equal(thirtySecondsOf(tick), undefined, String(tick));
  });

  it('are written as TWS writes them: points, an apostrophe, two digits of 32nds and the part of a 32nd', () => {
    const zn = { per32: 2 } as const;
    assert.equal(formatPrice(108 + 17 / 32, zn), "108'170", 'a whole 32nd keeps its third digit');
    assert.equal(formatPrice(108 + 17.5 / 32, zn), "108'175");
    assert.equal(formatPrice(110.515625, zn), "110'165");
    assert.equal(formatPrice(118 + 31 / 32, zn), "118'310");
    assert.equal(formatPrice(112, zn), "112'000");
    const zf = { per32: 4 } as const;
    assert.deepEqual(
      [0.25, 0.5, 0.75].map((q) => formatPrice(118 + (31 + q) / 32, zf)),
      ["118'312", "118'315", "118'317"],
    );
    assert.equal(formatPrice(117 + 28 / 32, { per32: 1 }), "117'28");
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7].map((e) => formatPrice(102 + (4 + e / 8) / 32, { per32: 8 })),
      ["102'041", "102'042", "102'043", "102'045", "102'046", "102'047", "102'048"],
    );
    // binary noise and the top of a point
    assert.equal(formatPrice(110 + 63.99999999 / 64, zn), "111'000");
    assert.equal(formatSigned(5 / 64, zn), "+0'025");
    assert.equal(formatSigned(-0.140625, zn), "−0'045");
    assert.equal(formatSigned(0, zn), "0'000");
    // a value between two 64ths is written in finer parts of a 32nd, never rounded to a side (a close settled finer)
    assert.equal(formatPrice(110.5078125, zn), "110'162");
    assert.equal(formatSigned(110.515625 - 110.5078125, zn), "+0'002");
    assert.equal(formatPrice(110.5 + 1 / 1024, zn), (110.5 + 1 / 1024).toFixed(8), 'past eighths of a 32nd: decimals');
  });

  it('a ZN quote in the row, the quote table and the details; a mid between two 64ths in quarters of a 32nd', () => {
    const zn = new QuoteState('live', 'FUT', 0.015625);
    zn.apply(9, 110.375, undefined, 0);
    zn.apply(1, 110.5, undefined, 0);
    zn.apply(2, 110.515625, undefined, 0);
    zn.apply(4, 110.515625, undefined, 0);
    zn.apply(6, 110.640625, undefined, 0);
    zn.apply(7, 110.234375, undefined, 0);
    const q = zn.toQuote('ZN');
    assert.deepEqual(quoteDecimals(q), { per32: 2 });
    const facts = Object.fromEntries(quoteFacts(q));
    assert.equal(facts.Price, "110'165 (last trade)");
    assert.equal(facts.Change, "+0'045 (+0.13%)");
    assert.match(facts.Bid, /^110'160 × /);
    assert.equal(facts.High, "110'205");
    assert.equal(facts['Prev. close'], "110'120");
    const row = tableRow('ZN', q);
    assert.deepEqual(
      [row.cells.price, row.cells.change, row.cells.bid, row.cells.ask, row.cells.high, row.cells.low],
      ["110'165", "+0'045", "110'160", "110'165", "110'205", "110'075"],
    );
    assert.equal(row.sort.price, 110.515625, 'sorted by the number');
    // no trade yet: the mid of 110'160 and 110'165 is a quarter of a 32nd
    const mid = new QuoteState('live', 'FUT', 0.015625);
    mid.apply(1, 110.5, undefined, 0);
    mid.apply(2, 110.515625, undefined, 0);
    const m = mid.toQuote('ZN');
    assert.equal(m.priceSource, 'mid');
    assert.deepEqual(priceDecimals(m), { per32: 4 });
    assert.equal(tableRow('ZN', m).cells.price, "110'162");
  });
});
