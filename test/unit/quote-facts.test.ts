// A quote's facts (the hover, the details, Copy as text) list what the
// instrument has: IB never sends an index's bid, ask, sizes or volume, nor a
// forex pair's last trade or volume, so those rows are left out, not shown "—".
import * as assert from 'node:assert/strict';
import { QuoteState } from '../../src/ib/quotes/tick-model';
import type { SecType } from '../../src/ib/types';
import { tableRow, tableTime } from '../../media/quotes/row-view';
import { copyValue, quoteClipboard, quoteFacts, quoteLine } from '../../src/vscode/quote-text';

/** A quote built from IB's tick types as the gateway sends them for one instrument. */
function quote(secType: SecType, ticks: Array<[number, number]>, minTick = 0.01): Map<string, string> {
  const state = new QuoteState('live', secType, minTick);
  for (const [tickType, value] of ticks) state.apply(tickType, value, undefined, 0);
  return new Map(quoteFacts(state.toQuote('X')));
}

describe('quote facts', () => {
  it('an index: last, high, low and close, no bid, ask, sizes, volume or open (IB sends none: no row shown empty)', () => {
    // what TWS sends for SPX (docs/real-tws-facts.md §3): LAST 4, HIGH 6, LOW 7, CLOSE 9
    const facts = quote('IND', [
      [4, 6672.41],
      [6, 6690.02],
      [7, 6651.3],
      [9, 6660],
    ]);
    // (no tick 45 here: the time is when the values last changed)
    assert.deepEqual([...facts.keys()], ['Price', 'Change', 'Last', 'High', 'Low', 'Prev. close', 'Updated', 'Data']);
    assert.equal(facts.get('Last'), '6672.41', 'no "× —" size');
    assert.equal(facts.get('Price'), '6672.41 (index value)', 'an index is calculated, not traded');
    // an open that does come is shown
    assert.equal(
      quote('IND', [
        [4, 6672.41],
        [14, 6661.5],
      ]).get('Open'),
      '6661.50',
    );
  });

  it('the one-line quote (Get Quote): an index starts at its last, a stock at its bid; one separator after the name', () => {
    const index = new QuoteState('live', 'IND', 0.01);
    for (const [t, v] of [
      [4, 6672.41],
      [9, 6660],
    ])
      index.apply(t, v, undefined, 0);
    assert.equal(quoteLine(index.toQuote('SPX'), 'SPX (CBOE)'), 'SPX (CBOE): last 6672.41 · change +12.41 (+0.19%)');
    const stock = new QuoteState('live', 'STK', 0.01);
    for (const [t, v] of [
      [1, 231.4],
      [0, 300],
      [2, 231.44],
      [3, 200],
      [4, 231.42],
      [9, 230.24],
    ])
      stock.apply(t, v, undefined, 0);
    assert.equal(quoteLine(stock.toQuote('AAPL'), 'AAPL'), 'AAPL: bid 231.40 × 300 · ask 231.44 × 200 · last 231.42 · change +1.18 (+0.51%)');
  });

  it("the quote table's time: the time of day today, with its day when it is another (Friday's quote read on Saturday)", () => {
    const friday = new Date(2026, 11, 4, 18, 31, 50).getTime();
    assert.equal(tableTime(friday, new Date(2026, 11, 4, 20, 0).getTime()), '18:31:50');
    assert.equal(tableTime(friday, new Date(2026, 11, 5, 9, 0).getTime()), 'Dec 4 18:31:50');
    assert.equal(tableTime(undefined, friday), '—');
  });

  it("names the zone of the quote's local time (the charts show the exchange's)", () => {
    const state = new QuoteState('live', 'STK', 0.01);
    state.apply(4, 231.41, undefined, 0);
    state.apply(45, Date.UTC(2026, 10, 17, 15, 0, 12) / 1000, undefined, 0);
    const time = new Map(quoteFacts(state.toQuote('AAPL'))).get('Last trade')!;
    assert.match(time, /^2026-11-\d\d \d\d:\d\d:12 \S+/);
    const zone = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short' })
      .formatToParts(new Date(Date.UTC(2026, 10, 17)))
      .find((p) => p.type === 'timeZoneName')!.value;
    assert.ok(time.endsWith(` ${zone}`), `${time} names ${zone}`);
    // Copy as text says the same time, zone and all (it gave the time alone, in no named zone)
    assert.ok(quoteClipboard(state.toQuote('AAPL'), 'AAPL').endsWith(` · last trade ${time}`), quoteClipboard(state.toQuote('AAPL'), 'AAPL'));
  });

  it('the details and Copy as text give the volume in full (the row and the table round it: 22.1M)', () => {
    const state = new QuoteState('live', 'STK', 0.01);
    state.apply(4, 231.41, undefined, 0);
    state.apply(8, 22_134_567, undefined, 0);
    const q = state.toQuote('AAPL');
    assert.equal(new Map(quoteFacts(q)).get('Volume'), '22,134,567');
    assert.match(quoteClipboard(q, 'AAPL'), / · volume 22,134,567 · /);
  });

  it('a forex pair: bid and ask with their sizes, no last trade or volume', () => {
    const facts = quote(
      'CASH',
      [
        [1, 1.1567],
        [0, 2_000_000],
        [2, 1.1568],
        [3, 1_000_000],
        [9, 1.155],
      ],
      0.00005,
    );
    // IDEALPRO sends no trade time: the time is when the values last changed
    assert.deepEqual([...facts.keys()], ['Price', 'Change', 'Bid', 'Ask', 'Open', 'High', 'Low', 'Prev. close', 'Updated', 'Data']);
    assert.equal(facts.get('Bid'), '1.15670 × 2.00M');
    assert.equal(facts.get('Price'), '1.15675 (mid of bid/ask)');
  });

  it('a stock or a future: every row, "—" for what has not come yet', () => {
    for (const secType of ['STK', 'FUT'] as const) {
      const facts = quote(secType, [
        [1, 231.4],
        [2, 231.42],
      ]);
      // no trade yet: the time is when the values last changed
      assert.deepEqual(
        [...facts.keys()],
        ['Price', 'Change', 'Bid', 'Ask', 'Last', 'Open', 'High', 'Low', 'Prev. close', 'Volume', 'Updated', 'Data'],
        secType,
      );
      assert.equal(facts.get('Volume'), '—');
      assert.equal(facts.get('Last'), '— × —');
    }
  });

  it('not connected: the hover, the details and the quote table say the values are the last known, not "live"', () => {
    const state = new QuoteState('live', 'STK', 0.01);
    state.apply(4, 231.41, undefined, 0);
    const q = state.toQuote('AAPL');
    assert.equal(new Map(quoteFacts(q)).get('Data'), 'live');
    assert.equal(new Map(quoteFacts(q, false)).get('Data'), 'last known, not connected');
    const { dataType, last, price, priceSource } = q;
    const fields = { dataType, last, price, priceSource, secType: q.secType };
    assert.equal(tableRow('AAPL', fields).cells.data, 'live');
    const stale = tableRow('AAPL', { ...fields, stale: true });
    assert.equal(stale.cells.data, 'last known, not connected');
    assert.match(stale.title, /\nData: last known, not connected$/);
    assert.equal(stale.cells.price, '231.41', 'the last known price stays');
  });
});

describe('a value copied from the quote details', () => {
  it('is the number shown, without its source, size or percentage', () => {
    const facts = quote('STK', [
      [1, 189.22],
      [0, 3],
      [2, 189.24],
      [3, 5],
      [4, 189.23],
      [8, 323886],
      [9, 187.5],
    ]);
    assert.equal(copyValue(facts.get('Price')!), '189.23');
    assert.equal(copyValue(facts.get('Bid')!), '189.22');
    assert.equal(copyValue(facts.get('Change')!), '+1.73');
    assert.equal(copyValue(facts.get('Volume')!), facts.get('Volume'));
    // the volume's whole count, copied without its separators
    assert.equal(facts.get('Volume'), '323,886');
    assert.equal(copyValue(facts.get('Volume')!, { volume: 323886 }, 'Volume'), '323886');
    assert.equal(copyValue(facts.get('Price')!, { volume: 323886 }, 'Price'), '189.23');
  });

  it('a negative change with an ASCII minus, for a program to read; nothing where there is no value yet', () => {
    const facts = quote('STK', [
      [4, 185.77],
      [9, 187.5],
    ]);
    assert.match(facts.get('Change')!, /^\u2212/, 'shown with a typographic minus');
    assert.equal(copyValue(facts.get('Change')!), '-1.73');
    assert.equal(Number(copyValue(facts.get('Change')!)), -1.73);
    assert.equal(copyValue(facts.get('Bid')!), undefined, `no bid yet: ${facts.get('Bid')}`);
    assert.equal(copyValue('—'), undefined);
  });

  it('is the whole text where there is no number first (a time, the data type)', () => {
    assert.equal(copyValue('2026-12-04 10:47:03 EST'), '2026-12-04 10:47:03 EST');
    assert.equal(copyValue('live'), 'live');
  });
});

describe("a quote's time, labelled by what it is", () => {
  it('a stock with its last trade\'s time (tick 45): "Last trade", in the hover, Copy as text and the table', () => {
    const state = new QuoteState('live', 'STK', 0.01);
    state.apply(4, 231.41, undefined, Date.UTC(2026, 10, 17, 15, 0, 30));
    state.apply(45, Date.UTC(2026, 10, 17, 15, 0, 12) / 1000, undefined, Date.UTC(2026, 10, 17, 15, 0, 30));
    const q = state.toQuote('AAPL');
    const facts = new Map(quoteFacts(q));
    assert.equal(facts.has('Time'), false);
    assert.match(facts.get('Last trade')!, /:12 /, "the trade's time, not when it arrived");
    assert.match(quoteClipboard(q, 'AAPL'), / · last trade \d{4}-\d\d-\d\d \d\d:\d\d:12 /);
    const { dataType, last, price, priceSource, secType, time, timeIsTrade } = q;
    const row = tableRow('AAPL', { dataType, last, price, priceSource, secType, time, timeIsTrade }, time);
    assert.match(row.cells.time, /^\d\d:\d\d:12$/);
    assert.match(row.title, /\nLast trade: /);
  });

  it('a forex pair (IDEALPRO has no trade time): "Updated", when its values last changed', () => {
    // Saturday: the frozen EUR.USD line carries the moment it was opened
    const opened = Date.UTC(2026, 10, 21, 15, 3, 11);
    const state = new QuoteState('frozen', 'CASH', 0.00005);
    for (const [t, v] of [
      [1, 1.1567],
      [0, 2_000_000],
      [2, 1.1568],
      [3, 1_000_000],
      [9, 1.155],
    ])
      state.apply(t, v, undefined, opened);
    const q = state.toQuote('EUR.USD');
    const facts = new Map(quoteFacts(q));
    assert.equal(facts.has('Time'), false);
    assert.equal(facts.has('Last trade'), false);
    assert.match(facts.get('Updated')!, /:11 /);
    assert.match(quoteClipboard(q, 'EUR.USD'), / · updated \d{4}-\d\d-\d\d \d\d:\d\d:11 /);
    const { dataType, bid, ask, price, priceSource, secType, time } = q;
    const row = tableRow('EUR.USD', { dataType, bid, ask, price, priceSource, secType, time }, opened);
    assert.match(row.cells.time, /^\d\d:\d\d:11 \(updated\)$/);
    assert.match(row.title, /\nUpdated: /);
  });

  it('a stock before its first trade: "Updated" too', () => {
    const facts = quote('STK', [
      [1, 231.4],
      [2, 231.42],
    ]);
    assert.equal(facts.has('Last trade'), false);
    assert.ok(facts.has('Updated'));
  });
});

describe('a size without its price', () => {
  // a closed market under marketDataType live: IB sends bid and ask -1 with size 0
  const closed: Array<[number, number]> = [
    [1, -1],
    [0, 0],
    [2, -1],
    [3, 0],
    [4, 231.42],
    [5, 100],
    [9, 230.24],
  ];

  it('the hover and the details show "— × —", not "— × 0"', () => {
    const facts = quote('STK', closed);
    assert.equal(facts.get('Bid'), '— × —');
    assert.equal(facts.get('Ask'), '— × —');
    assert.equal(facts.get('Last'), '231.42 × 100', 'a size with its price stays');
  });

  it('Get Quote\'s line: "bid — × —"', () => {
    const state = new QuoteState('live', 'STK', 0.01);
    for (const [t, v] of closed) state.apply(t, v, undefined, 0);
    assert.equal(quoteLine(state.toQuote('AAPL'), 'AAPL'), 'AAPL: bid — × — · ask — × — · last 231.42 · change +1.18 (+0.51%)');
  });

  it("the quote table's size cells show — and sort last", () => {
    const row = tableRow('AAPL', { dataType: 'live', bidSize: 0, askSize: 0, last: 231.42, price: 231.42, priceSource: 'last', secType: 'STK' });
    assert.equal(row.cells.bidSize, '—');
    assert.equal(row.cells.askSize, '—');
    assert.equal(row.sort.bidSize, undefined);
    assert.equal(row.sort.askSize, undefined);
    const quoted = tableRow('AAPL', { dataType: 'live', bid: 231.4, bidSize: 0, secType: 'STK' });
    assert.equal(quoted.cells.bidSize, '0', 'a size of 0 against a price is shown');
  });
});
