/**
 * A live bar series that IB refuses before any of its bars (10182 while its
 * historical farm cannot serve live updates) is sent again after a pause that
 * doubles, as a series dropped while streaming is, until its bars come.
 */
import { strict as assert } from 'node:assert';
import { CandleService } from '../../src/ib/candles';
import { ConnectionManager } from '../../src/ib/connection';
import { ContractService } from '../../src/ib/contracts';
import type { CandleEvent, IbErrorInfo } from '../../src/ib/types';
import { startSim, type StartedSim } from './support/sim';
import { MARKET_OPEN } from './support/session';
import { fakeTime, type FakeTime } from '../support/fake-time';

const REQ_HISTORICAL_DATA = 20;

describe('live series refused before its bars (10182)', function () {
  this.timeout(40_000);
  let sim: StartedSim | undefined;
  let manager: ConnectionManager | undefined;
  let candles: CandleService | undefined;

  afterEach(async () => {
    candles?.dispose();
    manager?.dispose();
    await sim?.stop();
    sim = manager = candles = undefined;
  });

  const sent = (s: StartedSim): number => s.server.receivedMessageIds().get(REQ_HISTORICAL_DATA) ?? 0;

  async function setUp(): Promise<{ sim: StartedSim; time: FakeTime; candles: CandleService; errors: IbErrorInfo[] }> {
    const time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN, speed: 20 }, tickIntervalMs: 60, scheduler: time.scheduler });
    manager = new ConnectionManager(
      { enabled: true, host: sim.host, port: sim.port, clientId: 71, heartbeatIntervalMs: 60_000, connectTimeoutMs: 30_000 },
      undefined,
      { clock: time.clock },
    );
    const errors: IbErrorInfo[] = [];
    manager.onIbError((e) => errors.push(e));
    candles = new CandleService(manager, new ContractService(manager), undefined, { clock: time.clock, pacing: { identicalWindowMs: 100 } });
    await manager.connect();
    return { sim, time, candles, errors };
  }

  it('is told, then sent again after 2 s and 4 s while IB refuses, and streams once IB serves it', async () => {
    const { sim, time, candles, errors } = await setUp();
    sim.server.faults.liveUpdatesRefused(5_000);
    const events: CandleEvent[] = [];
    candles.live({ symbol: 'AAPL', barSize: '5 secs', duration: '1800 S', useRTH: false }, (e) => events.push(e));
    await time.advanceUntil('the refusal told', () => events.some((e) => e.type === 'error'), { maxMs: 1_000 });
    const first = events.find((e) => e.type === 'error');
    assert.equal(first?.type === 'error' && first.error.code, 10182);
    assert.equal(sent(sim), 1);
    // not at once: after the pause
    await time.advance(1_800, { stepMs: 100 });
    assert.equal(sent(sim), 1, 'not sent again before 2 s');
    await time.advanceUntil('sent again after 2 s', () => sent(sim) === 2, { maxMs: 1_000 });
    await time.advanceUntil('refused again', () => events.filter((e) => e.type === 'error').length === 2, { maxMs: 1_000 });
    // the pause doubles: nothing for the next 3.5 s, then the third request, which IB now serves (the fault ended at 5 s)
    await time.advance(3_500, { stepMs: 100 });
    assert.equal(sent(sim), 2, 'the second pause is longer');
    await time.advanceUntil('sent a third time', () => sent(sim) === 3, { maxMs: 1_500 });
    await time.advanceUntil('its bars', () => events.some((e) => e.type === 'reset'), { maxMs: 5_000 });
    const reset = events.find((e) => e.type === 'reset');
    assert.ok(reset?.type === 'reset' && reset.candles.length > 0, 'a whole backfill');
    await time.advanceUntil('streaming', () => events.some((e, i) => i > events.indexOf(reset) && e.type === 'update'), { maxMs: 20_000 });
    await time.advance(20_000, { stepMs: 500 });
    assert.equal(sent(sim), 3, 'nothing sent again once it streams');
    assert.equal(sim.server.activeHistorical().length, 1, 'the gateway holds it once');
    assert.deepEqual(
      errors.filter((e) => e.code === 505),
      [],
    );
  });
});
