/**
 * The simulator's time source: what a test injects is what the gateway's
 * clock, faults and market time follow; the default is the process clock,
 * whose timers never hold the process open.
 */
import { strict as assert } from 'node:assert';
import { SimClock } from '../../src/sim/clock';
import { SimFaults, type FaultTarget } from '../../src/sim/faults';
import { realScheduler } from '../../src/sim/scheduler';
import { SimServer } from '../../src/sim/server';
import { fakeTime } from '../support/fake-time';
import { marketTime } from '../support/market-times';

function recorder(): FaultTarget & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    dropConnections: () => events.push('drop'),
    refuseFor: (ms) => events.push(`refuse ${ms}`),
    broadcastInfo: (code) => events.push(`info ${code}`),
    dropAllLines: () => events.push('lines dropped'),
    dropLiveUpdates: (code) => events.push(`live updates dropped ${code}`),
    setDataHeld: (reason, held) => events.push(`${reason} ${held ? 'held' : 'flowing'}`),
    setLiveRefused: (refused) => events.push(refused ? 'live refused' : 'live served'),
    setSilentLines: (n) => events.push(`silent ${n}`),
    setStalled: (stalled) => events.push(stalled ? 'stalled' : 'sending'),
    setReplyDelay: (ms) => events.push(`delay ${ms}`),
    sendGarbage: () => events.push('garbage'),
    log: () => undefined,
  };
}

describe('sim scheduler', () => {
  it('ends a farm blip and a stall on the injected clock, to the millisecond, and not before', async () => {
    const time = fakeTime();
    const target = recorder();
    const faults = new SimFaults(target, time.scheduler);
    faults.farmBlip(400);
    faults.stall(7000);
    assert.deepEqual(target.events, ['farm held', 'info 2103', 'stalled']);
    await time.advance(399, { settleMs: 0, stepMs: 399 });
    assert.deepEqual(target.events.slice(3), [], 'nothing before 400 ms');
    await time.advance(1, { settleMs: 0 });
    assert.deepEqual(target.events.slice(3), ['farm flowing', 'info 2104']);
    await time.advance(6599, { settleMs: 0, stepMs: 6599 });
    assert.equal(target.events.includes('sending'), false, 'still stalled at 6999 ms');
    await time.advance(1, { settleMs: 0 });
    assert.equal(target.events[target.events.length - 1], 'sending');
  });

  it('clears pending fault timers on the injected clock', async () => {
    const time = fakeTime();
    const target = recorder();
    const faults = new SimFaults(target, time.scheduler);
    faults.stall(500);
    faults.clear();
    await time.advance(1000, { settleMs: 0, stepMs: 1000 });
    assert.deepEqual(target.events, ['stalled'], 'the stall was never ended by a cleared timer');
  });

  it("runs the market clock on the scheduler's time, at its speed", async () => {
    const time = fakeTime();
    const start = marketTime('regularSession');
    const clock = new SimClock({ start, speed: 20 }, () => time.now());
    assert.equal(clock.now(), start);
    await time.advance(1500, { settleMs: 0, stepMs: 1500 });
    assert.equal(clock.now(), start + 30_000);
    const server = new SimServer({ clock: { start, speed: 20 }, scheduler: time.scheduler });
    await time.advance(250, { settleMs: 0, stepMs: 250 });
    assert.equal(server.clock.now(), start + 5000, 'a server given a scheduler keeps market time by it');
  });

  it('by default keeps real time and never holds the process open', () => {
    const before = Date.now();
    assert.ok(realScheduler.now() >= before && realScheduler.now() <= Date.now());
    const t = realScheduler.setTimeout(() => undefined, 60_000) as NodeJS.Timeout;
    const i = realScheduler.setInterval(() => undefined, 60_000) as NodeJS.Timeout;
    try {
      assert.equal(t.hasRef(), false);
      assert.equal(i.hasRef(), false);
    } finally {
      realScheduler.clear(t);
      realScheduler.clear(i);
    }
    const kept = realScheduler.setTimeout(() => undefined, 60_000, { keepAlive: true }) as NodeJS.Timeout;
    assert.equal(kept.hasRef(), true, 'the refuse window holds the process like the port it closed');
    realScheduler.clear(kept);
  });
});
