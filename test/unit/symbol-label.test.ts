// What a list shows for a watchlist entry: a future by its month in words, as
// the symbol search names it, whichever way the entry is written.
import * as assert from 'node:assert/strict';
import { tableRow } from '../../media/quotes/row-view';
import { entryLabel, specForMatch } from '../../src/ib/contracts/symbol-text';
import { parseSymbol } from '../../src/ib/contracts/symbol';
import type { SymbolMatch } from '../../src/ib/types';

describe('entry labels', () => {
  it('names a future by its month in words, written by month or by code', () => {
    assert.equal(entryLabel('ES 202612 FUT@CME', 2026), 'ES Dec 2026');
    assert.equal(entryLabel('ESZ6 FUT@CME', 2026), 'ES Dec 2026');
    assert.equal(entryLabel('NQ 202703 FUT@CME', 2026), 'NQ Mar 2027');
    // a last trade day is not a contract month (CL's January contract last trades in December): as written
    assert.equal(entryLabel('CL 20251219 FUT@NYMEX', 2026), 'CL 20251219 FUT@NYMEX');
  });

  it('leaves everything else as written: stocks, listings, forex, indexes, contract ids, text that does not parse', () => {
    for (const text of ['AAPL', 'SHOP@TSE', 'EUR.USD', 'SPX IND@CBOE', '#265598', '', 'NOT A SYMBOL!!']) assert.equal(entryLabel(text, 2026), text);
  });

  it('the quote table shows the label in the symbol column and both in the row hover', () => {
    const row = tableRow('ES 202612 FUT@CME', { label: 'ES Dec 2026', price: 6000.25, minTick: 0.25, dataType: 'live', secType: 'FUT' });
    assert.equal(row.cells.symbol, 'ES Dec 2026');
    assert.equal(row.symbol, 'ES 202612 FUT@CME', 'the row is still the entry (details, chart, order)');
    assert.match(row.title, /^ES Dec 2026: ES 202612 FUT@CME\n/);
    assert.equal(tableRow('AAPL', { price: 1, dataType: 'live' }).cells.symbol, 'AAPL');
  });
});

describe('symbol texts for search matches', () => {
  const m = (symbol: string, secType: string, primaryExchange?: string, currency?: string): SymbolMatch => ({
    conId: 1,
    symbol,
    secType,
    primaryExchange,
    currency,
  });

  it('a plain symbol for a US-dollar listing alone in the list; exchange and currency for a listing abroad (a plain RY asks for a US one)', () => {
    const aapl = m('AAPL', 'STK', 'NASDAQ', 'USD');
    assert.equal(specForMatch(aapl, [aapl]), 'AAPL');
    const ry = m('RY', 'STK', 'TSE', 'CAD');
    assert.equal(specForMatch(ry, [ry]), 'RY@TSE CAD');
    assert.equal(parseSymbol(specForMatch(ry, [ry])).currency, 'CAD');
    const twins = [m('SHOP', 'STK', 'NYSE', 'USD'), m('SHOP', 'STK', 'TSE', 'CAD')];
    assert.deepEqual(
      twins.map((t) => specForMatch(t, twins)),
      ['SHOP@NYSE USD', 'SHOP@TSE CAD'],
    );
    assert.equal(specForMatch(m('EUR', 'CASH', '', 'USD'), []), 'EUR.USD');
    assert.equal(specForMatch(m('SPX', 'IND', 'CBOE', 'USD'), []), 'SPX IND@CBOE');
  });

  it('by its contract id where the grammar would not read the text back as that contract (a share class, a future without its month)', () => {
    const byId = (x: SymbolMatch) => ({ ...x, conId: 12087792 });
    // a numbered listing reads back with its exchange (Tencent: 700 on SEHK)
    const tencent = m('700', 'STK', 'SEHK', 'HKD');
    assert.equal(specForMatch(tencent, [tencent]), '700@SEHK HKD');
    assert.equal(parseSymbol('700@SEHK HKD').symbol, '700');
    for (const x of [m('BRK B', 'STK', 'NYSE', 'USD'), m('FDAX', 'FUT', 'EUREX', 'EUR')]) {
      const text = specForMatch(byId(x), [byId(x)]);
      assert.equal(text, '12087792', `${x.symbol}: ${text}`);
      assert.equal(parseSymbol(text).conId, 12087792);
    }
  });
});
