/**
 * GET /candles' paging back through an instrument's first trade: each request ends where the
 * bars so far begin, an empty one steps back a request's length (a weekend, a holiday), and a
 * week with nothing at all is before the first trade: no more requests (each one paces the
 * gateway for nothing).
 */
import { strict as assert } from 'node:assert';
import type { CandleService } from '../../src/ib';
import type { Candle, HistoryRequest } from '../../src/ib/types';
import { recentCandles } from '../../src/bridge/candles-route';
import { parseTimeframe } from '../../src/bridge/timeframes';

/** Listed on Monday 16 November 2026: its first bars start at the 09:30 New York open (14:30 UTC). */
const FIRST_TRADE = Date.parse('2026-11-16T14:30:00Z') / 1000;

function bars(count: number, stepSeconds: number): Candle[] {
  return Array.from({ length: count }, (_, i) => ({ time: FIRST_TRADE + i * stepSeconds, open: 10, high: 10.5, low: 9.5, close: 10.2, volume: 300 }));
}

/** A CandleService whose first answer is the instrument's whole history, and every later one (further back) empty. */
function fakeCandles(history: Candle[]): { service: CandleService; asked: HistoryRequest[] } {
  const asked: HistoryRequest[] = [];
  const fetch = (req: HistoryRequest): Promise<Candle[]> => {
    asked.push(req);
    return Promise.resolve(asked.length === 1 ? history : []);
  };
  return { service: { fetch } as unknown as CandleService, asked };
}

describe('GET /candles: no bars for a week is before the first trade', () => {
  it('1m (a day a request): the bars, then 7 empty days back, then stops (8 requests, not the 11 a limit of 1000 allows)', async () => {
    const history = bars(30, 60);
    const { service, asked } = fakeCandles(history);
    const got = await recentCandles(service, 'NEWCO', parseTimeframe('1m')!, 1000, true);
    assert.deepEqual(got, history);
    assert.deepEqual(
      asked.map((r) => [r.duration, r.endDateTime]),
      [
        ['1 D', ''],
        ['1 D', '20261116-14:30:00'],
        ['1 D', '20261115-14:30:00'],
        ['1 D', '20261114-14:30:00'],
        ['1 D', '20261113-14:30:00'],
        ['1 D', '20261112-14:30:00'],
        ['1 D', '20261111-14:30:00'],
        ['1 D', '20261110-14:30:00'],
      ],
    );
  });

  it('5m (a week a request): the bars, then one empty week, then stops (2 requests, not the 7 a limit of 1000 allows)', async () => {
    const history = bars(6, 300);
    const { service, asked } = fakeCandles(history);
    const got = await recentCandles(service, 'NEWCO', parseTimeframe('5m')!, 1000, true);
    assert.deepEqual(got, history);
    assert.deepEqual(
      asked.map((r) => [r.duration, r.endDateTime]),
      [
        ['1 W', ''],
        ['1 W', '20261116-14:30:00'],
      ],
    );
  });
});
