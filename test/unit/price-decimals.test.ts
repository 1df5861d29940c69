// Prices shown with the decimals of the instrument's price increment, as IB
// gives it: the watchlist row, the hover and details, the quote table.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableRow } from '../../media/quotes/row-view';
import { QuoteState } from '../../src/ib/quotes/tick-model';
import type { Quote } from '../../src/ib/types';
import { decimalsFor, quoteDecimals } from '../../src/vscode/format';
import { quoteFacts, quoteLine } from '../../src/vscode/quote-text';

interface Capture {
  id: string;
  fields: string[];
}
const CAPTURES: Capture[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'tws-captures.json'), 'utf8'));
const fields = (id: string): string[] => CAPTURES.find((c) => c.id === id)!.fields;

describe('price decimals', () => {
  it('follow the price increment: 0.01, 0.25, 0.00005, 1/64, 0.0000005, 1', () => {
    assert.equal(decimalsFor(231.42, 0.01), 2);
    assert.equal(decimalsFor(6012.25, 0.25), 2);
    assert.equal(decimalsFor(1.08732, 0.00005), 5);
    assert.equal(decimalsFor(110.515625, 1 / 64), 6);
    assert.equal(decimalsFor(0.0066375, 0.0000005), 7);
    assert.equal(decimalsFor(38450, 5), 0);
    assert.equal(decimalsFor(1, 1e-12), 8, 'at most 8');
    // no increment known: four under 10, two above
    assert.equal(decimalsFor(1.0873), 4);
    assert.equal(decimalsFor(231.4), 2);
    assert.equal(decimalsFor(1.1, 0), 4, 'a zero increment is no increment');
  });

  it("EUR.USD as TWS quotes it: the capture's 1.08732 / 1.08735 keep their fifth decimal, and the spread shows", () => {
    // minTick from IB's contract details, bid and ask from its tick-by-tick stream (recorded)
    const minTick = Number(fields('nautilus-contract-data-eurusd')[13]);
    const [, , , , bid, ask] = fields('nautilus-tick-by-tick-bidask-eurusd-2').map(Number);
    assert.equal(minTick, 0.00005);
    const state = new QuoteState('live', 'CASH', minTick);
    state.apply(1, bid, undefined, 0);
    state.apply(2, ask, undefined, 0);
    state.apply(9, 1.0861, undefined, 0);
    const q = state.toQuote('EUR.USD');
    assert.equal(q.minTick, 0.00005);
    const facts = Object.fromEntries(quoteFacts(q));
    assert.equal(facts.Bid, '1.08732 × —');
    assert.equal(facts.Ask, '1.08735 × —');
    // the mid of bid and ask three tenths of a pip apart falls between two: shown exactly, not rounded to a side
    assert.equal(facts.Price, '1.087335 (mid of bid/ask)');
    assert.equal(facts['Prev. close'], '1.08610');
    const row = tableRow('EUR.USD', q);
    assert.equal(row.cells.bid, '1.08732');
    assert.equal(row.cells.ask, '1.08735');
  });

  it('a mid between two ticks gets one more decimal (price and change), never the rounded side; a mid on a tick keeps the tick decimals', () => {
    const stock = new QuoteState('live', 'STK', 0.01);
    stock.apply(1, 202.55, undefined, 0);
    stock.apply(2, 202.56, undefined, 0);
    stock.apply(9, 202.5, undefined, 0);
    const q = stock.toQuote('AAPL');
    assert.equal(Object.fromEntries(quoteFacts(q)).Price, '202.555 (mid of bid/ask)');
    assert.equal(Object.fromEntries(quoteFacts(q)).Change, '+0.055 (+0.03%)');
    const row = tableRow('AAPL', q);
    assert.deepEqual([row.cells.price, row.cells.change, row.cells.bid, row.cells.ask], ['202.555', '+0.055', '202.55', '202.56']);
    const es = new QuoteState('live', 'FUT', 0.25);
    es.apply(1, 5800, undefined, 0);
    es.apply(2, 5800.25, undefined, 0);
    assert.equal(tableRow('ES', es.toQuote('ES')).cells.price, '5800.125');
    es.apply(2, 5800.5, undefined, 0);
    assert.equal(tableRow('ES', es.toQuote('ES')).cells.price, '5800.25', 'two ticks apart: the mid is a tick');
  });

  it("a stock's trade printed below its increment (a sub-penny print) keeps its digits in the row, the table and the details", () => {
    const stock = new QuoteState('live', 'STK', 0.01);
    stock.apply(9, 187.5, undefined, 0);
    stock.apply(1, 187.43, undefined, 0);
    stock.apply(2, 187.44, undefined, 0);
    stock.apply(4, 187.4321, undefined, 0);
    const q = stock.toQuote('AAPL');
    const facts = Object.fromEntries(quoteFacts(q));
    assert.equal(facts.Price, '187.4321 (last trade)');
    assert.equal(facts.Change, '−0.0679 (−0.04%)');
    assert.match(facts.Last, /^187\.4321 × /);
    assert.equal(facts.Bid.split(' ')[0], '187.43', 'the quotes stay on their grid');
    assert.match(quoteLine(q, 'AAPL'), / · last 187\.4321 · change −0\.0679 /, "Get Quote's line");
    const row = tableRow('AAPL', q);
    assert.deepEqual([row.cells.price, row.cells.change, row.cells.bid], ['187.4321', '−0.0679', '187.43']);
    stock.apply(4, 187.45, undefined, 0);
    assert.equal(tableRow('AAPL', stock.toQuote('AAPL')).cells.price, '187.45', 'a print on the grid: two decimals');
  });

  it("an index's price is its value, not a trade: said so (IB sends it as the last)", () => {
    const q: Quote = { symbol: 'SPX', secType: 'IND', last: 6843.12, price: 6843.12, priceSource: 'last', halted: false, dataType: 'live' };
    assert.equal(Object.fromEntries(quoteFacts(q)).Price, '6843.12 (index value)');
    const stock: Quote = { ...q, symbol: 'AAPL', secType: 'STK' };
    assert.equal(Object.fromEntries(quoteFacts(stock)).Price, '6843.12 (last trade)');
  });

  it('USD.JPY keeps its half-pip spread (increment 0.005), which two decimals would hide', () => {
    const q: Quote = { symbol: 'USD.JPY', bid: 151.237, ask: 151.242, price: 151.2395, halted: false, dataType: 'live', minTick: 0.005 };
    const facts = Object.fromEntries(quoteFacts(q));
    assert.equal(facts.Bid, '151.237 × —');
    assert.equal(facts.Ask, '151.242 × —');
    assert.equal(quoteDecimals({ price: 151.24 }), 2, 'without an increment: two');
  });
});
