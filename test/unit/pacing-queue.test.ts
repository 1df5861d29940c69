import { strict as assert } from 'node:assert';
import type { Clock } from '../../src/ib/clock';
import { PacingQueue } from '../../src/ib/candles/pacing';

/** A clock whose time moves only when the test says so. */
class FakeClock implements Clock {
  time = 1_000_000;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get timerCount(): number {
    return this.timers.length;
  }
  /** Moves time forward, running due timers (and the promise jobs they cause) in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at);
      const t = this.timers[0];
      if (!t || t.at > end) break;
      this.timers.shift();
      this.time = t.at;
      t.fn();
    }
    this.time = end;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

/** A task that records when it started and finishes when told. */
function recorder(clock: FakeClock) {
  const started: Array<{ name: string; at: number }> = [];
  const finishers = new Map<string, () => void>();
  const task = (name: string) => () => {
    started.push({ name, at: clock.now() });
    return new Promise<string>((resolve) => finishers.set(name, () => resolve(name)));
  };
  const instant = (name: string) => () => {
    started.push({ name, at: clock.now() });
    return Promise.resolve(name);
  };
  return { started, finishers, task, instant };
}

describe('history pacing queue', () => {
  it('starts at most 5 requests per contract in 2 s (IB: six or more is a violation) and runs the rest when the window allows', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ marginMs: 0 }, clock);
    const r = recorder(clock);
    const results = Array.from({ length: 8 }, (_, i) => q.run({ contract: 'AAPL', identity: `AAPL:${i}`, small: true }, r.instant(`a${i}`)));
    const other = q.run({ contract: 'MSFT', identity: 'MSFT:0', small: true }, r.instant('m0'));
    await clock.advance(0);
    assert.deepEqual(
      r.started.map((s) => s.name),
      ['a0', 'a1', 'a2', 'a3', 'a4', 'm0'],
      'another contract is not held up',
    );
    await clock.advance(1999);
    assert.equal(r.started.length, 6);
    await clock.advance(1);
    assert.deepEqual(
      r.started.slice(6).map((s) => [s.name, s.at - 1_000_000]),
      [
        ['a5', 2000],
        ['a6', 2000],
        ['a7', 2000],
      ],
    );
    assert.deepEqual(await Promise.all(results), ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']);
    assert.equal(await other, 'm0');
    assert.equal(clock.timerCount, 0, 'no timer left behind');
  });

  it('counts a BID_ASK request twice, as IB does: two of them and one more fill the 2 s window', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ marginMs: 0 }, clock);
    const r = recorder(clock);
    const bidAsk = (i: number) => q.run({ contract: 'AAPL|BID_ASK', identity: `ba${i}`, small: true, weight: 2 }, r.instant(`ba${i}`));
    const runs = [bidAsk(0), bidAsk(1), bidAsk(2)];
    await clock.advance(0);
    assert.deepEqual(
      r.started.map((s) => s.name),
      ['ba0', 'ba1'],
      'four counted: a third would make six',
    );
    await clock.advance(2000);
    assert.deepEqual(
      r.started.map((s) => [s.name, s.at - 1_000_000]),
      [
        ['ba0', 0],
        ['ba1', 0],
        ['ba2', 2000],
      ],
    );
    await Promise.all(runs);
    // and in the 60 in 10 minutes: 29 BID_ASK (58) and one more (59) leave room for a plain request, not for another BID_ASK
    const q2 = new PacingQueue({ marginMs: 0, perContractCount: 1000 }, clock);
    for (let i = 0; i < 29; i++) void q2.run({ contract: 'X', identity: `x${i}`, small: true, weight: 2 }, r.instant(`x${i}`));
    void q2.run({ contract: 'X', identity: 'plain', small: true }, r.instant('plain'));
    await clock.advance(0);
    assert.equal(q2.earliestStart({ contract: 'Y', identity: 'y', small: true }), clock.now());
    assert.equal(q2.earliestStart({ contract: 'Y', identity: 'y2', small: true, weight: 2 }), clock.now() + 600_000);
  });

  it('never sends an identical request within 15 s', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ marginMs: 0 }, clock);
    const r = recorder(clock);
    void q.run({ contract: 'AAPL', identity: 'same', small: true }, r.instant('first'));
    const second = q.run({ contract: 'AAPL', identity: 'same', small: true }, r.instant('second'));
    await clock.advance(14_999);
    assert.deepEqual(
      r.started.map((s) => s.name),
      ['first'],
    );
    await clock.advance(1);
    assert.equal(await second, 'second');
    assert.equal(r.started[1].at - r.started[0].at, 15_000);
  });

  it('keeps to 60 requests in 10 minutes', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ perContractCount: 1000, marginMs: 0 }, clock);
    const r = recorder(clock);
    const all = Array.from({ length: 61 }, (_, i) => q.run({ contract: `C${i % 7}`, identity: `id${i}`, small: true }, r.instant(`t${i}`)));
    await clock.advance(0);
    assert.equal(r.started.length, 60);
    await clock.advance(599_999);
    assert.equal(r.started.length, 60);
    await clock.advance(1);
    assert.equal(r.started.length, 61);
    await Promise.all(all);
  });

  it('paces only small bars (30 secs or less): 100 requests of larger bars, identical ones too, start at once, within maxOpen', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({}, clock);
    const r = recorder(clock);
    const large = Array.from({ length: 100 }, (_, i) => q.run({ contract: 'AAPL', identity: `day${i % 2}`, small: false }, r.instant(`d${i}`)));
    await clock.advance(0);
    assert.equal(r.started.length, 100, 'no window for 1 min bars and more');
    await Promise.all(large);
    // they did not count toward the small bars' windows either
    assert.equal(q.earliestStart({ contract: 'AAPL', identity: 'day0', small: true }), clock.now());
    const open = Array.from({ length: 60 }, (_, i) => q.run({ contract: 'X', identity: `x${i}`, small: false }, r.task(`x${i}`)));
    await clock.advance(0);
    assert.equal(q.running, 50, 'at most 50 open at once, whatever the bar size');
    for (let i = 0; i < 60; i++) r.finishers.get(`x${i}`)?.();
    await clock.advance(0);
    for (let i = 50; i < 60; i++) r.finishers.get(`x${i}`)?.();
    assert.equal((await Promise.all(open)).length, 60);
  });

  it('holds at most maxOpen requests open and starts the next when one finishes', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ maxOpen: 3, perContractCount: 100 }, clock);
    const r = recorder(clock);
    const all = Array.from({ length: 5 }, (_, i) => q.run({ contract: 'X', identity: `x${i}`, small: true }, r.task(`x${i}`)));
    await clock.advance(0);
    assert.equal(r.started.length, 3);
    assert.equal(q.running, 3);
    assert.equal(q.pending, 2);
    r.finishers.get('x1')!();
    await clock.advance(0);
    assert.equal(r.started.length, 4);
    for (const name of ['x0', 'x2', 'x3']) r.finishers.get(name)!();
    await clock.advance(0);
    assert.equal(r.started.length, 5);
    r.finishers.get('x4')!();
    assert.deepEqual(await Promise.all(all), ['x0', 'x1', 'x2', 'x3', 'x4']);
    assert.equal(q.running, 0);
  });

  it('passes a failing task on and keeps going, and rejects what waits when closed', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ perContractCount: 1 }, clock);
    const failing = q.run({ contract: 'A', identity: 'a', small: true }, () => Promise.reject(new Error('boom')));
    await assert.rejects(failing, /boom/);
    const throwing = q.run({ contract: 'B', identity: 'b', small: true }, () => {
      throw new Error('sync boom');
    });
    await assert.rejects(throwing, /sync boom/);
    const waiting = q.run({ contract: 'A', identity: 'a2', small: true }, () => Promise.resolve('late'));
    assert.equal(q.pending, 1);
    q.close('stopped');
    await assert.rejects(waiting, /stopped/);
    assert.equal(clock.timerCount, 0);
    await assert.rejects(
      q.run({ contract: 'C', identity: 'c', small: true }, () => Promise.resolve(1)),
      /closed/,
    );
  });

  it('widens every window by the margin', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ marginMs: 300 }, clock);
    q.record({ contract: 'A', identity: 'x', small: true });
    assert.equal(q.earliestStart({ contract: 'B', identity: 'x', small: true }), clock.now() + 15_300);
    for (let i = 0; i < 5; i++) q.record({ contract: 'A', identity: `y${i}`, small: true });
    assert.equal(q.earliestStart({ contract: 'A', identity: 'z', small: true }), clock.now() + 2_300);
    assert.equal(q.limits.marginMs, 300);
    assert.equal(new PacingQueue().limits.marginMs, 500, 'a margin by default');
  });

  it('counts recorded re-sends against the limits', async () => {
    const clock = new FakeClock();
    const q = new PacingQueue({ perContractCount: 2, perContractWindowMs: 1000, marginMs: 0 }, clock);
    q.record({ contract: 'A', identity: 'r1', small: true });
    q.record({ contract: 'A', identity: 'r2', small: true });
    assert.equal(q.earliestStart({ contract: 'A', identity: 'n', small: true }), clock.now() + 1000);
    assert.equal(q.earliestStart({ contract: 'B', identity: 'n', small: true }), clock.now());
    assert.equal(q.earliestStart({ contract: 'B', identity: 'r1', small: true }), clock.now() + 15_000);
  });
});
