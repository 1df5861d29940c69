import { strict as assert } from 'node:assert';
import { quotePrice } from '../../src/ib/facts/price';
import { dataTypeFromNumber, dataTypeToNumber, isDelayedTick, QuoteState } from '../../src/ib/quotes';

describe('quote model from tick updates', () => {
  it('fills bid, ask, last, sizes, volume, open, high, low and close from live ticks', () => {
    const s = new QuoteState('live');
    const ticks: Array<[number, number]> = [
      [1, 189.5],
      [2, 189.52],
      [4, 189.51],
      [0, 300],
      [3, 200],
      [5, 100],
      [8, 123456],
      [14, 187],
      [6, 190.1],
      [7, 186.9],
      [9, 188],
    ];
    for (const [t, v] of ticks) assert.equal(s.apply(t, v, undefined, 1000), true, `tick ${t}`);
    const q = s.toQuote('AAPL', 265598);
    assert.deepEqual(
      {
        bid: q.bid,
        ask: q.ask,
        last: q.last,
        bidSize: q.bidSize,
        askSize: q.askSize,
        lastSize: q.lastSize,
        volume: q.volume,
        open: q.open,
        high: q.high,
        low: q.low,
        close: q.close,
      },
      { bid: 189.5, ask: 189.52, last: 189.51, bidSize: 300, askSize: 200, lastSize: 100, volume: 123456, open: 187, high: 190.1, low: 186.9, close: 188 },
    );
    assert.equal(q.symbol, 'AAPL');
    assert.equal(q.conId, 265598);
    assert.equal(q.dataType, 'live');
    assert.equal(q.halted, false);
    assert.ok(Math.abs((q.change ?? NaN) - 1.51) < 1e-9);
    assert.ok(Math.abs((q.changePercent ?? NaN) - (1.51 / 188) * 100) < 1e-9);
    assert.equal(q.time, 1000, 'no trade time known: time of the last update');
  });

  it("changes against a previous close below zero (crude in April 2020): the rise is a rise, its percent of the close's size", () => {
    const s = new QuoteState('live');
    for (const [t, v] of [
      [9, -37.63],
      [4, 10.01],
    ] as Array<[number, number]>)
      s.apply(t, v, undefined, 1000);
    const q = s.toQuote('CL', 1);
    assert.ok(Math.abs((q.change ?? NaN) - 47.64) < 1e-9, String(q.change));
    assert.ok(Math.abs((q.changePercent ?? NaN) - (47.64 / 37.63) * 100) < 1e-9, String(q.changePercent));
    // no change against a close of zero
    const z = new QuoteState('live');
    z.apply(9, 0, undefined, 1000);
    z.apply(4, 1, undefined, 1000);
    assert.equal(z.toQuote('Z', 2).change, undefined);
  });

  it('reads delayed tick types 66..76 into the same fields and reports delayed', () => {
    const s = new QuoteState('live');
    const ticks: Array<[number, number]> = [
      [66, 10],
      [67, 11],
      [68, 10.5],
      [69, 1],
      [70, 2],
      [71, 3],
      [72, 12],
      [73, 9],
      [74, 500],
      [75, 10],
      [76, 9.5],
    ];
    for (const [t, v] of ticks) s.apply(t, v, undefined, 5);
    const q = s.toQuote('X');
    assert.deepEqual(
      [q.bid, q.ask, q.last, q.bidSize, q.askSize, q.lastSize, q.high, q.low, q.volume, q.close, q.open],
      [10, 11, 10.5, 1, 2, 3, 12, 9, 500, 10, 9.5],
    );
    assert.equal(q.dataType, 'delayed');
    assert.equal(q.change, 0.5);
    assert.equal(q.changePercent, 5);
    assert.equal(isDelayedTick(66), true);
    assert.equal(isDelayedTick(90), true);
    assert.equal(isDelayedTick(4), false);
  });

  it('takes the trade time from tick 45 (and delayed 88), in epoch ms', () => {
    const s = new QuoteState();
    s.apply(4, 5, undefined, 99);
    assert.equal(s.apply(45, undefined, '1700000000', 100), true);
    assert.equal(s.toQuote('X').time, 1_700_000_000_000);
    assert.equal(s.apply(88, undefined, '1700000060', 100), true);
    assert.equal(s.toQuote('X').time, 1_700_000_060_000);
    assert.equal(s.apply(45, undefined, 'garbage', 100), false);
  });

  it('marks halted from tick 49 (1 or 2) and clears it on 0', () => {
    const s = new QuoteState();
    assert.equal(s.apply(49, 1, undefined, 1), true);
    assert.equal(s.toQuote('X').halted, true);
    assert.equal(s.apply(49, 0, undefined, 2), true);
    assert.equal(s.toQuote('X').halted, false);
    s.apply(90, 2, undefined, 3);
    assert.equal(s.toQuote('X').halted, true);
  });

  it('treats -1 and an empty-book 0 bid as no value, and reports unchanged ticks as no change', () => {
    const s = new QuoteState();
    s.apply(1, 10, undefined, 1);
    assert.equal(s.apply(1, 10, undefined, 2), false);
    assert.equal(s.apply(1, -1, undefined, 3), true);
    assert.equal(s.toQuote('X').bid, undefined);
    s.apply(2, 0, undefined, 4);
    assert.equal(s.toQuote('X').ask, undefined);
    assert.equal(s.apply(9999, 1, undefined, 5), false);
  });

  it("reads IB's unset Decimal in a size or volume (Integer.MAX_VALUE, Long.MAX_VALUE) as no value, as IB's own decoders do", () => {
    const s = new QuoteState('live', 'STK');
    s.apply(0, 300, undefined, 1);
    s.apply(8, 5000, undefined, 1);
    assert.equal(s.apply(0, 2147483647, undefined, 2), true);
    assert.equal(s.apply(8, Number('9223372036854775807'), undefined, 2), true);
    s.apply(3, Number('9223372036854775807'), undefined, 2);
    const q = s.toQuote('X');
    assert.deepEqual([q.bidSize, q.volume, q.askSize], [undefined, undefined, undefined]);
    // a price of that size stays a price (only counts have the sentinel)
    s.apply(4, 2147483647, undefined, 3);
    assert.equal(s.toQuote('X').last, 2147483647);
  });

  it('keeps a price below zero (crude settled at -37.63 on 2020-04-20) but never a size or volume below zero', () => {
    const s = new QuoteState('live', 'FUT');
    s.apply(4, -37.63, undefined, 1);
    s.apply(9, 18.27, undefined, 1);
    s.apply(5, -3, undefined, 1);
    s.apply(8, -5, undefined, 1);
    const q = s.toQuote('CL');
    assert.equal(q.last, -37.63);
    assert.equal(q.price, -37.63);
    assert.equal(q.priceSource, 'last');
    assert.ok(q.change !== undefined && Math.abs(q.change - -55.9) < 1e-9);
    assert.equal(q.lastSize, undefined);
    assert.equal(q.volume, undefined);
  });

  it('uses the midpoint for change when there are no trades (forex) and no change without a close', () => {
    const s = new QuoteState();
    s.apply(1, 1.1, undefined, 1);
    s.apply(2, 1.2, undefined, 1);
    assert.equal(s.toQuote('EUR.USD').change, undefined);
    s.apply(9, 1.0, undefined, 1);
    const q = s.toQuote('EUR.USD');
    assert.ok(Math.abs((q.change ?? NaN) - 0.15) < 1e-9);
  });

  it('prices a quote by one rule: last trade, else mid, else previous close; forex by its mid only', () => {
    const stk = new QuoteState('live', 'STK');
    stk.apply(9, 100, undefined, 1);
    assert.deepEqual([stk.toQuote('X').price, stk.toQuote('X').priceSource, stk.toQuote('X').change], [100, 'close', undefined]);
    stk.apply(1, 101, undefined, 1);
    stk.apply(2, 103, undefined, 1);
    assert.deepEqual([stk.toQuote('X').price, stk.toQuote('X').priceSource, stk.toQuote('X').change], [102, 'mid', 2]);
    stk.apply(4, 101.5, undefined, 1);
    assert.deepEqual([stk.toQuote('X').price, stk.toQuote('X').priceSource], [101.5, 'last']);
    const fx = new QuoteState('live', 'CASH');
    fx.apply(9, 1.3222, undefined, 1);
    fx.apply(1, 1.3247, undefined, 1);
    fx.apply(2, 1.3248, undefined, 1);
    fx.apply(4, 1.3, undefined, 1); // a stray last never wins over the forex mid
    const q = fx.toQuote('EUR.USD');
    assert.equal(q.priceSource, 'mid');
    assert.ok(Math.abs((q.price ?? NaN) - 1.32475) < 1e-9);
    const oneSide = new QuoteState('live', 'STK');
    oneSide.apply(9, 50, undefined, 1);
    oneSide.apply(1, 51, undefined, 1);
    assert.deepEqual([oneSide.toQuote('X').price, oneSide.toQuote('X').priceSource], [51, 'bid'], 'one side of the book beats the previous close');
    oneSide.apply(4, 0, undefined, 1);
    assert.equal(oneSide.toQuote('X').priceSource, 'bid', 'a last of 0 is no trade');
  });

  it('lets the MARKET_DATA_TYPE report win over what was asked, and maps setting names to IB numbers', () => {
    const s = new QuoteState('live');
    assert.equal(s.setReportedType(2), true);
    assert.equal(s.toQuote('X').dataType, 'frozen');
    assert.equal(s.setReportedType(2), false);
    assert.equal(s.setReportedType(9), false);
    s.setRequestedType('delayed-frozen');
    assert.equal(s.dataType, 'delayed-frozen');
    assert.equal(s.toQuote('X', undefined, true).fellBack, true);
    assert.deepEqual(
      ['live', 'frozen', 'delayed', 'delayed-frozen', 'auto'].map((t) => dataTypeToNumber(t as 'live')),
      [1, 2, 3, 4, 2],
    );
    assert.deepEqual([1, 2, 3, 4, 5].map(dataTypeFromNumber), ['live', 'frozen', 'delayed', 'delayed-frozen', undefined]);
  });
});

describe('the price shown: the mid of bid and ask without binary noise', () => {
  it('1.3181 / 1.3182 is 1.31815 (not 1.3181500000000002); 152.39 / 152.395 is 152.3925', () => {
    assert.equal(quotePrice({ bid: 1.3181, ask: 1.3182 }, 'CASH')?.price, 1.31815);
    assert.equal(quotePrice({ bid: 152.39, ask: 152.395 }, 'CASH')?.price, 152.3925);
    assert.equal(quotePrice({ bid: -37.65, ask: -37.6 })?.price, -37.625);
  });

  it('a crossed book (bid above ask) is still priced at its mid, never at the previous close', () => {
    assert.deepEqual(quotePrice({ bid: 1.0815, ask: 1.0813, close: 1.081 }, 'CASH'), { price: 1.0814, source: 'mid' });
  });
});

describe('quote model: a line sent again (a reconnect)', () => {
  it('says the quote is stale while a value from before has not come again, and not once every one has', () => {
    const s = new QuoteState('live', 'STK');
    for (const [t, v] of [
      [1, 189.5],
      [2, 189.52],
      [4, 189.51],
      [8, 123456],
    ] as const)
      s.apply(t, v, undefined, 1000);
    s.apply(45, undefined, '1700000000', 1000);
    assert.equal(s.toQuote('AAPL').stale, undefined, 'a first picture is not stale');
    s.setRequestedType('live'); // sent again
    s.apply(1, 189.6, undefined, 2000);
    s.apply(2, 189.62, undefined, 2000);
    const mixed = s.toQuote('AAPL');
    assert.equal(mixed.stale, true, 'new bid and ask, the old last, volume and trade time');
    assert.equal(mixed.volume, 123456, 'the old values stay readable meanwhile');
    s.apply(4, 189.51, undefined, 2000); // the same last again: confirmed, unchanged
    s.apply(8, 123999, undefined, 2000);
    assert.equal(s.toQuote('AAPL').stale, true, 'the trade time has not come again');
    s.apply(45, undefined, '1700000009', 2000);
    assert.equal(s.toQuote('AAPL').stale, undefined);
  });
});
