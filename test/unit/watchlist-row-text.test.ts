// A watchlist row's text (its description) and what a screen reader says of it
// (its accessibility label): what the price is must show on the row itself,
// not only in its hover. watchlist-item.ts makes its icons with vscode's
// classes when loaded: a few stand-ins are enough for the text.
import * as assert from 'node:assert/strict';
import Module from 'node:module';
import { QuoteState } from '../../src/ib/quotes/tick-model';
import type { SecType } from '../../src/ib/types';
import type * as Item from '../../src/vscode/watchlist/watchlist-item';

class Stand {
  constructor(...args: unknown[]) {
    Object.assign(this, { args });
  }
}
const VSCODE_STAND_IN = { ThemeIcon: Stand, ThemeColor: Stand, MarkdownString: Stand, TreeItem: Stand, TreeItemCollapsibleState: { None: 0 } };

/** watchlist-item.ts, loaded with the stand-ins for vscode. */
function loadItem(): typeof Item {
  const loader = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
  const load = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? VSCODE_STAND_IN : load.call(this, request, ...rest);
  };
  try {
    return Module.createRequire(__filename)('../../src/vscode/watchlist/watchlist-item') as typeof Item;
  } finally {
    loader._load = load;
  }
}

/** A row whose quote is built from IB's tick types as the gateway sends them. */
function row(symbol: string, secType: SecType, ticks: Array<[number, number]>, type: 'live' | 'frozen' = 'live') {
  const state = new QuoteState(type, secType, 0.01);
  for (const [tickType, value] of ticks) state.apply(tickType, value, undefined, 0);
  return { symbol, label: symbol, quote: state.toQuote(symbol) } as unknown as Parameters<typeof Item.rowDescription>[0];
}

describe('watchlist row text', () => {
  let item: typeof Item;
  before(() => {
    item = loadItem();
  });

  it('a row priced at the previous close says so (an index before its first print): "prev close", spoken in full', () => {
    const spx = row('SPX', 'IND', [[9, 6660]]);
    assert.equal(item.rowDescription(spx), '6660.00  [prev close]');
    assert.equal(item.rowSpoken(spx), 'SPX, 6660.00, previous close');
    // with the other marks: the price's first, right after it
    const frozen = row('AAPL', 'STK', [[9, 230.24]], 'frozen');
    assert.match(item.rowDescription(frozen), /^230\.24 {2}\[prev close · frozen\]/);
    assert.match(item.rowSpoken(frozen), /^AAPL, 230\.24, previous close, frozen/);
    assert.match(item.rowDescription(frozen, false), /^230\.24 {2}\[prev close · last known, not connected\]/);
  });

  it('a row priced by its last trade carries no such mark', () => {
    const aapl = row('AAPL', 'STK', [
      [4, 231.42],
      [9, 230.24],
    ]);
    assert.equal(item.rowDescription(aapl), '231.42  +1.18 (+0.51%)');
    assert.doesNotMatch(item.rowSpoken(aapl), /close/);
  });

  it('a size without its price is —, not 0 (a closed market under marketDataType live)', () => {
    const aapl = row('AAPL', 'STK', [
      [1, -1],
      [0, 0],
      [2, 231.44],
      [3, 0],
      [4, 231.42],
      [9, 230.24],
    ]);
    assert.match(item.rowDescription(aapl), / {2}—×— \/ 231\.44×0$/);
  });
});
