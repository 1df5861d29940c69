import { strict as assert } from 'node:assert';
import { backoffDelay } from '../../src/ib/connection-backoff';

describe('backoffDelay', () => {
  const opts = (r: number) => ({ initialDelayMs: 100, maxDelayMs: 1000, random: () => r });

  it('doubles the ceiling per attempt up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, opts(0.999999))),
      [100, 200, 400, 800, 1000, 1000],
    );
  });

  it('draws from the upper half of the ceiling (equal jitter)', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((n) => backoffDelay(n, opts(0))),
      [50, 100, 200, 400, 500],
    );
    assert.equal(backoffDelay(3, opts(0.5)), 300);
  });

  it('spreads clients apart with the default random source', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(4, { initialDelayMs: 1000, maxDelayMs: 30000 });
      assert.ok(d >= 4000 && d <= 8000, `delay ${d} within [4000, 8000]`);
      seen.add(d);
    }
    assert.ok(seen.size > 1, 'jitter varies the delay');
  });

  it('survives odd inputs', () => {
    assert.equal(backoffDelay(0, opts(1)), 100);
    assert.equal(backoffDelay(10_000, opts(1)), 1000);
    assert.equal(backoffDelay(2, { initialDelayMs: 500, maxDelayMs: 10, random: () => 1 }), 500);
  });
});
