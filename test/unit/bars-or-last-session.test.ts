/**
 * The closed-market fallback on fake dependencies: a range with no bars shows the most recent
 * session's bars only when the market is closed. While it trades, an empty range (an illiquid
 * symbol, the first seconds after the open) is "no bars", not yesterday's chart; and the session
 * found from the bars themselves is never asked for past now.
 */
import { strict as assert } from 'node:assert';
import { barsOrLastSession, type FallbackDeps } from '../../src/ib/candles/closed-market';
import { IbError, LOCAL_CODES } from '../../src/ib/errors';
import type { Candle, HistoryRequest, ResolvedContract } from '../../src/ib/types';
import { marketTime } from '../support/market-times';

/** A US stock whose hours TWS lists from Monday 16 November 2026 on (New York time). */
const STOCK: ResolvedContract = {
  conId: 4815747,
  symbol: 'NVDA',
  secType: 'STK',
  exchange: 'SMART',
  primaryExchange: 'NASDAQ',
  currency: 'USD',
  display: 'NVDA (NASDAQ, USD)',
  timeZoneId: 'US/Eastern',
  liquidHours: '20261116:0930-20261116:1600;20261117:0930-20261117:1600;20261118:0930-20261118:1600',
  tradingHours: '20261116:0400-20261116:2000;20261117:0400-20261117:2000;20261118:0400-20261118:2000',
};

const bar = (iso: string): Candle => ({ time: Date.parse(iso) / 1000, open: 180, high: 181, low: 179.5, close: 180.5, volume: 1200 });

/** Deps whose first fetch (the range asked) answers `asked`, and every later one `later`; every request kept. */
function deps(now: number, asked: Candle[], later: (req: HistoryRequest) => Candle[]): { deps: FallbackDeps; requests: HistoryRequest[] } {
  const requests: HistoryRequest[] = [];
  return {
    requests,
    deps: {
      fetch: (req) => {
        requests.push(req);
        return Promise.resolve(requests.length === 1 ? asked : later(req));
      },
      resolve: () => Promise.reject(new Error('the request carries its contract')),
      now: () => Promise.resolve(now),
    },
  };
}

describe('bars or the last session', () => {
  it('while the market trades, an empty range is "no bars" (9012): nothing more is asked, no other session shown', async () => {
    // Tuesday 17 November 2026, 10:00 New York: the regular session is half an hour in
    const now = marketTime('regularSession');
    const mondayBars = [bar('2026-11-16T20:00:00Z'), bar('2026-11-16T20:30:00Z')];
    const d = deps(now, [], () => mondayBars);
    await assert.rejects(
      barsOrLastSession(d.deps, { symbol: STOCK, barSize: '1 min', duration: '1800 S' }),
      (e: unknown) => e instanceof IbError && e.info.code === LOCAL_CODES.noBars && !/Market closed/.test(e.info.message),
    );
    assert.equal(d.requests.length, 1, 'only the range asked');
  });

  it('closed, with hours that list no session before now: the session the hourly bars find ends at now at the latest, never in the future', async () => {
    // Tuesday 17 November 2026, 07:10 New York: closed, and the hours (from today on) list no session before now
    const now = marketTime('preMarket') + 10 * 60_000;
    const contract = { ...STOCK, liquidHours: '20261117:0930-20261117:1600;20261118:0930-20261118:1600' };
    // constructed: the hourly bars run up to one that began at 07:00, 10 minutes before now (it has not ended)
    const hourly = [bar('2026-11-17T09:00:00Z'), bar('2026-11-17T10:00:00Z'), bar('2026-11-17T11:00:00Z'), bar('2026-11-17T12:00:00Z')];
    const sessionBars = [bar('2026-11-17T11:50:00Z'), bar('2026-11-17T12:05:00Z')];
    const d = deps(now, [], (req) => (req.barSize === '1 hour' ? hourly : sessionBars));
    const r = await barsOrLastSession(d.deps, { symbol: contract, barSize: '5 mins', duration: '1 D', useRTH: true });
    assert.deepEqual(
      d.requests.map((q) => [q.barSize, q.duration, q.endDateTime]),
      [
        ['5 mins', '1 D', undefined],
        ['1 hour', '1 W', ''],
        // now, 12:10 UTC; not the end of the last hourly bar (13:00 UTC, 50 minutes ahead)
        ['5 mins', '1 D', '20261117-12:10:00'],
      ],
    );
    assert.deepEqual(r.candles, sessionBars);
    assert.deepEqual(r.lastSession, { start: Date.parse('2026-11-17T09:00:00Z'), end: now });
  });
});
