import { strict as assert } from 'node:assert';
import { expandYearCode, parseSymbol, SymbolSyntaxError } from '../../src/ib/contracts';
import { futureExamples } from '../../src/ib/facts/futures';

describe('symbol grammar', () => {
  const good: Array<[string, Record<string, unknown>]> = [
    ['AAPL', { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' }],
    ['  aapl  ', { text: 'aapl', symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' }],
    ['AAPL@NASDAQ', { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExchange: 'NASDAQ', currency: 'USD' }],
    // IB's old name for its NASDAQ venue, no longer accepted in a contract: written as it is now
    ['TSLA@ISLAND', { symbol: 'TSLA', secType: 'STK', exchange: 'SMART', primaryExchange: 'NASDAQ', currency: 'USD' }],
    ['SHOP@TSE', { symbol: 'SHOP', secType: 'STK', exchange: 'SMART', primaryExchange: 'TSE', currency: 'CAD' }],
    ['SHOP CAD', { symbol: 'SHOP', secType: 'STK', exchange: 'SMART', currency: 'CAD' }],
    ['SHOP@TSE CAD', { symbol: 'SHOP', primaryExchange: 'TSE', currency: 'CAD' }],
    ['SAP@XETRA', { symbol: 'SAP', primaryExchange: 'XETRA', currency: undefined }],
    ['AAPL STK', { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' }],
    ['AAPL@SMART', { symbol: 'AAPL', exchange: 'SMART', primaryExchange: undefined }],
    ['BRK.B', { symbol: 'BRK B', secType: 'STK' }],
    ['EUR.USD', { symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD' }],
    ['eur.jpy', { symbol: 'EUR', secType: 'CASH', currency: 'JPY' }],
    ['GBP.USD CASH', { symbol: 'GBP', secType: 'CASH', currency: 'USD' }],
    // as most charting sites write a pair: the same pair, when both sides are currencies
    ['EUR/USD', { symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD' }],
    ['usd/jpy', { symbol: 'USD', secType: 'CASH', currency: 'JPY' }],
    ['ABC/DEF', { symbol: 'ABC/DEF', secType: 'STK' }],
    ['ES 202512 FUT@CME', { symbol: 'ES', secType: 'FUT', exchange: 'CME', lastTradeDateOrContractMonth: '202512' }],
    ['ES 20251219 FUT@CME', { symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '20251219' }],
    ['ES@CME 202603', { symbol: 'ES', secType: 'FUT', exchange: 'CME', lastTradeDateOrContractMonth: '202603' }],
    // a month code is sent as IB's local symbol (root, month letter, last digit of the year), without symbol or month
    [
      'ESZ5 FUT@CME',
      { localSymbol: 'ESZ5', symbol: undefined, secType: 'FUT', exchange: 'CME', lastTradeDateOrContractMonth: undefined, contractMonth: '202512' },
    ],
    ['ESH27@CME', { localSymbol: 'ESH7', symbol: undefined, secType: 'FUT', exchange: 'CME', root: 'ES', contractMonth: '202703' }],
    ['NQM6 FUT', { localSymbol: 'NQM6', symbol: undefined, secType: 'FUT', contractMonth: '202606', exchange: undefined }],
    ['SPX IND@CBOE', { symbol: 'SPX', secType: 'IND', exchange: 'CBOE' }],
    ['SPX@CBOE IND', { symbol: 'SPX', secType: 'IND', exchange: 'CBOE' }],
    ['265598', { conId: 265598, symbol: undefined, secType: undefined }],
  ];
  for (const [input, expected] of good) {
    it(`parses ${JSON.stringify(input)}`, () => {
      const spec = parseSymbol(input, 2025);
      assert.equal(spec.text, input.trim());
      for (const [k, v] of Object.entries(expected)) {
        assert.deepEqual((spec as unknown as Record<string, unknown>)[k], v, `${k} of ${input}`);
      }
    });
  }

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['AA\u0000PL', /control characters/],
    ['AAPL\n', /AAPL/], // trailing newline is trimmed: still valid? checked below separately
    ['A'.repeat(65), /longer than 64/],
    ['@NASDAQ', /missing/],
    ['AAPL@', /exchange name/],
    ['AAPL@NAS@DAQ', /more than one "@"/],
    ['AAPL@NASDAQ@ARCA', /more than one "@"/],
    ['AAPL@NASDAQ USD@ARCA', /more than one "@EXCHANGE"/],
    ['AAPL STK IND', /more than one security type/],
    ['AAPL USD CAD', /more than one currency/],
    ['ES 202512 202603 FUT', /more than one contract month/],
    ['ES 202513 FUT', /not a contract month/],
    ['ES 20250231 FUT', /not a contract month/],
    ['ES FUT', /needs its exchange, like "ES FUT@CME", or a contract month/],
    ['AAPL 202512 STK', /only fits a future/],
    ['AAPL CASH', /BASE\.QUOTE/],
    ['EUR.USD 202512', /no contract month/],
    ['EUR.USD CAD', /quoted in USD/],
    ['AAPL OPT', /not a security type/],
    ['AAPL hello world', /not a security type/],
    ['AAPL XYZ', /"XYZ" is not a security type .* a currency/],
    ['$AAPL', /not a symbol/],
    ['1AAPL', /not a symbol/],
    ['AAAAAAAAAAAAAAAA', /longer than any IB symbol \(at most 15 characters\)/],
    ['0', /contract id/],
    ['99999999999999', /contract id/],
  ];
  for (const [input, message] of bad) {
    if (input === 'AAPL\n') continue;
    it(`refuses ${JSON.stringify(input)} with a message that says what was expected`, () => {
      assert.throws(
        () => parseSymbol(input, 2025),
        (e: unknown) => {
          assert.ok(e instanceof SymbolSyntaxError, `not a SymbolSyntaxError: ${String(e)}`);
          assert.match(e.message, message);
          assert.match(e.message, /expected a symbol such as .*AAPL.*EUR\.USD/);
          return true;
        },
      );
    });
  }

  it('a future without its month, as traders write it ("ES FUT@CME", "ES@CME"): all its months (one to pick); a stock exchange keeps a stock', () => {
    assert.deepEqual(parseSymbol('ES FUT@CME', 2026), { text: 'ES FUT@CME', symbol: 'ES', secType: 'FUT', exchange: 'CME' });
    assert.deepEqual(parseSymbol('es@cme', 2026), { text: 'es@cme', symbol: 'ES', secType: 'FUT', exchange: 'CME' });
    assert.deepEqual(parseSymbol('GC@COMEX', 2026), { text: 'GC@COMEX', symbol: 'GC', secType: 'FUT', exchange: 'COMEX' });
    assert.equal(parseSymbol('AAPL@NASDAQ', 2026).secType, 'STK');
    // SGX lists stocks too: a Singapore share stored as the picker wrote it stays a share
    assert.deepEqual(parseSymbol('D05@SGX SGD', 2026), {
      text: 'D05@SGX SGD',
      symbol: 'D05',
      secType: 'STK',
      exchange: 'SMART',
      primaryExchange: 'SGX',
      currency: 'SGD',
    });
    assert.equal(parseSymbol('SPX IND@CBOE', 2026).secType, 'IND');
    assert.equal(parseSymbol('ESZ6@CME', 2026).localSymbol, 'ESZ6', 'a month code is its month');
    assert.doesNotThrow(() => parseSymbol('ES FUT@CME'), 'no "such as e.g." twice in any message');
    assert.throws(
      () => parseSymbol('ES FUT'),
      (e: Error) => /expected a symbol such as "AAPL"/.test(e.message),
    );
  });

  it('trims surrounding whitespace including newlines', () => {
    assert.equal(parseSymbol('AAPL\n').symbol, 'AAPL');
  });

  it('refuses a non-string', () => {
    assert.throws(() => parseSymbol(42 as unknown as string), SymbolSyntaxError);
  });

  it('expands futures year codes to the nearest year not in the past', () => {
    assert.equal(expandYearCode('5', 2025), 2025);
    assert.equal(expandYearCode('4', 2025), 2024);
    assert.equal(expandYearCode('3', 2025), 2033);
    assert.equal(expandYearCode('0', 2029), 2030);
    assert.equal(expandYearCode('27', 2025), 2027);
    assert.equal(expandYearCode('99', 2025), 2099);
  });
});

describe('futures examples', () => {
  it('name the front quarter not yet expired, from the date given', () => {
    assert.deepEqual(futureExamples(new Date(Date.UTC(2026, 11, 2))), { byMonth: 'ES 202612 FUT@CME', byCode: 'ESZ6 FUT@CME', month: '202612', code: 'Z6' });
    assert.equal(futureExamples(new Date(Date.UTC(2026, 11, 20))).byMonth, 'ES 202703 FUT@CME');
    assert.equal(futureExamples(new Date(Date.UTC(2027, 0, 5))).byCode, 'ESH7 FUT@CME');
  });
});
