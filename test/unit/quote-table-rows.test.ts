// The quote table's protocol: the host sends the fields that changed, the
// webview keeps them and works the row's text out of them.
import * as assert from 'node:assert/strict';
import { applyChanges, fieldChanges, QUOTE_FIELDS, type QuoteFields } from '../../media/quotes/protocol';
import { tableRow } from '../../media/quotes/row-view';

describe('quote table rows', () => {
  it('sends every field the first time, then only those that changed, null for one no longer known', () => {
    const first: QuoteFields = { bid: 1.1, ask: 1.2, close: 1.0, dataType: 'live', halted: false };
    assert.deepEqual(fieldChanges(undefined, first), first);
    assert.equal(fieldChanges(first, { ...first }), undefined, 'nothing changed: nothing to send');
    assert.deepEqual(fieldChanges(first, { ...first, bid: 1.15 }), { bid: 1.15 });
    const { ask: _gone, ...withoutAsk } = first;
    assert.deepEqual(fieldChanges(first, { ...withoutAsk, error: 'No security definition' }), { ask: null, error: 'No security definition' });
  });

  it('the webview ends up with the host fields after any sequence of changes', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const kinds: Record<string, () => unknown> = {
      priceSource: () => ['last', 'mid', 'close'][Math.floor(rnd() * 3)],
      dataType: () => ['live', 'delayed', 'frozen'][Math.floor(rnd() * 3)],
      halted: () => rnd() < 0.5,
      fellBack: () => rnd() < 0.5,
      error: () => `error ${Math.floor(rnd() * 3)}`,
    };
    let host: QuoteFields | undefined;
    const webview: QuoteFields = {};
    for (let step = 0; step < 500; step++) {
      const next: Record<string, unknown> = {};
      for (const k of QUOTE_FIELDS) {
        if (rnd() < 0.3) continue; // unknown
        next[k] = kinds[k]?.() ?? Math.round(rnd() * 4) / 2;
      }
      const set = fieldChanges(host, next as QuoteFields);
      if (set) applyChanges(webview, JSON.parse(JSON.stringify(set)));
      host = next as QuoteFields;
      assert.deepEqual(webview, host, `step ${step}`);
    }
  });

  it('a change the webview cannot use removes the field rather than showing it', () => {
    const f: QuoteFields = { bid: 1, ask: 2 };
    applyChanges(f, { bid: { toString: () => 'x' } as unknown as number, ask: 3, nonsense: 5 } as never);
    assert.deepEqual(f, { ask: 3 });
  });

  it('forex with no last trade shows the mid of bid/ask, and the hover says so', () => {
    const row = tableRow('EUR.USD', {
      bid: 1.1,
      ask: 1.1002,
      close: 1.09,
      price: 1.1001,
      priceSource: 'mid',
      change: 0.0101,
      changePercent: 0.9266,
      dataType: 'live',
      halted: false,
    });
    assert.equal(row.cells.price, '1.1001');
    assert.equal(row.cells.change, '+0.0101');
    assert.equal(row.direction, 'up');
    assert.equal(row.sort.bid, 1.1);
    assert.match(row.title, /^EUR\.USD\nPrice: 1\.1001 \(mid of bid\/ask\)\n/);
  });

  it('a row waiting for its first quote shows dashes; an error shows in the data column', () => {
    const waiting = tableRow('AAPL', {});
    assert.equal(waiting.cells.price, '—');
    assert.equal(waiting.cells.data, '…');
    assert.equal(waiting.title, 'AAPL');
    assert.equal(tableRow('ZZZZ', { error: 'No security definition has been found' }).cells.data, '⚠ No security definition has been found');
    assert.equal(tableRow('AAPL', { dataType: 'delayed', halted: true, last: 10, price: 10, priceSource: 'last' }).cells.data, 'HALTED · delayed');
  });
});
