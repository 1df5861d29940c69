/**
 * A symbol search's row as a person reads it: a kind the extension does not show (IB's search lists crypto,
 * commodities, CFDs too) says so before it is picked, and comes after the kinds it shows.
 */
import { strict as assert } from 'node:assert';
import { matchDescription, shownFirst } from '../../src/ib/contracts/match-text';
import type { SymbolMatch } from '../../src/ib/types';

describe('symbol search rows', () => {
  const btc: SymbolMatch = { conId: 479624278, symbol: 'BTC', secType: 'CRYPTO', primaryExchange: 'PAXOS', currency: 'USD', description: 'Bitcoin' };
  const etf: SymbolMatch = { conId: 1, symbol: 'BTC', secType: 'STK', primaryExchange: 'ARCA', currency: 'USD' };

  it('a kind shown reads as its kind, exchange and currency; another says it is not shown', () => {
    assert.equal(matchDescription(etf), 'STK · ARCA · USD');
    assert.equal(matchDescription(btc), 'CRYPTO · PAXOS · USD · not shown by this extension');
    assert.equal(matchDescription({ conId: 2, symbol: 'XAUUSD', secType: 'CMDTY' }), 'CMDTY · not shown by this extension');
    assert.equal(matchDescription({ conId: 3, symbol: 'X', secType: '' }), 'not shown by this extension', 'a row without its kind');
  });

  it('the kinds shown come first, each group in the order IB sent', () => {
    const rows = [btc, etf, { ...btc, conId: 3 }, { ...etf, conId: 4 }];
    assert.deepEqual(
      shownFirst(rows, (r) => !matchDescription(r).endsWith('not shown by this extension')).map((r) => r.conId),
      [1, 4, 479624278, 3],
    );
  });
});
