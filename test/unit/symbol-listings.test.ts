/**
 * The symbol grammar for listings outside the US and for kinds it does not show, against how IB names them:
 * numbered listings (Tencent is 700 on SEHK, Toyota 7203 on TSEJ), share classes that keep their dot outside
 * the US (TECK.B on TSE, BT.A on LSE; a US class is "BRK B" at IB), and pairs that are not forex
 * (IB lists BTC at PAXOS as CRYPTO and spot gold XAUUSD as CMDTY, never on IDEALPRO).
 */
import { strict as assert } from 'node:assert';
import { parseSymbol } from '../../src/ib/contracts/symbol';
import { specForMatch } from '../../src/ib/contracts/symbol-text';

const parse = (t: string) => parseSymbol(t, 2026);

describe('symbol grammar: listings beyond US stocks', () => {
  it('a numbered listing with its exchange is that stock, in its currency; a bare number stays a contract id', () => {
    assert.deepEqual(parse('700@SEHK'), { text: '700@SEHK', symbol: '700', secType: 'STK', exchange: 'SMART', primaryExchange: 'SEHK', currency: 'HKD' });
    assert.deepEqual(parse('7203@TSEJ'), { text: '7203@TSEJ', symbol: '7203', secType: 'STK', exchange: 'SMART', primaryExchange: 'TSEJ', currency: 'JPY' });
    assert.deepEqual(parse('7203'), { text: '7203', conId: 7203 });
    assert.throws(() => parse('700 HKD'), /a listing's number needs its @EXCHANGE, like "700@SEHK"/);
    // a word starting with a digit that is not all digits is no listing's number (nor a month code without its month)
    assert.throws(() => parse('6E@CME'), /"6E" is not a symbol \(letters and digits, starting with a letter\)/);
    assert.throws(() => parse('6EZ6 FUT'), /a future whose root starts with a digit needs its @EXCHANGE, like "6EZ6@CME"/);
  });

  it('a share class keeps its dot outside the US; a US one is written with a space, as IB does', () => {
    assert.equal(parse('TECK.B@TSE').symbol, 'TECK.B');
    assert.equal(parse('BT.A@LSE').symbol, 'BT.A');
    assert.equal(parse('BRK.B').symbol, 'BRK B');
    assert.equal(parse('BRK.B@NYSE').symbol, 'BRK B');
    // a search row IB names TECK.B is asked again as TECK.B, not TECK B
    const teck = { conId: 1, symbol: 'TECK.B', secType: 'STK', primaryExchange: 'TSE', currency: 'CAD' };
    assert.equal(parseSymbol(specForMatch(teck, [teck])).symbol, 'TECK.B');
  });

  it('a pair whose base is not a currency is refused in words: crypto and metals are not forex pairs at IB', () => {
    for (const t of ['BTC.USD', 'ETH.USD CASH', 'XAU.USD', 'XAU/USD', 'BTC/USD'])
      assert.throws(() => parse(t), /is not a forex pair IB quotes \(\w+ is not a currency\); crypto \(BTC, ETH\) and metals \(XAU\) are not shown/);
    assert.equal(parse('EUR.USD').secType, 'CASH');
    assert.equal(parse('USD.JPY').currency, 'JPY');
  });
});
