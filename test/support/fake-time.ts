/**
 * Injected time for tests that would otherwise wait on real timers: one fake
 * clock (@sinonjs/fake-timers, created on its own object: the process's
 * timers and sockets stay real) handed to the simulator (its scheduler), the
 * ConnectionManager and the CandleService (their clock). The
 * test advances it; the TCP traffic between the sides stays real, so every
 * step lets the sockets run before the next one.
 *
 * Two things to keep in mind. Real I/O still takes real time (and @stoqey/ib
 * holds requests in its 40-a-second send queue for up to 100 ms), so a time
 * limit on the fake clock that a real round trip must beat (a handshake limit,
 * a heartbeat timeout) needs room: several seconds of fake time, or stop
 * advancing once the condition is reached. And the simulator's message-rate
 * limit counts on this clock: more than 50 messages while the clock stands
 * still are one burst within one second.
 */
import { createClock } from '@sinonjs/fake-timers';
import type { Clock } from '../../src/ib/clock';
import type { SimScheduler } from '../../src/sim/scheduler';
import { marketTime } from './market-times';

export interface AdvanceOptions {
  /** Fake ms per step (default 50): timers fire in order within a step. */
  stepMs?: number;
  /** Real ms after each step for socket traffic to land (default 2). */
  settleMs?: number;
}

export interface FakeTime {
  /** For `new SimServer({ scheduler })`. */
  readonly scheduler: SimScheduler;
  /** For `new ConnectionManager(settings, logger, { clock })` and `new CandleService(..., { clock })`. */
  readonly clock: Clock;
  /** Fake epoch ms. */
  now(): number;
  /** Fake ms advanced since this clock was made. */
  elapsed(): number;
  /** Advances by ms, step by step, letting real I/O run between steps. */
  advance(ms: number, options?: AdvanceOptions): Promise<void>;
  /**
   * Advances step by step until `check` returns neither undefined nor false,
   * and resolves with it; rejects naming `what` once `maxMs` of fake time
   * passed without it (or at once when check throws).
   */
  advanceUntil<T>(what: string, check: () => T | undefined | false, options?: AdvanceOptions & { maxMs?: number }): Promise<T>;
}

const realPause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fake clock starting at `start` (epoch ms; default the regular-session instant: never the wall clock). */
export function fakeTime(start: number = marketTime('regularSession')): FakeTime {
  const fake = createClock(start);
  const origin = start;
  // fake-timers insists that an interval is cleared as an interval
  const intervals = new Set<unknown>();
  const clear = (handle: unknown): void => {
    if (handle === undefined || handle === null) return;
    if (intervals.delete(handle)) fake.clearInterval(handle as never);
    else fake.clearTimeout(handle as never);
  };
  const scheduler: SimScheduler = {
    now: () => fake.now,
    setTimeout: (fn, ms) => fake.setTimeout(fn, ms),
    setInterval: (fn, ms) => {
      const h: unknown = fake.setInterval(fn, ms);
      intervals.add(h);
      return h;
    },
    clear,
  };
  const step = async (ms: number, settleMs: number): Promise<void> => {
    await fake.tickAsync(ms);
    await realPause(settleMs);
  };
  return {
    scheduler,
    clock: { now: () => fake.now, setTimeout: (fn, ms) => fake.setTimeout(fn, ms), clearTimeout: clear },
    now: () => fake.now,
    elapsed: () => fake.now - origin,
    async advance(ms, options = {}) {
      const stepMs = options.stepMs ?? 50;
      for (let left = ms; left > 0; left -= stepMs) await step(Math.min(stepMs, left), options.settleMs ?? 2);
    },
    async advanceUntil(what, check, options = {}) {
      const stepMs = options.stepMs ?? 50;
      const maxMs = options.maxMs ?? 60_000;
      const from = fake.now;
      for (;;) {
        const v = check();
        if (v !== undefined && v !== false) return v;
        if (fake.now - from >= maxMs) throw new Error(`no ${what} within ${maxMs} ms of simulated time`);
        await step(stepMs, options.settleMs ?? 2);
      }
    },
  };
}

/** A bare fake clock at `start` (epoch ms, default 0) and the Clock the domain takes, for unit tests that tick it themselves. */
export function fakeClock(start = 0): { fake: ReturnType<typeof createClock>; clock: Clock } {
  const fake = createClock(start);
  return { fake, clock: { now: () => fake.now, setTimeout: (fn, ms) => fake.setTimeout(fn, ms), clearTimeout: (h) => fake.clearTimeout(h as number) } };
}
