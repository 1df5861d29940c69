import { strict as assert } from 'node:assert';
import { symbolKey, symbolParam } from '../../src/bridge/symbols';
import { toHttpError } from '../../src/bridge/http-errors';

describe('bridge symbols: each text read once, a malformed one refused every time', () => {
  it('a well-formed symbol is upper-cased, and the same when asked again', () => {
    assert.equal(symbolParam('aapl'), 'AAPL');
    assert.equal(symbolParam('aapl'), 'AAPL');
    assert.equal(symbolParam(' es  202612 fut@cme '), 'ES  202612 FUT@CME');
    assert.equal(symbolKey(' es  202612 fut@cme '), 'ES 202612 FUT@CME');
  });

  it('a malformed symbol is a 400 each time it is asked (never remembered as well-formed)', () => {
    for (let i = 0; i < 3; i++) {
      assert.throws(
        () => symbolParam('AAPL@@NASDAQ'),
        (e: unknown) => toHttpError(e).status === 400 && /more than one "@"/.test(toHttpError(e).message),
      );
    }
  });

  it('many distinct symbols (more than it remembers) are each read right, and those asked before still are', () => {
    for (let i = 0; i < 10_000; i++) assert.equal(symbolParam(`s${i}`), `S${i}`);
    assert.equal(symbolParam('s0'), 'S0');
    assert.equal(symbolParam('msft'), 'MSFT');
    assert.throws(() => symbolParam('x'.repeat(100)));
  });
});
