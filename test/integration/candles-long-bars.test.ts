/**
 * Live week and month bars through the domain: IB dates a week (month) by its
 * last trading day with data, so the running week's date moves on each
 * trading day. A consumer that follows the events (reset, update replaced or
 * appended) must hold one bar per week, the running one dated by its newest day.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ContractService } from '../../src/ib/contracts';
import type { Candle, CandleEvent, Disposable } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, type TestSession } from './support/session';
import { fakeTime, type FakeTime } from '../support/fake-time';

const day = (c: Candle) => new Date(c.time * 1000).toISOString().slice(0, 10);

/** The days-since-1970 of the Monday of a bar's week, or its year * 12 + month. */
function periodOf(c: Candle, period: 'week' | 'month'): number {
  const d = Math.floor(c.time / 86400);
  if (period === 'week') return d - ((d + 3) % 7);
  const date = new Date(c.time * 1000);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

describe('live week and month bars: one bar per period, the running one dated by its newest day', function () {
  this.timeout(60_000);
  let sim: StartedSim;
  let session: TestSession;
  let candles: CandleService;
  let time: FakeTime;
  let sub: Disposable | undefined;

  afterEach(async () => {
    sub?.dispose();
    candles?.dispose();
    await session?.close();
    await sim?.stop();
    session?.assertNoDecodingErrors();
  });

  for (const [barSize, duration, start, period, last2] of [
    // Thursday 28 May 2026, 15:00 New York, to Monday 1 June
    ['1 week', '3 M', '2026-05-28T19:00:00Z', 'week', ['2026-05-29', '2026-06-01']],
    // Friday 28 August 2026 to Tuesday 1 September
    ['1 month', '1 Y', '2026-08-28T19:00:00Z', 'month', ['2026-08-31', '2026-09-01']],
  ] as const) {
    it(`${barSize}: the running bar takes each new day's date in place, and a new ${period} appends`, async () => {
      time = fakeTime(Date.parse(start));
      // an hour of market time a second
      sim = await startSim({ clock: { start: Date.parse(start), speed: 3600 }, scheduler: time.scheduler });
      session = await connectSession(sim.port, 61, { clock: time.clock });
      candles = new CandleService(session.manager, new ContractService(session.manager), undefined, { clock: time.clock });
      // what a consumer holds: the last reset, then each update in the last place (replaced) or after it
      let held: Candle[] = [];
      let resets = 0;
      const events: string[] = [];
      sub = candles.live({ symbol: 'AAPL', barSize, duration }, (e: CandleEvent) => {
        if (e.type === 'error') events.push(`error ${e.error.code} ${e.error.message}`);
        else if (e.type === 'reset') {
          resets++;
          held = e.candles.map((c) => ({ ...c }));
          events.push(`reset ${held.length} to ${held.length ? day(held[held.length - 1]) : '-'}`);
        } else {
          if (e.replaced && held.length) held[held.length - 1] = e.candle;
          else held.push(e.candle);
          if (!events.length || !events[events.length - 1].startsWith(`update ${day(e.candle)}`))
            events.push(`update ${day(e.candle)} ${e.replaced ? 'replaced' : 'appended'}`);
        }
      });
      await time.advanceUntil('the backfill', () => resets > 0, { stepMs: 10, maxMs: 10_000 });
      const first = held.length;
      await time.advanceUntil(`a bar dated ${last2[1]}`, () => held.length && day(held[held.length - 1]) === last2[1], { stepMs: 500, maxMs: 400_000 });
      const periods = held.map((c) => periodOf(c, period));
      assert.equal(new Set(periods).size, held.length, `one bar per ${period}: ${held.map(day).join(' ')} (${events.join('; ')})`);
      assert.deepEqual(held.slice(-2).map(day), [...last2], events.join('; '));
      assert.equal(held.length, first + 1, `one bar more than the backfill: the new ${period}`);
    });
  }
});
