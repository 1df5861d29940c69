/**
 * A live bar series that IB refuses before any of its bars (10182 while its
 * historical farm cannot serve live updates) is sent again after a pause that
 * doubles, as a series dropped while streaming is, until its bars come.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import type { CandleEvent } from '../../src/ib/types';
import { startFakeTimeRig, type FakeTimeRig } from './support/fake-time-rig';

const REQ_HISTORICAL_DATA = 20;

describe('live series refused before its bars (10182)', function () {
  this.timeout(40_000);
  let rig: FakeTimeRig | undefined;
  let candles: CandleService | undefined;

  afterEach(async () => {
    await rig?.stop(candles);
    rig = candles = undefined;
  });

  async function setUp() {
    rig = await startFakeTimeRig(71);
    candles = new CandleService(rig.manager, rig.contracts, undefined, { clock: rig.time.clock, pacing: { identicalWindowMs: 100 } });
    const sim = rig.sim;
    return { sim, time: rig.time, candles, errors: rig.errors, sent: () => rig!.received(REQ_HISTORICAL_DATA) };
  }

  it('is told, then sent again after 2 s and 4 s while IB refuses, and streams once IB serves it', async () => {
    const { sim, time, candles, errors, sent } = await setUp();
    sim.server.faults.liveUpdatesRefused(5_000);
    const events: CandleEvent[] = [];
    candles.live({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false }, (e) => events.push(e));
    await time.advanceUntil('the refusal told', () => events.some((e) => e.type === 'error'), { maxMs: 1_000 });
    const first = events.find((e) => e.type === 'error');
    assert.equal(first?.type === 'error' && first.error.code, 10182);
    assert.equal(sent(), 1);
    // not at once: after the pause
    await time.advance(1_800, { stepMs: 100 });
    assert.equal(sent(), 1, 'not sent again before 2 s');
    await time.advanceUntil('sent again after 2 s', () => sent() === 2, { maxMs: 1_000 });
    await time.advanceUntil('refused again', () => events.filter((e) => e.type === 'error').length === 2, { maxMs: 1_000 });
    // the pause doubles: nothing for the next 3.5 s, then the third request, which IB now serves (the fault ended at 5 s)
    await time.advance(3_500, { stepMs: 100 });
    assert.equal(sent(), 2, 'the second pause is longer');
    await time.advanceUntil('sent a third time', () => sent() === 3, { maxMs: 1_500 });
    await time.advanceUntil('its bars', () => events.some((e) => e.type === 'reset'), { maxMs: 5_000 });
    const reset = events.find((e) => e.type === 'reset');
    assert.ok(reset?.type === 'reset' && reset.candles.length > 0, 'a whole backfill');
    await time.advanceUntil('streaming', () => events.some((e, i) => i > events.indexOf(reset) && e.type === 'update'), { maxMs: 20_000 });
    await time.advance(20_000, { stepMs: 500 });
    assert.equal(sent(), 3, 'nothing sent again once it streams');
    assert.equal(sim.server.activeHistorical().length, 1, 'the gateway holds it once');
    assert.deepEqual(
      errors.filter((e) => e.code === 505),
      [],
    );
  });
});
