import { strict as assert } from 'node:assert';
import { lastSessionStart } from '../../src/sim/demo-start';
import { createMarket, createUniverse } from '../../src/sim/market';

describe('sim demo start (--start last-session)', () => {
  const at = (iso: string): ReturnType<typeof createMarket> => createMarket({ seed: 42, universe: createUniverse({ now: Date.parse(iso) }) });

  it('keeps the present when the US market is open', () => {
    const now = Date.parse('2026-11-24T16:00:00Z');
    assert.equal(lastSessionStart(at('2026-11-24T16:00:00Z'), now), now);
  });

  it("goes back into Friday's regular session on a Saturday", () => {
    const now = Date.parse('2026-11-21T15:00:00Z');
    const market = at('2026-11-21T15:00:00Z');
    const start = lastSessionStart(market, now);
    const spy = market.universe.all().find((i) => i.symbol === 'SPY')!;
    assert.ok(market.isOpen(spy, start, true));
    assert.equal(new Date(start).getUTCDay(), 5);
    assert.ok(now - start < 2 * 86_400_000);
  });

  it('skips a holiday (Thanksgiving) back to the Wednesday before', () => {
    const now = Date.parse('2026-11-26T17:00:00Z');
    const market = at('2026-11-26T17:00:00Z');
    const start = lastSessionStart(market, now);
    assert.equal(new Date(start).toISOString().slice(0, 10), '2026-11-25');
  });
});
