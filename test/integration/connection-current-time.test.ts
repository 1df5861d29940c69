/**
 * TWS from 10.16 answers at most one current-time request a second and never
 * answers the others (reported from real sessions: ib_insync #479, #604; the
 * simulator does the same). The answer carries no id, so a request that is
 * never answered must not take the next one's answer: the heartbeat would
 * then go unanswered and the connection drop every few seconds. Over real
 * TCP against the simulator, on a fake clock.
 */
import { strict as assert } from 'node:assert';
import { GatewayClock } from '../../src/ib/gateway-clock';
import { startSim, type StartedSim } from './support/sim';
import { connectSession, MARKET_OPEN, type TestSession } from './support/session';
import { fakeTime, type FakeTime } from '../support/fake-time';
import { waitUntil } from '../support/wait';
import { relay } from './support/relay';

const REQ_CURRENT_TIME = 49;

describe('connection: the gateway answers one current-time request a second', function () {
  this.timeout(60_000);
  let time: FakeTime;
  let sim: StartedSim;
  let session: TestSession | undefined;

  beforeEach(async () => {
    time = fakeTime(MARKET_OPEN);
    sim = await startSim({ clock: { start: MARKET_OPEN }, scheduler: time.scheduler });
  });

  afterEach(async () => {
    await session?.close();
    session = undefined;
    await sim.stop();
  });

  it('asks once for every caller at once, and the heartbeats after it are answered: the connection stays up', async () => {
    session = await connectSession(sim.port, 31, { clock: time.clock, heartbeatIntervalMs: 10_000, heartbeatTimeoutMs: 5_000 });
    const m = session.manager;
    const asked = () => sim.server.receivedMessageIds().get(REQ_CURRENT_TIME) ?? 0;
    const phases: string[] = [];
    m.onStatus((s) => phases.push(s.phase));
    const before = asked();
    // what happens on every ready: the gateway's clock is read by more than one part at once
    const wire = m.api!;
    const answers = Promise.all([wire.currentTime(5000), wire.currentTime(5000), new GatewayClock(m, time.clock.now).now()]);
    const [a, b, clock] = await answers;
    assert.equal(asked() - before, 1, 'one request at the gateway');
    assert.equal(a, b);
    assert.ok(Math.abs(clock - a * 1000) < 2000, `the gateway clock ${clock} agrees with ${a}`);
    // a caller right after the answer is told it too, without a request TWS would not answer
    assert.equal(await wire.currentTime(5000), a);
    assert.equal(asked() - before, 1);

    // four heartbeats' worth of time: each answered, nothing lost
    await time.advance(45_000, { stepMs: 100 });
    await waitUntil('the heartbeats at the gateway', () => asked() - before >= 5 || undefined);
    assert.deepEqual(
      phases.filter((p) => p !== 'ready'),
      [],
      'the connection never left ready',
    );
    assert.equal(m.status.phase, 'ready');
    session.assertNoDecodingErrors();
  });

  it('a request the gateway never answers ends at its time limit, and the next one gets its own answer', async () => {
    let dropNext = false;
    const r = await relay(sim.port, {
      dropFromClient: (id) => {
        if (id !== String(REQ_CURRENT_TIME) || !dropNext) return false;
        dropNext = false;
        return true;
      },
    });
    try {
      session = await connectSession(r.port, 32, { clock: time.clock, heartbeatIntervalMs: 600_000, heartbeatTimeoutMs: 5_000 });
      const wire = session.manager.api!;
      const first = await wire.currentTime(5000);
      await time.advance(1_500, { stepMs: 100 });
      dropNext = true;
      const lost = wire.currentTime(2000).then(
        () => 'answered',
        (e: Error) => e.message,
      );
      await time.advance(2_500, { stepMs: 100 });
      assert.match(await lost, /current-time request/);
      const next = wire.currentTime(5000).then(
        (s) => s,
        (e: Error) => e.message,
      );
      await time.advance(3_000, { stepMs: 100 });
      const seconds = await next;
      assert.equal(typeof seconds, 'number', `the next request was answered: ${seconds}`);
      assert.ok((seconds as number) >= first + 4, `the next answer is its own: ${seconds} after ${first}`);
      assert.equal(session.manager.status.phase, 'ready');
    } finally {
      await session?.close();
      session = undefined;
      await r.close();
    }
  });
});
