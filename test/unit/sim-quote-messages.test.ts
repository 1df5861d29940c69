import { strict as assert } from 'node:assert';
import { quoteMessages } from '../../src/sim/handlers/market-data';
import { createUniverse } from '../../src/sim/market';
import type { SessionStats, SimTick } from '../../src/sim/market';

const universe = createUniverse({ now: Date.parse('2026-11-17T15:00:00Z') });
const aapl = universe.byConId(265598)!;
const spx = universe.all().find((i) => i.symbol === 'SPX' && i.secType === 'IND')!;
const DELAYED = { bid: 66, ask: 67, last: 68, bidSize: 69, askSize: 70, lastSize: 71, high: 72, low: 73, volume: 74, close: 75, open: 76, lastTimestamp: 88 };
const LIVE = { bid: 1, ask: 2, last: 4, bidSize: 0, askSize: 3, lastSize: 5, high: 6, low: 7, volume: 8, close: 9, open: 14, lastTimestamp: 45 };
const stats: SessionStats = { open: 230, high: 233, low: 229, prevClose: 231, volume: 1_000_000 };
const tick = (bid: number, ask: number, volume = 1_234_567): SimTick => ({
  time: Date.parse('2026-11-17T15:00:00Z'),
  bid,
  ask,
  last: bid,
  bidSize: 300,
  askSize: 500,
  lastSize: 100,
  volume,
});

describe('sim quote messages', () => {
  it('sends the new ask before the new bid when the bid jumps to or past the old ask (no crossed book), bid first otherwise', () => {
    const order = (prev: SimTick, next: SimTick): number[] =>
      quoteMessages(1, aapl, next, stats, LIVE, prev, stats, 193)
        .filter((m) => m[0] === 1 && (m[3] === 1 || m[3] === 2))
        .map((m) => Number(m[3]));
    assert.deepEqual(order(tick(232.0, 232.02), tick(232.05, 232.07)), [2, 1], 'rising past the ask: ask first');
    assert.deepEqual(order(tick(232.0, 232.02), tick(232.02, 232.04)), [2, 1], 'bid onto the old ask: ask first');
    assert.deepEqual(order(tick(232.0, 232.02), tick(231.9, 231.92)), [1, 2], 'falling: bid first');
  });

  it('writes TICK_PRICE version 6 with its size, delayed volume (74) in lots and sizes in shares at 193', () => {
    const msgs = quoteMessages(1, aapl, tick(232, 232.02), stats, DELAYED, undefined, undefined, 193);
    const bid = msgs.find((m) => m[0] === 1 && m[3] === 66)!;
    assert.deepEqual(bid, [1, 6, 1, 66, 232, 300, 0]);
    assert.deepEqual(
      msgs.find((m) => m[0] === 2 && m[3] === 74),
      [2, 6, 1, 74, 12_345],
    );
    assert.deepEqual(
      quoteMessages(1, aapl, tick(232, 232.02), stats, LIVE, undefined, undefined, 157).find((m) => m[0] === 2 && m[3] === 0),
      [2, 6, 1, 0, 3],
      'bid size in lots at 157',
    );
  });

  it('an index sends its last, high, low and close and the last trade time: no bid, ask, sizes, volume or open', () => {
    const msgs = quoteMessages(1, spx, tick(6000, 6000.5), stats, LIVE, undefined, undefined, 193);
    const kinds = msgs.map((m) => `${m[0]}:${m[3]}`).sort();
    assert.deepEqual(kinds, ['1:4', '1:6', '1:7', '1:9', '46:45'].sort());
    assert.deepEqual(
      msgs.find((m) => m[0] === 1 && m[3] === 4),
      [1, 6, 1, 4, 6000, 0, 0],
      'the last without a size',
    );
    const next = quoteMessages(1, spx, tick(6001, 6001.5, 2_000_000), stats, LIVE, tick(6000, 6000.5), stats, 193);
    assert.deepEqual(
      next.map((m) => `${m[0]}:${m[3]}`),
      ['1:4', '46:45'],
      'a change: the new last only',
    );
  });
});
